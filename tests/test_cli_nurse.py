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
    assert code == 0 and "'bmeier' for Beat Meier (nurse), with a PIN" in out
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


# --- roles, disabling, resets and the access log (issue 11, items 13 and 14) ----------------


def _two_accounts(db: Path, capsys, monkeypatch) -> None:
    feed(monkeypatch, "correct horse battery", "")
    add(capsys, db, "akeller", "Anna Keller")
    feed(monkeypatch, "long enough secret", "1357", "correct horse battery")
    assert add(capsys, db, "bmeier", "Beat Meier", "--as", "akeller")[0] == 0


def test_a_nurse_cannot_add_an_account_from_the_command_line(db, capsys, monkeypatch):
    _two_accounts(db, capsys, monkeypatch)
    feed(monkeypatch, "another long secret", "", "long enough secret")
    code, _, err = add(capsys, db, "cnowak", "Celina Nowak", "--as", "bmeier")
    assert code == 1
    assert "Only an administrator may add" in one_line_error(err)
    assert query(db, "SELECT count(*) FROM nurses") == [(2,)]


def test_an_administrator_adds_a_charge_nurse_and_the_list_shows_roles(
        db, capsys, monkeypatch):
    _two_accounts(db, capsys, monkeypatch)
    feed(monkeypatch, "another long secret", "", "correct horse battery")
    code, out, _ = add(capsys, db, "cnowak", "Celina Nowak", "--role", "charge_nurse",
                       "--as", "akeller")
    assert code == 0 and "(charge nurse)" in out
    code, out, _ = run(capsys, "--db", str(db), "nurse", "list")
    lines = {line.split()[0]: line for line in out.splitlines()}
    assert "(administrator)" in lines["akeller"]
    assert "(nurse, PIN)" in lines["bmeier"]
    assert "(charge nurse)" in lines["cnowak"]


def test_disable_enable_role_and_reset_need_the_administrators_password(
        db, capsys, monkeypatch):
    _two_accounts(db, capsys, monkeypatch)
    base = ("--db", str(db), "nurse")
    feed(monkeypatch, "wrong password")
    code, _, err = run(capsys, *base, "disable", "bmeier", "--as", "akeller",
                       "--password-stdin")
    assert code == 1 and "wrong password" in one_line_error(err)
    feed(monkeypatch, "correct horse battery")
    code, out, _ = run(capsys, *base, "disable", "bmeier", "--as", "akeller",
                       "--password-stdin")
    assert code == 0 and "Disabled the account 'bmeier'" in out
    assert query(db, "SELECT is_active FROM nurses WHERE username = 'bmeier'") == [(0,)]
    feed(monkeypatch, "correct horse battery")
    assert run(capsys, *base, "enable", "bmeier", "--as", "akeller", "--password-stdin")[0] == 0
    feed(monkeypatch, "correct horse battery")
    code, out, _ = run(capsys, *base, "role", "bmeier", "charge_nurse", "--as", "akeller",
                       "--password-stdin")
    assert code == 0 and "Beat Meier ('bmeier') is now charge nurse." in out
    feed(monkeypatch, "a fresh password", "correct horse battery")
    code, out, _ = run(capsys, *base, "reset-password", "bmeier", "--as", "akeller",
                       "--password-stdin")
    assert code == 0 and "PIN was removed" in out
    assert query(db, "SELECT pin_hash FROM nurses WHERE username = 'bmeier'") == [(None,)]
    feed(monkeypatch, "correct horse battery")
    code, _, err = run(capsys, *base, "disable", "nobody", "--as", "akeller", "--password-stdin")
    assert code == 1 and "No nurse account with the user name 'nobody'" in one_line_error(err)


def test_the_access_log_is_exported_by_an_administrator_to_a_private_csv(
        db, capsys, monkeypatch, tmp_path):
    _two_accounts(db, capsys, monkeypatch)
    out_file = tmp_path / "access.csv"
    feed(monkeypatch, "long enough secret")
    code, _, err = run(capsys, "--db", str(db), "access-log", "--as", "bmeier",
                       "--password-stdin", "-o", str(out_file))
    assert code == 1 and "Only an administrator may read or export" in one_line_error(err)
    assert not out_file.exists()
    feed(monkeypatch, "correct horse battery")
    code, out, _ = run(capsys, "--db", str(db), "access-log", "--as", "akeller",
                       "--password-stdin", "-o", str(out_file))
    assert code == 0 and "(0 entries)" in out
    assert out_file.read_text(encoding="utf-8").startswith("When,Nurse,MRN,Patient,What")
    assert out_file.stat().st_mode & 0o777 == 0o600
    rows = query(db, "SELECT action, detail FROM access_log")
    assert rows == [("exported_access_log", "0 rows, everything")]
