"""Infusion visits through the services: dose, checks, the running infusion, discharge."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from visit_fixtures import (
    NORMAL_VITALS,
    answer_pre_checks,
    book_first_dose,
    open_ready_visit,
)

from clinic_app.domain.errors import ImpossibleWeight, InvalidInput
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ActionNotAllowed, GateBlocked, NotFound, OverrideRequired
from clinic_app.services.patients import record_weight
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import (
    change_rate,
    discharge,
    end_infusion,
    get_visit,
    open_visit,
    pause_infusion,
    preview_dose,
    record_check,
    record_lot,
    record_vitals,
    resume_infusion,
    start_infusion,
)
from clinic_app.storage import verify_audit

Counts = Callable[[], dict[str, int]]
PRODUCT = "Infliximab 100 mg lyophilised powder, single-use vial"


def unchanged(table_counts: Counts, action: Callable[[], object],
              error: type[Exception]) -> Exception:
    """Run ``action``, expect ``error``, and check that not a single row was written."""
    before = table_counts()
    with pytest.raises(error) as caught:
        action()
    assert table_counts() == before
    return caught.value


def test_preview_computes_the_dose_from_the_course_order_without_writing(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    before = table_counts()
    preview = preview_dose(ctx, appointment_id=booking.appointment_id, weight="72.5")
    assert preview.plan.dose_mg == Decimal("362.5")
    assert preview.plan.vial_count == 4
    assert not preview.graduated and preview.premedication is None
    assert table_counts() == before


def test_preview_in_pounds_converts_the_weight(ctx: ServiceContext,
                                               patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    preview = preview_dose(ctx, appointment_id=booking.appointment_id, weight="160", unit="lb")
    assert preview.plan.weight_kg == Decimal("72.5747792")


def test_opening_a_visit_stores_the_weight_and_the_dose_plan_snapshot(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    assert visit.status == "checked_in"
    assert visit.weight_kg_used == Decimal("72.50")
    assert visit.dose_plan.dose_mg == Decimal("362.5")
    assert visit.checklist.of("pre.weight").state.value == "done"
    again = get_visit(ctx, visit_id=visit.id)
    assert again.dose_plan == visit.dose_plan
    assert again.chair == "Chair 3" and again.dose_number == 1


def test_an_impossible_weight_opens_nothing(ctx: ServiceContext, patient: PatientSummary,
                                           table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    error = unchanged(table_counts, lambda: open_visit(
        ctx, appointment_id=booking.appointment_id, weight="seventy"), InvalidInput)
    assert error.field == "weight"  # type: ignore[attr-defined]
    unchanged(table_counts, lambda: open_visit(
        ctx, appointment_id=booking.appointment_id, weight="-3"), ImpossibleWeight)


def test_a_weight_change_over_ten_percent_must_be_acknowledged(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    record_weight(ctx, patient_id=patient.id, weight="60")
    error = unchanged(table_counts, lambda: open_visit(
        ctx, appointment_id=booking.appointment_id, weight="72.5"), OverrideRequired)
    assert error.codes == ("WEIGHT_CHANGE",)  # type: ignore[attr-defined]
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5",
                       acknowledged=["WEIGHT_CHANGE"])
    assert visit.acknowledged == ("WEIGHT_CHANGE",)


def test_a_dose_above_the_label_maximum_needs_a_reason(
        ctx: ServiceContext, make_patient: Callable[..., PatientSummary],
        table_counts: Counts) -> None:
    from visit_fixtures import screen

    from clinic_app.services.courses import book_appointment, get_course, start_course

    patient = make_patient()
    screen(ctx, patient.id)
    course = start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                          indication_id="crohns", mg_per_kg="12", prescriber="Dr Nowak",
                          first_dose="2026-03-02",
                          override_reason="Loss of response, agreed with Dr Nowak")
    first = get_course(ctx, course_id=course.id).appointments[0]
    book_appointment(ctx, appointment_id=first.id, day="2026-03-02", time="10:00", chair="Chair 1",
                     acknowledged=[w.code for w in first.warnings])
    error = unchanged(table_counts, lambda: open_visit(ctx, appointment_id=first.id,
                                                       weight="70"), OverrideRequired)
    assert "ABOVE_LABEL_MAX" in error.codes  # type: ignore[attr-defined]
    visit = open_visit(ctx, appointment_id=first.id, weight="70",
                       override_reason="Loss of response, agreed with Dr Nowak")
    assert visit.dose_plan.override_reason == "Loss of response, agreed with Dr Nowak"


def test_a_visit_opens_only_on_the_booked_day_and_only_once(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id, day="2026-03-03")
    error = unchanged(table_counts, lambda: open_visit(
        ctx, appointment_id=booking.appointment_id, weight="70"), ActionNotAllowed)
    assert "3 Mar 2026" in str(error)
    unchanged(table_counts, lambda: open_visit(ctx, appointment_id=999, weight="70"), NotFound)


def test_opening_the_same_appointment_twice_is_refused(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    open_visit(ctx, appointment_id=booking.appointment_id, weight="70")
    unchanged(table_counts, lambda: open_visit(
        ctx, appointment_id=booking.appointment_id, weight="70"), ActionNotAllowed)


def test_lots_are_checked_against_the_plan_and_the_expiry(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    expired = unchanged(table_counts, lambda: record_lot(
        ctx, visit_id=visit.id, product_name=PRODUCT, lot="AB123", expiry="2026-03-01"),
        InvalidInput)
    assert expired.field == "expiry"  # type: ignore[attr-defined]
    unchanged(table_counts, lambda: record_lot(
        ctx, visit_id=visit.id, product_name="Aspirin", lot="AB123", expiry="2027-01-31"),
        InvalidInput)
    unchanged(table_counts, lambda: record_lot(
        ctx, visit_id=visit.id, product_name=PRODUCT, lot="AB 12\x00", expiry="2027-01-31"),
        InvalidInput)
    lot = record_lot(ctx, visit_id=visit.id, product_name=PRODUCT, lot="AB123",
                     expiry="31.01.2027")
    assert (lot.vials, lot.recorded_by) == (4, "Anna Keller")
    assert get_visit(ctx, visit_id=visit.id).lots == (lot,)


def test_a_checklist_answer_must_fit_the_item(ctx: ServiceContext, patient: PatientSummary,
                                              table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    for key, answer in (("pre.fever_infection", "maybe"), ("pre.nonsense", "no"),
                        ("pre.baseline_vitals", "done"), ("pre.identity", "42")):
        unchanged(table_counts, lambda k=key, a=answer: record_check(
            ctx, visit_id=visit.id, item_key=k, answer=a), InvalidInput)


def test_text_in_a_vitals_field_is_refused_naming_the_field(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    error = unchanged(table_counts, lambda: record_vitals(
        ctx, visit_id=visit.id, item_key="pre.baseline_vitals", systolic="high",
        heart_rate="70"), InvalidInput)
    assert error.field == "systolic"  # type: ignore[attr-defined]
    unchanged(table_counts, lambda: record_vitals(
        ctx, visit_id=visit.id, item_key="pre.baseline_vitals", heart_rate="70",
        at="2030-01-01 10:00"), InvalidInput)


def test_the_infusion_cannot_start_before_the_pre_checks_naming_the_blockers(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    error = unchanged(table_counts, lambda: start_infusion(ctx, visit_id=visit.id),
                      GateBlocked)
    keys = {b.key for b in error.blockers}  # type: ignore[attr-defined]
    assert {"pre.identity", "pre.baseline_vitals", "pre.anaphylaxis_kit"} <= keys
    assert "pre.weight" not in keys


def test_a_blocking_answer_keeps_the_infusion_from_starting_until_corrected(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    record_check(ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="yes",
                 reason="patient now reports a cough")
    error = unchanged(table_counts, lambda: start_infusion(ctx, visit_id=visit.id),
                      GateBlocked)
    assert "call the prescriber" in str(error)
    record_check(ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="No",
                 reason="misheard: no fever")
    assert start_infusion(ctx, visit_id=visit.id).status == "infusing"


def test_the_running_infusion_refuses_actions_out_of_order(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    for action in (lambda: end_infusion(ctx, visit_id=visit.id),
                   lambda: pause_infusion(ctx, visit_id=visit.id),
                   lambda: change_rate(ctx, visit_id=visit.id, rate="100"),
                   lambda: discharge(ctx, visit_id=visit.id)):
        unchanged(table_counts, action, ActionNotAllowed)
    start_infusion(ctx, visit_id=visit.id)
    unchanged(table_counts, lambda: resume_infusion(ctx, visit_id=visit.id), ActionNotAllowed)
    unchanged(table_counts, lambda: start_infusion(ctx, visit_id=visit.id), ActionNotAllowed)
    unchanged(table_counts, lambda: record_check(
        ctx, visit_id=visit.id, item_key="pre.identity"), ActionNotAllowed)
    unchanged(table_counts, lambda: change_rate(ctx, visit_id=visit.id, rate="fast"),
              InvalidInput)


def test_a_rate_that_would_run_under_the_minimum_duration_is_refused(
        ctx: ServiceContext, patient: PatientSummary, clock: object,
        table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=30)  # type: ignore[attr-defined]
    error = unchanged(table_counts, lambda: change_rate(ctx, visit_id=visit.id, rate="200"),
                      InvalidInput)
    assert "at most 125 mL/h" in str(error)


def _record_due_vitals(ctx: ServiceContext, visit_id: int) -> list[str]:
    visit = get_visit(ctx, visit_id=visit_id)
    done = []
    for status in visit.checklist.items:
        if status.item.kind.value == "vitals" and status.state.value in ("due", "overdue"):
            record_vitals(ctx, visit_id=visit_id, item_key=status.item.key, **NORMAL_VITALS)
            done.append(status.item.key)
    return done


def test_a_whole_visit_from_weight_to_discharge_keeps_an_intact_audit_trail(
        ctx: ServiceContext, patient: PatientSummary, clock: object, table_counts: Counts,
        session_factory: object) -> None:
    advance = clock.advance  # type: ignore[attr-defined]
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    assert visit.dose_plan.rate_ml_per_h == Decimal("125.0")
    record_lot(ctx, visit_id=visit.id, product_name=PRODUCT, lot="IFX2291", expiry="2027-06-30")
    visit = answer_pre_checks(ctx, visit.id)
    assert visit.start_gate.allowed
    visit = start_infusion(ctx, visit_id=visit.id)
    start = visit.started_at
    assert _record_due_vitals(ctx, visit.id) == ["vitals.t0"]
    unchanged(table_counts, lambda: record_vitals(
        ctx, visit_id=visit.id, item_key="vitals.t60", **NORMAL_VITALS), ActionNotAllowed)
    advance(minutes=15)
    assert _record_due_vitals(ctx, visit.id) == ["vitals.t15"]
    advance(minutes=5)
    visit = pause_infusion(ctx, visit_id=visit.id, reason="Patient to the bathroom")
    assert visit.infusion is not None and visit.infusion.state == "paused"
    advance(minutes=10)
    visit = resume_infusion(ctx, visit_id=visit.id)
    assert visit.checklist.of("vitals.t30").item.due_at == start + timedelta(minutes=40)
    advance(minutes=20)
    assert _record_due_vitals(ctx, visit.id) == ["vitals.t30"]
    visit = change_rate(ctx, visit_id=visit.id, rate="100", note="Flushing")
    assert visit.infusion is not None and visit.infusion.current_rate_ml_per_h == 100
    assert visit.checklist.of("vitals.rate_change.1").item.due_at == ctx.now() + timedelta(
        minutes=15)
    extra = record_vitals(ctx, visit_id=visit.id, heart_rate="132", systolic="125",
                          diastolic="80")
    assert extra.label == "Extra reading" and [f.code for f in extra.flags] == [
        "HIGH_HEART_RATE"]
    while get_visit(ctx, visit_id=visit.id).checklist.of("vitals.end").state.value != "done":
        advance(minutes=5)
        _record_due_vitals(ctx, visit.id)
    while get_visit(ctx, visit_id=visit.id).infusion.remaining_ml > 0:  # type: ignore[union-attr]
        advance(minutes=1)
    visit = end_infusion(ctx, visit_id=visit.id)
    assert visit.status == "observation" and visit.observation_minutes == 120
    _record_due_vitals(ctx, visit.id)
    blocked = unchanged(table_counts, lambda: discharge(ctx, visit_id=visit.id), GateBlocked)
    assert blocked.blockers[0].key == "obs.end"  # type: ignore[attr-defined]
    unchanged(table_counts, lambda: record_check(
        ctx, visit_id=visit.id, item_key="obs.complete"), ActionNotAllowed)
    for _ in range(24):
        advance(minutes=5)
        _record_due_vitals(ctx, visit.id)
    record_check(ctx, visit_id=visit.id, item_key="obs.complete")
    for key in ("discharge.cannula", "discharge.next_appointment",
                "discharge.delayed_reactions", "discharge.whom_to_call"):
        record_check(ctx, visit_id=visit.id, item_key=key)
    record_check(ctx, visit_id=visit.id, item_key="discharge.feels_well", answer="yes")
    visit = discharge(ctx, visit_id=visit.id)
    assert visit.status == "completed" and visit.discharged_at == ctx.now()
    assert not visit.checklist.overdue
    assert [e.kind for e in visit.events] == ["pause", "resume", "rate_change"]
    unchanged(table_counts, lambda: record_vitals(ctx, visit_id=visit.id, heart_rate="70"),
              ActionNotAllowed)
    with session_factory() as session:  # type: ignore[operator]
        assert verify_audit(session).ok


def test_ending_during_a_pause_ends_at_the_pause_and_records_why(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=25)  # type: ignore[attr-defined]
    paused = pause_infusion(ctx, visit_id=visit.id, reason="Itching and flushing")
    clock.advance(minutes=20)  # type: ignore[attr-defined]
    ended = end_infusion(ctx, visit_id=visit.id, reason="Reaction: stopped for good")
    assert ended.ended_at == paused.infusion.paused_since  # type: ignore[union-attr]
    assert [(e.kind, e.note) for e in ended.events][-1] == ("stop", "Reaction: stopped for good")
    assert ended.observation_end == ended.ended_at + timedelta(minutes=120)  # type: ignore[operator]


def test_a_started_visit_appears_with_its_appointment_done_after_the_end(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    from clinic_app.services.courses import get_course

    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=121)  # type: ignore[attr-defined]
    end_infusion(ctx, visit_id=visit.id)
    course = get_course(ctx, course_id=booking.course_id)
    assert course.appointments[0].status == "done"
    assert course.plan.doses[0].given == datetime(2026, 3, 2, tzinfo=UTC).date()
