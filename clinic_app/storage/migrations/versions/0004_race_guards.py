"""What the services check before they insert is also held by the database.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-14

Two workstations doing the same thing at the same moment both passed the services' checks and
both saved (issue 11, "Data integrity"): two visits with their own weight and dose plan for one
appointment (a possible double dose); two "first accounts", both administrators, created
without a sign-in; two running courses of one drug for one patient; two interval changes from
the same dose (the schedule then refuses to plan the course); two appointments for one dose.
Partial unique indexes now allow one of each:

- one open visit (neither voided nor cancelled) per appointment;
- one account marked ``is_first_account`` (the new column; on an existing database the
  earliest administrator, who was created first, is marked, and nobody's rights change);
- one running course (not voided, active or on hold) per patient and protocol;
- one interval change in force (not voided) per course and first dose;
- one appointment in force (not voided) per course and dose number.

A database that already breaks one of these rules is refused, naming every record concerned:
which of two visits (courses, changes, appointments) is real is a clinical decision, so the
upgrade voids nothing. The whole upgrade rolls back and the database stays at 0003.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import groupby

import sqlalchemy as sa
from alembic import op

from clinic_app.storage.errors import UpgradeRefused

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

OPEN_VISIT = "voided_at IS NULL AND status != 'cancelled'"
RUNNING_COURSE = "voided_at IS NULL AND status IN ('active', 'on_hold')"
NOT_VOIDED = "voided_at IS NULL"

# (index, table, columns, condition), in the order they are created.
INDEXES = (
    ("uq_infusion_visits_open_appointment_id", "infusion_visits", ["appointment_id"],
     OPEN_VISIT),
    ("uq_treatment_courses_running_protocol", "treatment_courses", ["patient_id", "protocol_id"],
     RUNNING_COURSE),
    ("uq_interval_changes_from_dose", "interval_changes", ["course_id", "from_dose_number"],
     NOT_VOIDED),
    ("uq_appointments_dose", "appointments", ["course_id", "dose_number"], NOT_VOIDED),
)

Rows = list[sa.RowMapping]

_OPEN_VISITS = sa.text("""
    SELECT v.appointment_id AS grp, v.id, v.status, a.dose_number, a.due_date, n.display_name,
           p.mrn, p.family_name, p.given_names
    FROM infusion_visits v
    JOIN appointments a ON a.id = v.appointment_id
    JOIN patients p ON p.id = v.patient_id
    JOIN nurses n ON n.id = v.nurse_id
    JOIN (SELECT appointment_id FROM infusion_visits
          WHERE appointment_id IS NOT NULL AND voided_at IS NULL AND status != 'cancelled'
          GROUP BY appointment_id HAVING COUNT(*) > 1) d ON d.appointment_id = v.appointment_id
    WHERE v.voided_at IS NULL AND v.status != 'cancelled'
    ORDER BY v.appointment_id, v.id
""")

_RUNNING_COURSES = sa.text("""
    SELECT c.patient_id AS grp, c.protocol_id AS grp2, c.id, c.status, c.start_date,
           p.mrn, p.family_name, p.given_names
    FROM treatment_courses c
    JOIN patients p ON p.id = c.patient_id
    JOIN (SELECT patient_id, protocol_id FROM treatment_courses
          WHERE voided_at IS NULL AND status IN ('active', 'on_hold')
          GROUP BY patient_id, protocol_id HAVING COUNT(*) > 1) d
      ON d.patient_id = c.patient_id AND d.protocol_id = c.protocol_id
    WHERE c.voided_at IS NULL AND c.status IN ('active', 'on_hold')
    ORDER BY c.patient_id, c.protocol_id, c.id
""")

_INTERVAL_CHANGES = sa.text("""
    SELECT i.course_id AS grp, i.from_dose_number AS grp2, i.id, i.interval_weeks, i.ordered_by,
           c.protocol_id, p.mrn, p.family_name, p.given_names
    FROM interval_changes i
    JOIN treatment_courses c ON c.id = i.course_id
    JOIN patients p ON p.id = c.patient_id
    JOIN (SELECT course_id, from_dose_number FROM interval_changes WHERE voided_at IS NULL
          GROUP BY course_id, from_dose_number HAVING COUNT(*) > 1) d
      ON d.course_id = i.course_id AND d.from_dose_number = i.from_dose_number
    WHERE i.voided_at IS NULL
    ORDER BY i.course_id, i.from_dose_number, i.id
""")

_APPOINTMENTS = sa.text("""
    SELECT a.course_id AS grp, a.dose_number AS grp2, a.id, a.status, a.due_date,
           c.protocol_id, p.mrn, p.family_name, p.given_names
    FROM appointments a
    JOIN treatment_courses c ON c.id = a.course_id
    JOIN patients p ON p.id = c.patient_id
    JOIN (SELECT course_id, dose_number FROM appointments WHERE voided_at IS NULL
          GROUP BY course_id, dose_number HAVING COUNT(*) > 1) d
      ON d.course_id = a.course_id AND d.dose_number = a.dose_number
    WHERE a.voided_at IS NULL
    ORDER BY a.course_id, a.dose_number, a.id
""")


def _patient(row: sa.RowMapping) -> str:
    return f"{row['family_name']}, {row['given_names']} (MRN {row['mrn']})"


def _open_visits(first: sa.RowMapping, rows: Rows) -> str:
    visits = ", ".join(f"visit {r['id']} ({r['status']}, opened by {r['display_name']})"
                       for r in rows)
    return (f"appointment {first['grp']} (dose {first['dose_number']} due {first['due_date']} "
            f"of {_patient(first)}) has {visits}")


def _running_courses(first: sa.RowMapping, rows: Rows) -> str:
    courses = ", ".join(f"course {r['id']} ({r['status']}, started {r['start_date']})"
                        for r in rows)
    return f"{_patient(first)} has {first['grp2']} {courses}"


def _interval_changes(first: sa.RowMapping, rows: Rows) -> str:
    changes = ", ".join(f"change {r['id']} ({r['interval_weeks']} weeks, {r['ordered_by']})"
                        for r in rows)
    return (f"course {first['grp']} ({first['protocol_id']} of {_patient(first)}) has from "
            f"dose {first['grp2']} {changes}")


def _appointments(first: sa.RowMapping, rows: Rows) -> str:
    appointments = ", ".join(f"appointment {r['id']} ({r['status']}, due {r['due_date']})"
                             for r in rows)
    return (f"course {first['grp']} ({first['protocol_id']} of {_patient(first)}) has for "
            f"dose {first['grp2']} {appointments}")


# (the rule, the rows breaking it, how one group is described, what to do)
RULES: tuple[tuple[str, sa.TextClause, Callable[[sa.RowMapping, Rows], str], str], ...] = (
    ("An appointment may have one open infusion visit only", _OPEN_VISITS, _open_visits,
     "decide which visit is real and void the other"),
    ("A patient may have one running course of a drug only", _RUNNING_COURSES, _running_courses,
     "void or stop the course entered in error"),
    ("A course may have one interval change from a dose only", _INTERVAL_CHANGES,
     _interval_changes, "void the change entered in error"),
    ("A course may have one appointment per dose only", _APPOINTMENTS, _appointments,
     "void the appointment entered in error"),
)


def _refuse_broken_rules(bind: sa.Connection) -> None:
    """Refuse the upgrade when rows break a rule the new indexes hold, naming each of them."""
    problems = []
    for rule, query, describe, remedy in RULES:
        rows = list(bind.execute(query).mappings())
        groups = [list(group) for _key, group in groupby(
            rows, key=lambda r: (r["grp"], r.get("grp2")))]
        if groups:
            found = "; ".join(describe(group[0], group) for group in groups)
            problems.append(f"{rule}, but {found}: {remedy}.")
    if problems:
        raise UpgradeRefused("Upgrade to schema 0004 refused, nothing was changed. "
                             + " ".join(problems) + " Correct this, then start clinic_app again.")


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
    _refuse_broken_rules(op.get_bind())
    for name, table, columns, condition in INDEXES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(name, columns, unique=True, sqlite_where=sa.text(condition),
                                  postgresql_where=sa.text(condition))
    _mark_the_first_account()


def downgrade() -> None:
    with op.batch_alter_table("nurses", schema=None) as batch_op:
        batch_op.drop_index("uq_nurses_first_account")
        batch_op.drop_column("is_first_account")
    for name, table, _columns, _condition in reversed(INDEXES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(name)
