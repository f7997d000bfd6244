"""Nurse accounts have roles; an access log records who opened or printed a patient's record.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04

``nurses.role`` replaces ``nurses.is_admin`` (issue 11, item 13: the flag was only displayed):
administrators stay administrators, every other account becomes a nurse. The new
``access_log`` table (item 14) starts empty. On the way back ``is_admin`` is set for the
administrators; charge nurses become plain accounts again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.types import UTCDateTime

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nurses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("role", sa.String(length=20), nullable=False,
                                      server_default="nurse"))
    op.execute("UPDATE nurses SET role = 'administrator' WHERE is_admin")
    with op.batch_alter_table("nurses", schema=None) as batch_op:
        batch_op.drop_column("is_admin")
    op.create_table(
        "access_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", UTCDateTime(), nullable=False),
        sa.Column("nurse_id", sa.Integer(), nullable=True),
        sa.Column("patient_id", sa.Integer(), nullable=True),
        sa.Column("action", sa.String(length=30), nullable=False),
        sa.Column("detail", sa.String(length=200), nullable=False),
        sa.Column("via", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(["nurse_id"], ["nurses.id"],
                                name=op.f("fk_access_log_nurse_id_nurses")),
        sa.ForeignKeyConstraint(["patient_id"], ["patients.id"],
                                name=op.f("fk_access_log_patient_id_patients")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_log")),
    )
    op.create_index("ix_access_log_at", "access_log", ["at"])
    op.create_index("ix_access_log_patient_id_at", "access_log", ["patient_id", "at"])
    op.create_index("ix_access_log_nurse_id_patient_id_at", "access_log",
                    ["nurse_id", "patient_id", "at"])


def downgrade() -> None:
    op.drop_table("access_log")
    with op.batch_alter_table("nurses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_admin", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.execute("UPDATE nurses SET is_admin = (role = 'administrator')")
    with op.batch_alter_table("nurses", schema=None) as batch_op:
        batch_op.drop_column("role")
