"""The change feed: what other connections committed, for screens that follow them live.

SQLite: two engines on one real temporary file (two workstations); ``PRAGMA data_version``
tells the feed that the other committed and the audit rows say what. PostgreSQL (when
``CLINIC_APP_TEST_PG_URL`` names a scratch database, wiped before each test): the notice is
sent in the committing transaction and read back by the listening connection.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
from clinic_testing import FakeClock
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.config import normalise_database_url
from clinic_app.storage import (
    UnitOfWork,
    change_feed,
    ensure_database,
    make_engine,
    make_session_factory,
)
from clinic_app.storage.change_feed import (
    ChangeNotice,
    QuietFeed,
    notice_from_payload,
    open_change_feed,
    workstation_token,
)
from clinic_app.storage.models import Nurse, Patient, Sex, WeightMeasurement

PG_URL = os.environ.get("CLINIC_APP_TEST_PG_URL", "")
needs_postgres = pytest.mark.skipif(not PG_URL, reason="CLINIC_APP_TEST_PG_URL is not set")


def _add_patient(
    factory: sessionmaker[Session], nurse_id: int, clock: FakeClock, mrn: str = "MRN001"
) -> int:
    with UnitOfWork(factory, nurse_id=nurse_id, clock=clock) as work:
        patient = work.patients.add(
            Patient(
                mrn=mrn,
                family_name="García",
                given_names="José",
                date_of_birth=date(1980, 2, 29),
                sex=Sex.MALE,
            )
        )
        work.commit()
        return patient.id


def _weigh(
    factory: sessionmaker[Session], nurse_id: int, clock: FakeClock, patient_id: int
) -> None:
    with UnitOfWork(factory, nurse_id=nurse_id, clock=clock) as work:
        work.weights.add(
            WeightMeasurement(patient_id=patient_id, weight_kg=Decimal("71"), measured_at=clock())
        )
        work.commit()


def _poll_until(feed: object, timeout: float = 2.0) -> list[ChangeNotice]:
    """Poll like the screen's timer until something arrives (PostgreSQL delivers over the
    network) or ``timeout`` seconds pass."""
    deadline = time.monotonic() + timeout
    while True:
        notices: list[ChangeNotice] = feed.poll()  # type: ignore[attr-defined]
        if notices or time.monotonic() > deadline:
            return notices
        time.sleep(0.02)


# --- SQLite -----------------------------------------------------------------------------------


@pytest.fixture
def other_workstation(db_url: str) -> Iterator[sessionmaker[Session]]:
    """A second engine on the same file: another workstation's program."""
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def feed(engine: Engine, nurse_id: int, second_nurse_id: int) -> Iterator[object]:
    """The feed of this workstation, opened once both nurse accounts exist."""
    opened = open_change_feed(engine)
    yield opened
    opened.close()


def test_a_commit_on_another_workstation_is_seen_with_its_table_nurse_and_time(
    feed, other_workstation, nurse_id: int, clock: FakeClock
) -> None:
    assert feed.poll() == []
    _add_patient(other_workstation, nurse_id, clock)
    assert feed.poll() == [ChangeNotice(frozenset({"patients"}), nurse_id, clock())]
    assert feed.poll() == []  # reported once


def test_what_is_rolled_back_is_not_reported(
    feed, other_workstation, nurse_id: int, clock: FakeClock
) -> None:
    with UnitOfWork(other_workstation, nurse_id=nurse_id, clock=clock) as work:
        work.patients.add(
            Patient(
                mrn="MRN009",
                family_name="Nowak",
                given_names="Ewa",
                date_of_birth=date(1990, 1, 1),
                sex=Sex.FEMALE,
            )
        )
        work.flush()  # written, then rolled back when the block ends without commit
    assert feed.poll() == []


def test_two_nurses_changes_in_a_row_are_told_apart_in_order(
    feed, other_workstation, session_factory, nurse_id: int, second_nurse_id: int, clock: FakeClock
) -> None:
    patient = _add_patient(other_workstation, nurse_id, clock)
    clock.advance(minutes=5)
    _weigh(session_factory, second_nurse_id, clock, patient)
    assert [(n.tables, n.nurse_id) for n in feed.poll()] == [
        (frozenset({"patients"}), nurse_id),
        (frozenset({"weight_measurements"}), second_nurse_id),
    ]


def test_a_change_too_large_to_list_is_one_notice_of_unknown_tables(
    feed, other_workstation, nurse_id: int, clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(change_feed, "MAX_AUDIT_ROWS", 2)
    for mrn in ("MRN001", "MRN002", "MRN003"):  # three audit rows
        _add_patient(other_workstation, nurse_id, clock, mrn=mrn)
    assert feed.poll() == [ChangeNotice(frozenset(), nurse_id, clock())]
    _add_patient(other_workstation, nurse_id, clock, mrn="MRN004")
    assert [n.tables for n in feed.poll()] == [frozenset({"patients"})]  # back to listing


def test_a_commit_that_wrote_no_audited_record_is_not_reported(
    feed, other_workstation, nurse_id: int, clock: FakeClock
) -> None:
    with other_workstation() as session, session.begin():
        # a write outside the audited ORM, like the access log's
        session.execute(text("UPDATE nurses SET display_name = display_name || '.'"))
    assert feed.poll() == []
    _add_patient(other_workstation, nurse_id, clock)
    assert [n.tables for n in feed.poll()] == [frozenset({"patients"})]


def test_the_feed_only_reads_the_file(
    engine: Engine, feed, other_workstation, nurse_id: int, clock: FakeClock
) -> None:
    _add_patient(other_workstation, nurse_id, clock)
    feed.poll()
    with engine.connect() as connection:  # the feed's connection never holds the write lock
        connection.execute(text("BEGIN IMMEDIATE"))
        connection.execute(text("ROLLBACK"))


def test_a_poll_with_nothing_new_is_cheap(feed) -> None:
    started = time.perf_counter()
    for _ in range(1000):
        feed.poll()
    assert time.perf_counter() - started < 1.0  # the GUI polls once a second


def test_an_in_memory_database_has_no_other_writer() -> None:
    engine = make_engine("sqlite://")
    assert isinstance(open_change_feed(engine), QuietFeed)
    engine.dispose()


def test_a_payload_that_cannot_be_read_is_a_change_of_unknown_tables() -> None:
    assert notice_from_payload("not json") == ChangeNotice(frozenset())
    assert notice_from_payload('{"tables": ["visits"], "nurse": "x"}') == ChangeNotice(
        frozenset({"visits"})
    )


# --- PostgreSQL -------------------------------------------------------------------------------


@pytest.fixture
def pg_engines() -> Iterator[tuple[Engine, Engine]]:
    """Two engines (two workstations) on the wiped, migrated scratch database."""
    url = normalise_database_url(PG_URL)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    ensure_database(url)
    other = make_engine(url)
    yield engine, other
    other.dispose()
    engine.dispose()


def _pg_nurse(factory: sessionmaker[Session]) -> int:
    with UnitOfWork(factory, nurse_id=None) as work:
        nurse = work.nurses.add(Nurse(username="bmeier", display_name="Beat Meier"))
        nurse.set_password("correct horse battery")
        work.commit()
        return nurse.id


@pytest.fixture
def pg_feed(pg_engines: tuple[Engine, Engine]) -> Iterator[object]:
    opened = open_change_feed(pg_engines[0])
    yield opened
    opened.close()


@needs_postgres
def test_postgres_sends_the_notice_with_the_commit(pg_engines, pg_feed, clock: FakeClock) -> None:
    other = make_session_factory(pg_engines[1])
    nurse = _pg_nurse(other)
    assert _poll_until(pg_feed)[0].tables == frozenset({"nurses"})
    _add_patient(other, nurse, clock)
    assert _poll_until(pg_feed) == [
        ChangeNotice(frozenset({"patients"}), nurse, clock(), workstation_token(pg_engines[1]))
    ]


@needs_postgres
def test_postgres_sends_nothing_for_a_rolled_back_change(
    pg_engines, pg_feed, clock: FakeClock
) -> None:
    other = make_session_factory(pg_engines[1])
    nurse = _pg_nurse(other)
    _poll_until(pg_feed)
    with UnitOfWork(other, nurse_id=nurse, clock=clock) as work:
        work.patients.add(
            Patient(
                mrn="MRN009",
                family_name="Nowak",
                given_names="Ewa",
                date_of_birth=date(1990, 1, 1),
                sex=Sex.FEMALE,
            )
        )
        work.flush()
    assert _poll_until(pg_feed, timeout=0.5) == []


@needs_postgres
def test_postgres_feed_opens_its_connection_again_after_losing_it(
    pg_engines, pg_feed, clock: FakeClock
) -> None:
    with pg_engines[1].begin() as connection:
        connection.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE query LIKE 'LISTEN%' AND datname = current_database()"
            )
        )
    # the loss is noticed at a poll, the next one connects again and says that something
    # may have changed meanwhile
    assert _poll_until(pg_feed) == [ChangeNotice(frozenset())]
    _pg_nurse(make_session_factory(pg_engines[1]))
    assert _poll_until(pg_feed)[0].tables == frozenset({"nurses"})  # and listening again
