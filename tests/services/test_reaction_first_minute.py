"""A reaction in the first minute of an infusion: the onset is typed to the minute while the start
carries its seconds (issue 12, "Reactions in the first minute")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.reactions import onset_at_minute_precision
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import get_reaction, log_reaction, reaction_guidance
from clinic_app.services.visits import start_infusion
from clinic_app.services.visits.dto import MedicationForm


def _started_at_35_seconds(ctx: ServiceContext, clock: object, patient_id: int) -> int:
    booking = book_first_dose(ctx, patient_id)
    visit_id = open_ready_visit(ctx, booking.appointment_id).id
    clock.advance(minutes=35 / 60)  # type: ignore[attr-defined]
    visit = start_infusion(ctx, visit_id=visit_id)
    assert visit.started_at is not None and visit.started_at.second == 35
    clock.advance(minutes=10 / 60)  # type: ignore[attr-defined]
    return visit.id


def _typed_now(ctx: ServiceContext) -> str:
    """"Now" as the dialog and the CLI type it: local time cut to the minute."""
    return ctx.now().astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M")


def test_a_reaction_typed_in_the_minute_the_infusion_started_is_logged_at_the_start(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _started_at_35_seconds(ctx, clock, patient.id)
    detail = log_reaction(ctx, patient_id=patient.id, visit_id=visit_id, onset=_typed_now(ctx),
                          signs=["urticaria"], term="infusion_related_reaction", grade=2,
                          medications=[MedicationForm(drug="Clemastine", dose="2",
                                                      dose_unit="mg", route="IV")],
                          infusion_action="paused")
    assert detail.onset_class == "during_infusion" and detail.minutes_after_start == 0
    assert detail.summary.onset_at == detail.visit_started_at
    assert get_reaction(ctx, reaction_id=detail.summary.id).minutes_after_start == 0


def test_the_dialogs_guidance_places_a_first_minute_onset_during_the_infusion(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _started_at_35_seconds(ctx, clock, patient.id)
    guidance = reaction_guidance(ctx, patient_id=patient.id, visit_id=visit_id,
                                 onset=_typed_now(ctx))
    assert guidance.onset_class == "during_infusion"
    from_chart = reaction_guidance(ctx, patient_id=patient.id, onset=_typed_now(ctx))
    assert from_chart.visit_id == visit_id


def test_an_onset_in_the_minute_before_the_start_is_still_refused(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _started_at_35_seconds(ctx, clock, patient.id)
    before = (ctx.now() - timedelta(minutes=1)).astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M")
    with pytest.raises(InvalidInput, match="cannot start before the infusion started"):
        log_reaction(ctx, patient_id=patient.id, visit_id=visit_id, onset=before,
                     signs=["urticaria"], term="infusion_related_reaction", grade=2,
                     infusion_action="paused")


def test_only_an_onset_in_the_start_minute_moves_to_the_start(ctx: ServiceContext) -> None:
    start = ctx.now().replace(second=35)
    same_minute = start.replace(second=0)
    assert onset_at_minute_precision(same_minute, infusion_start=start) == start
    earlier = same_minute - timedelta(seconds=1)
    assert onset_at_minute_precision(earlier, infusion_start=start) == earlier
    later = start + timedelta(minutes=3)
    assert onset_at_minute_precision(later, infusion_start=start) == later
