"""Drug levels and anti-drug antibodies (issue 13, "therapeutic drug monitoring").

Revision ID: 0015_tdm
Revises: 0014_doublecheck
Create Date: 2026-12-05

The new table ``drug_levels`` keeps each trough level and anti-drug antibody result of a
course (kind, value, unit, reported positive/negative, the assay's cutoff, assay, day drawn,
the dose it was drawn before and that dose's appointment, nurse) as a clinical record:
versioned, audited, voided with a reason.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.types import UTCDateTime

revision = "0015_tdm"
down_revision = "0014_doublecheck"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "drug_levels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Numeric(precision=12, scale=3), nullable=True),
        sa.Column("unit", sa.String(length=30), nullable=False),
        sa.Column("reported", sa.String(length=10), nullable=True),
        sa.Column("cutoff", sa.Numeric(precision=12, scale=3), nullable=True),
        sa.Column("assay", sa.String(length=120), nullable=True),
        sa.Column("drawn_on", sa.Date(), nullable=False),
        sa.Column("before_dose_number", sa.Integer(), nullable=True),
        sa.Column("appointment_id", sa.Integer(), nullable=True),
        sa.Column("nurse_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name=op.f("fk_drug_levels_patient_id_patients")
        ),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["treatment_courses.id"],
            name=op.f("fk_drug_levels_course_id_treatment_courses"),
        ),
        sa.ForeignKeyConstraint(
            ["appointment_id"],
            ["appointments.id"],
            name=op.f("fk_drug_levels_appointment_id_appointments"),
        ),
        sa.ForeignKeyConstraint(
            ["nurse_id"], ["nurses.id"], name=op.f("fk_drug_levels_nurse_id_nurses")
        ),
        sa.ForeignKeyConstraint(
            ["voided_by_id"], ["nurses.id"], name=op.f("fk_drug_levels_voided_by_id_nurses")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_drug_levels")),
    )
    with op.batch_alter_table("drug_levels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_drug_levels_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_drug_levels_course_id"), ["course_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("drug_levels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_drug_levels_course_id"))
        batch_op.drop_index(batch_op.f("ix_drug_levels_patient_id"))
    op.drop_table("drug_levels")
