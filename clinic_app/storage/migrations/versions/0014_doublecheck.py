"""The independent double check (issue 13, "The independent double check").

Revision ID: 0014_doublecheck
Revises: 0013_labs
Create Date: 2026-12-05

The new table ``double_checks`` keeps a second nurse's signatures of a visit's dose plan and
prepared bag: what was checked, the checking nurse, the nurse whose session it was, the time in
UTC and the fingerprint of the dose plan checked, as a clinical record: versioned, audited,
voided with a reason.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.types import UTCDateTime

revision = "0014_doublecheck"
down_revision = "0013_labs"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "double_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("what", sa.String(length=20), nullable=False),
        sa.Column("nurse_id", sa.Integer(), nullable=False),
        sa.Column("first_nurse_id", sa.Integer(), nullable=False),
        sa.Column("signed_at", UTCDateTime(), nullable=False),
        sa.Column("plan_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["infusion_visits.id"],
            name=op.f("fk_double_checks_visit_id_infusion_visits"),
        ),
        sa.ForeignKeyConstraint(
            ["nurse_id"], ["nurses.id"], name=op.f("fk_double_checks_nurse_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["first_nurse_id"], ["nurses.id"], name=op.f("fk_double_checks_first_nurse_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_double_checks_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_double_checks")),
    )
    with op.batch_alter_table("double_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_double_checks_visit_id"), ["visit_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("double_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_double_checks_visit_id"))
    op.drop_table("double_checks")
