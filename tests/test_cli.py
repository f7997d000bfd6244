"""The administrator's command line: db and print commands, exit codes and one-line errors."""

from __future__ import annotations

import io
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
from pypdf import PdfReader

from clinic_app.cli import main
from clinic_app.storage import migrate

DAY = "2026-03-02"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(err: str) -> str:
    """The error text, checked to be exactly one line and no traceback."""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err
    return err


def pdf_text(path: Path) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() for page in reader.pages)


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    with closing(sqlite3.connect(db)) as connection:
        return connection.execute(sql).fetchall()


HEAD = migrate.head_revision()


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once through the command line, never written by a test: printing
    writes the access log, so every test that prints or writes uses a copy (``demo_db``)."""
    db = tmp_path_factory.mktemp("demo") / "clinic.sqlite3"
    assert main(["--db", str(db), "db", "seed-demo", "--today", DAY]) == 0
    return db


@pytest.fixture
def demo_db(demo_file: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the demo clinic with its audit key, as a clinic's folder is moved."""
    copy = tmp_path / "clinic.sqlite3"
    shutil.copyfile(demo_file, copy)
    shutil.copyfile(demo_file.parent / "audit.key", tmp_path / "audit.key")
    yield copy


def test_upgrade_creates_then_finds_the_database_current(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "clinic.sqlite3"
    assert run(capsys, "--db", str(db), "db", "upgrade")[:2] == (
        0, f"Created the database (schema {HEAD}).\n")
    code, out, _ = run(capsys, "--db", str(db), "db", "upgrade")
    assert code == 0 and "up to date" in out


@pytest.mark.parametrize("argv", [
    ("--db", "{db}", "db", "upgrade"),
    ("db", "upgrade", "--db", "{db}"),
    ("db", "--db", "{db}", "upgrade"),
])
def test_db_is_accepted_before_or_after_the_command(
        argv: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "clinic.sqlite3"
    code, out, err = run(capsys, *(a.format(db=db) for a in argv))
    assert (code, err) == (0, "")
    assert out == f"Created the database (schema {HEAD}).\n"
    assert db.exists()


def test_db_typed_after_the_command_wins_over_db_typed_before(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before, after = tmp_path / "before.sqlite3", tmp_path / "after.sqlite3"
    assert run(capsys, "--db", str(before), "db", "upgrade", "--db", str(after))[0] == 0
    assert after.exists() and not before.exists()


@pytest.mark.parametrize("command", [
    ("db", "upgrade"), ("db", "seed-demo"), ("print", "day-list"), ("nurse", "list"),
    ("protocols",),
])
def test_every_command_help_shows_the_global_db_option(
        command: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, *command, "--help")
    assert code == 0
    assert "--db PATH" in out and "before or after the command" in " ".join(out.split())


def test_a_command_with_db_after_it_reads_the_same_database(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out_pdf = tmp_path / "day.pdf"
    code, _, err = run(capsys, "print", "day-list", "--date", DAY, "-o", str(out_pdf),
                       "--db", str(demo_db))
    assert (code, err) == (0, "")
    # the demo day: 6 appointments and one patient who did not attend (listed, as on Today)
    assert "Mon 2 Mar 2026: 7 appointments (1 did not attend)" in pdf_text(out_pdf)


def test_a_db_path_in_a_missing_folder_is_a_clear_error(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "no-such-folder" / "clinic.sqlite3"
    for command in (("db", "upgrade"), ("db", "seed-demo"), ("db", "verify-audit"),
                    ("print", "day-list", "-o", str(tmp_path / "x.pdf"))):
        code, _, err = run(capsys, "--db", str(db), *command)
        assert code == 1
        assert "no-such-folder does not exist" in one_line_error(err)
    assert not db.parent.exists()


def test_commands_on_a_missing_database_say_so(tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "clinic.sqlite3"
    for command in (("db", "verify-audit"), ("db", "backup"),
                    ("print", "record", "--visit", "1", "-o", str(tmp_path / "x.pdf"))):
        code, _, err = run(capsys, "--db", str(db), *command)
        assert code == 1 and "No database at" in one_line_error(err)
    assert not db.exists()


def test_a_corrupt_database_is_a_one_line_error(tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "clinic.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    for command in (("db", "upgrade"), ("db", "verify-audit"), ("db", "seed-demo")):
        code, _, err = run(capsys, "--db", str(db), *command)
        assert code == 1 and "not a clinic_app database" in one_line_error(err)


def test_a_locked_database_is_a_one_line_error(demo_db: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    with closing(sqlite3.connect(demo_db, isolation_level=None)) as holder:
        holder.execute("BEGIN EXCLUSIVE")
        code, _, err = run(capsys, "--db", str(demo_db), "db", "seed-demo", "--force")
        holder.execute("ROLLBACK")
    assert code == 1 and "is locked" in one_line_error(err)


def test_verify_audit_passes_and_then_catches_an_edited_entry(
        demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--db", str(demo_db), "db", "verify-audit")
    assert code == 0 and "intact" in out
    with closing(sqlite3.connect(demo_db)) as connection:
        connection.execute("UPDATE audit_log SET changes = '{}' WHERE id = 10")
        connection.commit()
    code, _, err = run(capsys, "--db", str(demo_db), "db", "verify-audit")
    assert code == 1 and "audit row 10 was altered" in one_line_error(err)


def test_backup_then_restore_gives_back_the_data(
        demo_db: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    code, out, _ = run(capsys, "--db", str(demo_db), "db", "backup")
    assert code == 0
    backup = Path(out.strip().removeprefix("Backup written: "))
    assert backup.is_file()
    assert run(capsys, "--db", str(demo_db), "db", "seed-demo", "--force", "--today", DAY)[0] == 0
    assert query(demo_db, "SELECT count(*) FROM patients") == [(24,)]
    monkeypatch.setattr("sys.stdin", io.StringIO("demo-password\n"))
    code, out, _ = run(capsys, "--db", str(demo_db), "db", "restore", str(backup), "--as",
                       "demo", "--password-stdin")
    assert code == 0 and "Restored from" in out
    assert query(demo_db, "SELECT count(*) FROM patients") == [(12,)]


def test_restoring_a_file_that_is_not_a_backup_is_refused(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    bogus = tmp_path / "bogus.sqlite3"
    bogus.write_text("hello")
    monkeypatch.setattr("sys.stdin", io.StringIO("demo-password\n"))
    code, _, err = run(capsys, "--db", str(demo_db), "db", "restore", str(bogus), "--as",
                       "demo", "--password-stdin")
    assert code == 1 and "cannot be restored" in one_line_error(err)
    assert query(demo_db, "SELECT count(*) FROM patients") == [(12,)]


def test_seed_demo_refuses_real_data_and_shows_progress(
        demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(demo_db), "db", "seed-demo")
    assert code == 1 and "already holds 12 patients" in one_line_error(err)
    code, out, err = run(capsys, "--db", str(demo_db), "db", "seed-demo", "--force",
                         "--patients", "30", "--today", DAY)
    assert code == 0 and "30 patients" in out
    assert "patients" in err and "18/18" in err and "\r" in err
    assert query(demo_db, "SELECT count(*) FROM patients") == [(42,)]


def test_a_negative_patient_count_is_a_usage_error(tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", str(tmp_path / "c.sqlite3"), "db", "seed-demo",
                       "--patients", "-5")
    assert code == 2 and "cannot be negative" in one_line_error(err)


def _ids(db: Path) -> dict[str, int]:
    def first(sql: str) -> int:
        return int(query(db, sql)[0][0])  # type: ignore[call-overload]

    return {
        "visit": first("SELECT min(id) FROM infusion_visits WHERE status = 'completed'"),
        "reaction": first("SELECT min(id) FROM reactions"),
        "appointment": first("SELECT min(id) FROM appointments WHERE status = 'booked' AND id "
                             "NOT IN (SELECT appointment_id FROM infusion_visits)"),
    }


@pytest.mark.parametrize(("sheet", "arguments", "expected"), [
    ("checklist", ("--visit", "{visit}"), "Infusion checklist"),
    ("checklist", ("--appointment", "{appointment}"), "Infusion checklist"),
    ("checklist", ("--appointment", "{appointment}", "--weight", "160", "--unit", "lb"),
     "72.57 kg"),
    ("checklist", ("--visit", "{visit}", "--with-reaction-card"), "Reaction card: "),
    ("record", ("--visit", "{visit}"), "Infusion record"),
    ("reaction", ("--reaction", "{reaction}", "--to", "Dr Ewa Nowak"), "reaction"),
    ("schedule", ("--mrn", "DEMO000002"), "MUÑOZ, José"),
    ("day-list", ("--date", DAY, "--paper", "letter"), "ИВАНОВА, Анна"),
])
def test_print_commands_write_readable_pdfs(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], sheet: str,
        arguments: tuple[str, ...], expected: str) -> None:
    out = tmp_path / f"{sheet}.pdf"
    ids = _ids(demo_db)
    filled = [a.format(**ids) for a in arguments]
    code, printed, err = run(capsys, "--db", str(demo_db), "print", sheet, *filled,
                             "-o", str(out))
    assert (code, err) == (0, "")
    assert printed == f"Wrote {out}\n"
    assert expected in pdf_text(out)
    # No nurse signs a command-line print: the access log names the computer and its user.
    ((action, nurse, via),) = query(demo_db, "SELECT action, nurse_id, via FROM access_log")
    assert (action, nurse) == ("printed_sheet", None) and " / " in str(via)


@pytest.mark.parametrize(("sheet", "arguments", "message"), [
    ("record", ("--visit", "99999"), "No infusion visit with id 99999"),
    ("reaction", ("--reaction", "99999"), "No reaction with id 99999"),
    ("checklist", ("--appointment", "99999"), "No appointment with id 99999"),
    ("schedule", ("--mrn", "NOBODY"), "No patient with MRN NOBODY"),
    ("schedule", ("--mrn", "DEMO000004"), "has no active course"),
    ("day-list", ("--date", "yesterday"), "not a date"),
])
def test_print_with_a_wrong_id_is_a_one_line_error(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], sheet: str,
        arguments: tuple[str, ...], message: str) -> None:
    out = tmp_path / "x.pdf"
    code, _, err = run(capsys, "--db", str(demo_db), "print", sheet, *arguments,
                       "-o", str(out))
    assert code == 1 and message in one_line_error(err)
    assert not out.exists()


def test_print_to_an_unwritable_path_is_a_one_line_error(
        demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # a copy: the sheet is made (and logged in the access log) before the write fails
    out = tmp_path / "missing" / "day.pdf"
    code, _, err = run(capsys, "--db", str(demo_db), "print", "day-list", "--date", DAY,
                       "-o", str(out))
    assert code == 1 and f"cannot write {out}" in one_line_error(err)


def test_usage_errors_are_one_line_with_exit_status_two(
        capsys: pytest.CaptureFixture[str]) -> None:
    for argv in (("db", "frobnicate"), ("print", "record", "--visit", "abc", "-o", "x.pdf"),
                 ("print", "checklist", "-o", "x.pdf")):
        code, _, err = run(capsys, *argv)
        assert code == 2
        one_line_error(err)
