"""Closing a visit before the start: a dose not given today, and a visit re-weighed."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal

import pytest
from visit_fixtures import (
    PRODUCT_INFLIXIMAB,
    answer_pre_checks,
    book,
    book_first_dose,
    open_ready_visit,
)

from clinic_app.domain.errors import ImpossibleWeight, InvalidInput
from clinic_app.services.chart import get_chart
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import get_course
from clinic_app.services.errors import (
    ActionNotAllowed,
    ConcurrentEditError,
    InvalidInputs,
    NotFound,
    OverrideRequired,
)
from clinic_app.services.patients import record_weight
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import (
    get_visit,
    hold_dose,
    open_visit,
    preview_reweigh,
    record_check,
    record_lot,
    reweigh_visit,
    start_infusion,
)
from clinic_app.storage import UnitOfWork, verify_audit

Counts = Callable[[], dict[str, int]]
FEVER = "Temp 38.4 °C; Dr Nowak: postpone 1 week"


def unchanged(table_counts: Counts, action: Callable[[], object],
              error: type[Exception]) -> Exception:
    """Run ``action``, expect ``error``, and check that not a single row was written."""
    before = table_counts()
    with pytest.raises(error) as caught:
        action()
    assert table_counts() == before
    return caught.value


# ---- not given today ------------------------------------------------------------------------

def test_a_dose_not_given_closes_the_visit_with_its_reason(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    record_check(ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="yes")
    closed = hold_dose(ctx, visit_id=visit.id, reason=f"  {FEVER} ",
                       expected_version=visit.version)
    assert (closed.id, closed.status, closed.not_given_reason) == (visit.id, "cancelled", FEVER)
    assert closed.started_at is None and closed.infusion is None
    chart = get_chart(ctx, patient_id=patient.id)
    assert [(v.id, v.status) for v in chart.visits] == [(visit.id, "cancelled")]


def test_the_dose_not_given_stays_owed_and_can_be_booked_again(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    hold_dose(ctx, visit_id=visit.id, reason=FEVER)
    course = get_course(ctx, course_id=booking.course_id)
    first = course.appointments[0]
    assert first.status == "not_given"
    assert course.plan.doses[0].given is None
    later = get_course(ctx, course_id=booking.course_id, as_of="2026-04-01").appointments[0]
    assert "OVERDUE" in {w.code for w in later.warnings}
    assert later.suggested == date(2026, 4, 1)
    clock.advance(days=7)  # type: ignore[attr-defined]
    book(ctx, booking.appointment_id, "2026-03-09")
    again = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    assert again.id != visit.id and again.status == "checked_in"


def test_a_dose_not_given_is_in_the_audit_trail_under_the_nurse(
        ctx: ServiceContext, patient: PatientSummary, session_factory: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    hold_dose(ctx, visit_id=visit.id, reason=FEVER)
    with UnitOfWork(session_factory, nurse_id=None) as uow:  # type: ignore[arg-type]
        changes = [(e.actor_id, e.changes) for e in uow.audit.history("infusion_visits",
                                                                       visit.id)]
        appointment = uow.audit.history("appointments", booking.appointment_id)[-1]
        assert verify_audit(uow.session).ok
    assert (ctx.nurse_id, {"status": {"old": "checked_in", "new": "cancelled"},
                           "not_given_reason": {"old": None, "new": FEVER}}) in changes
    assert appointment.changes["status"] == {"old": "booked", "new": "not_given"}


def test_a_dose_not_given_needs_a_reason(ctx: ServiceContext, patient: PatientSummary,
                                         table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    refused = unchanged(table_counts, lambda: hold_dose(ctx, visit_id=visit.id, reason="  "),
                        InvalidInput)
    assert refused.field == "reason"  # type: ignore[attr-defined]
    assert "who decided" in str(refused)


def test_after_the_start_the_dose_cannot_be_marked_as_not_given(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    refused = unchanged(table_counts, lambda: hold_dose(ctx, visit_id=visit.id, reason=FEVER),
                        ActionNotAllowed)
    assert "the infusion started at 09:30" in str(refused)
    assert "End infusion" in str(refused)


def test_a_visit_not_given_cannot_be_closed_again_nor_started(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    hold_dose(ctx, visit_id=visit.id, reason=FEVER)
    with pytest.raises(ActionNotAllowed, match="closed as not given"):
        hold_dose(ctx, visit_id=visit.id, reason="again")
    with pytest.raises(ActionNotAllowed, match="cancelled"):
        start_infusion(ctx, visit_id=visit.id)


def test_a_dose_not_given_elsewhere_meanwhile_is_a_conflict_naming_the_nurse(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    hold_dose(second_ctx, visit_id=visit.id, reason=FEVER)
    with pytest.raises(ConcurrentEditError, match="Beat Meier"):
        hold_dose(ctx, visit_id=visit.id, reason="Fever", expected_version=visit.version)


# ---- re-weighing before the start -----------------------------------------------------------

def test_reweighing_voids_the_wrong_weight_and_visit_and_opens_a_new_one(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    wrong = open_visit(ctx, appointment_id=booking.appointment_id, weight="62.5")
    record_lot(ctx, visit_id=wrong.id, product_name=PRODUCT_INFLIXIMAB, lot="IFX2291",
               expiry="2027-06-30")
    answer_pre_checks(ctx, wrong.id)
    new = reweigh_visit(ctx, visit_id=wrong.id, weight="72.5", reason="Shoes and coat on",
                        expected_version=wrong.version)
    assert new.id != wrong.id and new.appointment_id == booking.appointment_id
    assert new.status == "checked_in" and new.weight_kg_used == Decimal("72.50")
    assert new.dose_plan.dose_mg == Decimal("362.5")
    assert [(e.item_key, e.answer) for e in new.entries] == [("pre.weight", "72.5")]
    assert new.lots == () and new.vitals == ()
    assert not new.start_gate.allowed  # the pre-check starts again
    with pytest.raises(NotFound):
        get_visit(ctx, visit_id=wrong.id)
    chart = get_chart(ctx, patient_id=patient.id)
    assert [w.weight_kg for w in chart.weights if w.voided is None] == [Decimal("72.50")]
    voided = {v.id: v.voided for v in chart.visits}
    assert voided[new.id] is None
    assert voided[wrong.id] is not None
    assert voided[wrong.id].reason == "Re-weighed: Shoes and coat on"


def test_the_weight_change_is_checked_against_the_weight_before_the_wrong_one(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    record_weight(ctx, patient_id=patient.id, weight="60")
    booking = book_first_dose(ctx, patient.id)
    wrong = open_visit(ctx, appointment_id=booking.appointment_id, weight="62")
    preview = preview_reweigh(ctx, visit_id=wrong.id, weight="72.5")
    assert preview.previous_weight_kg == Decimal("60.00")
    assert preview.ack_needed == ("WEIGHT_CHANGE",)
    refused = unchanged(table_counts, lambda: reweigh_visit(
        ctx, visit_id=wrong.id, weight="72.5", reason="Misread the scale"), OverrideRequired)
    assert refused.codes == ("WEIGHT_CHANGE",)  # type: ignore[attr-defined]
    new = reweigh_visit(ctx, visit_id=wrong.id, weight="72.5", reason="Misread the scale",
                        acknowledged=["WEIGHT_CHANGE"])
    assert new.acknowledged == ("WEIGHT_CHANGE",)


def test_reweighing_in_pounds_calculates_the_dose_from_the_converted_weight(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    wrong = open_visit(ctx, appointment_id=booking.appointment_id, weight="62.5")
    new = reweigh_visit(ctx, visit_id=wrong.id, weight="159.6", unit="lb",
                        reason="Weighed in pounds")
    assert new.weight_kg_used == Decimal("72.39")


@pytest.mark.parametrize(("weight", "reason", "error"), [
    ("72.5", "", InvalidInput),
    ("abc", "Misread", InvalidInput),
    ("700", "Misread", ImpossibleWeight),
])
def test_a_refused_reweighing_writes_nothing(ctx: ServiceContext, patient: PatientSummary,
                                             table_counts: Counts, weight: str, reason: str,
                                             error: type[Exception]) -> None:
    booking = book_first_dose(ctx, patient.id)
    wrong = open_visit(ctx, appointment_id=booking.appointment_id, weight="62.5")
    unchanged(table_counts, lambda: reweigh_visit(ctx, visit_id=wrong.id, weight=weight,
                                                  reason=reason), error)
    assert get_visit(ctx, visit_id=wrong.id).weight_kg_used == Decimal("62.50")


def test_a_missing_reason_and_a_refused_weight_are_reported_together(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    wrong = open_visit(ctx, appointment_id=booking.appointment_id, weight="62.5")
    refused = unchanged(table_counts, lambda: reweigh_visit(
        ctx, visit_id=wrong.id, weight="700", reason="  "), InvalidInputs)
    assert [e.field for e in refused.errors] == ["weight", "reason"]  # type: ignore[attr-defined]
    assert isinstance(refused.errors[0], ImpossibleWeight)  # type: ignore[attr-defined]
    assert "Give the reason for re-weighing" in str(refused)


def test_after_the_start_the_visit_cannot_be_reweighed(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    refused = unchanged(table_counts, lambda: reweigh_visit(
        ctx, visit_id=visit.id, weight="80", reason="Misread"), ActionNotAllowed)
    assert "Cannot re-weigh: the infusion started at 09:30" in str(refused)
    with pytest.raises(ActionNotAllowed, match="Cannot re-weigh"):
        preview_reweigh(ctx, visit_id=visit.id, weight="80")


def test_reweighing_keeps_an_intact_audit_trail(ctx: ServiceContext, patient: PatientSummary,
                                                session_factory: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    wrong = open_visit(ctx, appointment_id=booking.appointment_id, weight="62.5")
    reweigh_visit(ctx, visit_id=wrong.id, weight="72.5", reason="Misread")
    with UnitOfWork(session_factory, nurse_id=None) as uow:  # type: ignore[arg-type]
        assert verify_audit(uow.session).ok
        last = uow.audit.history("infusion_visits", wrong.id)[-1]
    assert last.changes["void_reason"]["new"] == "Re-weighed: Misread"


# ---- the graduated infusion's steps -----------------------------------------------------------

def test_a_graduated_infusion_shows_its_step_and_when_the_next_begins(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id, graduated=True)
    visit = start_infusion(ctx, visit_id=visit.id)
    start, steps = visit.started_at, visit.dose_plan.titration
    progress = visit.infusion
    assert progress is not None and start is not None
    assert (progress.step_number, progress.step_count) == (1, len(steps))
    assert progress.next_rate_ml_per_h == steps[1].rate_ml_per_h
    assert progress.next_step_at == start + timedelta(minutes=15)
    clock.advance(minutes=20)  # type: ignore[attr-defined]
    progress = get_visit(ctx, visit_id=visit.id).infusion
    assert progress is not None and progress.step_number == 2
    assert progress.next_step_at == start + timedelta(minutes=30)


def test_while_paused_the_next_step_is_when_it_would_begin_if_resumed_now(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    from clinic_app.services.visits import pause_infusion

    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(
        ctx, booking.appointment_id, graduated=True).id)
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    pause_infusion(ctx, visit_id=visit.id, reason="Patient request")
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    progress = get_visit(ctx, visit_id=visit.id).infusion
    assert progress is not None and progress.state == "paused"
    assert progress.step_number == 1
    assert progress.next_step_at == ctx.now() + timedelta(minutes=5)


def test_with_one_rate_there_is_no_next_step_and_after_a_change_the_table_s_next_step_is_due(
        ctx: ServiceContext, patient: PatientSummary, make_patient: Callable[..., PatientSummary],
        clock: object) -> None:
    """One rate: no step. A graduated infusion put to 30 mL/h by hand (above step 1, 20 mL/h)
    no longer runs the table by itself (no step number); its next step, 40 mL/h, is due when
    the table's step 1 would have ended after the change: 15 min later (issue 12)."""
    from clinic_app.services.visits import change_rate

    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    progress = visit.infusion
    assert progress is not None
    assert (progress.step_number, progress.next_rate_ml_per_h, progress.next_step_at) == (
        None, None, None)
    assert progress.projected_end == visit.started_at + timedelta(minutes=120)  # type: ignore[operator]
    second = make_patient(mrn="MRN002", family_name="Иванова", given_names="Анна")
    graduated = book_first_dose(ctx, second.id, time="11:00", chair="Chair 4")
    other = start_infusion(ctx, visit_id=open_ready_visit(
        ctx, graduated.appointment_id, graduated=True).id)
    clock.advance(minutes=5)  # type: ignore[attr-defined]
    changed = change_rate(ctx, visit_id=other.id, rate="30").infusion
    assert changed is not None
    assert (changed.step_number, changed.next_rate_ml_per_h, changed.next_step_at) == (
        None, Decimal(40), ctx.now() + timedelta(minutes=15))


def test_a_patient_whose_visit_is_open_cannot_be_marked_as_not_attended(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    from clinic_app.services.courses import mark_did_not_attend

    booking = book_first_dose(ctx, patient.id)
    open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    with pytest.raises(ActionNotAllowed, match="Do not give today"):
        mark_did_not_attend(ctx, appointment_id=booking.appointment_id)


def test_a_missing_tb_test_needs_a_reason_before_the_visit_opens(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    from clinic_app.services.patients import void_record
    from clinic_app.services.visits import preview_dose

    booking = book_first_dose(ctx, patient.id)
    for entry in get_chart(ctx, patient_id=patient.id).screenings:
        if entry.kind == "tb":
            void_record(ctx, kind="screening", record_id=entry.id, reason="Wrong patient")
    preview = preview_dose(ctx, appointment_id=booking.appointment_id, weight="72.5")
    assert "SCREENING_DUE" in preview.override_needed
    assert any("TB" in w.message for w in preview.warnings if w.code == "SCREENING_DUE")
    with pytest.raises(OverrideRequired):
        open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5")
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5",
                       override_reason="IGRA negative 2026-02-20 in the hospital record")
    assert visit.status == "checked_in"
