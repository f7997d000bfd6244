"""A patient's "No known allergies" statement, voidable and audited.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04

Without it every allergy-free patient printed "ALLERGIES NOT RECORDED" on every sheet (issue 12,
"Allergies"). The new table ``no_known_allergies`` holds the statement as a clinical record
(versioned, voided with a reason); recording an allergy voids it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.types import UTCDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "no_known_allergies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("stated_on", sa.Date(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("voided_at", UTCDateTime(), nullable=True),
        sa.Column("voided_by_id", sa.Integer(), nullable=True),
        sa.Column("void_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"],
                                name=op.f("fk_no_known_allergies_patient_id_patients")),
        sa.ForeignKeyConstraint(["voided_by_id"], ["nurses.id"],
                                name=op.f("fk_no_known_allergies_voided_by_id_nurses")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_no_known_allergies")),
    )
    with op.batch_alter_table("no_known_allergies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_no_known_allergies_patient_id"), ["patient_id"],
                              unique=False)


def downgrade() -> None:
    with op.batch_alter_table("no_known_allergies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_no_known_allergies_patient_id"))
    op.drop_table("no_known_allergies")
