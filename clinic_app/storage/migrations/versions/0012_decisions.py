"""Why a saved checklist answer was changed: ``checklist_entries.correction_reason``.

Revision ID: 0012_decisions
Revises: 0011_premed
Create Date: 2026-12-05

Issue 12, "Decisions reach the record": changing a saved answer takes a reason; the new answer
is a new row carrying that reason (the old row stays), so the visit screen and the infusion
record show "corrected: old -> new, reason, nurse, time". Existing rows have no reason (NULL).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012_decisions"
down_revision = "0011_premed"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("checklist_entries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("correction_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("checklist_entries", schema=None) as batch_op:
        batch_op.drop_column("correction_reason")
