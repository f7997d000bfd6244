"""Observation and discharge follow the reaction (issue 10): a severe reaction or epinephrine at
the visit keeps the patient longer and needs the prescriber's clearance; vitals that were due
and never recorded need a reason to discharge without them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from visit_fixtures import NORMAL_VITALS, book_first_dose, open_ready_visit

from clinic_app.domain.checklists import CLEARANCE_KEY, MISSED_VITALS_KEY
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import GateBlocked
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import (
    discharge,
    end_infusion,
    get_visit,
    pause_infusion,
    record_check,
    record_vitals,
    start_infusion,
)
from clinic_app.services.visits.dto import MedicationForm, VisitDetail

Counts = Callable[[], dict[str, int]]
DISCHARGE_TICKS = ("discharge.cannula", "discharge.next_appointment",
                   "discharge.delayed_reactions", "discharge.whom_to_call")


def _record_due(ctx: ServiceContext, visit_id: int, prefix: str = "") -> None:
    """Record every set of vitals due now (only those whose key starts with ``prefix``)."""
    for status in get_visit(ctx, visit_id=visit_id).checklist.items:
        if (status.item.kind.value == "vitals" and status.state.value in ("due", "overdue")
                and status.item.key.startswith(prefix)):
            record_vitals(ctx, visit_id=visit_id, item_key=status.item.key, **NORMAL_VITALS)


def _answer_discharge(ctx: ServiceContext, visit_id: int) -> None:
    record_check(ctx, visit_id=visit_id, item_key="obs.complete")
    record_check(ctx, visit_id=visit_id, item_key="discharge.feels_well", answer="yes")
    for key in DISCHARGE_TICKS:
        record_check(ctx, visit_id=visit_id, item_key=key)


def _walk(ctx: ServiceContext, clock: object, visit_id: int, until: object,
          prefix: str = "") -> None:
    """Move the clock in 5-minute steps to ``until``, recording the vitals as they fall due
    (only those whose key starts with ``prefix``)."""
    while ctx.now() < until:  # type: ignore[operator]
        clock.advance(minutes=5)  # type: ignore[attr-defined]
        _record_due(ctx, visit_id, prefix)


def _anaphylaxis_visit(ctx: ServiceContext, clock: object, patient_id: int) -> VisitDetail:
    """Infliximab started; anaphylaxis 12 min in: the pump paused, then stopped for good with
    the reaction; epinephrine at +14 and +22 min."""
    booking = book_first_dose(ctx, patient_id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    _record_due(ctx, visit.id)
    clock.advance(minutes=12)  # type: ignore[attr-defined]
    onset = ctx.now()
    pause_infusion(ctx, visit_id=visit.id, reason="Reaction")
    clock.advance(minutes=12)  # type: ignore[attr-defined]
    log_reaction(ctx, patient_id=patient_id, visit_id=visit.id, onset=onset,
                 signs=["anaphylaxis", "hypotension"], term="anaphylaxis", grade=3,
                 medications=[MedicationForm("Epinephrine 1 mg/mL", "0.5", "mg", "IM",
                                             onset + timedelta(minutes=2)),
                              MedicationForm("Adrenaline 1 mg/mL", "0.5", "mg", "IM",
                                             onset + timedelta(minutes=10))],
                 infusion_action="stopped")
    return get_visit(ctx, visit_id=visit.id)


def test_anaphylaxis_keeps_the_patient_4_hours_from_the_last_epinephrine_dose(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit = _anaphylaxis_visit(ctx, clock, patient.id)
    last_dose = visit.started_at + timedelta(minutes=22)  # type: ignore[operator]
    assert visit.observation_extended == "anaphylaxis grade 3 and epinephrine given"
    assert visit.observation_end == last_dose + timedelta(hours=4)
    assert visit.checklist.of(CLEARANCE_KEY).item.required
    _walk(ctx, clock, visit.id, visit.ended_at + timedelta(minutes=30))  # type: ignore[operator]
    blocked = get_visit(ctx, visit_id=visit.id).discharge_gate.blockers[0]
    assert blocked.key == "obs.end" and "extended after the reaction" in blocked.message
    with pytest.raises(GateBlocked, match="Observation is not over"):
        discharge(ctx, visit_id=visit.id)


def test_discharge_after_the_extended_observation_needs_the_prescribers_clearance_by_name(
        ctx: ServiceContext, patient: PatientSummary, clock: object,
        table_counts: Counts) -> None:
    visit = _anaphylaxis_visit(ctx, clock, patient.id)
    _walk(ctx, clock, visit.id, visit.observation_end)
    _answer_discharge(ctx, visit.id)
    before = table_counts()
    with pytest.raises(GateBlocked) as caught:
        discharge(ctx, visit_id=visit.id)
    assert [b.key for b in caught.value.blockers] == [CLEARANCE_KEY]
    assert table_counts() == before
    record_check(ctx, visit_id=visit.id, item_key=CLEARANCE_KEY,
                 answer="Dr Nowak 14:30: home with an adrenaline auto-injector")
    done = discharge(ctx, visit_id=visit.id)
    assert done.status == "completed"
    clearance = next(e for e in done.entries if e.item_key == CLEARANCE_KEY)
    assert clearance.answer.startswith("Dr Nowak")


def test_a_mild_reaction_without_epinephrine_keeps_the_protocols_observation(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    log_reaction(ctx, patient_id=patient.id, visit_id=visit.id, onset=ctx.now(),
                 signs=["flushing"], term="infusion_related_reaction", grade=1,
                 infusion_action="none")
    detail = get_visit(ctx, visit_id=visit.id)
    assert detail.observation_extended is None
    assert CLEARANCE_KEY not in {s.item.key for s in detail.checklist.items}


def test_vitals_due_and_never_recorded_are_listed_and_need_a_reason_to_discharge(
        ctx: ServiceContext, patient: PatientSummary, clock: object,
        table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    _record_due(ctx, visit.id)
    clock.advance(minutes=visit.dose_plan.duration_min + 1)  # type: ignore[attr-defined]
    visit = end_infusion(ctx, visit_id=visit.id)  # t15 ... t120 never recorded
    _walk(ctx, clock, visit.id, visit.observation_end, prefix="obs.")
    _answer_discharge(ctx, visit.id)
    before = table_counts()
    with pytest.raises(GateBlocked) as caught:
        discharge(ctx, visit_id=visit.id)
    (blocker,) = caught.value.blockers
    assert blocker.key == MISSED_VITALS_KEY
    assert "15 min into the infusion" in blocker.message and "give the reason" in \
        blocker.message
    assert table_counts() == before
    done = discharge(ctx, visit_id=visit.id,
                     missed_vitals_reason="Pump alarm on another patient; prescriber aware")
    assert done.status == "completed"
    why = next(e for e in done.entries if e.item_key == MISSED_VITALS_KEY)
    assert why.text == "Discharged with vitals not recorded: reason"
    assert why.answer.startswith("Pump alarm on another patient; prescriber aware (not "
                                 "recorded: 15 min into the infusion")
