"""Response reviews (issue 13): the course shows where the review falls; booking a dose after it
needs the prescriber's decision recorded (continue / stop / other), kept on the course, audited
and voidable with a reason."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from clinic_app.domain.errors import InvalidInput
from clinic_app.services.chart import patient_audit
from clinic_app.services.courses import (
    book_appointment,
    get_course,
    record_review_decision,
    start_course,
    void_review_decision,
)
from clinic_app.services.courses.dto import CourseDetail, ResponseReviewState, ReviewDecisionEntry
from clinic_app.services.errors import (
    ActionNotAllowed,
    InvalidInputs,
    NotPermitted,
    ReviewDecisionRequired,
)
from clinic_app.storage import verify_audit

MONDAY = "2026-03-09"  # dose 1; week 14 is Monday 15 June 2026
DECIDED = "2026-03-10"  # the day after dose 1 (a decision is neither in the future nor before it)


@pytest.fixture
def crohns(ctx, patient, clock):
    course = start_course(
        ctx,
        patient_id=patient.id,
        protocol_id="infliximab",
        indication_id="crohns",
        mg_per_kg="5",
        prescriber="Dr Ewa Nowak",
        first_dose=MONDAY,
    )
    clock.set(datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    return course


def _review(detail: CourseDetail) -> ResponseReviewState:
    assert detail.response_review is not None
    return detail.response_review


def _decided(detail: CourseDetail) -> ReviewDecisionEntry:
    decision = _review(detail).decision
    assert decision is not None
    return decision


def _dose(ctx, course, number):
    return next(
        a for a in get_course(ctx, course_id=course.id).appointments if a.dose_number == number
    )


def _book(ctx, course, number, day):
    return book_appointment(
        ctx,
        appointment_id=_dose(ctx, course, number).id,
        day=day,
        time="09:00",
        chair="Chair 1",
        acknowledged={"OUTSIDE_WINDOW"},
    )


def test_an_infliximab_crohns_course_shows_the_review_due_at_dose_4_week_14(ctx, crohns):
    review = get_course(ctx, course_id=crohns.id).response_review
    assert review is not None
    assert review.headline == "Response review due at dose 4 (week 14)"
    assert review.dose_number == 4 and review.checkpoint_week == 14
    assert str(review.due) == "2026-06-15"
    assert "week 14" in review.rule and "US label 2.1" in review.source
    assert review.decision is None
    assert review.status_text.endswith("prescriber's decision not recorded yet")


def test_a_course_without_a_checkpoint_has_no_review(ctx, patient, clock):
    course = start_course(
        ctx,
        patient_id=patient.id,
        protocol_id="infliximab",
        indication_id="rheumatoid_arthritis",
        mg_per_kg="3",
        prescriber="Dr Ewa Nowak",
        first_dose=MONDAY,
    )
    clock.set(datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    assert get_course(ctx, course_id=course.id).response_review is None
    with pytest.raises(ActionNotAllowed, match="no response review"):
        record_review_decision(ctx, course_id=course.id, decision="continue", decided_on=DECIDED)


def test_doses_up_to_the_review_dose_book_without_a_decision(ctx, crohns):
    assert _book(ctx, crohns, 4, "2026-06-15").status == "booked"


def test_booking_the_dose_after_the_review_without_a_decision_is_refused_naming_it(
    ctx, crohns, table_counts
):
    before = table_counts()
    with pytest.raises(ReviewDecisionRequired) as refusal:
        _book(ctx, crohns, 5, "2026-08-10")
    message = str(refusal.value)
    assert "Response review due at dose 4 (week 14)" in message
    assert "Record review decision" in message and "dose 5" in message
    assert table_counts() == before


def test_a_recorded_continue_decision_lets_the_next_dose_be_booked(ctx, crohns):
    detail = record_review_decision(
        ctx,
        course_id=crohns.id,
        decision="continue",
        decided_on=DECIDED,
        note="Clear clinical response",
    )
    decision = _decided(detail)
    assert (decision.decision, decision.decision_text, decision.prescriber) == (
        "continue",
        "Continue",
        "Dr Ewa Nowak",
    )  # the course's prescriber when left empty
    assert decision.dose_number == 4 and decision.checkpoint_week == 14
    assert "Continue (Dr Ewa Nowak, 10 Mar 2026) — Clear clinical response" in (
        _review(detail).status_text
    )
    assert _book(ctx, crohns, 5, "2026-08-10").status == "booked"


def test_a_decision_to_stop_refuses_the_next_booking(ctx, crohns):
    record_review_decision(
        ctx,
        course_id=crohns.id,
        decision="stop",
        decided_on=DECIDED,
        prescriber="Dr Jan Kowalski",
        note="No response",
    )
    with pytest.raises(ActionNotAllowed, match="Dr Jan Kowalski decided to stop") as refusal:
        _book(ctx, crohns, 5, "2026-08-10")
    assert not isinstance(refusal.value, ReviewDecisionRequired)


def test_other_needs_a_note_and_every_bad_field_is_reported_at_once(ctx, crohns):
    with pytest.raises(InvalidInputs) as refusal:
        record_review_decision(
            ctx, course_id=crohns.id, decision="other", decided_on="2026-03-11"
        )  # tomorrow: in the future
    assert {e.field for e in refusal.value.errors} == {"note", "decided_on"}
    with pytest.raises(InvalidInput, match="before the course started"):
        record_review_decision(ctx, course_id=crohns.id, decision="stop", decided_on="2026-03-08")
    with pytest.raises(InvalidInput, match="Choose the decision"):
        record_review_decision(ctx, course_id=crohns.id, decision="maybe", decided_on=DECIDED)


def test_a_second_decision_is_refused_until_the_first_is_voided(ctx, crohns):
    first = _decided(
        record_review_decision(ctx, course_id=crohns.id, decision="stop", decided_on=DECIDED)
    )
    with pytest.raises(ActionNotAllowed, match="void it"):
        record_review_decision(ctx, course_id=crohns.id, decision="continue", decided_on=DECIDED)
    detail = void_review_decision(ctx, review_id=first.id, reason="Wrong patient's letter")
    assert _review(detail).decision is None
    (voided,) = _review(detail).history
    assert voided.voided is not None and voided.voided.reason == "Wrong patient's letter"
    again = record_review_decision(
        ctx, course_id=crohns.id, decision="continue", decided_on=DECIDED
    )
    assert _decided(again).decision == "continue"
    assert len(_review(again).history) == 2


def test_voiding_the_decision_gates_the_booking_again(ctx, crohns):
    detail = record_review_decision(
        ctx, course_id=crohns.id, decision="continue", decided_on=DECIDED
    )
    void_review_decision(ctx, review_id=_decided(detail).id, reason="Entered on the wrong course")
    with pytest.raises(ReviewDecisionRequired):
        _book(ctx, crohns, 5, "2026-08-10")


def test_decisions_are_audited_and_another_nurses_decision_needs_a_charge_nurse_to_void(
    ctx, second_ctx, crohns, session_factory
):
    detail = record_review_decision(
        ctx, course_id=crohns.id, decision="continue", decided_on=DECIDED
    )
    with pytest.raises(NotPermitted):
        void_review_decision(second_ctx, review_id=_decided(detail).id, reason="Not mine")
    with ctx.read_only() as uow:
        history = uow.audit.history("response_reviews", _decided(detail).id)
    assert [e.action.value for e in history] == ["insert"]
    with session_factory() as session:
        assert verify_audit(session).ok


def test_vedolizumab_reviews_at_week_14_for_ulcerative_colitis(ctx, patient):
    course = start_course(
        ctx,
        patient_id=patient.id,
        protocol_id="vedolizumab",
        indication_id="ulcerative_colitis",
        fixed_mg="300",
        prescriber="Dr Ewa Nowak",
        first_dose=MONDAY,
    )
    review = get_course(ctx, course_id=course.id).response_review
    assert review is not None and review.headline == "Response review due at dose 4 (week 14)"
    assert "benefit" in review.rule


def test_the_decision_and_its_voiding_are_in_the_patients_audit_trail(ctx, patient, crohns):
    detail = record_review_decision(
        ctx, course_id=crohns.id, decision="continue", decided_on=DECIDED, note="Responding"
    )
    void_review_decision(ctx, review_id=_decided(detail).id, reason="Wrong course")
    lines = [
        (line.action, line.field, line.new)
        for line in patient_audit(ctx, patient_id=patient.id)
        if line.record == "response review decision"
    ]
    assert ("insert", "decision", "continue") in lines
    assert ("insert", "note", "Responding") in lines
    assert ("void", "void_reason", "Wrong course") in lines
