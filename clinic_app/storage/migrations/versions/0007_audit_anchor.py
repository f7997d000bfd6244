"""The audit chain head is signed with the clinic's audit key.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04

``audit_chain_head.head_mac`` (the HMAC of the head), ``key_id`` (the key's fingerprint) and
``unsigned_at`` (the first position whose head did not verify when it was extended) start
empty: the program signs the head the first time it opens the database with a key
(:mod:`clinic_app.storage.audit_key`, issue 11 item 9).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_chain_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("head_mac", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("key_id", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("unsigned_at", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_chain_head", schema=None) as batch_op:
        batch_op.drop_column("unsigned_at")
        batch_op.drop_column("key_id")
        batch_op.drop_column("head_mac")
