"""Laboratory results (issue 13, "Laboratory results and gates").

Revision ID: 0013_labs
Revises: 0012_decisions
Create Date: 2026-12-05

The new table ``lab_results`` keeps each result on the patient's chart (test, value, unit,
reference range, date taken, source) as a clinical record: versioned, audited, voided with a
reason.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.types import UTCDateTime

revision = "0013_labs"
down_revision = "0012_decisions"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "lab_results",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("test", sa.String(length=20), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=3), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=False),
        sa.Column("ref_low", sa.Numeric(precision=14, scale=3), nullable=True),
        sa.Column("ref_high", sa.Numeric(precision=14, scale=3), nullable=True),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=120), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_lab_results_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_lab_results_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_lab_results")),
    )
    with op.batch_alter_table("lab_results", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lab_results_patient_id"), ["patient_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("lab_results", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lab_results_patient_id"))
    op.drop_table("lab_results")
