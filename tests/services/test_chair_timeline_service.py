"""The chair timeline of a clinic day (issue 14): each booking over the chair time the booking
rules give it, on the clinic's chairs, late ones marked."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta

from clinic_testing import WARSAW, FakeClock
from pypdf import PdfReader
from test_shortened_infusion import _shortening as shortening
from test_shortened_infusion import _three_tolerated as three_tolerated
from visit_fixtures import book, book_first_dose, open_ready_visit

from clinic_app.domain.chair_time import chair_minutes
from clinic_app.domain.chair_timeline import Stage, TimelineRow, timeline_summary
from clinic_app.services import catalogue, sheets
from clinic_app.services.clinic_day import chair_timeline, clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import mark_did_not_attend
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import open_visit, preview_dose, start_infusion

MakePatient = Callable[..., PatientSummary]
DAY = "2026-03-02"


def timeline(ctx: ServiceContext) -> tuple[TimelineRow, ...]:
    return chair_timeline(ctx, rows=clinic_day(ctx, day=DAY))


def infliximab_first_dose_minutes(ctx: ServiceContext) -> int:
    return chair_minutes(
        catalogue.protocol("infliximab"),
        1,
        preparation_minutes=ctx.settings.chairs.preparation_minutes,
    )


def test_a_booking_is_a_bar_over_its_chair_time_on_its_chair_row(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id, time="10:00", chair="Chair 3")
    rows = timeline(ctx)
    chairs = [r.chair for r in rows]
    assert "Chair 1" in chairs and "Chair 3" in chairs
    (bar,) = next(r for r in rows if r.chair == "Chair 3").bars
    assert bar.booking_id == booking.appointment_id
    assert bar.label == patient.display_name
    assert bar.starts_at.astimezone(WARSAW).strftime("%H:%M") == "10:00"
    assert bar.ends_at - bar.starts_at == timedelta(minutes=infliximab_first_dose_minutes(ctx))
    assert bar.stage is Stage.WAITING and not bar.is_late
    assert all(not r.bars for r in rows if r.chair != "Chair 3")


def test_a_patient_not_arrived_after_the_grace_period_is_late_and_arrived_is_not(
    ctx: ServiceContext, make_patient: MakePatient, clock: FakeClock
) -> None:
    late = book_first_dose(ctx, make_patient(mrn="MRN001", family_name="Late").id, chair="Chair 1")
    here = book_first_dose(ctx, make_patient(mrn="MRN002", family_name="Here").id, chair="Chair 2")
    clock.advance(minutes=36)  # 10:06, grace 5 min
    open_ready_visit(ctx, here.appointment_id)
    bars = {b.booking_id: b for r in timeline(ctx) for b in r.bars}
    assert bars[late.appointment_id].late == "not arrived"
    assert bars[here.appointment_id].stage is Stage.IN_CHAIR
    assert not bars[here.appointment_id].is_late
    summary = timeline_summary(timeline(ctx), WARSAW)
    assert "(late: not arrived)" in summary and "Chair 1: 10:00-" in summary


def test_a_patient_in_the_chair_past_the_expected_discharge_is_late(
    ctx: ServiceContext, patient: PatientSummary, clock: FakeClock
) -> None:
    booking = book_first_dose(ctx, patient.id, time="10:00")
    clock.advance(minutes=30)  # 10:00
    open_ready_visit(ctx, booking.appointment_id)
    clock.advance(minutes=infliximab_first_dose_minutes(ctx) + 6)
    (bar,) = (b for r in timeline(ctx) for b in r.bars)
    assert bar.late == "past its expected end"


def test_a_booking_not_attended_holds_no_chair_and_has_no_bar(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    mark_did_not_attend(ctx, appointment_id=booking.appointment_id)
    (row,) = clinic_day(ctx, day=DAY)
    assert row.chair_until is None
    assert all(not r.bars for r in timeline(ctx))


def test_the_printed_day_list_carries_the_timeline_with_the_late_patient_marked(
    ctx: ServiceContext, make_patient: MakePatient, clock: FakeClock
) -> None:
    late = make_patient(mrn="MRN001", family_name="Latecomer")
    book_first_dose(ctx, late.id, time="10:00", chair="Chair 2")
    clock.advance(minutes=40)  # 10:10
    data = sheets.day_list(ctx, day=DAY)
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )
    timeline = text[text.index("Chair timeline") :]
    assert f"Late: {late.display_name}" in timeline
    assert "Chair 2" in timeline


def test_the_day_list_s_until_is_the_end_of_the_timeline_bar(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    book_first_dose(ctx, patient.id, time="10:00", chair="Chair 2")
    (bar,) = (b for r in timeline(ctx) for b in r.bars)
    until = f"{bar.ends_at.astimezone(WARSAW):%H:%M}"
    data = sheets.day_list(ctx, day=DAY)
    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split()
    )
    assert f"10:00 until {until} Chair 2" in text


def test_after_a_reaction_the_bar_holds_the_chair_for_the_graduated_infusion(
    ctx: ServiceContext, patient: PatientSummary, clock: FakeClock
) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=10)
    log_reaction(
        ctx,
        patient_id=patient.id,
        visit_id=visit.id,
        onset=ctx.now(),
        signs=["urticaria"],
        term="infusion_related_reaction",
        grade=2,
        infusion_action="stopped",
    )
    book(ctx, booking.appointment_ids[1], "2026-03-16", time="09:00", chair="Chair 1")
    (row,) = clinic_day(ctx, day="2026-03-16")
    infliximab = catalogue.protocol("infliximab")
    preparation = ctx.settings.chairs.preparation_minutes
    graduated = chair_minutes(infliximab, 2, preparation_minutes=preparation, graduated=True)
    assert graduated > chair_minutes(infliximab, 2, preparation_minutes=preparation)
    assert row.chair_until is not None
    assert row.chair_until - row.starts_at == timedelta(minutes=graduated)


def test_a_visit_opened_with_the_shortened_infusion_frees_its_chair_an_hour_sooner_on_the_bar(
    ctx: ServiceContext, patient: PatientSummary, clock: FakeClock
) -> None:
    appointments = three_tolerated(ctx, clock, patient.id)
    clinic = shortening(ctx)
    day = "2026-06-08"

    def held() -> timedelta:
        (row,) = (r for r in clinic_day(clinic, day=day) if r.appointment_id == appointments[3])
        assert row.chair_until is not None
        return row.chair_until - row.starts_at

    booked = held()
    short = preview_dose(clinic, appointment_id=appointments[3], weight="72.5", shortened=True)
    open_visit(
        clinic,
        appointment_id=appointments[3],
        weight="72.5",
        shortened=True,
        acknowledged=short.ack_needed,
    )
    assert held() == booked - timedelta(minutes=60)
