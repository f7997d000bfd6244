"""Reactions may be left ungraded (delayed ones) and carry free-text notes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29

A delayed reaction such as the psoriasiform rash of seed 001 is neither an infusion related
reaction nor anaphylaxis (clinical reference, "CTCAE v5.0 grading"), so ``ctcae_term``,
``grade`` and ``ctcae_version`` become nullable, all set or all empty (check constraint
``graded_together``); ``grade_1_to_5`` still holds when a grade is set. ``notes`` describes the
reaction. Batch mode copies the table on SQLite, keeping its named CHECK constraint.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

GRADED_TOGETHER = (
    "(ctcae_term IS NULL AND grade IS NULL AND ctcae_version IS NULL) OR "
    "(ctcae_term IS NOT NULL AND grade IS NOT NULL AND ctcae_version IS NOT NULL)"
)


def upgrade() -> None:
    with op.batch_alter_table("reactions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("notes", sa.Text(), nullable=True))
        batch_op.alter_column("ctcae_term", existing_type=sa.String(length=120), nullable=True)
        batch_op.alter_column("grade", existing_type=sa.Integer(), nullable=True)
        batch_op.alter_column("ctcae_version", existing_type=sa.String(length=10),
                              nullable=True)
        batch_op.create_check_constraint(op.f("ck_reactions_graded_together"), GRADED_TOGETHER)


def downgrade() -> None:
    """Back to 0001; refused while an ungraded reaction is on file (0001 cannot hold it)."""
    ungraded = op.get_bind().execute(
        sa.text("SELECT COUNT(*) FROM reactions WHERE grade IS NULL")).scalar()
    if ungraded:
        raise RuntimeError(f"Reactions not graded on file: {ungraded}; schema 0001 cannot hold "
                           "them.")
    with op.batch_alter_table("reactions", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("ck_reactions_graded_together"), type_="check")
        batch_op.alter_column("ctcae_version", existing_type=sa.String(length=10),
                              nullable=False)
        batch_op.alter_column("grade", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("ctcae_term", existing_type=sa.String(length=120),
                              nullable=False)
        batch_op.drop_column("notes")
