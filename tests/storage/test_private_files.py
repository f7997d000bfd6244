"""The database, its -wal and -shm files, backups and safety copies are readable by their owner
only (0600 in 0700 folders), even where new files are 0644 by default (umask 022)."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from clinic_testing import file_mode
from sqlalchemy import text

from clinic_app.config import sqlite_url_for
from clinic_app.storage import backup_database, ensure_database, make_engine, restore_database

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="POSIX file modes"),
              pytest.mark.usefixtures("permissive_umask")]

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures"


def test_a_new_database_its_wal_and_shm_and_its_new_folder_are_private(tmp_path):
    path = tmp_path / "data" / "clinic.sqlite3"
    url = sqlite_url_for(path)
    ensure_database(url)
    engine = make_engine(url)
    with engine.begin() as connection:  # a write: SQLite makes the -wal and -shm files
        connection.execute(text("UPDATE nurses SET display_name = display_name"))
        side_files = [Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert all(side.exists() for side in side_files)
        assert [file_mode(side) for side in side_files] == [0o600, 0o600]
    engine.dispose()
    assert file_mode(path) == 0o600
    assert file_mode(path.parent) == 0o700


def test_an_existing_database_and_its_side_files_lose_the_others_permissions(tmp_path):
    chosen = tmp_path / "chosen"
    chosen.mkdir(mode=0o755)
    path = chosen / "clinic.sqlite3"
    ensure_database(sqlite_url_for(path))
    with closing(sqlite3.connect(path)) as other_workstation:  # keeps the -wal and -shm
        other_workstation.execute("UPDATE nurses SET display_name = display_name")
        other_workstation.commit()
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        for file in files:
            file.chmod(0o644)  # as an older version left them
        ensure_database(sqlite_url_for(path))
        assert [file_mode(file) for file in files] == [0o600] * 3
    assert file_mode(chosen) == 0o755  # the folder the caller chose is not changed


def test_an_online_backup_and_its_new_folder_are_private(engine, tmp_path):
    backups = tmp_path / "backups"
    path = backup_database(engine, backups, now=NOW)
    assert (file_mode(path), file_mode(backups)) == (0o600, 0o700)


def test_the_backup_before_a_schema_upgrade_is_private(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(FIXTURES / "clinic_schema_0001.sqlite3", path)
    outcome = ensure_database(sqlite_url_for(path), backup_dir=tmp_path / "backups", now=NOW)
    assert outcome.backup_path is not None
    assert file_mode(outcome.backup_path) == 0o600
    assert file_mode(path) == 0o600


def test_restoring_over_a_healthy_database_keeps_a_private_copy_and_leaves_it_private(
        engine, db_url, db_path, tmp_path):
    backups = tmp_path / "backups"
    saved = backup_database(engine, backups, now=NOW)
    engine.dispose()
    db_path.chmod(0o644)  # as an older version left it
    outcome = restore_database(db_url, saved, backup_dir=backups, now=NOW + timedelta(hours=1))
    assert outcome.safety_copy is not None
    assert file_mode(outcome.safety_copy) == 0o600
    assert file_mode(db_path) == 0o600


def test_restoring_over_a_damaged_database_copies_it_and_puts_back_a_private_file(
        engine, db_url, db_path, tmp_path):
    backups = tmp_path / "backups"
    saved = backup_database(engine, backups, now=NOW)
    engine.dispose()
    db_path.write_bytes(b"SQLite format 3\x00" + os.urandom(4096))
    outcome = restore_database(db_url, saved, backup_dir=backups, now=NOW + timedelta(hours=1))
    assert outcome.safety_copy is not None
    assert file_mode(outcome.safety_copy) == 0o600
    assert file_mode(db_path) == 0o600
    with closing(sqlite3.connect(db_path)) as restored:
        assert restored.execute("PRAGMA quick_check").fetchone() == ("ok",)
