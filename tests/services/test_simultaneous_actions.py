"""Two workstations doing the same thing at the same moment: the database keeps one of it.

A service checks before it inserts (no visit open yet, no account yet, the user name free, no
running course of the drug, no interval change from that dose, no appointment for that dose);
between the check and the insert another workstation can do the same. Unique indexes hold the
rule where the check cannot, and the loser gets the message the check would have given.

Each test runs on SQLite and, when ``CLINIC_APP_TEST_PG_URL`` names a scratch database (wiped
before each test, see tests/storage/README.md), on PostgreSQL. The race is forced either
deterministically (the other workstation acts between this one's check and its insert) or by
two threads on their own engines released together.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import date
from functools import partial
from pathlib import Path

import pytest
from clinic_testing import copy_database
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker
from visit_fixtures import book_first_dose, infuse

from clinic_app.config import normalise_database_url, sqlite_url_for
from clinic_app.domain.errors import InvalidInput
from clinic_app.services.accounts import _auth, create_nurse, list_nurses, set_role
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import (
    _courses,
    change_interval,
    get_course,
    start_course,
    sync_appointments,
)
from clinic_app.services.errors import ActionNotAllowed, NotSignedIn
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import open_visit
from clinic_app.storage import (
    ConcurrentEditError,
    UnitOfWork,
    ensure_database,
    make_engine,
    make_session_factory,
    verify_audit,
)
from clinic_app.storage.models import InfusionVisit, TreatmentCourse, VisitStatus
from clinic_app.storage.repositories import (
    AppointmentRepository,
    NurseRepository,
    VisitRepository,
)

PG_URL = os.environ.get("CLINIC_APP_TEST_PG_URL", "")
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.skipif(
    not PG_URL, reason="CLINIC_APP_TEST_PG_URL is not set"))]
Counts = Callable[[], dict[str, int]]


def _scratch_postgres() -> str:
    """The PostgreSQL scratch database, wiped and migrated to head."""
    url = normalise_database_url(PG_URL)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, db_path: Path, migrated_template: Path) -> str:
    """The shared database of both workstations (replaces the services' SQLite-only one)."""
    if request.param == "postgresql":
        url = _scratch_postgres()
    else:
        url = sqlite_url_for(copy_database(migrated_template, db_path.parent))
    ensure_database(url)
    return url


def _open_visits(factory: sessionmaker[Session], appointment_id: int) -> list[InfusionVisit]:
    with factory() as session:
        return list(session.scalars(select(InfusionVisit).where(
            InfusionVisit.appointment_id == appointment_id, InfusionVisit.voided_at.is_(None),
            InfusionVisit.status != VisitStatus.CANCELLED)))


def _audit_verifies(factory: sessionmaker[Session]) -> bool:
    with factory() as session:
        return verify_audit(session).ok


# --- two visits for one appointment ---------------------------------------------------------


def test_a_second_workstation_opening_the_visit_a_moment_later_is_told_who_opened_it(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary,
        session_factory: sessionmaker[Session], clock, monkeypatch: pytest.MonkeyPatch,
        table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    clock.advance(minutes=12)  # 09:42 in Warsaw
    check = VisitRepository.open_for_appointment

    def beat_opens_it_between_the_check_and_the_insert(self: VisitRepository,
                                                        appointment_id: int) -> object:
        found = check(self, appointment_id)
        monkeypatch.setattr(VisitRepository, "open_for_appointment", check)
        open_visit(second_ctx, appointment_id=appointment_id, weight="71")
        return found

    monkeypatch.setattr(VisitRepository, "open_for_appointment",
                        beat_opens_it_between_the_check_and_the_insert)
    before = table_counts()
    with pytest.raises(ActionNotAllowed) as refused:
        open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    assert str(refused.value) == "Beat Meier opened this visit at 09:42; open it from Today."
    (visit,) = _open_visits(session_factory, booking.appointment_id)
    assert visit.weight_kg_used == 71
    after = table_counts()
    written = {name: after[name] - before[name] for name in after if after[name] != before[name]}
    assert set(written) == {"weight_measurements", "infusion_visits", "checklist_entries",
                            "audit_log"}
    assert (written["weight_measurements"], written["infusion_visits"],
            written["checklist_entries"]) == (1, 1, 1)  # Beat's opening, nothing of Anna's
    assert _audit_verifies(session_factory)


def test_opening_a_visit_already_open_names_who_opened_it_and_when(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary,
        clock) -> None:
    booking = book_first_dose(ctx, patient.id)
    open_visit(second_ctx, appointment_id=booking.appointment_id, weight="71")
    clock.advance(minutes=5)
    with pytest.raises(ActionNotAllowed,
                       match=r"^Beat Meier opened this visit at 09:30; open it from Today\.$"):
        open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")


def _race(actions: list[Callable[[], object]]) -> list[object]:
    """Run the actions in threads released together; each one's result or exception."""
    barrier = threading.Barrier(len(actions))
    outcomes: list[object] = [None] * len(actions)

    def run(index: int) -> None:
        barrier.wait()
        try:
            outcomes[index] = actions[index]()
        except Exception as exc:  # handed to the test
            outcomes[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(actions))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_two_workstations_opening_one_appointment_at_the_same_moment_make_one_visit(
        ctx: ServiceContext, second_ctx: ServiceContext,
        make_patient: Callable[..., PatientSummary],
        session_factory: sessionmaker[Session], table_counts: Counts) -> None:
    for attempt in range(5):
        patient = make_patient(mrn=f"RACE{attempt}", family_name="Race" + "abcde"[attempt])
        booking = book_first_dose(ctx, patient.id, chair=f"Chair {attempt + 1}")
        outcomes = _race([
            partial(open_visit, station, appointment_id=booking.appointment_id, weight=weight)
            for station, weight in ((ctx, "72.5"), (second_ctx, "71"))])
        refusals = [o for o in outcomes if isinstance(o, Exception)]
        assert len(refusals) == 1, [type(o).__name__ for o in outcomes]
        assert isinstance(refusals[0], ActionNotAllowed), refusals
        assert "opened this visit at 09:30; open it from Today" in str(refusals[0])
        assert len(_open_visits(session_factory, booking.appointment_id)) == 1
    assert table_counts()["weight_measurements"] == 5  # the losers' weights did not stay
    assert _audit_verifies(session_factory)


# --- the first account, and one user name twice -----------------------------------------------


@pytest.fixture
def other_blank_ctx(db_url: str, blank_ctx: ServiceContext) -> Iterator[ServiceContext]:
    """A second workstation on the same database (its own engine), nobody signed in."""
    engine = make_engine(db_url)
    yield replace(blank_ctx, session_factory=make_session_factory(engine))
    engine.dispose()


def _account(ctx: ServiceContext, username: str, name: str) -> object:
    return create_nurse(ctx, username=username, display_name=name,
                        secret="correct horse battery")


def test_two_first_accounts_at_once_make_one_administrator_and_the_second_must_sign_in(
        blank_ctx: ServiceContext, other_blank_ctx: ServiceContext,
        monkeypatch: pytest.MonkeyPatch, table_counts: Counts) -> None:
    check = _auth._any_nurse

    def beat_creates_the_first_account_in_between(uow: object) -> bool:
        found = check(uow)  # type: ignore[arg-type]
        monkeypatch.setattr(_auth, "_any_nurse", check)
        _account(other_blank_ctx, "bmeier", "Beat Meier")
        return found

    monkeypatch.setattr(_auth, "_any_nurse", beat_creates_the_first_account_in_between)
    with pytest.raises(NotSignedIn) as refused:
        _account(blank_ctx, "akeller", "Anna Keller")
    assert str(refused.value) == (
        "The first account (Beat Meier, the administrator) was created on another workstation "
        "a moment ago: sign in to create another nurse account.")
    (nurse,) = list_nurses(blank_ctx)
    assert (nurse.username, nurse.is_admin) == ("bmeier", True)
    assert table_counts()["audit_log"] == 1


def test_first_accounts_created_at_the_same_moment_leave_one_account(
        db_url: str, blank_ctx: ServiceContext, other_blank_ctx: ServiceContext) -> None:
    outcomes = _race([partial(_account, blank_ctx, "akeller", "Anna Keller"),
                      partial(_account, other_blank_ctx, "bmeier", "Beat Meier")])
    refusals = [o for o in outcomes if isinstance(o, Exception)]
    assert len(refusals) == 1, [type(o).__name__ for o in outcomes]
    assert isinstance(refusals[0], NotSignedIn), refusals
    assert [n.is_admin for n in list_nurses(blank_ctx)] == [True]


def test_one_user_name_saved_on_two_workstations_at_once_is_a_field_error_for_the_second(
        ctx: ServiceContext, second_ctx: ServiceContext, monkeypatch: pytest.MonkeyPatch,
        table_counts: Counts) -> None:
    set_role(ctx, nurse_id=second_ctx.nurse_id, role="administrator")  # both may add accounts
    check = NurseRepository.get_by_username

    def beat_takes_the_name_in_between(self: NurseRepository, username: str) -> object:
        found = check(self, username)
        monkeypatch.setattr(NurseRepository, "get_by_username", check)
        _account(second_ctx, "cnowak", "Celina Nowak")
        return found

    monkeypatch.setattr(NurseRepository, "get_by_username", beat_takes_the_name_in_between)
    before = table_counts()
    with pytest.raises(InvalidInput, match=r"^User name 'cnowak' is already taken\.$") as taken:
        _account(ctx, "CNowak", "Cyryl Nowak")
    assert taken.value.field == "username"
    assert table_counts()["nurses"] == before["nurses"] + 1
    assert [n.display_name for n in list_nurses(ctx) if n.username == "cnowak"] == [
        "Celina Nowak"]


# --- courses: one running course of a drug, one interval change per dose, one appointment ---

MONDAY = "2026-03-09"


def _start_infliximab(ctx: ServiceContext, patient_id: int) -> object:
    return start_course(ctx, patient_id=patient_id, protocol_id="infliximab",
                        indication_id="crohns", mg_per_kg="5", prescriber="Dr Ewa Nowak",
                        first_dose=MONDAY)


def test_the_same_course_started_on_two_workstations_at_once_is_started_once(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary,
        session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch,
        table_counts: Counts) -> None:
    check = _courses._refuse_second_course

    def beat_starts_it_in_between(uow: UnitOfWork, patient_id: int, protocol: object) -> None:
        check(uow, patient_id, protocol)  # type: ignore[arg-type]
        monkeypatch.setattr(_courses, "_refuse_second_course", check)
        _start_infliximab(second_ctx, patient_id)

    monkeypatch.setattr(_courses, "_refuse_second_course", beat_starts_it_in_between)
    with pytest.raises(ActionNotAllowed, match=r"^This patient already has a Infliximab course "
                                               r"\(started 9 Mar 2026\); stop it before"):
        _start_infliximab(ctx, patient.id)
    with session_factory() as session:
        assert len(session.scalars(select(TreatmentCourse)).all()) == 1
    assert table_counts()["appointments"] == 8  # one year of doses, planned once


def test_an_interval_change_from_the_same_dose_saved_at_once_is_a_conflict_for_the_second(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary,
        monkeypatch: pytest.MonkeyPatch) -> None:
    course = _start_infliximab(ctx, patient.id)
    check = _courses.interval_changes

    def beat_changes_it_in_between(uow: UnitOfWork, course_id: int) -> object:
        found = check(uow, course_id)
        monkeypatch.setattr(_courses, "interval_changes", check)
        change_interval(second_ctx, course_id=course_id, from_dose=4, weeks=6,
                        reason="Loss of response")
        return found

    monkeypatch.setattr(_courses, "interval_changes", beat_changes_it_in_between)
    with pytest.raises(ConcurrentEditError, match=r"^This interval change was changed by Beat "
                                                  r"Meier at 09:30 on 2 Mar 2026"):
        change_interval(ctx, course_id=course.id, from_dose=4, weeks=4,  # type: ignore[attr-defined]
                        reason="Remission")
    detail = get_course(ctx, course_id=course.id)  # type: ignore[attr-defined]
    assert [(c.from_dose, c.weeks) for c in detail.interval_changes] == [(4, 6)]


def _replan(ctx: ServiceContext, course_id: int, as_of: date) -> None:
    """Re-plan the course as end_infusion, hold_dose and change_interval do."""
    with ctx.unit_of_work() as uow:
        sync_appointments(ctx, uow, uow.courses.get(course_id), as_of=as_of)
        uow.commit()


def test_a_dose_planned_by_two_workstations_at_once_gets_one_appointment(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary, clock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    booking = book_first_dose(ctx, patient.id)
    infuse(ctx, clock, booking.appointment_id)  # dose 1 given today, 2026-03-02
    later = date(2026, 3, 16)  # the one-year horizon now reaches dose 9; no due date moves
    add = AppointmentRepository.add

    def beat_plans_it_before_the_insert(self: AppointmentRepository, row: object) -> object:
        monkeypatch.setattr(AppointmentRepository, "add", add)
        _replan(second_ctx, booking.course_id, later)
        return add(self, row)  # type: ignore[arg-type]

    monkeypatch.setattr(AppointmentRepository, "add", beat_plans_it_before_the_insert)
    with pytest.raises(ConcurrentEditError, match=r"^This appointment was changed by Beat Meier"):
        _replan(ctx, booking.course_id, later)
    numbers = [a.dose_number for a in get_course(ctx, course_id=booking.course_id).appointments]
    assert numbers == list(range(1, 10))
