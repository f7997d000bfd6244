"""Paths that are not a clinic database are refused without being changed, and the pieces a
killed backup or restore left behind are cleared on the next start (issue 11, item 4)."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
from contextlib import closing
from pathlib import Path

import pytest

from clinic_app.config import sqlite_url_for
from clinic_app.storage import DatabaseUnavailable, ensure_database
from clinic_app.storage.backup import remove_stale_copies

REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="POSIX /dev/null")
@pytest.mark.usefixtures("no_chmod")
def test_a_device_is_refused_and_left_alone():
    mode = os.stat("/dev/null").st_mode
    with pytest.raises(DatabaseUnavailable, match=r"/dev/null is not a regular file"):
        ensure_database(sqlite_url_for(Path("/dev/null")))
    assert os.stat("/dev/null").st_mode == mode


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(DatabaseUnavailable, match="is a folder, not a database file"):
        ensure_database(sqlite_url_for(tmp_path))


def test_an_empty_file_is_not_turned_into_a_new_clinic(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    path.touch()
    with pytest.raises(DatabaseUnavailable) as caught:
        ensure_database(sqlite_url_for(path))
    assert "is empty (0 bytes)" in str(caught.value)
    assert "db restore" in str(caught.value) and "delete the empty file" in str(caught.value)
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["clinic.sqlite3"]


def test_a_refused_sqlite_file_of_another_program_is_left_byte_for_byte_as_it_was(tmp_path):
    path = tmp_path / "recipes.sqlite3"
    with closing(sqlite3.connect(path)) as other, other:
        other.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
        other.execute("INSERT INTO recipes (name) VALUES ('bigos')")
    before = path.read_bytes()
    with pytest.raises(DatabaseUnavailable, match="holds other data"):
        ensure_database(sqlite_url_for(path))
    assert path.read_bytes() == before  # still in its own journal mode, not switched to WAL
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recipes.sqlite3"]


KILLED_BACKUP = textwrap.dedent("""
    import sys, time
    from datetime import UTC, datetime
    from pathlib import Path
    from clinic_app.storage import backup, make_engine

    def stall(_destination, _progress=None):
        def progress(_status, _remaining, _total):
            print("copying", flush=True)
            time.sleep(60)
        return progress

    backup._give_up_when_busy = stall
    backup.BACKUP_PAGES_PER_STEP = 1
    backup.backup_database(make_engine(sys.argv[1]), Path(sys.argv[2]),
                           now=datetime(2026, 3, 2, 7, tzinfo=UTC))
""")


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_the_partial_copy_of_a_killed_backup_is_removed_on_the_next_start(
        db_path, db_url, patient_id, tmp_path):
    backups = tmp_path / "data" / "backups"
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    killed = subprocess.Popen([sys.executable, "-c", KILLED_BACKUP, db_url, str(backups)],
                              stdout=subprocess.PIPE, text=True, env=env, cwd=REPO_ROOT)
    assert killed.stdout is not None and killed.stdout.readline() == "copying\n"
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=60)
    assert list(backups.glob("clinic-*.sqlite3.part"))
    removed = remove_stale_copies(db_path, backups)
    assert removed and not list(backups.iterdir())


def test_only_the_clinic_s_own_stale_copies_are_removed_and_not_one_in_use(db_path, tmp_path):
    backups = db_path.parent / "backups"
    backups.mkdir(parents=True)
    stale = [backups / "clinic-20260302-070000-000000.sqlite3.part",
             backups / "clinic-20260302-070000-000000.sqlite3.part-journal",
             backups / "clinic-20260302-080000-000000-before-restore.sqlite3.part",
             db_path.with_name("clinic.sqlite3.restoring"),
             db_path.with_name("clinic.sqlite3.restoring.part")]
    others = [backups / "notes.part", db_path.with_name("other.sqlite3.part"),
              db_path.with_name("other.sqlite3.restoring"), db_path.parent / "clinic.part"]
    for path in stale + others:
        path.write_bytes(b"half a copy")
    in_use = backups / "clinic-20260302-090000-000000-manual.sqlite3.part"
    with closing(sqlite3.connect(in_use, isolation_level=None)) as copying:
        copying.execute("BEGIN EXCLUSIVE")  # another process is writing this copy right now
        copying.execute("CREATE TABLE pages (x)")
        removed = remove_stale_copies(db_path, backups)
        copying.execute("ROLLBACK")
    assert sorted(removed) == sorted(stale)
    assert not any(path.exists() for path in stale)
    assert all(path.exists() for path in others)
    assert in_use.exists()
