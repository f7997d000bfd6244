"""Chairs as configured resources (issue 14, "Chairs and the clinic day").

Revision ID: 0010_chairs
Revises: 0009
Create Date: 2026-12-05

Until now a booking's chair was free text. The new table ``chairs`` (name, active, notes,
versioned and audited) lists the clinic's chairs; every chair name already used by an
appointment becomes a chair, so old bookings keep theirs. A database with no booking yet gets
eight chairs, "Chair 1" to "Chair 8", for the administrator to rename or deactivate. A chair
is not a clinical record: these rows get no audit entry (a new database stays "empty" for the
restore checks); every later change to a chair is chained into the audit trail by the chairs
service.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010_chairs"
down_revision = "0009"
branch_labels = None
depends_on = None

STARTER_CHAIRS = tuple(f"Chair {n}" for n in range(1, 9))


def upgrade() -> None:
    chairs = op.create_table(
        "chairs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chairs")),
        sa.UniqueConstraint("name", name=op.f("uq_chairs_name")),
    )
    bind = op.get_bind()
    used = [
        row[0]
        for row in bind.execute(
            sa.text(
                "SELECT DISTINCT TRIM(chair) FROM appointments "
                "WHERE chair IS NOT NULL AND TRIM(chair) <> '' ORDER BY 1"
            )
        )
    ]
    names = used or list(STARTER_CHAIRS)
    op.bulk_insert(
        chairs, [{"name": name, "active": True, "notes": None, "version": 1} for name in names]
    )


def downgrade() -> None:
    # The names stay on the appointments that hold them.
    op.drop_table("chairs")
