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


def test_the_preview_lists_every_condition_met_for_an_eligible_dose(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    appointments = _three_tolerated(ctx, clock, patient.id)
    check = preview_dose(_shortening(ctx), appointment_id=appointments[3],
                         weight="72.5").shortened_check
    assert check is not None and check.eligible and check.minutes == 60
    assert [r.text for r in check.reasons] == [
        "Clinic setting: dosing.allow_shortened_infusion is on.",
        "Adult: 46 years old on the dose day.",
        "Maintenance: dose 4 (induction is doses 1-3).",
        "Tolerated: 3 standard infusions of Infliximab without a reaction (3 needed).",
        "No reaction: none to Infliximab on file.",
        "Dose: 362.5 mg is within 6 mg/kg (435 mg at 72.5 kg).",
    ]


def test_nothing_is_shown_where_the_clinic_does_not_use_it_or_the_drug_has_none(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    appointments = _three_tolerated(ctx, clock, patient.id)
    assert preview_dose(ctx, appointment_id=appointments[3],
                        weight="72.5").shortened_check is None


def test_an_induction_dose_is_refused_with_every_condition_not_met(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    infuse(ctx, clock, booking.appointment_id)
    clock.advance(days=14)  # type: ignore[attr-defined]
    book(ctx, booking.appointment_ids[1], day="2026-03-16")
    clinic = _shortening(ctx)
    check = preview_dose(clinic, appointment_id=booking.appointment_ids[1],
                         weight="72.5").shortened_check
    assert check is not None and not check.eligible
    assert [text.split(":")[0] for text in check.not_met] == [
        "Induction dose", "Too few tolerated infusions"]
    with pytest.raises(DoseRefused) as refused:
        open_visit(clinic, appointment_id=booking.appointment_ids[1], weight="72.5",
                   shortened=True)
    assert str(refused.value) == (
        "A shortened infusion cannot be used: Induction dose: dose 2 is one of the initial "
        "infusions (doses 1-3), which run over the standard time. Too few tolerated "
        "infusions: it needs 3 tolerated standard infusions first (1 so far). "
        "Give it over 120 min.")


def test_a_dose_above_6_mg_per_kg_is_not_eligible(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    from clinic_app.services.courses import change_order
    from clinic_app.storage.models import Appointment

    appointments = _three_tolerated(ctx, clock, patient.id)
    with ctx.read_only() as uow:
        appointment = uow.session.get(Appointment, appointments[3])
        assert appointment is not None
        course_id = appointment.course_id
    change_order(ctx, course_id=course_id, reason="Loss of response", mg_per_kg="10",
                 override_reason="Dr Nowak: escalation")
    check = preview_dose(_shortening(ctx), appointment_id=appointments[3],
                         weight="72.5").shortened_check
    assert check is not None and not check.eligible
    assert check.not_met == ("Dose above the limit: 725 mg is above 6 mg/kg (435 mg at 72.5 kg); "
                             "the shortened infusion is not studied above it.",)


def test_a_delayed_reaction_reverts_to_two_hours_until_it_is_voided(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    from clinic_app.services.patients import void_record

    appointments = _three_tolerated(ctx, clock, patient.id)
    clinic = _shortening(ctx)
    reaction = log_reaction(clinic, patient_id=patient.id, onset="2026-06-01 10:00",
                            signs=["arthralgia"])
    check = preview_dose(clinic, appointment_id=appointments[3], weight="72.5").shortened_check
    assert check is not None and not check.eligible
    assert any("reverts to the standard 120 min" in text for text in check.not_met)
    void_record(clinic, kind="reaction", record_id=reaction.summary.id,
                reason="Entered in error")
    assert preview_dose(clinic, appointment_id=appointments[3],
                        weight="72.5").shortened_minutes == 60


def test_the_shortened_choice_is_saved_on_the_visit_audited_and_frees_the_chair_an_hour_sooner(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    from clinic_app.services.chart import patient_audit
    from clinic_app.services.courses._chair_time import booking_minutes
    from clinic_app.storage.models import Appointment

    appointments = _three_tolerated(ctx, clock, patient.id)
    clinic = _shortening(ctx)

    def chair_minutes() -> int:
        with clinic.read_only() as uow:
            appointment = uow.session.get(Appointment, appointments[3])
            assert appointment is not None
            return booking_minutes(clinic, uow, appointment)

    booked = chair_minutes()
    short = preview_dose(clinic, appointment_id=appointments[3], weight="72.5", shortened=True)
    visit = open_visit(clinic, appointment_id=appointments[3], weight="72.5", shortened=True,
                       acknowledged=short.ack_needed)
    assert chair_minutes() == booked - 60
    assert visit.observation_minutes == 120  # the observation does not shorten
    saved = [line for line in patient_audit(clinic, patient_id=patient.id)
             if line.record == "infusion visit" and line.record_id == visit.id
             and line.field == "dose_plan"]
    assert saved and saved[0].new["shortened"] is True and saved[0].new["duration_min"] == 60


def test_re_weighing_keeps_the_shortened_choice(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    from clinic_app.services.visits import reweigh_visit

    appointments = _three_tolerated(ctx, clock, patient.id)
    clinic = _shortening(ctx)
    short = preview_dose(clinic, appointment_id=appointments[3], weight="72.5", shortened=True)
    visit = open_visit(clinic, appointment_id=appointments[3], weight="72.5", shortened=True,
                       acknowledged=short.ack_needed)
    again = reweigh_visit(clinic, visit_id=visit.id, weight="73", reason="Shoes on",
                          acknowledged=(*short.ack_needed, "WEIGHT_CHANGE"))
    assert again.dose_plan.shortened and again.dose_plan.duration_min == 60


def test_the_bag_is_due_empty_at_60_min_the_observation_stays_and_the_record_says_so(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    from io import BytesIO

    from pypdf import PdfReader

    from clinic_app.services import sheets

    appointments = _three_tolerated(ctx, clock, patient.id)
    clinic = _shortening(ctx)
    short = preview_dose(clinic, appointment_id=appointments[3], weight="72.5", shortened=True)
    from datetime import timedelta

    from visit_fixtures import open_ready_visit

    from clinic_app.services.visits import end_infusion, start_infusion

    opened = open_ready_visit(clinic, appointments[3], shortened=True,
                              acknowledged=short.ack_needed)
    running = start_infusion(clinic, visit_id=opened.id)
    assert running.started_at is not None and running.infusion is not None
    assert running.infusion.projected_end == running.started_at + timedelta(minutes=60)
    clock.advance(minutes=61)  # type: ignore[attr-defined]
    visit = end_infusion(clinic, visit_id=opened.id)
    assert visit.ended_at is not None and visit.observation_minutes == 120
    assert visit.observation_end == visit.ended_at + timedelta(minutes=120)
    data = sheets.infusion_record(clinic, visit_id=visit.id)
    pages = PdfReader(BytesIO(data)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Planned rate 250 mL/h over 60 min (1 h); Shortened infusion (60 min)" in text
