"""Each database knows the clinic it belongs to, and whether it is a demo.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04

Restore put any SQLite database back, another clinic's or a demo over a real clinic (issue 11,
item 3). The new one-row table ``clinic_identity`` holds a clinic id and a demo flag, which
restore compares (:mod:`clinic_app.storage.restore`). A new database gets a random id; an
existing one an id derived from its first audit entry, so the backups it made before this
upgrade are still known as its own, and the demo flag when it holds demo patients
(:mod:`clinic_app.storage.clinic_identity`).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.clinic_identity import identity_from_records, new_clinic_id
from clinic_app.storage.models.clinic import IDENTITY_ROW_ID

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "clinic_identity",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("clinic_id", sa.String(length=32), nullable=False),
        sa.Column("demo", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clinic_identity")),
    )
    found = identity_from_records(op.get_bind())
    op.bulk_insert(table, [{"id": IDENTITY_ROW_ID, "clinic_id": found.clinic_id or new_clinic_id(),
                            "demo": found.demo}])


def downgrade() -> None:
    op.drop_table("clinic_identity")
