"""Migration 0006: ``nurses.is_admin`` becomes ``nurses.role``; the access log table appears.

The released 0003 file (fixtures/clinic_schema_0003.sqlite3) holds the fixture nurse; an
administrator is added as schema 0003 stored one, then the file is upgraded with the current
code and, for the way back, downgraded to 0005.
"""

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


@pytest.fixture
def released_file(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(FIXTURES / "clinic_schema_0003.sqlite3", path)
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("INSERT INTO nurses (username, display_name, password_hash, is_active, "
                   "is_admin, version) VALUES ('akeller', 'Anna Keller', 'x', 1, 1, 1)")
    return path


def _rows(path: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute(sql).fetchall()


def test_administrators_stay_administrators_and_everyone_else_becomes_a_nurse(
        released_file: Path) -> None:
    ensure_database(sqlite_url_for(released_file))
    assert _rows(released_file, "SELECT username, role FROM nurses ORDER BY id") == [
        ("fixture", "nurse"), ("akeller", "administrator")]
    columns = [row[1] for row in _rows(released_file, "PRAGMA table_info(nurses)")]
    assert "is_admin" not in columns
    assert _rows(released_file, "SELECT count(*) FROM access_log") == [(0,)]


def test_downgrading_to_0005_gives_is_admin_back_and_drops_the_access_log(
        released_file: Path) -> None:
    url = sqlite_url_for(released_file)
    ensure_database(url)
    with closing(sqlite3.connect(released_file)) as db, db:
        db.execute("UPDATE nurses SET role = 'charge_nurse' WHERE username = 'fixture'")
    with migrate.migration_session(url) as config:
        command.downgrade(config, "0005")
    assert _rows(released_file, "SELECT username, is_admin FROM nurses ORDER BY id") == [
        ("fixture", 0), ("akeller", 1)]
    tables = {row[0] for row in _rows(released_file,
                                      "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "access_log" not in tables
    assert _rows(released_file, "SELECT version_num FROM alembic_version") == [("0005",)]
