"""The infusion record says what was given: nothing for a dose not given, the part infused for
an infusion ended early (computed by the services from the timeline), and the dose warnings
overridden or acknowledged when the visit was opened, with the reason."""

from __future__ import annotations

import io
from decimal import Decimal

from pypdf import PdfReader
from visit_fixtures import book_first_dose, infuse, open_ready_visit

from clinic_app.services import sheets
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.patients import record_screening
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import (
    dose_given,
    end_infusion,
    get_visit,
    hold_dose,
    infused_dose_mg,
    start_infusion,
)


def text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_a_dose_not_given_prints_not_given_with_the_reason_not_the_prepared_dose(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    hold_dose(ctx, visit_id=visit.id, reason="Temp 38.4 °C; Dr Nowak: postpone 1 week")
    record = text(sheets.infusion_record(ctx, visit_id=visit.id))
    assert "Dose given Not given (Temp 38.4 °C; Dr Nowak: postpone 1 week)" in record
    assert "362.5 mg (5 mg/kg" not in record


def test_an_infusion_ended_early_prints_the_volume_infused_and_its_dose(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    started = start_infusion(ctx, visit_id=visit.id)
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    ended = end_infusion(ctx, visit_id=visit.id, reason="Cannula tissued; Dr Nowak informed")
    given = dose_given(ended)
    assert given.state == "partial" and given.infused_ml is not None
    assert Decimal(0) < given.infused_ml < started.dose_plan.final_volume_ml
    assert given.given_mg == infused_dose_mg(ended.dose_plan, given.infused_ml)
    record = text(sheets.infusion_record(ctx, visit_id=visit.id))
    expected = (f"\u2248{given.given_mg} mg of 362.5 mg prepared ({given.infused_ml} of 250 mL "
                "infused; ended early: Cannula tissued; Dr Nowak informed)")
    assert expected in record


def test_the_dose_in_a_part_of_the_bag_is_proportional_to_the_volume() -> None:
    class Plan:
        dose_mg = Decimal("362.0")
        final_volume_ml = Decimal(250)

    assert infused_dose_mg(Plan(), Decimal("20.7")) == Decimal(30)  # type: ignore[arg-type]
    assert infused_dose_mg(Plan(), Decimal("2")) == Decimal("2.9")  # type: ignore[arg-type]


def test_a_full_infusion_prints_the_prepared_dose(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    started = start_infusion(ctx, visit_id=visit.id)
    clock.advance(minutes=started.dose_plan.duration_min + 1)  # type: ignore[attr-defined]
    end_infusion(ctx, visit_id=visit.id)
    assert dose_given(get_visit(ctx, visit_id=visit.id)).state == "full"
    assert "Dose given 362.5 mg (5 mg/kg" in text(sheets.infusion_record(ctx, visit_id=visit.id))


def test_an_overridden_positive_tb_screen_is_printed_with_its_reason(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    record_screening(ctx, patient_id=patient.id, kind="tb", taken_on="2026-02-25",
                     outcome="positive")
    reason = "Dr Nowak: latent TB treated since January, go ahead"
    try:
        visit = open_ready_visit(ctx, booking.appointment_id)
    except OverrideRequired as needed:
        visit = open_ready_visit(ctx, booking.appointment_id, override_reason=reason,
                                 acknowledged=needed.codes)
    record = text(sheets.infusion_record(ctx, visit_id=visit.id))
    assert f"(overridden: {reason})" in record



def test_the_reaction_report_names_the_pump_action_and_the_vitals_around_the_reaction(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    start_infusion(ctx, visit_id=visit.id)
    clock.advance(minutes=20)  # type: ignore[attr-defined]
    reaction = log_reaction(ctx, patient_id=patient.id, visit_id=visit.id, onset=ctx.now(),
                            signs=["flushing"], term="infusion_related_reaction", grade=2,
                            infusion_action="paused")
    report = text(sheets.reaction_report(ctx, reaction_id=reaction.summary.id))
    assert "Infusion Paused at 09:50 for this reaction" in report
    assert "Baseline vitals" in report and "128/78" in report


def test_a_reaction_that_stopped_the_infusion_reports_the_dose_actually_given(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    start_infusion(ctx, visit_id=visit.id)
    clock.advance(minutes=20)  # type: ignore[attr-defined]
    reaction = log_reaction(ctx, patient_id=patient.id, visit_id=visit.id, onset=ctx.now(),
                            signs=["urticaria"], term="infusion_related_reaction", grade=2,
                            infusion_action="stopped")
    given = dose_given(get_visit(ctx, visit_id=visit.id))
    assert given.state == "partial" and given.given_mg is not None
    report = text(sheets.reaction_report(ctx, reaction_id=reaction.summary.id))
    assert "Dose prepared 362.5 mg (5 mg/kg × 72.5 kg), IV in 250 mL" in report
    assert (f"Dose given \u2248{given.given_mg} mg of 362.5 mg prepared ({given.infused_ml} of "
            "250 mL infused; ended early:") in report


def test_a_reaction_after_a_full_infusion_reports_the_prepared_dose_as_given(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    clock.advance(minutes=30)  # type: ignore[attr-defined]
    reaction = log_reaction(ctx, patient_id=patient.id, visit_id=visit.id, onset=ctx.now(),
                            signs=["flushing"], term="infusion_related_reaction", grade=1)
    report = text(sheets.reaction_report(ctx, reaction_id=reaction.summary.id))
    assert "Dose 362.5 mg (5 mg/kg × 72.5 kg), IV in 250 mL" in report
    assert "Dose given" not in report and "Dose prepared" not in report


def test_a_delayed_reaction_report_does_not_list_the_infusion_days_vitals_as_its_own(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    clock.advance(days=12)  # type: ignore[attr-defined]
    reaction = log_reaction(ctx, patient_id=patient.id, onset="2026-03-12 08:00",
                            signs=["arthralgia"], notes="Painful knees and wrists")
    assert reaction.onset_class == "delayed"
    report = text(sheets.reaction_report(ctx, reaction_id=reaction.summary.id))
    assert "Vital signs during the reaction None recorded with this reaction." in report
    assert "128/78" not in report and "Baseline" not in report
    assert "Weight at the infusion 72.5 kg, measured 2 Mar 2026 09:30" in report
    assert "Weight today" not in report
    assert "128/78" in text(sheets.infusion_record(ctx, visit_id=visit.id))
