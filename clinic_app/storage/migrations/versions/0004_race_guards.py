"""What the services check before they insert is also held by the database.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-14

Two workstations doing the same thing at the same moment both passed the services' checks and
both saved (issue 11, "Data integrity"): two visits with their own weight and dose plan for one
appointment (a possible double dose), and two "first accounts", both administrators, created
without a sign-in. Partial unique indexes now allow one open visit (neither voided nor
cancelled) per appointment, and one account marked ``is_first_account`` (the new column; on an
existing database the earliest administrator, who was created first, is marked).

A database that already holds two open visits for one appointment is refused with the
appointments and visits named: which visit is real is a clinical decision, so the upgrade
voids nothing. The whole upgrade rolls back and the database stays at 0003.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.errors import UpgradeRefused

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN_VISIT = "voided_at IS NULL AND status != 'cancelled'"

_DUPLICATE_OPEN_VISITS = sa.text("""
    SELECT v.appointment_id, a.dose_number, a.due_date, p.mrn, p.family_name, p.given_names,
           v.id AS visit_id, v.status, n.display_name AS opened_by
    FROM infusion_visits v
    JOIN appointments a ON a.id = v.appointment_id
    JOIN patients p ON p.id = v.patient_id
    JOIN nurses n ON n.id = v.nurse_id
    WHERE v.voided_at IS NULL AND v.status != 'cancelled'
      AND v.appointment_id IN (
        SELECT appointment_id FROM infusion_visits
        WHERE appointment_id IS NOT NULL AND voided_at IS NULL AND status != 'cancelled'
        GROUP BY appointment_id HAVING COUNT(*) > 1)
    ORDER BY v.appointment_id, v.id
""")


def _refuse_duplicate_open_visits(bind: sa.Connection) -> None:
    """Name every appointment with more than one open visit, and each of its visits."""
    found: dict[int, list[sa.RowMapping]] = {}
    for row in bind.execute(_DUPLICATE_OPEN_VISITS).mappings():
        found.setdefault(row["appointment_id"], []).append(row)
    if not found:
        return
    described = []
    for appointment_id, rows in found.items():
        a = rows[0]
        visits = ", ".join(f"visit {r['visit_id']} ({r['status']}, opened by {r['opened_by']})"
                           for r in rows)
        described.append(f"appointment {appointment_id} (dose {a['dose_number']} due "
                         f"{a['due_date']} of {a['family_name']}, {a['given_names']}, MRN "
                         f"{a['mrn']}): {visits}")
    raise UpgradeRefused(
        "Upgrade to schema 0004 refused: an appointment may have only one open infusion visit, "
        f"but {len(found)} have more: {'; '.join(described)}. Decide which visit is real and "
        "void the other (entered in error), then start clinic_app again; nothing was changed.")


def _mark_the_first_account() -> None:
    with op.batch_alter_table("nurses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("is_first_account", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.execute("UPDATE nurses SET is_first_account = TRUE "
               "WHERE id = (SELECT MIN(id) FROM nurses WHERE is_admin)")
    with op.batch_alter_table("nurses", schema=None) as batch_op:
        batch_op.alter_column("is_first_account", existing_type=sa.Boolean(),
                              existing_nullable=False, server_default=None)
        batch_op.create_index("uq_nurses_first_account", ["is_first_account"], unique=True,
                              sqlite_where=sa.text("is_first_account"),
                              postgresql_where=sa.text("is_first_account"))


def upgrade() -> None:
    _refuse_duplicate_open_visits(op.get_bind())
    with op.batch_alter_table("infusion_visits", schema=None) as batch_op:
        batch_op.create_index("uq_infusion_visits_open_appointment_id", ["appointment_id"],
                              unique=True, sqlite_where=sa.text(OPEN_VISIT),
                              postgresql_where=sa.text(OPEN_VISIT))
    _mark_the_first_account()


def downgrade() -> None:
    with op.batch_alter_table("nurses", schema=None) as batch_op:
        batch_op.drop_index("uq_nurses_first_account")
        batch_op.drop_column("is_first_account")
    with op.batch_alter_table("infusion_visits", schema=None) as batch_op:
        batch_op.drop_index("uq_infusion_visits_open_appointment_id")
