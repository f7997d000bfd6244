"""Migration 0003: a visit closed before the start keeps why the dose was not given."""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command

from clinic_app.config import sqlite_url_for
from clinic_app.storage import ensure_database, migrate

FIXTURES = Path(__file__).parent / "fixtures"


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def _columns(path: Path, table: str) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


@pytest.fixture
def upgraded(tmp_path: Path) -> Path:
    """The released 0001 file, upgraded to head."""
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(FIXTURES / "clinic_schema_0001.sqlite3", path)
    ensure_database(sqlite_url_for(path))
    return path


def _held_dose(path: Path) -> None:
    """A course with dose 1 not given (no visit row needed for the appointment status)."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "INSERT INTO treatment_courses (patient_id, protocol_id, indication_id, dosing_mode, "
            "dose_mg_per_kg, prescriber, start_date, status, version) VALUES "
            "(1, 'infliximab', 'crohns', 'mg_per_kg', 5, 'Dr Nowak', '2026-03-02', 'active', 1)")
        db.execute(
            "INSERT INTO appointments (course_id, dose_number, due_date, status, version) "
            "VALUES (1, 1, '2026-03-02', 'not_given', 1)")


def test_an_older_file_gains_the_not_given_reason_column(upgraded: Path) -> None:
    assert _revision(upgraded) == migrate.head_revision()
    assert "not_given_reason" in _columns(upgraded, "infusion_visits")


def test_downgrading_below_0003_is_refused_while_a_dose_not_given_is_on_file(
        upgraded: Path) -> None:
    _held_dose(upgraded)
    with (pytest.raises(RuntimeError, match="Doses not given on file: 1"),
          migrate.migration_session(sqlite_url_for(upgraded)) as config):
        command.downgrade(config, "0002")
    assert _revision(upgraded) == migrate.head_revision()  # rolled back whole
    assert "not_given_reason" in _columns(upgraded, "infusion_visits")


def test_downgrading_to_0002_drops_the_column_when_nothing_needs_it(upgraded: Path) -> None:
    with migrate.migration_session(sqlite_url_for(upgraded)) as config:
        command.downgrade(config, "0002")
    assert _revision(upgraded) == "0002"
    assert "not_given_reason" not in _columns(upgraded, "infusion_visits")
