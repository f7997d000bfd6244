"""Migration 0004: what the services check before they insert is also held by the database.

The released 0003 file (fixtures/clinic_schema_0003.sqlite3) is given rows as schema 0003 wrote
them, then opened with the current code.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command

from clinic_app.config import sqlite_url_for
from clinic_app.storage import UpgradeRefused, ensure_database, migrate

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
OPEN_VISIT_INDEX = "uq_infusion_visits_open_appointment_id"


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _indexes(path: Path) -> dict[str, str]:
    with closing(sqlite3.connect(path)) as db:
        return dict(db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' "
                               "AND sql IS NOT NULL"))


@pytest.fixture
def schema_0003(tmp_path: Path) -> Path:
    """The released 0003 file with a course of Zoë Müller and two of its doses booked today."""
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(FIXTURES / "clinic_schema_0003.sqlite3", path)
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "INSERT INTO treatment_courses (id, patient_id, protocol_id, indication_id, "
            "dosing_mode, dose_mg_per_kg, prescriber, start_date, status, version) VALUES "
            "(1, 1, 'infliximab', 'crohns', 'mg_per_kg', 5, 'Dr Nowak', '2026-03-02', 'active', "
            "1)")
        for dose in (1, 2):
            db.execute(
                "INSERT INTO appointments (id, course_id, dose_number, due_date, starts_at, "
                "chair, status, version) VALUES (?, 1, ?, '2026-03-02', "
                "'2026-03-02 09:00:00.000000', 'Chair 3', 'booked', 1)", (dose, dose))
    return path


def _visit(path: Path, appointment_id: int, status: str = "checked_in", *,
           voided: bool = False) -> None:
    """A visit as schema 0003 stored it (a weight of 64.2 kg, the fixture nurse)."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "INSERT INTO infusion_visits (patient_id, course_id, appointment_id, nurse_id, "
            "status, weight_kg_used, weight_id, version, voided_at, voided_by_id, void_reason) "
            "VALUES (1, 1, ?, 1, ?, 64.2, 1, 1, ?, ?, ?)",
            (appointment_id, status, *(("2026-03-02 08:10:00.000000", 1, "Re-weighed: scale")
                                       if voided else (None, None, None))))


def _visit_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT COUNT(*) FROM infusion_visits").fetchone()[0]


def test_a_0003_file_with_visits_upgrades_keeping_every_visit(schema_0003: Path) -> None:
    _visit(schema_0003, 1, voided=True)
    _visit(schema_0003, 1, "cancelled")
    _visit(schema_0003, 1, "completed")
    _visit(schema_0003, 2)
    outcome = ensure_database(sqlite_url_for(schema_0003))
    assert (outcome.action, outcome.from_revision, outcome.to_revision) == (
        "upgraded", "0003", migrate.head_revision())
    assert _visit_count(schema_0003) == 4
    assert "WHERE voided_at IS NULL AND status != 'cancelled'" in _indexes(schema_0003)[
        OPEN_VISIT_INDEX]


def test_after_the_upgrade_an_appointment_takes_one_open_visit_only(schema_0003: Path) -> None:
    _visit(schema_0003, 1)
    ensure_database(sqlite_url_for(schema_0003))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
        _visit(schema_0003, 1, "infusing")
    _visit(schema_0003, 1, "cancelled")  # closed as not given: not open
    _visit(schema_0003, 1, voided=True)  # re-weighed: not open
    _visit(schema_0003, 2)
    assert _visit_count(schema_0003) == 4


def test_a_0003_file_with_two_open_visits_for_one_appointment_is_refused_naming_them(
        schema_0003: Path, tmp_path: Path) -> None:
    _visit(schema_0003, 1, "completed")
    _visit(schema_0003, 1)
    _visit(schema_0003, 1, "cancelled")
    _visit(schema_0003, 2)
    with pytest.raises(UpgradeRefused) as refused:
        ensure_database(sqlite_url_for(schema_0003), backup_dir=tmp_path / "backups", now=NOW)
    assert str(refused.value) == (
        "Upgrade to schema 0004 refused, nothing was changed. An appointment may have one open "
        "infusion visit only, but appointment 1 (dose 1 due 2026-03-02 of Müller, Zoë (MRN "
        "FIX001)) has visit 1 (completed, opened by Fixture Nurse), visit 2 (checked_in, opened "
        "by Fixture Nurse): decide which visit is real and void the other. Correct this, then "
        "start clinic_app again.")
    assert "\n" not in str(refused.value)  # the command line shows the first line only
    assert _revision(schema_0003) == "0003"
    assert OPEN_VISIT_INDEX not in _indexes(schema_0003)
    assert _visit_count(schema_0003) == 4


def _execute(path: Path, *statements: str) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        for statement in statements:
            db.execute(statement)


_SECOND_COURSE = (
    "INSERT INTO treatment_courses (id, patient_id, protocol_id, indication_id, dosing_mode, "
    "dose_mg_per_kg, prescriber, start_date, status, version) VALUES (2, 1, 'infliximab', "
    "'crohns', 'mg_per_kg', 5, 'Dr Nowak', '2026-03-02', '{status}', 1)")
_INTERVAL_CHANGE = (
    "INSERT INTO interval_changes (id, course_id, from_dose_number, interval_weeks, ordered_by, "
    "version, voided_at) VALUES ({id}, 1, 4, {weeks}, 'Dr Nowak', 1, {voided})")
_DOSE_2_AGAIN = (
    "INSERT INTO appointments (id, course_id, dose_number, due_date, status, version, "
    "voided_at) VALUES ({id}, 1, 2, '2026-03-16', 'planned', 1, {voided})")


def test_each_rule_broken_in_a_0003_file_is_named_and_nothing_is_changed(
        schema_0003: Path) -> None:
    _execute(schema_0003, _SECOND_COURSE.format(status="on_hold"),
             _INTERVAL_CHANGE.format(id=1, weeks=6, voided="NULL"),
             _INTERVAL_CHANGE.format(id=2, weeks=4, voided="NULL"),
             _DOSE_2_AGAIN.format(id=3, voided="NULL"))
    with pytest.raises(UpgradeRefused) as refused:
        ensure_database(sqlite_url_for(schema_0003))
    assert str(refused.value) == (
        "Upgrade to schema 0004 refused, nothing was changed. A patient may have one running "
        "course of a drug only, but Müller, Zoë (MRN FIX001) has infliximab course 1 (active, "
        "started 2026-03-02), course 2 (on_hold, started 2026-03-02): void or stop the course "
        "entered in error. A course may have one interval change from a dose only, but course 1 "
        "(infliximab of Müller, Zoë (MRN FIX001)) has from dose 4 change 1 (6 weeks, Dr Nowak), "
        "change 2 (4 weeks, Dr Nowak): void the change entered in error. A course may have one "
        "appointment per dose only, but course 1 (infliximab of Müller, Zoë (MRN FIX001)) has "
        "for dose 2 appointment 2 (booked, due 2026-03-02), appointment 3 (planned, due "
        "2026-03-16): void the appointment entered in error. Correct this, then start "
        "clinic_app again.")
    assert _revision(schema_0003) == "0003"


def test_stopped_courses_and_voided_changes_and_appointments_are_not_duplicates(
        schema_0003: Path) -> None:
    _execute(schema_0003, _SECOND_COURSE.format(status="stopped"),
             _INTERVAL_CHANGE.format(id=1, weeks=6, voided="'2026-03-02 08:00:00.000000'"),
             _INTERVAL_CHANGE.format(id=2, weeks=4, voided="NULL"),
             _DOSE_2_AGAIN.format(id=3, voided="'2026-03-02 08:00:00.000000'"))
    assert ensure_database(sqlite_url_for(schema_0003)).action == "upgraded"
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
        _execute(schema_0003, _SECOND_COURSE.replace("(2,", "(3,").format(status="active"))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
        _execute(schema_0003, _INTERVAL_CHANGE.format(id=3, weeks=8, voided="NULL"))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"):
        _execute(schema_0003, _DOSE_2_AGAIN.format(id=4, voided="NULL"))


def test_once_the_duplicate_is_voided_the_upgrade_goes_through(schema_0003: Path) -> None:
    _visit(schema_0003, 1, "completed")
    _visit(schema_0003, 1)
    with pytest.raises(UpgradeRefused):
        ensure_database(sqlite_url_for(schema_0003))
    with closing(sqlite3.connect(schema_0003)) as db, db:
        db.execute("UPDATE infusion_visits SET voided_at = '2026-03-02 10:00:00.000000', "
                   "voided_by_id = 1, void_reason = 'Opened twice' WHERE id = 2")
    assert ensure_database(sqlite_url_for(schema_0003)).action == "upgraded"


def _add_nurse(path: Path, username: str, *, admin: bool) -> None:
    """An account as schema 0003 stored it."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("INSERT INTO nurses (username, display_name, password_hash, is_active, "
                   "is_admin, version) VALUES (?, ?, 'x', 1, ?, 1)",
                   (username, username.title(), admin))


def _first_accounts(path: Path) -> list[tuple[str, str, int]]:
    """Each account's role (at head, 0006 turned ``is_admin`` into ``role``) and first mark."""
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT username, role, is_first_account FROM nurses "
                          "ORDER BY id").fetchall()


def test_the_earliest_administrator_becomes_the_first_account_and_no_one_loses_a_right(
        schema_0003: Path) -> None:
    _add_nurse(schema_0003, "akeller", admin=True)
    _add_nurse(schema_0003, "bmeier", admin=True)  # both created as "the first" (the race)
    _add_nurse(schema_0003, "cnowak", admin=False)
    ensure_database(sqlite_url_for(schema_0003))
    assert _first_accounts(schema_0003) == [
        ("fixture", "nurse", 0), ("akeller", "administrator", 1),
        ("bmeier", "administrator", 0), ("cnowak", "nurse", 0)]


def test_after_the_upgrade_a_second_first_account_is_refused(schema_0003: Path) -> None:
    ensure_database(sqlite_url_for(schema_0003))
    with closing(sqlite3.connect(schema_0003)) as db, db:
        db.execute("UPDATE nurses SET is_first_account = 1 WHERE username = 'fixture'")
    with (pytest.raises(sqlite3.IntegrityError, match="UNIQUE constraint failed"),
          closing(sqlite3.connect(schema_0003)) as db, db):
        db.execute("INSERT INTO nurses (username, display_name, password_hash, is_active, "
                   "role, is_first_account, version) VALUES ('x', 'X', 'x', 1, "
                   "'administrator', 1, 1)")


def test_downgrading_to_0003_drops_the_indexes_and_the_column(schema_0003: Path) -> None:
    url = sqlite_url_for(schema_0003)
    ensure_database(url)
    with migrate.migration_session(url) as config:
        command.downgrade(config, "0003")
    assert _revision(schema_0003) == "0003"
    assert not {OPEN_VISIT_INDEX, "uq_nurses_first_account", "uq_appointments_dose",
                "uq_interval_changes_from_dose", "uq_treatment_courses_running_protocol"} & set(
        _indexes(schema_0003))
    with closing(sqlite3.connect(schema_0003)) as db:
        assert "is_first_account" not in [row[1] for row in db.execute(
            "PRAGMA table_info(nurses)")]
