"""The clinic day's live states beyond the basics: the end of the infusion, late items with
their due times, doses not given, did-not-attend, and the queries it costs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import time

from sqlalchemy import event
from visit_fixtures import NORMAL_VITALS, book_first_dose, open_ready_visit

from clinic_app.services.clinic_day import clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import mark_did_not_attend
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import (
    end_infusion,
    hold_dose,
    open_visit,
    pause_infusion,
    record_vitals,
    resume_infusion,
    start_infusion,
)
from clinic_app.services.visits.dto import ClinicDayRow

MakePatient = Callable[..., PatientSummary]
DAY = "2026-03-02"


def only_row(ctx: ServiceContext, day: str = DAY) -> ClinicDayRow:
    (row,) = clinic_day(ctx, day=day)
    return row


def started(ctx: ServiceContext, patient: PatientSummary) -> int:
    """Infliximab dose 1 (72.5 kg: 120 min) started at 09:30 local; its visit id."""
    booking = book_first_dose(ctx, patient.id)
    return start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id).id


def test_a_running_infusion_shows_when_it_should_end(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    started(ctx, patient)
    row = only_row(ctx)
    assert row.status == "infusing"
    assert row.end_due_local == time(11, 30)
    assert row.end_due_at is not None and row.end_due_at.tzinfo is not None


def test_a_pause_moves_the_projected_end_and_while_paused_the_end_is_unknown(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = started(ctx, patient)
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    pause_infusion(ctx, visit_id=visit_id)
    clock.advance(minutes=20)  # type: ignore[attr-defined]
    paused = only_row(ctx)
    assert paused.paused and paused.end_due_local is None
    resume_infusion(ctx, visit_id=visit_id)
    assert only_row(ctx).end_due_local == time(11, 50)


def test_within_the_grace_period_after_the_projected_end_nothing_says_record_the_end(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    started(ctx, patient)
    clock.advance(minutes=123)  # type: ignore[attr-defined]  (11:33, grace 5 min)
    row = only_row(ctx)
    assert row.next_due is not None and "Record the end" not in row.next_due
    assert all("Record the end" not in item for item in row.overdue_items)


def test_once_the_end_vitals_are_taken_recording_the_end_is_next(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = started(ctx, patient)
    clock.advance(minutes=118)  # type: ignore[attr-defined]  (11:28)
    assert only_row(ctx).next_due == "Vitals: end of the infusion; 120 min into the infusion"
    record_vitals(ctx, visit_id=visit_id, item_key="vitals.end", **NORMAL_VITALS)
    row = only_row(ctx)
    assert (row.next_due, row.next_due_local) == ("Record the end of the infusion", time(11, 30))
    assert not any("Record the end" in item for item in row.overdue_items)


def test_past_the_projected_end_and_grace_the_end_of_the_infusion_is_due_and_overdue(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    started(ctx, patient)
    clock.advance(minutes=190)  # type: ignore[attr-defined]  (12:40)
    row = only_row(ctx)
    assert row.status == "infusing"
    assert row.next_due == "Record the end of the infusion"
    assert row.next_due_local == time(11, 30)
    assert row.overdue and row.overdue_items[0] == "11:30 Record the end of the infusion"


def test_observation_items_wait_until_the_end_of_the_infusion_is_recorded(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = started(ctx, patient)
    clock.advance(minutes=190)  # type: ignore[attr-defined]
    assert not any("after the end" in item or "Observation" in item
                   for item in only_row(ctx).overdue_items)
    end_infusion(ctx, visit_id=visit_id)
    ended = only_row(ctx)
    assert ended.status == "observation" and ended.end_due_local is None
    assert not any("Record the end" in item for item in ended.overdue_items)


def test_every_overdue_item_keeps_its_due_time(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    started(ctx, patient)
    clock.advance(minutes=25)  # type: ignore[attr-defined]  (09:55)
    row = only_row(ctx)
    assert "09:30 Vitals: 0 min into the infusion" in row.overdue_items
    assert "09:45 Vitals: 15 min into the infusion" in row.overdue_items


def test_a_late_arrival_names_the_booked_time(ctx: ServiceContext, patient: PatientSummary,
                                              clock: object) -> None:
    book_first_dose(ctx, patient.id, time="10:00")
    clock.advance(minutes=45)  # type: ignore[attr-defined]  (10:15 local)
    row = only_row(ctx)
    assert row.next_due == "Arrival: weigh and open the visit"
    assert row.next_due_local == time(10, 0)
    assert row.overdue_items == ("10:00 Arrival: not arrived yet",)


def test_a_dose_held_at_the_chair_shows_not_given_with_the_reason(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    hold_dose(ctx, visit_id=visit.id, reason="Temp 38.4 °C; Dr Nowak: postpone 1 week")
    row = only_row(ctx)
    assert row.status == "not_given"
    assert row.status_note == "Temp 38.4 °C; Dr Nowak: postpone 1 week"
    assert row.visit_id is None and row.next_due is None and not row.overdue
    assert not row.can_mark_did_not_attend


def test_only_a_booked_patient_not_arrived_on_or_after_the_booked_day_can_be_marked_absent(
        ctx: ServiceContext, make_patient: MakePatient, clock: object) -> None:
    waiting = book_first_dose(ctx, make_patient(mrn="MRN001", family_name="Waiting").id)
    book_first_dose(ctx, make_patient(mrn="MRN002", family_name="Tomorrow").id,
                    day="2026-03-03")
    arrived = book_first_dose(ctx, make_patient(mrn="MRN003", family_name="Arrived").id,
                              chair="Chair 4")
    open_visit(ctx, appointment_id=arrived.appointment_id, weight="70")
    today = {r.patient.family_name: r.can_mark_did_not_attend for r in clinic_day(ctx, day=DAY)}
    assert today == {"Waiting": True, "Arrived": False}
    assert not only_row(ctx, "2026-03-03").can_mark_did_not_attend
    clock.advance(days=1)  # type: ignore[attr-defined]  (the next day: yesterday's still open)
    assert {r.patient.family_name: r.can_mark_did_not_attend
            for r in clinic_day(ctx, day=DAY)} == {"Waiting": True, "Arrived": False}
    mark_did_not_attend(ctx, appointment_id=waiting.appointment_id)
    absent = [r for r in clinic_day(ctx, day=DAY) if r.patient.family_name == "Waiting"]
    assert absent[0].status == "did_not_attend" and not absent[0].can_mark_did_not_attend


@contextmanager
def counted_queries(ctx: ServiceContext) -> Iterator[list[str]]:
    statements: list[str] = []
    engine = ctx.session_factory.kw["bind"]

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_more_booked_appointments_cost_at_most_one_more_query_each(
        ctx: ServiceContext, make_patient: MakePatient) -> None:
    book_first_dose(ctx, make_patient(mrn="MRN001", family_name="First").id)
    with counted_queries(ctx) as one:
        clinic_day(ctx, day=DAY)
    for n in range(2, 6):
        book_first_dose(ctx, make_patient(mrn=f"MRN00{n}", family_name="Next" + "BCDE"[n - 2]).id,
                        time=f"1{n}:00", chair=f"Chair {n + 3}", reason="Works mornings")
    with counted_queries(ctx) as five:
        rows = clinic_day(ctx, day=DAY)
    assert len(rows) == 5
    assert len(five) - len(one) <= 4


def test_a_patient_still_in_the_pre_check_after_pre_check_overdue_minutes_is_overdue(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")  # arrived 09:30
    limit = ctx.settings.checklists.pre_check_overdue_minutes
    clock.advance(minutes=limit)  # type: ignore[attr-defined]
    row = only_row(ctx)
    assert row.status in ("arrived", "pre_check") and not row.overdue
    clock.advance(minutes=1)  # type: ignore[attr-defined]
    row = only_row(ctx)
    assert row.overdue
    assert row.overdue_items[0] == "09:30 Pre-infusion check: infusion not started yet"
