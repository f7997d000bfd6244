"""The error log's entry: error types, code locations, record ids, the SQL operation and table
and the driver's error code; never a message, an argument or an SQL parameter.

The private values are constants: an entry shows the program line that raised, and a literal
on that line is program code, not data.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy.exc import IntegrityError

from clinic_app.error_log import describe_error
from clinic_app.storage.errors import ConcurrentEditError

WHEN = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)
NAME = "Kowalska"
MRN = "MRN-5150"
NURSE = "Anna Keller"


class FakeUniqueViolation(Exception):
    """What psycopg raises for a duplicate key: the message quotes the value."""

    sqlstate = "23505"


def _raised(fn) -> BaseException:
    with pytest.raises(Exception) as caught:
        fn()
    return caught.value


def _typed_age(text: str) -> int:
    return int(text)


def test_an_entry_holds_the_time_the_type_and_each_frame_but_not_the_message():
    entry = describe_error(_raised(lambda: _typed_age(NAME)), when=WHEN)
    first, kind, *frames = entry.splitlines()
    assert first == "2026-03-02T08:30:00+00:00 unexpected error"
    assert kind == "ValueError"
    assert frames[-1].endswith("in _typed_age: return int(text)")
    assert "test_error_log.py:" in frames[-1]
    assert NAME not in entry


def test_the_chain_names_each_earlier_error_and_the_record_ids_an_error_carries():
    def save() -> None:
        try:
            {}[MRN]
        except KeyError:
            raise ConcurrentEditError(label="patient", record_id=42, changed_by=NURSE,
                                      changed_at=None) from None

    def save_and_say_which() -> None:
        try:
            save()
        except ConcurrentEditError as exc:
            raise RuntimeError(MRN) from exc

    entry = describe_error(_raised(save_and_say_which), when=WHEN)
    assert "\nRuntimeError\n" in entry
    assert "\nraised from clinic_app.storage.errors.ConcurrentEditError (record_id=42)\n" in entry
    assert "KeyError" not in entry  # suppressed with ``from None``, as Python's traceback does
    assert MRN not in entry and NURSE not in entry


def test_a_database_error_gives_its_operation_table_and_code_never_the_values():
    statement = "INSERT INTO patients (mrn, family_name) VALUES (%(mrn)s, %(family_name)s)"
    orig = FakeUniqueViolation('duplicate key value violates unique constraint "uq_mrn"\n'
                               f"DETAIL:  Key (mrn)=({MRN}) already exists.")
    params = {"mrn": MRN, "family_name": NAME}

    def insert() -> None:
        raise IntegrityError(statement, params, orig) from orig

    entry = describe_error(_raised(insert), when=WHEN)
    assert "\nsqlalchemy.exc.IntegrityError (INSERT patients)\n" in entry
    assert "\nraised from test_error_log.FakeUniqueViolation (23505)\n" in entry
    assert MRN not in entry and NAME not in entry and "uq_mrn" not in entry


@pytest.mark.parametrize(("statement", "summary"), [
    ('UPDATE "nurses" SET pin_hash=? WHERE nurses.id = ?', "UPDATE nurses"),
    ("SELECT patients.id FROM patients WHERE patients.family_key >= ?", "SELECT patients"),
    ("DELETE FROM audit_log WHERE id = ?", "DELETE audit_log"),
    ("PRAGMA foreign_key_check", "PRAGMA"),
])
def test_the_statement_is_summed_up_by_its_operation_and_first_table(statement, summary):
    error = IntegrityError(statement, None, FakeUniqueViolation())
    kind = describe_error(error, when=WHEN).splitlines()[1]
    assert kind == f"sqlalchemy.exc.IntegrityError ({summary})"
