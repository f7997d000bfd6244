"""A damaged, foreign or locked database gives one clear error instead of a crash."""

from __future__ import annotations

import os
import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from clinic_app.config import sqlite_url_for
from clinic_app.storage import (
    DatabaseUnavailable,
    UnitOfWork,
    ensure_database,
    make_engine,
    make_session_factory,
)


def _one_line(exc: BaseException) -> str:
    message = str(exc)
    assert "\n" not in message
    return message


def test_a_file_of_random_bytes_is_refused_with_a_clear_message(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(os.urandom(8192))
    with pytest.raises(DatabaseUnavailable) as caught:
        ensure_database(sqlite_url_for(path))
    assert "is not a clinic_app database" in _one_line(caught.value)
    assert path.read_bytes() != b""  # left as it was


def test_random_bytes_opened_directly_give_the_same_kind_of_error(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    path.write_bytes(os.urandom(8192))
    engine = make_engine(sqlite_url_for(path))
    with pytest.raises(DatabaseUnavailable) as caught, engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    assert "damaged or is not a database file" in _one_line(caught.value)
    engine.dispose()


def test_a_database_damaged_inside_is_reported_as_damaged(db_path, db_url):
    data = bytearray(db_path.read_bytes())
    data[4096:4096 * 8] = os.urandom(4096 * 7)  # wreck the pages after the header page
    db_path.write_bytes(bytes(data))
    with pytest.raises(DatabaseUnavailable) as caught:
        ensure_database(db_url)
    assert "damaged" in _one_line(caught.value)


def test_an_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.sqlite3"
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(DatabaseUnavailable, match="holds other data"):
        ensure_database(sqlite_url_for(path))


def test_a_database_locked_by_another_program_is_reported_at_start(db_path, db_url):
    with closing(sqlite3.connect(db_path, isolation_level=None)) as holder:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE audit_chain_head SET last_id = last_id")
        with pytest.raises(DatabaseUnavailable) as caught:
            ensure_database(db_url, busy_timeout_ms=100)
        holder.execute("ROLLBACK")
    assert "is locked by another program" in _one_line(caught.value)


def test_a_save_while_another_workstation_holds_the_write_lock_is_reported(
    db_path, db_url, nurse_id, make_patient
):
    engine = make_engine(db_url, busy_timeout_ms=100)
    factory = make_session_factory(engine)
    with closing(sqlite3.connect(db_path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        with UnitOfWork(factory, nurse_id=nurse_id) as work:
            work.patients.add(make_patient())
            with pytest.raises(DatabaseUnavailable) as caught:
                work.commit()
        holder.execute("ROLLBACK")
    assert "try again in a moment" in _one_line(caught.value)
    engine.dispose()


def test_a_missing_folder_is_created_for_a_new_database(tmp_path):
    url = sqlite_url_for(tmp_path / "new" / "deeper" / "clinic.sqlite3")
    assert ensure_database(url, now=datetime(2026, 1, 1, tzinfo=UTC)).action == "created"


def test_an_unreachable_postgresql_server_is_a_clear_error():
    with pytest.raises(DatabaseUnavailable) as caught:
        ensure_database("postgresql+psycopg://nurse@127.0.0.1:1/clinic")
    assert _one_line(caught.value).startswith("The database server cannot be reached:")


def test_a_database_error_never_quotes_the_values_of_its_statement(uow, patient_id,
                                                                    make_patient):
    with uow() as work:
        work.patients.add(make_patient(family="Brzęczyszczykiewicz", given="Zdzisława"))
        with pytest.raises(IntegrityError) as caught:  # the fixture patient's MRN again
            work.commit()
    message = str(caught.value)
    assert "INSERT INTO patients" in message
    assert "Brzęczyszczykiewicz" not in message and "Zdzisława" not in message
    assert "MRN001" not in message


def test_a_current_database_opens_while_another_workstation_holds_the_write_lock(
        db_path, db_url, nurse_id):
    """Start-up reads the schema revision without a write transaction (issue 11, item 5)."""
    with closing(sqlite3.connect(db_path, isolation_level=None)) as holder:
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE nurses SET display_name = 'Writing' WHERE id = ?", (nurse_id,))
        outcome = ensure_database(db_url, busy_timeout_ms=100)
        holder.execute("ROLLBACK")
    assert outcome.action == "current"


def test_an_upgrade_waits_for_the_write_lock_and_says_so_when_it_is_not_given(
        tmp_path):
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "clinic_schema_0003.sqlite3", path)
    with closing(sqlite3.connect(path, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode = WAL")
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE nurses SET display_name = 'Writing'")
        with pytest.raises(DatabaseUnavailable) as caught:
            ensure_database(sqlite_url_for(path), busy_timeout_ms=100)
        holder.execute("ROLLBACK")
    assert "is locked by another program" in _one_line(caught.value)
