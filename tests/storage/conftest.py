"""Fixtures for the store: a migrated SQLite file in tmp_path, sessions, a nurse, patients."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from clinic_testing import FakeClock
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.config import sqlite_url_for
from clinic_app.storage import (
    UnitOfWork,
    ensure_database,
    make_engine,
    make_session_factory,
)
from clinic_app.storage.models import Nurse, Patient, Sex


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "clinic.sqlite3"


@pytest.fixture
def db_url(db_path: Path) -> str:
    url = sqlite_url_for(db_path)
    ensure_database(url)
    return url


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def add_nurse(factory: sessionmaker[Session], username: str, display_name: str) -> int:
    with UnitOfWork(factory, nurse_id=None) as uow:
        nurse = Nurse(username=username, display_name=display_name)
        nurse.set_password("correct horse battery")
        uow.nurses.add(nurse)
        uow.commit()
        return nurse.id


@pytest.fixture
def nurse_id(session_factory: sessionmaker[Session]) -> int:
    return add_nurse(session_factory, "akeller", "Anna Keller")


@pytest.fixture
def uow(
    session_factory: sessionmaker[Session], nurse_id: int, clock: FakeClock
) -> Callable[[], UnitOfWork]:
    """A factory of units of work signed by the fixture nurse, on the fake clock."""
    return lambda: UnitOfWork(session_factory, nurse_id=nurse_id, clock=clock)


def new_patient(mrn: str = "MRN001", family: str = "García", given: str = "José",
                born: date = date(1980, 2, 29)) -> Patient:
    return Patient(mrn=mrn, family_name=family, given_names=given, date_of_birth=born,
                   sex=Sex.MALE)


@pytest.fixture
def make_patient() -> Callable[..., Patient]:
    """Builds an unsaved patient (José García, MRN001, unless told otherwise)."""
    return new_patient


@pytest.fixture
def patient_id(uow: Callable[[], UnitOfWork]) -> int:
    with uow() as work:
        patient = work.patients.add(new_patient())
        work.commit()
        return patient.id


@pytest.fixture
def second_nurse_id(session_factory: sessionmaker[Session]) -> int:
    return add_nurse(session_factory, "bmeier", "Beat Meier")
