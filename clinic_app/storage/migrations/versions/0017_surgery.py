"""Planned surgery and live vaccines (issue 13, "Surgery and the live-vaccine calendar").

Revision ID: 0017_surgery
Revises: 0016_reviews
Create Date: 2026-12-05

Two new tables on the patient's chart, each a clinical record (versioned, audited, voided with
a reason): ``planned_surgeries`` (day, procedure, kind, note) and ``vaccinations`` (a live
vaccine given or due: vaccine, status, day, note).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.types import UTCDateTime

revision = "0017_surgery"
down_revision = "0016_reviews"
branch_labels = None
depends_on = None


def _record_columns(table: str) -> list[sa.Column[object] | sa.Constraint]:
    return [
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f(f"fk_{table}_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f(f"fk_{table}_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f(f"pk_{table}")),
    ]


def upgrade() -> None:
    op.create_table(
        "planned_surgeries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("planned_on", sa.Date(), nullable=False),
        sa.Column("procedure", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_record_columns("planned_surgeries"),
    )
    op.create_table(
        "vaccinations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("vaccine", sa.String(length=120), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("on_date", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        *_record_columns("vaccinations"),
    )
    for table in ("planned_surgeries", "vaccinations"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f"ix_{table}_patient_id"), ["patient_id"])


def downgrade() -> None:
    for table in ("vaccinations", "planned_surgeries"):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f"ix_{table}_patient_id"))
        op.drop_table(table)
