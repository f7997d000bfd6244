"""The course's response review as the screens and the booking gate read it (inside a unit of
work; nothing here writes).

Where the review falls is the domain's rule (:func:`clinic_app.domain.response_review.
plan_review_point`, the protocol's ``[[response_reviews]]`` for the course's indication). Booking
a dose after the review's dose needs the prescriber's decision recorded
(:func:`require_review_decision`): none recorded is :class:`ReviewDecisionRequired`, a decision
to stop refuses the booking.
"""

from __future__ import annotations

from clinic_app.domain.dates import date_text
from clinic_app.domain.response_review import ReviewDecision, ReviewPoint, plan_review_point
from clinic_app.domain.schedule_model import SchedulePlan
from clinic_app.services import catalogue
from clinic_app.services.courses.dto import ResponseReviewState, ReviewDecisionEntry
from clinic_app.services.errors import ActionNotAllowed, ReviewDecisionRequired
from clinic_app.services.patients import nurse_names, voiding
from clinic_app.storage.models import ResponseReview, TreatmentCourse
from clinic_app.storage.unit_of_work import UnitOfWork


def course_review_point(course: TreatmentCourse, plan: SchedulePlan) -> ReviewPoint | None:
    """Where the course's response review falls on ``plan`` (None: no checkpoint, or the plan
    does not reach it)."""
    protocol = catalogue.protocol(course.protocol_id)
    return plan_review_point(protocol, course.indication_id, plan)


def decision_rows(uow: UnitOfWork, course_id: int) -> list[ResponseReview]:
    """Every decision recorded on the course, voided ones included, the latest first."""
    rows = uow.response_reviews.list_by(course_id=course_id, include_voided=True)
    return sorted(rows, key=lambda r: (r.decided_on, r.id), reverse=True)


def decision_in_force(uow: UnitOfWork, course_id: int, week: int) -> ResponseReview | None:
    """The decision standing for the checkpoint at ``week`` (None: not recorded)."""
    return next((r for r in decision_rows(uow, course_id)
                 if not r.is_voided and r.checkpoint_week == week), None)  # fmt: skip


def decision_entry(row: ResponseReview, names: dict[int, str]) -> ReviewDecisionEntry:
    """A decision as the course screen shows it."""
    return ReviewDecisionEntry(
        id=row.id, version=row.version, checkpoint_week=row.checkpoint_week,
        dose_number=row.dose_number, decision=row.decision.value,
        decision_text=row.decision.label, prescriber=row.prescriber, decided_on=row.decided_on,
        note=row.note or "", voided=voiding(row, names),
    )  # fmt: skip


def review_state(
    uow: UnitOfWork,
    course: TreatmentCourse,
    plan: SchedulePlan,
) -> ResponseReviewState | None:
    """The course's review with the decision in force and every decision recorded."""
    point = course_review_point(course, plan)
    if point is None:
        return None
    rows = decision_rows(uow, course.id)
    names = nurse_names(uow.session, [r.voided_by_id for r in rows])
    history = tuple(decision_entry(r, names) for r in rows)
    week = point.checkpoint.week
    standing = next((e for e in history if e.voided is None and e.checkpoint_week == week), None)
    return ResponseReviewState(
        checkpoint_week=week, dose_number=point.dose_number, due=point.due,
        checkpoint_day=point.checkpoint_day, headline=point.headline, when=point.when,
        rule=point.checkpoint.text, source=point.checkpoint.source, decision=standing,
        history=history,
    )  # fmt: skip


def require_review_decision(
    uow: UnitOfWork, course: TreatmentCourse, plan: SchedulePlan, dose_number: int
) -> None:
    """Refuse booking dose ``dose_number`` after the review's dose without the prescriber's
    decision (:class:`ReviewDecisionRequired`), or after a decision to stop
    (:class:`ActionNotAllowed`). Doses up to the review's dose book as before."""
    point = course_review_point(course, plan)
    if point is None or dose_number <= point.dose_number:
        return
    decision = decision_in_force(uow, course.id, point.checkpoint.week)
    if decision is None:
        raise ReviewDecisionRequired(
            f"{point.headline}: {point.checkpoint.text} Record the prescriber's decision "
            f'(continue, stop or other) with "Record review decision…" on the course before '
            f"booking dose {dose_number}."
        )
    if decision.decision is ReviewDecision.STOP:
        raise ActionNotAllowed(
            f"At the response review (week {point.checkpoint.week}) {decision.prescriber} "
            f"decided to stop on {date_text(decision.decided_on)}; dose {dose_number} cannot be "
            "booked. Stop the course, or void the decision if it was recorded in error."
        )
