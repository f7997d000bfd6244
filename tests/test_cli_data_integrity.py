"""The database commands on damaged, foreign, odd and locked databases (issue 11, items 2-5):
a one-line error and exit status 1 for what is refused, and nothing changed."""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from clinic_testing import damage_index, damage_table
from test_cli import run

from clinic_app.cli import main

DAY = "2026-03-02"


def one_line_error(err: str) -> str:
    """The error text: one line, starting "clinic-app: error: " (no traceback)."""
    assert err.startswith("clinic-app: error: ") and err.count("\n") == 1, err
    return err


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "clinic.sqlite3"
    assert main(["--db", str(db), "db", "seed-demo", "--today", DAY]) == 0
    return db


@pytest.fixture
def clinic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real clinic's database (not a demo) holding one nurse account, Anna Keller's."""
    db = tmp_path / "clinic" / "clinic.sqlite3"
    db.parent.mkdir()
    assert main(["--db", str(db), "db", "upgrade"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n\n"))
    assert main(["--db", str(db), "nurse", "add", "--username", "akeller", "--name",
                 "Anna Keller", "--password-stdin"]) == 0
    return db


def _backup(capsys: pytest.CaptureFixture[str], db: Path) -> Path:
    code, out, _ = run(capsys, "--db", str(db), "db", "backup")
    assert code == 0
    return Path(out.strip().removeprefix("Backup written: "))


# -- item 2: damaged databases -----------------------------------------------------------

def test_every_command_refuses_a_damaged_database_naming_the_backup_to_restore(
        clinic: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = _backup(capsys, clinic)
    damage_table(clinic, "nurses")
    for command in (("db", "upgrade"), ("db", "backup"), ("db", "verify-audit"),
                    ("nurse", "list"), ("print", "day-list", "-o", str(tmp_path / "d.pdf"))):
        code, _, err = run(capsys, "--db", str(clinic), *command)
        assert code == 1, command
        assert "is damaged" in one_line_error(err)
        assert f"clinic-app --db {clinic} db restore {good}" in err
    assert not (tmp_path / "d.pdf").exists()


def test_a_backup_that_fails_its_check_is_an_error_and_is_kept_apart(
        demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    clinic = tmp_path / "clinic.sqlite3"
    shutil.copyfile(demo_file, clinic)  # the damaged index needs patients to miss
    damage_index(clinic)  # passes the quick check at start; the copy's full check fails
    code, _, err = run(capsys, "--db", str(clinic), "db", "backup")
    assert code == 1 and "missing from index" in one_line_error(err)
    damaged, = (clinic.parent / "backups").iterdir()
    assert damaged.name.endswith("-manual.sqlite3.damaged")


# -- item 3: restore checks -----------------------------------------------------------------

def _restore(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, clinic: Path,
             backup: Path, *extra: str) -> tuple[int, str, str]:
    """``db restore`` signed by Anna Keller, the clinic's administrator (issue 11, item 13)."""
    monkeypatch.setattr("sys.stdin", io.StringIO("correct horse battery\n"))
    return run(capsys, "--db", str(clinic), "db", "restore", str(backup), *extra,
               "--as", "akeller", "--password-stdin")


def test_restoring_another_clinic_s_backup_needs_force(
        clinic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    other = tmp_path / "other" / "clinic.sqlite3"
    other.parent.mkdir()
    assert run(capsys, "--db", str(other), "db", "upgrade")[0] == 0
    theirs = _backup(capsys, other)
    code, _, err = _restore(capsys, monkeypatch, clinic, theirs)
    assert code == 1
    assert "another clinic's database" in one_line_error(err)
    assert err.rstrip().endswith("Add --force to restore it anyway.")
    assert query(clinic, "SELECT username FROM nurses") == [("akeller",)]
    code, out, _ = _restore(capsys, monkeypatch, clinic, theirs, "--force")
    assert code == 0 and "Restored from" in out
    assert query(clinic, "SELECT username FROM nurses") == []


def test_restoring_a_backup_with_a_broken_audit_trail_needs_force(
        clinic: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    saved = _backup(capsys, clinic)
    with closing(sqlite3.connect(saved)) as db, db:
        db.execute("UPDATE audit_log SET changes = '{}' WHERE id = 1")
    code, _, err = _restore(capsys, monkeypatch, clinic, saved)
    assert code == 1
    assert "audit trail does not verify" in one_line_error(err) and "--force" in err
    assert _restore(capsys, monkeypatch, clinic, saved, "--force")[0] == 0


def test_a_demo_backup_is_never_restored_over_a_real_clinic(
        clinic: Path, demo_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    demo = tmp_path / "demo-copy" / "clinic.sqlite3"
    demo.parent.mkdir()
    shutil.copyfile(demo_file, demo)
    demo_backup = _backup(capsys, demo)
    for extra in ((), ("--force",)):
        code, _, err = _restore(capsys, monkeypatch, clinic, demo_backup, *extra)
        assert code == 1
        assert "demo database" in one_line_error(err) and "--force" not in err
    assert query(clinic, "SELECT count(*) FROM patients") == [(0,)]


def test_only_an_administrator_restores_over_a_clinic_that_can_be_read(
        clinic: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    saved = _backup(capsys, clinic)
    code, _, err = run(capsys, "--db", str(clinic), "db", "restore", str(saved))
    assert code == 1 and "--as USERNAME" in one_line_error(err)
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough secret\n\ncorrect horse battery\n"))
    assert main(["--db", str(clinic), "nurse", "add", "--username", "bmeier", "--name",
                 "Beat Meier", "--as", "akeller", "--password-stdin"]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough secret\n"))
    code, _, err = run(capsys, "--db", str(clinic), "db", "restore", str(saved), "--as",
                       "bmeier", "--password-stdin")
    assert code == 1
    assert "Only an administrator may restore the database" in one_line_error(err)
    assert not list((clinic.parent / "backups").glob("*-before-restore.sqlite3"))
    assert _restore(capsys, monkeypatch, clinic, saved)[0] == 0


# -- item 4: odd paths ----------------------------------------------------------------------

@pytest.mark.skipif(not Path("/dev/null").exists(), reason="POSIX /dev/null")
@pytest.mark.usefixtures("no_chmod")
def test_dev_null_is_refused_by_every_command(tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    mode = os.stat("/dev/null").st_mode
    for command in (("db", "upgrade"), ("db", "backup"), ("db", "verify-audit"),
                    ("db", "seed-demo"), ("db", "restore", str(tmp_path / "x.sqlite3")),
                    ("print", "day-list", "-o", str(tmp_path / "d.pdf"))):
        code, _, err = run(capsys, "--db", "/dev/null", *command)
        assert code == 1, command
        assert "/dev/null is not a regular file" in one_line_error(err)
    assert os.stat("/dev/null").st_mode == mode


def test_a_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for command in (("db", "upgrade"), ("db", "verify-audit")):
        code, _, err = run(capsys, "--db", str(tmp_path), *command)
        assert code == 1 and "is a folder, not a database file" in one_line_error(err)


def test_an_empty_file_is_refused_not_made_a_new_clinic(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "clinic.sqlite3"
    db.touch()
    for command in (("db", "upgrade"), ("db", "seed-demo"), ("db", "verify-audit")):
        code, _, err = run(capsys, "--db", str(db), *command)
        assert code == 1 and "is empty (0 bytes)" in one_line_error(err)
    assert db.stat().st_size == 0


def test_upgrade_leaves_another_program_s_sqlite_file_unchanged(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "recipes.sqlite3"
    with closing(sqlite3.connect(db)) as other, other:
        other.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    before = db.read_bytes()
    code, _, err = run(capsys, "--db", str(db), "db", "upgrade")
    assert code == 1 and "not a clinic_app database" in one_line_error(err)
    assert db.read_bytes() == before


def test_a_command_clears_the_partial_copies_a_killed_backup_left(
        clinic: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backups = clinic.parent / "backups"
    backups.mkdir(exist_ok=True)
    stale = backups / "clinic-20260302-070000-000000.sqlite3.part"
    stale.write_bytes(b"half a copy")
    mine = backups / "my-notes.part"
    mine.write_bytes(b"not the clinic's")
    assert run(capsys, "--db", str(clinic), "db", "verify-audit")[0] == 0
    assert not stale.exists() and mine.exists()


# -- item 5: reading while another workstation writes -----------------------------------------

def test_reading_commands_work_while_another_workstation_holds_the_write_lock(
        demo_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "clinic.sqlite3"
    shutil.copyfile(demo_file, db)
    shutil.copyfile(demo_file.parent / "audit.key", tmp_path / "audit.key")  # its signing key
    with closing(sqlite3.connect(db, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode = WAL")
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE nurses SET display_name = 'Writing'")
        verified = run(capsys, "--db", str(db), "db", "verify-audit")
        backed_up = run(capsys, "--db", str(db), "db", "backup")
        listed = run(capsys, "--db", str(db), "nurse", "list")
        holder.execute("ROLLBACK")
    # (Printing a sheet is not among them: it is recorded in the access log, a write.)
    assert verified[0] == 0 and "intact" in verified[1]
    assert backed_up[0] == 0 and "Backup written" in backed_up[1]
    assert listed[0] == 0
