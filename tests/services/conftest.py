"""Fixtures for the services: a migrated SQLite file in tmp_path, a fake clock, a signed-in nurse.

- ``clock``: a :class:`FakeClock` at Monday 2026-03-02 08:30 UTC (09:30 in Warsaw); tests move
  it with ``clock.advance(minutes=...)`` / ``clock.set(when)``.
- ``blank_ctx``: a context over the database with no nurse account and nobody signed in.
- ``ctx``: the same context signed in as the first nurse (``first_nurse``: Anna Keller).
- ``second_ctx``: a second workstation (its own engine on the same file) signed in as Beat Meier.
- ``fresh_ctx()``: a context manager giving a new database per call (Hypothesis examples).
- ``make_patient(**form_fields)``: registers a patient through the service (José García, MRN001,
  born 1980-02-29 unless told otherwise) and returns its ``PatientSummary``; ``patient`` is one.
- ``table_counts()``: rows per table (audit_log included), to show that nothing was written.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from clinic_testing import (
    CLINIC_NAME,
    CLINIC_PHONE,
    WARSAW,
    FakeClock,
    copy_database,
    open_context,
    patient_form,
)
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.config import sqlite_url_for
from clinic_app.domain.permissions import Role
from clinic_app.domain.settings import ClinicSettings, load_settings
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients import register_patient
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.storage import (
    UnitOfWork,
    ensure_database,
    make_engine,
    make_session_factory,
)
from clinic_app.storage.models import Base, Nurse


@dataclass(frozen=True)
class NurseLogin:
    """A nurse account made by the fixtures, with its secrets in clear for sign-in tests."""

    id: int
    username: str
    display_name: str
    password: str
    pin: str


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def tz() -> ZoneInfo:
    return WARSAW


@pytest.fixture
def settings() -> ClinicSettings:
    return load_settings()


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "clinic.sqlite3"


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One database migrated to head per test session; each test gets a copy of it."""
    path = tmp_path_factory.mktemp("template") / "clinic.sqlite3"
    ensure_database(sqlite_url_for(path))
    return path


@pytest.fixture
def db_url(db_path: Path, migrated_template: Path) -> str:
    url = sqlite_url_for(copy_database(migrated_template, db_path.parent))
    ensure_database(url)  # already at head: only checks the revision
    return url


def _engine(url: str) -> Iterator[Engine]:
    engine = make_engine(url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    yield from _engine(db_url)


@pytest.fixture
def session_factory(engine: Engine) -> sessionmaker[Session]:
    return make_session_factory(engine)


@pytest.fixture
def blank_ctx(
    session_factory: sessionmaker[Session], settings: ClinicSettings, tz: ZoneInfo,
    clock: FakeClock,
) -> ServiceContext:
    """No nurse account yet, nobody signed in."""
    return ServiceContext(session_factory=session_factory, settings=settings, tz=tz, clock=clock,
                          clinic_name=CLINIC_NAME, clinic_phone=CLINIC_PHONE)


def add_nurse(factory: sessionmaker[Session], clock: FakeClock, username: str,
              display_name: str, role: Role = Role.NURSE) -> NurseLogin:
    password, pin = "correct horse battery", "2468"
    with UnitOfWork(factory, nurse_id=None, clock=clock) as uow:
        nurse = Nurse(username=username, display_name=display_name, role=role)
        nurse.set_password(password)
        nurse.set_pin(pin)
        uow.nurses.add(nurse)
        uow.commit()
        return NurseLogin(nurse.id, username, display_name, password, pin)


@pytest.fixture
def first_nurse(session_factory: sessionmaker[Session], clock: FakeClock) -> NurseLogin:
    """The clinic's first account, so its administrator (as the service makes it)."""
    return add_nurse(session_factory, clock, "akeller", "Anna Keller", Role.ADMINISTRATOR)


@pytest.fixture
def nurse_id(first_nurse: NurseLogin) -> int:
    return first_nurse.id


@pytest.fixture
def ctx(blank_ctx: ServiceContext, first_nurse: NurseLogin) -> ServiceContext:
    """Workstation A, signed in as Anna Keller."""
    return blank_ctx.as_nurse(first_nurse.id)


@pytest.fixture
def second_nurse(session_factory: sessionmaker[Session], clock: FakeClock) -> NurseLogin:
    return add_nurse(session_factory, clock, "bmeier", "Beat Meier")


@pytest.fixture
def second_ctx(
    db_url: str, ctx: ServiceContext, second_nurse: NurseLogin
) -> Iterator[ServiceContext]:
    """Workstation B: its own engine on the same file, signed in as Beat Meier."""
    for engine in _engine(db_url):
        factory = make_session_factory(engine)
        yield ServiceContext(session_factory=factory, settings=ctx.settings, tz=ctx.tz,
                             clock=ctx.clock, nurse_id=second_nurse.id,
                             clinic_name=ctx.clinic_name, clinic_phone=ctx.clinic_phone)


@pytest.fixture
def fresh_ctx(
    migrated_template: Path, tmp_path: Path, settings: ClinicSettings, clock: FakeClock,
) -> Callable[[], AbstractContextManager[ServiceContext]]:
    """A new database for each call, signed in as Anna Keller: for Hypothesis examples that
    write, so no example sees another's data (``with fresh_ctx() as ctx: ...``)."""

    @contextmanager
    def fresh() -> Iterator[ServiceContext]:
        folder = Path(tempfile.mkdtemp(dir=tmp_path))
        ctx, engine = open_context(copy_database(migrated_template, folder), clock,
                                   settings=settings)
        try:
            nurse = add_nurse(ctx.session_factory, clock, "akeller", "Anna Keller",
                              Role.ADMINISTRATOR)
            yield ctx.as_nurse(nurse.id)
        finally:
            engine.dispose()
            shutil.rmtree(folder)

    return fresh


@pytest.fixture
def make_patient(ctx: ServiceContext) -> Callable[..., PatientSummary]:
    """Registers a patient (fields of PatientForm as keywords override the defaults)."""
    return lambda **fields: register_patient(ctx, form=patient_form(**fields))


@pytest.fixture
def patient(make_patient: Callable[..., PatientSummary]) -> PatientSummary:
    return make_patient()


@pytest.fixture
def table_counts(session_factory: sessionmaker[Session]) -> Callable[[], dict[str, int]]:
    """Rows in every table (audit_log included): compare before and after a refused action."""

    def count() -> dict[str, int]:
        with session_factory() as session:
            return {
                name: int(session.scalar(select(func.count()).select_from(table)) or 0)
                for name, table in Base.metadata.tables.items()
            }

    return count
