"""Chairs as configured resources (issue 14, "Chairs and the clinic day").

Revision ID: 0010_chairs
Revises: 0009
Create Date: 2026-12-05

Until now a booking's chair was free text. The new table ``chairs`` (name, active, notes,
versioned and audited) lists the clinic's chairs; every chair name already used by an
appointment becomes a chair, so old bookings keep theirs. A database with no booking yet gets
eight chairs, "Chair 1" to "Chair 8", for the administrator to rename or deactivate.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.audit_chain import PendingAudit, append_entries
from clinic_app.storage.models.audit import AuditAction

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
    used = [row[0] for row in bind.execute(sa.text(
        "SELECT DISTINCT TRIM(chair) FROM appointments "
        "WHERE chair IS NOT NULL AND TRIM(chair) <> '' ORDER BY 1"))]
    names = used or list(STARTER_CHAIRS)
    op.bulk_insert(chairs, [{"name": name, "active": True, "notes": None, "version": 1}
                            for name in names])
    rows = [{"id": row[0], "name": row[1], "active": True, "notes": None}
            for row in bind.execute(sa.text("SELECT id, name FROM chairs ORDER BY id"))]
    # Each chair enters the audit trail as the program's insert would write it (no nurse: the
    # migration wrote it), so the trail still accounts for every record.
    append_entries(bind, [
        PendingAudit("chairs", row["id"], AuditAction.INSERT,
                     {key: {"old": None, "new": row[key]}
                      for key in ("id", "name", "active", "notes")})
        for row in rows], actor_id=None, at=datetime.now(UTC))


def downgrade() -> None:
    # The chairs' audit entries stay (the chain cannot lose rows); the names stay on the
    # appointments that hold them.
    op.drop_table("chairs")
