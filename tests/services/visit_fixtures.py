"""Helpers for the visit, reaction and clinic-day tests: a course booked today, a visit walked
through its checklist. They call the services, as the UI does."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import book_appointment, get_course, start_course
from clinic_app.services.patients import record_screening
from clinic_app.services.visits import get_visit, open_visit, record_check, record_vitals
from clinic_app.services.visits.dto import VisitDetail

PROTOCOL_ORDERS = {
    "infliximab": ("crohns", {"mg_per_kg": "5"}),
    "anifrolumab": ("sle", {"fixed_mg": "300"}),
    "vedolizumab": ("ulcerative_colitis", {"fixed_mg": "300"}),
    "tocilizumab": ("rheumatoid_arthritis", {"mg_per_kg": "8"}),
}
SCREENING = ("tb", "chest_xray", "hepatitis_b", "neutrophils", "platelets", "liver_enzymes")
BLOCKING_NO = ("fever_infection", "tb_exposure", "surgery", "live_vaccine", "neuro_symptoms",
               "heart_failure_symptoms")
PRODUCT_INFLIXIMAB = "Infliximab 100 mg lyophilised powder, single-use vial"
NORMAL_VITALS = {"systolic": "128", "diastolic": "78", "heart_rate": "72",
                 "temperature": "36.8", "respiratory_rate": "14", "spo2": "98"}


@dataclass(frozen=True)
class Booking:
    """A course started and its first dose booked."""

    course_id: int
    appointment_id: int
    appointment_ids: tuple[int, ...]


def screen(ctx: ServiceContext, patient_id: int, taken_on: str = "2026-02-20") -> None:
    """Negative screening of every kind the protocols ask for."""
    from clinic_app.services import catalogue

    for kind in catalogue.screening_kinds():
        record_screening(ctx, patient_id=patient_id, kind=kind, taken_on=taken_on,
                         outcome="negative")


def book_first_dose(ctx: ServiceContext, patient_id: int, *, protocol: str = "infliximab",
                    day: str = "2026-03-02", time: str = "10:00", chair: str = "Chair 3",
                    prescriber: str = "Dr Ewa Nowak", reason: str | None = None) -> Booking:
    """Screen the patient, start a course with dose 1 on ``day`` and book it (``reason``: why
    book it anyway, e.g. outside the clinic's hours)."""
    screen(ctx, patient_id)
    indication, order = PROTOCOL_ORDERS[protocol]
    course = start_course(ctx, patient_id=patient_id, protocol_id=protocol,
                          indication_id=indication, prescriber=prescriber, first_dose=day,
                          **order)
    detail = get_course(ctx, course_id=course.id)
    first = detail.appointments[0]
    book_appointment(ctx, appointment_id=first.id, day=day, time=time, chair=chair,
                     acknowledged=[w.code for w in first.warnings], override_reason=reason)
    return Booking(course.id, first.id, tuple(a.id for a in detail.appointments))


def answer_pre_checks(ctx: ServiceContext, visit_id: int) -> VisitDetail:
    """Answer every open pre-infusion item as a well patient would; baseline vitals included."""
    visit = get_visit(ctx, visit_id=visit_id)
    for status in visit.checklist.items:
        item = status.item
        if item.phase.value != "pre" or status.state.value == "done":
            continue
        if item.kind is ItemKind.VITALS:
            record_vitals(ctx, visit_id=visit_id, item_key=item.key, **NORMAL_VITALS)
        elif item.kind is ItemKind.YES_NO:
            answer = "yes" if item.blocking_answer == "no" else "no"
            record_check(ctx, visit_id=visit_id, item_key=item.key, answer=answer)
        else:
            record_check(ctx, visit_id=visit_id, item_key=item.key)
    return get_visit(ctx, visit_id=visit_id)


def open_ready_visit(ctx: ServiceContext, appointment_id: int, weight: str = "72.5",
                     **options: object) -> VisitDetail:
    """Open the visit and answer the pre-checks: ready to start."""
    visit = open_visit(ctx, appointment_id=appointment_id, weight=weight, **options)  # type: ignore[arg-type]
    return answer_pre_checks(ctx, visit.id)


def infuse(ctx: ServiceContext, clock: object, appointment_id: int, weight: str = "72.5",
           **options: object) -> VisitDetail:
    """Open, check, start and run the infusion to its end (the clock moves to the end)."""
    from clinic_app.services.visits import end_infusion, start_infusion

    visit = open_ready_visit(ctx, appointment_id, weight, **options)
    visit = start_infusion(ctx, visit_id=visit.id)
    clock.advance(minutes=visit.dose_plan.duration_min + 1)  # type: ignore[attr-defined]
    return end_infusion(ctx, visit_id=visit.id)


def book(ctx: ServiceContext, appointment_id: int, day: str, time: str = "10:00",
         chair: str = "Chair 3") -> None:
    """Book an appointment, acknowledging whatever the booking warns about."""
    from clinic_app.services.errors import OverrideRequired

    try:
        book_appointment(ctx, appointment_id=appointment_id, day=day, time=time, chair=chair)
    except OverrideRequired as needed:
        book_appointment(ctx, appointment_id=appointment_id, day=day, time=time, chair=chair,
                         acknowledged=needed.codes, override_reason="Test booking")
