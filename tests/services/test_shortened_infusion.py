"""The shortened infusion end to end (issue 10): offered only where the clinic uses it, after
three tolerated standard infusions of the course, not above 6 mg/kg and never after a reaction
(infliximab EU/Swiss text); chosen, the visit runs over 60 minutes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from visit_fixtures import book, book_first_dose, infuse

from clinic_app.domain.errors import DoseRefused
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import open_visit, preview_dose

DOSE_DAYS = ("2026-03-16", "2026-04-13", "2026-06-08")  # weeks 2, 6 and 14 after 2026-03-02


def _shortening(ctx: ServiceContext) -> ServiceContext:
    dosing = replace(ctx.settings.dosing, allow_shortened_infusion=True)
    return replace(ctx, settings=replace(ctx.settings, dosing=dosing))


def _three_tolerated(ctx: ServiceContext, clock: object, patient_id: int) -> tuple[int, ...]:
    """Doses 1-3 infused to the end without a reaction; dose 4 booked today (2026-06-08)."""
    booking = book_first_dose(ctx, patient_id)
    infuse(ctx, clock, booking.appointment_id)
    for day, appointment_id in zip(DOSE_DAYS, booking.appointment_ids[1:4], strict=True):
        clock.set(clock.now.replace(year=int(day[:4]), month=int(day[5:7]),  # type: ignore[attr-defined]
                                    day=int(day[8:]), hour=8, minute=0))
        book(ctx, appointment_id, day=day)
        if day != DOSE_DAYS[-1]:
            infuse(ctx, clock, appointment_id)
    return booking.appointment_ids


def test_after_three_tolerated_infusions_the_shortened_infusion_is_offered_and_runs_60_min(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    appointments = _three_tolerated(ctx, clock, patient.id)
    clinic = _shortening(ctx)
    standard = preview_dose(clinic, appointment_id=appointments[3], weight="72.5")
    assert standard.shortened_minutes == 60 and standard.plan.duration_min >= 120
    short = preview_dose(clinic, appointment_id=appointments[3], weight="72.5", shortened=True)
    assert short.plan.shortened and short.plan.duration_min == 60
    visit = open_visit(clinic, appointment_id=appointments[3], weight="72.5", shortened=True,
                       acknowledged=short.ack_needed)
    assert visit.dose_plan.shortened and visit.dose_plan.duration_min == 60


def test_the_clinic_setting_off_offers_nothing_and_refuses_a_request(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    appointments = _three_tolerated(ctx, clock, patient.id)
    assert preview_dose(ctx, appointment_id=appointments[3],
                        weight="72.5").shortened_minutes is None
    with pytest.raises(DoseRefused, match="allow_shortened_infusion is off"):
        preview_dose(ctx, appointment_id=appointments[3], weight="72.5", shortened=True)


def test_too_few_tolerated_infusions_are_not_enough(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    infuse(ctx, clock, booking.appointment_id)
    clock.advance(days=14)  # type: ignore[attr-defined]
    book(ctx, booking.appointment_ids[1], day="2026-03-16")
    clinic = _shortening(ctx)
    assert preview_dose(clinic, appointment_id=booking.appointment_ids[1],
                        weight="72.5").shortened_minutes is None
    with pytest.raises(DoseRefused, match=r"3 tolerated standard infusions first \(1 so far\)"):
        preview_dose(clinic, appointment_id=booking.appointment_ids[1], weight="72.5",
                     shortened=True)


def test_after_a_reaction_the_infusion_goes_back_to_two_hours(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    appointments = _three_tolerated(ctx, clock, patient.id)
    clinic = _shortening(ctx)
    log_reaction(clinic, patient_id=patient.id, onset="2026-06-01 10:00", signs=["arthralgia"])
    preview = preview_dose(clinic, appointment_id=appointments[3], weight="72.5")
    assert preview.shortened_minutes is None
    assert "STANDARD_DURATION_AFTER_REACTION" in {w.code for w in preview.warnings}
    with pytest.raises(DoseRefused, match="there was a reaction to Infliximab"):
        preview_dose(clinic, appointment_id=appointments[3], weight="72.5", shortened=True)
