"""A visit closed before the start keeps why the dose was not given.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07

The pre-check can say "do not start; call the prescriber" (fever, active infection, a positive
TB screen). The nurse then closes the visit as not given: ``infusion_visits.not_given_reason``
holds what was found and who decided ("Temp 38.4 °C; Dr Nowak: postpone 1 week") so the chart
and the infusion record can show it. The appointment takes the new status ``not_given`` (the
status column is a VARCHAR(20) enum without a CHECK constraint, so no table change is needed
for it). Batch mode copies the table on SQLite.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("infusion_visits", schema=None) as batch_op:
        batch_op.add_column(sa.Column("not_given_reason", sa.Text(), nullable=True))


def downgrade() -> None:
    """Back to 0002; refused while a dose not given is on file (0002 cannot hold it)."""
    bind = op.get_bind()
    held = bind.execute(sa.text(
        "SELECT COUNT(*) FROM appointments WHERE status = 'not_given'")).scalar()
    reasons = bind.execute(sa.text(
        "SELECT COUNT(*) FROM infusion_visits WHERE not_given_reason IS NOT NULL")).scalar()
    if held or reasons:
        raise RuntimeError(f"Doses not given on file: {max(held or 0, reasons or 0)}; schema "
                           "0002 cannot hold them.")
    with op.batch_alter_table("infusion_visits", schema=None) as batch_op:
        batch_op.drop_column("not_given_reason")
