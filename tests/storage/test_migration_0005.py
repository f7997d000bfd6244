"""Migration 0005: nurse accounts count wrong sign-ins and can be locked for a while.

The released 0003 file (fixtures/clinic_schema_0003.sqlite3) holds the fixture nurse; it is
upgraded with the current code and, for the way back, downgraded to 0004.
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
    return path


def _nurses(path: Path) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT username, password_hash, failed_sign_ins, locked_until "
                          "FROM nurses ORDER BY id").fetchall()


def _nurse_columns(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[1] for row in db.execute("PRAGMA table_info(nurses)")]


def test_existing_accounts_start_with_no_failures_and_unlocked(released_file: Path) -> None:
    with closing(sqlite3.connect(released_file)) as db:
        before = db.execute("SELECT username, password_hash FROM nurses ORDER BY id").fetchall()
    ensure_database(sqlite_url_for(released_file))
    assert before
    assert _nurses(released_file) == [(name, hashed, 0, None) for name, hashed in before]


def test_downgrading_to_0004_drops_the_two_columns_and_keeps_the_accounts(
        released_file: Path) -> None:
    url = sqlite_url_for(released_file)
    ensure_database(url)
    with migrate.migration_session(url) as config:
        command.downgrade(config, "0004")
    columns = _nurse_columns(released_file)
    assert "failed_sign_ins" not in columns and "locked_until" not in columns
    assert "password_hash" in columns
    with closing(sqlite3.connect(released_file)) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone()[0] == "0004"
        assert db.execute("SELECT COUNT(*) FROM nurses").fetchone()[0] == 1
