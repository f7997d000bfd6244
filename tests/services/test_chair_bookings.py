"""Chairs that cannot be double-booked (issue 14): the overlap rule, the clear refusal, the
opening hours, chair management, and two workstations booking one slot at the same moment.

The property test and the race run on SQLite and, when ``CLINIC_APP_TEST_PG_URL`` names a
scratch database (wiped before each test, see tests/storage/README.md), on PostgreSQL.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from clinic_testing import copy_database
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text
from sqlalchemy.orm import Session, sessionmaker
from visit_fixtures import book_first_dose

from clinic_app.config import normalise_database_url, sqlite_url_for
from clinic_app.domain.chair_time import chair_minutes, chair_visit
from clinic_app.domain.errors import InvalidInput
from clinic_app.services import catalogue
from clinic_app.services.chairs import add_chair, list_chairs, rename_chair, set_chair_active
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import book_appointment, get_course
from clinic_app.services.errors import ChairTaken, OverrideRequired
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.storage import ensure_database, make_engine, verify_audit
from clinic_app.storage.models import Appointment, AppointmentStatus, TreatmentCourse

PG_URL = os.environ.get("CLINIC_APP_TEST_PG_URL", "")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="CLINIC_APP_TEST_PG_URL is not set"),
    ),
]
REASON = "Test booking: prescriber agreed"


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, db_path: Path, migrated_template: Path) -> str:
    """The shared database of both workstations (replaces the services' SQLite-only one)."""
    if request.param == "postgresql":
        url = normalise_database_url(PG_URL)
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = sqlite_url_for(copy_database(migrated_template, db_path.parent))
    ensure_database(url)
    return url


def _live_visits(factory: sessionmaker[Session], ctx: ServiceContext) -> dict[str, list]:
    """Every live booking's chair visit, per chair, from the rows themselves."""
    found: dict[str, list] = {}
    with factory() as session:
        rows = session.execute(
            select(Appointment, TreatmentCourse)
            .join(TreatmentCourse, TreatmentCourse.id == Appointment.course_id)
            .where(Appointment.status == AppointmentStatus.BOOKED, Appointment.voided_at.is_(None))
        ).all()
        for appointment, course in rows:
            minutes = chair_minutes(
                catalogue.protocol(course.protocol_id),
                appointment.dose_number,
                preparation_minutes=(ctx.settings.chairs.preparation_minutes),
            )
            found.setdefault(appointment.chair, []).append(
                chair_visit(appointment.starts_at, minutes, appointment.id)
            )
    return found


def _no_overlaps(visits: dict[str, list]) -> bool:
    return all(
        not a.overlaps(b)
        for chair in visits.values()
        for i, a in enumerate(chair)
        for b in chair[i + 1 :]
    )


def _appointments(
    ctx: ServiceContext, patients: list[PatientSummary], first_chair: int = 1
) -> list[int]:
    """Doses 1 and 2 of an infliximab (or vedolizumab) course per patient (dose 1 booked on
    2026-03-02 at 10:00, one chair each from ``first_chair``)."""
    ids: list[int] = []
    for n, patient in enumerate(patients):
        booking = book_first_dose(
            ctx,
            patient.id,
            chair=f"Chair {first_chair + n}",
            protocol=("infliximab", "vedolizumab")[n % 2],
        )
        ids += booking.appointment_ids[:2]
    return ids


BOOKINGS = st.lists(
    st.tuples(
        st.integers(0, 5),
        st.integers(1, 3),
        st.integers(7, 17),
        st.sampled_from((0, 30)),
        st.integers(1, 2),
    ),
    min_size=1,
    max_size=8,
)


def test_random_bookings_and_reschedules_never_overlap_in_a_chair(
    ctx: ServiceContext,
    make_patient: Callable[..., PatientSummary],
    session_factory: sessionmaker[Session],
) -> None:
    patients = [make_patient(mrn=f"CHAIR{n}", family_name="Chair" + "abc"[n]) for n in range(3)]
    ids = _appointments(ctx, patients)

    @settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(BOOKINGS)
    def bookings_keep_chairs_apart(moves: list[tuple[int, int, int, int, int]]) -> None:
        for index, day, hour, minute, chair in moves:
            try:
                book_appointment(
                    ctx,
                    appointment_id=ids[index],
                    day=f"2026-03-0{2 + day}",
                    time=f"{hour:02d}:{minute:02d}",
                    chair=f"Chair {chair}",
                    override_reason=REASON,
                )
            except ChairTaken as refused:
                assert f"Chair {chair} is taken from " in str(refused)
        assert _no_overlaps(_live_visits(session_factory, ctx))

    bookings_keep_chairs_apart()


def test_an_overlapping_booking_is_refused_naming_the_other_booking_time_not_its_patient(
    ctx: ServiceContext, make_patient: Callable[..., PatientSummary]
) -> None:
    first = make_patient(mrn="MRN001", family_name="Earlier")
    second = make_patient(mrn="MRN002", family_name="Later")
    book_first_dose(ctx, first.id, time="09:00", chair="Chair 2")  # infliximab: 09:00-13:30
    with pytest.raises(ChairTaken) as refused:
        book_first_dose(ctx, second.id, time="11:00", chair="Chair 2")
    assert str(refused.value) == (
        "Chair 2 is taken from 09:00 to 13:30 by another booking; this visit would hold it "
        "from 11:00 to 15:30. Choose another time or chair."
    )
    assert "Earlier" not in str(refused.value)
    (dose1, *_rest) = get_course(ctx, course_id=_course_of(ctx, second.id)).appointments
    assert dose1.status == "planned"  # nothing half-saved
    book_appointment(
        ctx,
        appointment_id=dose1.id,
        day="2026-03-02",
        time="13:30",
        chair="Chair 2",
        override_reason=REASON,
    )  # back to back is fine


def _course_of(ctx: ServiceContext, patient_id: int) -> int:
    with ctx.read_only() as uow:
        return uow.courses.list_by(patient_id=patient_id)[0].id


def test_a_visit_running_past_closing_needs_a_reason_kept_in_the_audit_trail(
    ctx: ServiceContext, patient: PatientSummary, session_factory: sessionmaker[Session]
) -> None:
    with pytest.raises(OverrideRequired) as asked:
        book_first_dose(ctx, patient.id, time="13:00")  # infliximab dose 1 ends 17:30
    assert "OUTSIDE_HOURS" in asked.value.codes
    assert "The visit runs 13:00-17:30, outside the clinic's hours on Mondays (08:00-16:00)" in str(
        asked.value
    )
    book_appointment(
        ctx,
        appointment_id=_dose1(ctx, patient.id),
        day="2026-03-02",
        time="13:00",
        chair="Chair 3",
        override_reason="Works mornings",
    )
    with session_factory() as session:
        changes = session.execute(
            text(
                "SELECT changes FROM audit_log WHERE table_name = 'appointments' "
                "ORDER BY id DESC LIMIT 1"
            )
        ).scalar_one()
    assert "Works mornings" in str(changes) and "OUTSIDE_HOURS" in str(changes)


def _dose1(ctx: ServiceContext, patient_id: int) -> int:
    return get_course(ctx, course_id=_course_of(ctx, patient_id)).appointments[0].id


def test_a_chair_must_be_one_of_the_clinic_s_active_chairs(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    dose = book_first_dose(ctx, patient.id).appointment_ids[1]

    def book(chair: str) -> object:
        return book_appointment(
            ctx,
            appointment_id=dose,
            day="2026-03-04",
            time="09:00",
            chair=chair,
            override_reason=REASON,
        )

    with pytest.raises(InvalidInput, match="Chair 'Window seat' is not one of the clinic's"):
        book("Window seat")
    chair = next(c for c in list_chairs(ctx) if c.name == "Chair 8")
    set_chair_active(ctx, chair_id=chair.id, active=False)
    assert "Chair 8" not in [c.name for c in list_chairs(ctx)]
    assert "Chair 8" in [c.name for c in list_chairs(ctx, include_inactive=True)]
    with pytest.raises(InvalidInput, match="Chair 'Chair 8' is not active"):
        book("Chair 8")


def test_chairs_are_added_and_renamed_with_their_bookings_and_audited(
    ctx: ServiceContext, patient: PatientSummary, session_factory: sessionmaker[Session]
) -> None:
    added = add_chair(ctx, name="Recliner 9", notes="recliner, near the crash cart")
    assert added.notes == "recliner, near the crash cart" and added.active
    with pytest.raises(InvalidInput, match="There is already a chair called 'Recliner 9'"):
        add_chair(ctx, name=" Recliner 9 ")
    booking = book_first_dose(ctx, patient.id, chair="Recliner 9")
    rename_chair(ctx, chair_id=added.id, name="Recliner A", expected_version=added.version)
    dose1 = get_course(ctx, course_id=booking.course_id).appointments[0]
    assert dose1.id == booking.appointment_id and dose1.chair == "Recliner A"
    with session_factory() as session:
        assert verify_audit(session).ok
        tables = set(
            session.scalars(
                text(
                    "SELECT table_name FROM audit_log "
                    "WHERE CAST(changes AS TEXT) LIKE '%Recliner A%'"
                )
            )
        )
    assert tables == {"chairs", "appointments"}


def test_two_workstations_booking_one_chair_at_the_same_moment_one_wins(
    ctx: ServiceContext,
    second_ctx: ServiceContext,
    make_patient: Callable[..., PatientSummary],
    session_factory: sessionmaker[Session],
) -> None:
    for attempt in range(4):
        patients = [
            make_patient(mrn=f"RACE{attempt}{n}", family_name="Race" + "abcdefgh"[2 * attempt + n])
            for n in range(2)
        ]
        doses = _appointments(ctx, patients, first_chair=1 + 2 * attempt)[1::2]  # doses 2
        # Dose 2 is due two weeks after dose 1: no reason needed (a nurse may book it).
        day = (datetime(2026, 3, 16, tzinfo=UTC) + timedelta(days=attempt)).date().isoformat()
        outcomes = _race(
            [
                lambda station=station, dose=dose, day=day: book_appointment(
                    station,
                    appointment_id=dose,
                    day=day,
                    time="09:00",
                    chair="Chair 7",
                    acknowledged=("OUTSIDE_WINDOW",),
                )
                for station, dose in ((ctx, doses[0]), (second_ctx, doses[1]))
            ]
        )
        refusals = [o for o in outcomes if isinstance(o, Exception)]
        assert len(refusals) == 1, outcomes
        assert isinstance(refusals[0], ChairTaken), refusals
        assert str(refusals[0]).startswith("Chair 7 is taken from 09:00 to ")
    assert _no_overlaps(_live_visits(session_factory, ctx))


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
