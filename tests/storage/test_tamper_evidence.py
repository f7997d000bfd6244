"""Tamper evidence that holds (issue 11, item 9), through ``clinic-app db verify-audit``.

Before the fix the chain had no key and no check of the records: rehashing the chain after an
edit, cutting its tail and rewinding the head, emptying the log, or editing a weight, a name or
a void directly in the tables all left ``verify-audit`` passing. Each test makes the demo
clinic through the command line (which signs the head with ``audit.key`` beside the database),
tampers with the file as someone with an SQL tool would, and checks the verdict.
"""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from test_cli import one_line_error, run

from clinic_app.cli import main
from clinic_app.config import sqlite_url_for
from clinic_app.storage import UnitOfWork, make_engine, make_session_factory
from clinic_app.storage.audit_chain import GENESIS_HASH, row_hash
from clinic_app.storage.models import Patient

DAY = "2026-03-02"
FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(scope="module")
def demo_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("signed_demo")
    assert main(["--db", str(folder / "clinic.sqlite3"), "db", "seed-demo", "--today",
                 DAY]) == 0
    return folder


@pytest.fixture
def db(demo_folder: Path, tmp_path: Path) -> Iterator[Path]:
    """A copy of the signed demo clinic with its key beside it."""
    for name in ("clinic.sqlite3", "audit.key"):
        shutil.copyfile(demo_folder / name, tmp_path / name)
    yield tmp_path / "clinic.sqlite3"


def _sql(db: Path, *statements: str) -> list[Any]:
    with closing(sqlite3.connect(db)) as connection, connection:
        out = [connection.execute(sql).fetchall() for sql in statements]
    return out[-1]


def _verify(capsys: pytest.CaptureFixture[str], db: Path) -> tuple[int, str]:
    code, out, err = run(capsys, "--db", str(db), "db", "verify-audit")
    return code, (out if code == 0 else one_line_error(err))


def _rehash_from(db: Path, first_id: int) -> None:
    """What an attacker does after editing audit rows: recompute every hash from ``first_id``
    and move the head, as :mod:`clinic_app.storage.audit_chain` does."""
    with closing(sqlite3.connect(db)) as connection, connection:
        rows = connection.execute(
            "SELECT id, at, actor_id, table_name, record_id, action, changes FROM audit_log "
            "WHERE id >= ? ORDER BY id", (first_id,)).fetchall()
        (prev,) = connection.execute("SELECT row_hash FROM audit_log WHERE id = ?",
                                     (first_id - 1,)).fetchone() or (GENESIS_HASH,)
        from datetime import UTC, datetime
        for row_id, at, actor, table, record, action, changes in rows:
            moment = datetime.fromisoformat(at).replace(tzinfo=UTC)
            digest = row_hash(prev, {"id": row_id, "at": moment,
                                     "actor_id": actor, "table_name": table,
                                     "record_id": record, "action": action,
                                     "changes": json.loads(changes)})
            connection.execute("UPDATE audit_log SET prev_hash = ?, row_hash = ? WHERE id = ?",
                               (prev, digest, row_id))
            prev = digest
        last = rows[-1][0] if rows else first_id - 1
        connection.execute("UPDATE audit_chain_head SET last_id = ?, last_hash = ?",
                           (last, prev))


def test_the_signed_demo_clinic_verifies(capsys, db: Path) -> None:
    code, out = _verify(capsys, db)
    assert code == 0, out
    assert "intact and signed with the clinic's key" in out
    assert "records compared with their audit trail" in out
    assert (db.parent / "audit.key").stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize(("edit", "column"), [
    ("UPDATE weight_measurements SET weight_kg = weight_kg + 10 "
     "WHERE id = (SELECT min(id) FROM weight_measurements)", "weight_kg"),
    ("UPDATE patients SET family_name = 'Someone Else' WHERE id = 1", "family_name"),
    ("UPDATE allergies SET voided_at = NULL, voided_by_id = NULL, void_reason = NULL "
     "WHERE voided_at IS NOT NULL", "voided_at"),
])
def test_an_edit_made_directly_in_a_clinical_table_is_found(capsys, db: Path, edit: str,
                                                             column: str) -> None:
    if "allergies" in edit and not _sql(db, "SELECT 1 FROM allergies WHERE voided_at "
                                            "IS NOT NULL"):
        _void_an_allergy(db)
    _sql(db, edit)
    code, message = _verify(capsys, db)
    assert code == 1
    assert f"{column} differs from its audit trail" in message
    assert "Someone Else" not in message  # the report names fields, never their values


def _void_an_allergy(db: Path) -> None:
    """Void an allergy through the program (audited), so that un-voiding it is a change."""
    from clinic_testing import FakeClock, open_context

    from clinic_app.services.patients import void_record

    ctx, engine = open_context(db, FakeClock())
    (allergy_id,) = _sql(db, "SELECT min(id) FROM allergies")[0]
    void_record(ctx.as_nurse(1), kind="allergy", record_id=allergy_id, reason="Entered twice")
    engine.dispose()


def test_a_row_inserted_or_deleted_directly_is_found(capsys, db: Path) -> None:
    columns = ", ".join(row[1] for row in _sql(db, "PRAGMA table_info(allergies)")
                        if row[1] != "id")
    _sql(db, f"INSERT INTO allergies ({columns}) SELECT {columns} FROM allergies "
             "WHERE id = (SELECT min(id) FROM allergies)")
    code, message = _verify(capsys, db)
    assert code == 1 and "has no audit trail (written outside the program)" in message
    _sql(db, "DELETE FROM allergies WHERE id = (SELECT max(id) FROM allergies)",
         "DELETE FROM allergies WHERE id = (SELECT max(id) FROM allergies)")
    code, message = _verify(capsys, db)
    assert code == 1 and "the record is gone but its audit trail is not" in message


def test_rehashing_the_chain_after_editing_an_audit_row_breaks_the_signature(
        capsys, db: Path) -> None:
    _sql(db, "UPDATE audit_log SET changes = replace(changes, 'Demo Nurse', 'Other Nurse') "
             "WHERE id = 1")
    code, message = _verify(capsys, db)
    assert code == 1 and "audit row 1 was altered" in message
    _rehash_from(db, 1)
    code, message = _verify(capsys, db)
    assert code == 1
    assert "signature does not match: the chain was rehashed, cut or rewound" in message


def test_cutting_the_tail_and_rewinding_the_head_breaks_the_signature(capsys, db: Path) -> None:
    (last,) = _sql(db, "SELECT max(id) FROM audit_log")[0]
    _sql(db, f"DELETE FROM audit_log WHERE id > {last - 3}")
    _rehash_from(db, last - 3)
    code, message = _verify(capsys, db)
    assert code == 1 and "signature does not match" in message


def test_emptying_the_log_is_found(capsys, db: Path) -> None:
    _sql(db, "DELETE FROM audit_log",
         f"UPDATE audit_chain_head SET last_id = 0, last_hash = '{GENESIS_HASH}'")
    code, message = _verify(capsys, db)
    assert code == 1
    assert "signature does not match" in message
    assert "has no audit trail (written outside the program)" in message


def test_a_write_by_a_program_without_the_key_is_marked_and_stays_marked(
        capsys, db: Path) -> None:
    engine = make_engine(sqlite_url_for(db))  # no key: like a copy of the program elsewhere
    with UnitOfWork(make_session_factory(engine), nurse_id=1) as work:
        work.session.get(Patient, 1).family_name = "Changed"  # audited, but unsigned
        work.commit()
    engine.dispose()
    code, message = _verify(capsys, db)
    assert code == 1 and "written without the clinic's key" in message
    # The program writes again with the key: the break stays on record, signed.
    with pytest.MonkeyPatch.context() as monkey:
        monkey.setattr("sys.stdin", io.StringIO("demo-password\n"))
        assert main(["--db", str(db), "nurse", "disable", "jlefort", "--as", "demo",
                     "--password-stdin"]) == 0
    capsys.readouterr()
    code, message = _verify(capsys, db)
    assert code == 1 and "the chain head did not verify when the program extended it" in message


def test_another_key_is_named(capsys, db: Path) -> None:
    (db.parent / "audit.key").write_text("ab" * 32 + "\n", encoding="ascii")
    code, message = _verify(capsys, db)
    assert code == 1 and "signed with another key" in message


def test_a_key_file_that_is_not_a_key_is_a_one_line_error(capsys, db: Path) -> None:
    (db.parent / "audit.key").write_text("not a key\n", encoding="ascii")
    code, message = _verify(capsys, db)
    assert code == 1 and "cannot be read as a key" in message


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("clinic_schema_*.sqlite3")),
                         ids=lambda p: p.stem)
def test_a_released_database_upgraded_by_the_program_verifies(capsys, tmp_path: Path,
                                                              fixture: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(fixture, path)
    assert run(capsys, "--db", str(path), "nurse", "list")[0] == 0  # upgrades and signs
    code, message = _verify(capsys, path)
    assert code == 0, message


def test_the_day_list_prints_the_chain_head_that_verify_audit_reports(
        capsys, db: Path, tmp_path: Path) -> None:
    from test_cli import pdf_text

    out = tmp_path / "day.pdf"
    assert run(capsys, "--db", str(db), "print", "day-list", "--date", DAY, "-o",
               str(out))[0] == 0
    ((count, head),) = _sql(db, "SELECT last_id, last_hash FROM audit_chain_head")
    text = " ".join(pdf_text(out).split())
    assert f"Audit trail when printed: {count} entries, head {head[:12]}" in text
    code, message = _verify(capsys, db)
    assert code == 0 and f"head {head[:12]}" in message
