"""The start of the infusion with flagged baseline vitals, and the weight item of a visit."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest
from visit_fixtures import answer_pre_checks, book_first_dose, infuse

from clinic_app.domain.errors import InvalidInput
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import GateBlocked, OverrideRequired
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import (
    BaselineFlagged,
    discharge,
    get_visit,
    open_visit,
    record_check,
    record_vitals,
    start_infusion,
)
from clinic_app.storage import verify_audit

Counts = Callable[[], dict[str, int]]
ALARMING = {"systolic": "85", "diastolic": "50", "heart_rate": "125", "temperature": "38.6",
            "respiratory_rate": "16", "spo2": "91"}


def _flagged_visit(ctx: ServiceContext, patient_id: int) -> int:
    booking = book_first_dose(ctx, patient_id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    record_vitals(ctx, visit_id=visit.id, item_key="pre.baseline_vitals", **ALARMING)
    answer_pre_checks(ctx, visit.id)
    return visit.id


def test_alarming_baseline_vitals_refuse_the_start_listing_each_flag(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    visit_id = _flagged_visit(ctx, patient.id)
    assert get_visit(ctx, visit_id=visit_id).start_gate.allowed
    before = table_counts()
    with pytest.raises(BaselineFlagged) as caught:
        start_infusion(ctx, visit_id=visit_id)
    assert table_counts() == before
    error = caught.value
    assert isinstance(error, OverrideRequired)
    assert len(error.warnings) >= 4 and error.codes == tuple(w.code for w in error.warnings)
    assert all(w.message in str(error) for w in error.warnings)
    assert get_visit(ctx, visit_id=visit_id).status == "checked_in"


def test_acknowledging_the_flags_without_a_reason_or_only_some_of_them_does_not_start(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    visit_id = _flagged_visit(ctx, patient.id)
    codes = flag_codes(ctx, visit_id)
    with pytest.raises(BaselineFlagged):
        start_infusion(ctx, visit_id=visit_id, acknowledged_flags=codes, flags_reason="  ")
    with pytest.raises(BaselineFlagged):
        start_infusion(ctx, visit_id=visit_id, acknowledged_flags=codes[1:],
                       flags_reason="prescriber informed, proceed")
    with pytest.raises(InvalidInput):
        start_infusion(ctx, visit_id=visit_id, acknowledged_flags="HIGH_HEART_RATE",
                       flags_reason="prescriber informed, proceed")


def flag_codes(ctx: ServiceContext, visit_id: int) -> tuple[str, ...]:
    with pytest.raises(BaselineFlagged) as caught:
        start_infusion(ctx, visit_id=visit_id)
    return caught.value.codes


def test_acknowledged_flags_with_a_reason_start_the_infusion_and_the_reason_is_audited(
        ctx: ServiceContext, patient: PatientSummary, session_factory: object) -> None:
    visit_id = _flagged_visit(ctx, patient.id)
    codes = flag_codes(ctx, visit_id)
    visit = start_infusion(ctx, visit_id=visit_id, acknowledged_flags=codes,
                           flags_reason="prescriber informed, proceed")
    assert visit.status == "infusing"
    with ctx.read_only() as uow:
        rows = uow.audit.for_records("infusion_visits", [visit_id])
        notes = [r.changes for r in rows if "baseline_flags_reason" in (r.changes or {})]
    assert notes and notes[0]["baseline_flags_reason"]["new"] == "prescriber informed, proceed"
    assert "HIGH_HEART_RATE" in notes[0]["baseline_flags_acknowledged"]["new"]
    with session_factory() as session:  # type: ignore[operator]
        assert verify_audit(session).ok


def test_a_normal_baseline_starts_without_any_acknowledgement(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    answer_pre_checks(ctx, visit.id)
    assert start_infusion(ctx, visit_id=visit.id).status == "infusing"


def test_the_start_gate_is_checked_before_the_baseline_flags(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    record_vitals(ctx, visit_id=visit.id, item_key="pre.baseline_vitals", **ALARMING)
    with pytest.raises(GateBlocked):
        start_infusion(ctx, visit_id=visit.id)


# ---- the weight item --------------------------------------------------------------------------

def test_the_weight_item_refuses_a_weight_other_than_the_one_the_dose_used(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    before = table_counts()
    with pytest.raises(InvalidInput) as caught:
        record_check(ctx, visit_id=visit.id, item_key="pre.weight", answer="47")
    assert table_counts() == before
    message = str(caught.value)
    assert "The weight for this visit is 80 kg, used for the dose" in message
    assert "use Re-weigh… before the start" in message
    again = get_visit(ctx, visit_id=visit.id)
    assert again.weight_kg_used == Decimal("80.00")


def test_confirming_the_same_weight_is_accepted(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    entry = record_check(ctx, visit_id=visit.id, item_key="pre.weight", answer="80.0")
    assert entry.answer == "80"


# ---- the end of observation in local time -----------------------------------------------------

def test_the_discharge_blocker_shows_the_end_of_observation_in_warsaw_time(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    assert visit.observation_end is not None
    local = visit.observation_end.astimezone(ctx.tz).strftime("%H:%M")
    with pytest.raises(GateBlocked) as caught:
        discharge(ctx, visit_id=visit.id)
    assert f"runs until {local} (" in str(caught.value)
    assert "+00:00" not in str(caught.value)
    assert ctx.tz.key == "Europe/Warsaw"  # type: ignore[attr-defined]
