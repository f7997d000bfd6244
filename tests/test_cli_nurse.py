"""``clinic-app nurse add | list``: accounts from the command line, audited, one-line errors."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from test_cli import one_line_error, query, run

from clinic_app.cli import main


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "clinic.sqlite3"
    assert main(["--db", str(path), "db", "upgrade"]) == 0
    return path


def feed(monkeypatch: pytest.MonkeyPatch, *lines: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("".join(f"{line}\n" for line in lines)))


def add(capsys, db: Path, username: str, name: str, *extra: str) -> tuple[int, str, str]:
    return run(capsys, "--db", str(db), "nurse", "add", "--username", username, "--name", name,
               "--password-stdin", *extra)


def test_the_first_account_is_added_from_stdin_and_listed(db, capsys, monkeypatch):
    feed(monkeypatch, "correct horse battery", "2468")
    code, out, _ = add(capsys, db, "akeller", "Anna Keller")
    assert code == 0
    assert "Created the account 'akeller' for Anna Keller (administrator), with a PIN" in out
    code, out, _ = run(capsys, "--db", str(db), "nurse", "list")
    assert code == 0 and "akeller" in out and "Anna Keller" in out


def test_a_later_account_needs_a_nurse_on_file_who_is_named_in_the_audit(
        db, capsys, monkeypatch):
    feed(monkeypatch, "correct horse battery", "")
    add(capsys, db, "akeller", "Anna Keller")
    feed(monkeypatch, "long enough secret", "")
    code, _, err = add(capsys, db, "bmeier", "Beat Meier")
    assert code == 1 and "--as USERNAME" in one_line_error(err)
    feed(monkeypatch, "long enough secret", "1357", "correct horse battery")
    code, out, _ = add(capsys, db, "bmeier", "Beat Meier", "--as", "akeller")
    assert code == 0 and "'bmeier' for Beat Meier, with a PIN" in out
    rows = query(db, "SELECT a.actor_id FROM audit_log a WHERE a.table_name = 'nurses' "
                     "ORDER BY a.id")
    anna = query(db, "SELECT id FROM nurses WHERE username = 'akeller'")[0][0]
    assert rows[-1][0] == anna


def test_a_wrong_vouching_secret_or_a_short_password_is_a_one_line_error(
        db, capsys, monkeypatch):
    feed(monkeypatch, "correct horse battery", "")
    add(capsys, db, "akeller", "Anna Keller")
    feed(monkeypatch, "long enough secret", "", "wrong")
    code, _, err = add(capsys, db, "bmeier", "Beat Meier", "--as", "akeller")
    assert code == 1 and "wrong password" in one_line_error(err)
    feed(monkeypatch, "short", "", "correct horse battery")
    code, _, err = add(capsys, db, "bmeier", "Beat Meier", "--as", "akeller")
    assert code == 1 and "8" in one_line_error(err)
    assert query(db, "SELECT count(*) FROM nurses") == [(1,)]


def test_at_a_terminal_the_password_is_asked_twice_with_getpass(db, capsys, monkeypatch):
    answers = iter(["correct horse battery", "correct horse batery"])
    monkeypatch.setattr("getpass.getpass", lambda _prompt: next(answers))
    code, _, err = run(capsys, "--db", str(db), "nurse", "add", "--username", "akeller",
                       "--name", "Anna Keller")
    assert code == 1 and "differ" in one_line_error(err)
