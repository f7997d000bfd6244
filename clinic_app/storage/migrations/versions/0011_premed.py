"""Premedication as given (issue 13, "Premedication as given").

Revision ID: 0011_premed
Revises: 0010_chairs
Create Date: 2026-12-05

Until now premedication was a tick on the pre-infusion checklist. The new table
``premedications`` records each drug given at a visit (kind of the suggested set, drug, dose,
unit, route, time given in UTC, lot, nurse) as a clinical record: versioned, audited, voided
with a reason.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.types import UTCDateTime

revision = "0011_premed"
down_revision = "0010_chairs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "premedications",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=True),
        sa.Column("drug", sa.String(length=120), nullable=False),
        sa.Column("dose", sa.Numeric(precision=10, scale=3), nullable=False),
        sa.Column("dose_unit", sa.String(length=20), nullable=False),
        sa.Column("route", sa.String(length=10), nullable=False),
        sa.Column("given_at", UTCDateTime(), nullable=False),
        sa.Column("lot_number", sa.String(length=60), nullable=True),
        sa.Column("nurse_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["infusion_visits.id"],
            name=op.f("fk_premedications_visit_id_infusion_visits"),
        ),
        sa.ForeignKeyConstraint(
            ["nurse_id"], ["nurses.id"], name=op.f("fk_premedications_nurse_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_premedications_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_premedications")),
    )
    with op.batch_alter_table("premedications", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_premedications_visit_id"), ["visit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("premedications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_premedications_visit_id"))
    op.drop_table("premedications")
