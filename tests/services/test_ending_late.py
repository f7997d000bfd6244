"""Ending the infusion after "bag due empty": the nurse records the actual end, vitals already
saved stay where they were saved, and nothing goes overdue because of the click time (issue 12,
"Ending late")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.domain.errors import InvalidInput
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import (
    change_rate,
    end_infusion,
    end_preview,
    get_visit,
    pause_infusion,
    record_vitals,
    start_infusion,
)
from clinic_app.services.visits.dto import VisitDetail


def _at_bag_empty_with_end_vitals(ctx: ServiceContext, clock: object,
                                  patient_id: int) -> VisitDetail:
    """Infliximab started at 09:30, every vitals row recorded up to the projected end (11:30),
    the end row's vitals taken at 11:30."""
    booking = book_first_dose(ctx, patient_id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    for minute in (0, 15, 30, 60, 90):
        clock.set(visit.started_at + timedelta(minutes=minute))  # type: ignore[attr-defined]
        record_vitals(ctx, visit_id=visit.id, item_key=f"vitals.t{minute}", systolic="120",
                      diastolic="80", heart_rate="70")
    clock.set(visit.started_at + timedelta(minutes=120))  # type: ignore[attr-defined]
    assert get_visit(ctx, visit_id=visit.id).checklist.of("vitals.end").item.due_at == ctx.now()
    record_vitals(ctx, visit_id=visit.id, item_key="vitals.end", systolic="118",
                  diastolic="78", heart_rate="72")
    return get_visit(ctx, visit_id=visit.id)


def _keys(visit: VisitDetail) -> list[str | None]:
    return [v.item_key for v in visit.vitals]


def test_ending_six_minutes_late_keeps_the_saved_vitals_in_their_row(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit = _at_bag_empty_with_end_vitals(ctx, clock, patient.id)
    projected = ctx.now()
    clock.advance(minutes=6)  # type: ignore[attr-defined]
    ended = end_infusion(ctx, visit_id=visit.id)
    row = ended.checklist.of("vitals.t120")
    assert row.state.value == "done" and row.item.due_at == projected
    assert ended.vitals[-1].item_key == "vitals.t120"
    assert ended.vitals[-1].measured_at == projected  # the reading itself is unchanged
    assert ended.checklist.overdue == ()
    assert ended.checklist.of("vitals.end").state.value == "due"


def test_the_actual_end_typed_back_to_bag_empty_keeps_one_end_row_done(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit = _at_bag_empty_with_end_vitals(ctx, clock, patient.id)
    projected = ctx.now()
    clock.advance(minutes=6)  # type: ignore[attr-defined]
    local = projected.astimezone(ctx.tz).strftime("%Y-%m-%d %H:%M")
    ended = end_infusion(ctx, visit_id=visit.id, at=local)
    assert ended.ended_at == projected
    assert ended.checklist.of("vitals.end").state.value == "done"
    assert "vitals.t120" not in {s.item.key for s in ended.checklist.items}
    assert _keys(ended)[-1] == "vitals.end" and ended.checklist.overdue == ()
    assert ended.infusion is not None and ended.infusion.remaining_ml == 0


def test_the_end_preview_gives_the_figures_at_the_chosen_time(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=130)  # type: ignore[attr-defined]
    now = end_preview(ctx, visit_id=visit.id)
    assert now.at == ctx.now() and now.earliest == visit.started_at and not now.needs_reason
    assert now.remaining_ml == 0 and now.given_mg == now.dose_mg
    early = end_preview(ctx, visit_id=visit.id, at=visit.started_at + timedelta(minutes=60))
    assert early.needs_reason and early.remaining_ml > 0 and early.given_mg < early.dose_mg
    assert early.infused_ml + early.remaining_ml == early.planned_ml


def test_an_end_before_the_last_event_or_in_the_future_is_refused(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=20)  # type: ignore[attr-defined]
    change_rate(ctx, visit_id=visit.id, rate="100")
    clock.advance(minutes=200)  # type: ignore[attr-defined]
    before = ctx.now() - timedelta(minutes=210)
    with pytest.raises(InvalidInput, match="last recorded moment"):
        end_preview(ctx, visit_id=visit.id, at=before)
    with pytest.raises(InvalidInput):
        end_infusion(ctx, visit_id=visit.id, at=before)
    with pytest.raises(InvalidInput):
        end_preview(ctx, visit_id=visit.id, at=ctx.now() + timedelta(minutes=5))
    with pytest.raises(InvalidInput):
        end_infusion(ctx, visit_id=visit.id, at=ctx.now() + timedelta(minutes=5))
    assert get_visit(ctx, visit_id=visit.id).status == "infusing"


def test_a_paused_infusion_ends_at_the_pause(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=30)  # type: ignore[attr-defined]
    pause_infusion(ctx, visit_id=visit.id, reason="Reaction")
    paused_at = ctx.now()
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    figures = end_preview(ctx, visit_id=visit.id)
    assert figures.paused and figures.at == paused_at and figures.needs_reason
