"""The command line creates the clinic's files readable by their owner only, and takes the
others' permissions off files an older version left readable, but never off a folder the user
chose for ``--db``."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from clinic_testing import file_mode

from clinic_app import config
from clinic_app.cli import main

pytestmark = [pytest.mark.skipif(os.name != "posix", reason="POSIX file modes"),
              pytest.mark.usefixtures("permissive_umask")]


def clinic(*argv: str) -> None:
    assert main(list(argv)) == 0


@pytest.fixture
def chosen_folder(tmp_path: Path) -> Path:
    """A folder of the user's, readable by others, where ``--db`` puts the database."""
    folder = tmp_path / "chosen"
    folder.mkdir(mode=0o755)
    return folder


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The user's data folder (the default database's home), not yet made."""
    folder = tmp_path / "home" / "clinic_app"
    monkeypatch.setattr(config, "default_data_dir", lambda: folder)
    return folder


def test_db_upgrade_creates_a_private_database_in_a_private_data_folder(data_dir):
    clinic("db", "upgrade")
    assert file_mode(data_dir) == 0o700
    assert file_mode(data_dir / "clinic.sqlite3") == 0o600


def test_db_upgrade_with_db_makes_the_database_private_and_leaves_the_folder_alone(
        chosen_folder):
    db = chosen_folder / "clinic.sqlite3"
    clinic("--db", str(db), "db", "upgrade")
    assert file_mode(db) == 0o600
    assert file_mode(chosen_folder) == 0o755


def test_db_backup_writes_a_private_backup_in_a_private_folder(chosen_folder):
    db = chosen_folder / "clinic.sqlite3"
    clinic("--db", str(db), "db", "upgrade")
    clinic("--db", str(db), "db", "backup")
    backups = chosen_folder / "backups"
    backup, = backups.iterdir()
    assert (file_mode(backups), file_mode(backup)) == (0o700, 0o600)


def test_db_restore_keeps_a_private_copy_of_the_database_it_replaces(chosen_folder):
    db = chosen_folder / "clinic.sqlite3"
    clinic("--db", str(db), "db", "upgrade")
    clinic("--db", str(db), "db", "backup")
    backup, = (chosen_folder / "backups").iterdir()
    clinic("--db", str(db), "db", "restore", str(backup))
    safety_copy, = (chosen_folder / "backups").glob("*-before-restore.sqlite3")
    assert file_mode(safety_copy) == 0o600
    assert file_mode(db) == 0o600


@pytest.fixture
def old_clinic(data_dir: Path) -> Iterator[Path]:
    """The data folder as an older version left it: everything readable by others (0755
    folders, 0644 files), the database open on another workstation (its -wal and -shm exist),
    and a file of the user's own in the backup folder."""
    clinic("db", "upgrade")
    clinic("db", "backup")
    db = data_dir / "clinic.sqlite3"
    (data_dir / "errors.log").write_text("an old entry\n", encoding="utf-8")
    (data_dir / "backups" / "read-me.txt").write_text("the user's note\n", encoding="utf-8")
    with closing(sqlite3.connect(db)) as other_workstation:
        other_workstation.execute("UPDATE nurses SET display_name = display_name")
        other_workstation.commit()
        for path in (data_dir, data_dir / "backups"):
            path.chmod(0o755)
        for path in (*data_dir.iterdir(), *(data_dir / "backups").iterdir()):
            if path.is_file():
                path.chmod(0o644)
        yield data_dir


@pytest.mark.parametrize("command", [("db", "upgrade"), ("db", "verify-audit"),
                                     ("db", "backup"), ("nurse", "list")])
def test_opening_the_clinic_takes_the_others_permissions_off_its_files(old_clinic, command):
    clinic(*command)
    backups = old_clinic / "backups"
    assert {path.name: oct(file_mode(path)) for path in (old_clinic, backups)} == {
        "clinic_app": "0o700", "backups": "0o700"}
    names = ["clinic.sqlite3", "clinic.sqlite3-wal", "clinic.sqlite3-shm", "errors.log"]
    assert {name: oct(file_mode(old_clinic / name)) for name in names} == dict.fromkeys(
        names, "0o600")
    backup_files = [path for path in backups.iterdir() if path.name.startswith("clinic-")]
    assert backup_files and {oct(file_mode(path)) for path in backup_files} == {"0o600"}
    assert file_mode(backups / "read-me.txt") == 0o644  # not the clinic's file
