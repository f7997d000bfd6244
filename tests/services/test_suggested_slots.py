"""Booking suggests slots (issue 14): the service offers free chair-times of the typed day
for the dose's whole visit, levelled, and the nurse can book the first offer as it is."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import time

import pytest
from visit_fixtures import PROTOCOL_ORDERS, book_first_dose, screen

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.settings import LevellingSettings
from clinic_app.services.chairs import list_chairs, set_chair_active
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import book_appointment, get_course, start_course, suggest_slots
from clinic_app.services.patients.dto import PatientSummary

DAY = "2026-03-03"  # a Tuesday, the day after the test clock's


def _planned_dose(ctx: ServiceContext, patient_id: int) -> int:
    screen(ctx, patient_id)
    indication, order = PROTOCOL_ORDERS["infliximab"]
    course = start_course(
        ctx,
        patient_id=patient_id,
        protocol_id="infliximab",
        indication_id=indication,
        prescriber="Dr Ewa Nowak",
        first_dose=DAY,
        **order,
    )
    return get_course(ctx, course_id=course.id).appointments[0].id


def _another(make_patient: Callable[..., PatientSummary]) -> PatientSummary:
    return make_patient(mrn="MRN002", family_name="Kowalska", given_names="Anna")


def test_offers_fit_around_the_bookings_and_the_first_one_books(
    ctx: ServiceContext, make_patient: Callable[..., PatientSummary]
) -> None:
    first, second = make_patient(), _another(make_patient)
    book_first_dose(ctx, first.id, day=DAY, time="08:00", chair="Chair 1")  # 08:00-12:30
    appointment_id = _planned_dose(ctx, second.id)
    offers = suggest_slots(ctx, appointment_id=appointment_id, day=DAY)
    assert len(offers) == 8
    best = offers[0]
    # Infliximab dose 1 is long (270 min): the morning, in the half hour without a start.
    # Infliximab dose 1 is long (270 min): the morning's first half hour without a start, in
    # the first free chair.
    assert (best.starts, best.ends, best.chair, best.starts_in_half_hour) == (
        time(8, 30),
        time(13),
        "Chair 2",
        0,
    )
    assert all(o.chair != "Chair 1" for o in offers if o.starts < time(12, 30))
    assert all(o.starts_cap == 2 and o.ends <= time(16) for o in offers)
    planned = get_course(ctx, course_id=_course(ctx, appointment_id)).appointments[0]
    booked = book_appointment(
        ctx,
        appointment_id=appointment_id,
        day=best.day,
        time=best.starts.strftime("%H:%M"),
        chair=best.chair,
        acknowledged=[w.code for w in planned.warnings],
    )
    assert (booked.time, booked.chair) == (best.starts, best.chair)
    # The dose being placed is not in its own way: its own slot is offered again.
    again = suggest_slots(ctx, appointment_id=appointment_id, day=DAY, limit=None)
    assert any((o.starts, o.chair) == (best.starts, best.chair) for o in again)


def _course(ctx: ServiceContext, appointment_id: int) -> int:
    with ctx.read_only() as uow:
        return uow.appointments.get(appointment_id).course_id


def test_the_cap_is_the_clinic_setting(
    ctx: ServiceContext, make_patient: Callable[..., PatientSummary]
) -> None:
    one_start = replace(ctx.settings, levelling=LevellingSettings(nurses_on_duty=1))
    ctx = replace(ctx, settings=one_start)
    book_first_dose(ctx, make_patient().id, day=DAY, time="08:00", chair="Chair 1")
    appointment_id = _planned_dose(ctx, _another(make_patient).id)
    offers = suggest_slots(ctx, appointment_id=appointment_id, day=DAY, limit=None)
    assert offers and all(o.starts >= time(8, 30) for o in offers)  # 08:00-08:29 is full


def test_a_start_in_a_chair_deactivated_since_still_counts_towards_the_cap(
    ctx: ServiceContext, make_patient: Callable[..., PatientSummary]
) -> None:
    ctx = replace(
        ctx, settings=replace(ctx.settings, levelling=LevellingSettings(nurses_on_duty=1))
    )
    book_first_dose(ctx, make_patient().id, day=DAY, time="08:00", chair="Chair 8")
    chair_8 = next(c for c in list_chairs(ctx) if c.name == "Chair 8")
    set_chair_active(ctx, chair_id=chair_8.id, active=False)
    offers = suggest_slots(
        ctx, appointment_id=_planned_dose(ctx, _another(make_patient).id), day=DAY, limit=None
    )
    assert offers and all(o.starts >= time(8, 30) and o.chair != "Chair 8" for o in offers)


def test_a_closed_day_offers_nothing_and_a_past_day_is_refused(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    appointment_id = _planned_dose(ctx, patient.id)
    assert suggest_slots(ctx, appointment_id=appointment_id, day="2026-03-07") == ()  # Saturday
    with pytest.raises(InvalidInput, match="in the past"):
        suggest_slots(ctx, appointment_id=appointment_id, day="2020-01-06")
