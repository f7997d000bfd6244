"""Nurse accounts count wrong sign-ins and can be locked for a while.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04

``nurses.failed_sign_ins`` counts wrong passwords/PINs in a row and ``nurses.locked_until`` ends
the lock that too many of them bring (issue 11: an account fell to 60 wrong PINs and then the
right one). Existing accounts start at 0 failures and unlocked. SQLite adds both columns in
place (batch mode needs no table copy for an added column).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.types import UTCDateTime

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("nurses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("failed_sign_ins", sa.Integer(), nullable=False,
                                      server_default="0"))
        batch_op.add_column(sa.Column("locked_until", UTCDateTime(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("nurses", schema=None) as batch_op:
        batch_op.drop_column("locked_until")
        batch_op.drop_column("failed_sign_ins")
