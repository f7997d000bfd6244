"""Record the prescriber's decision at a course's response review, and void one with a reason.

The review is the protocol's checkpoint for the course's indication (:mod:`clinic_app.domain.
response_review`, e.g. infliximab in Crohn's disease, week 14). The decision is continue, stop
or other, with the prescriber's name (the course's prescriber when left empty), the day decided
(not in the future, not before the course started) and a note (required for "other": say what
was decided). One decision stands per course and checkpoint: a second is refused until the first
is voided. Every change is audited; a voided decision stays on file with its reason.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.exc import IntegrityError

from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.patient_validation import normalise_name, normalise_text
from clinic_app.domain.response_review import ReviewDecision
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses._appointments import course_detail, load_course
from clinic_app.services.courses._plans import compute_plan
from clinic_app.services.courses._reviews import course_review_point, decision_in_force
from clinic_app.services.courses.dto import CourseDetail
from clinic_app.services.errors import ActionNotAllowed
from clinic_app.services.patients import void_record
from clinic_app.services.typed_input import parse_day
from clinic_app.storage.conflicts import conflict_error
from clinic_app.storage.models import ResponseReview

_CHOICES = ", ".join(d.value for d in ReviewDecision)


def _decision(value: str) -> ReviewDecision:
    try:
        return ReviewDecision(value.strip().casefold())
    except ValueError:
        raise InvalidInput("decision", f"Choose the decision: {_CHOICES}.") from None


def _decided_on(ctx: ServiceContext, value: date | str) -> date:
    day = parse_day(value, field="decided_on", label="Decided on")
    if day > ctx.local_now().date():
        raise InvalidInput("decided_on", "Decided on cannot be in the future.")
    return day


def _note(text: str, decision: ReviewDecision | None) -> str:
    note = normalise_text(text or "", field="note", label="Note", max_length=2000,
                          multiline=True)  # fmt: skip
    if not note and decision is ReviewDecision.OTHER:
        raise InvalidInput("note", 'Say what the prescriber decided (the decision is "other").')
    return note


def record_review_decision(
    ctx: ServiceContext,
    *,
    course_id: int,
    decision: str,
    decided_on: date | str,
    prescriber: str = "",
    note: str = "",
) -> CourseDetail:
    """Record the prescriber's decision at the course's response review (every bad field
    reported at once); the course with its review state comes back.

    Refused (:class:`ActionNotAllowed`) when the course's protocol and indication have no
    response review, or a decision already stands for it (void that one first).
    """
    checks = FieldChecks()
    chosen = checks.check(lambda: _decision(decision))
    day = checks.check(lambda: _decided_on(ctx, decided_on))
    named = checks.check(
        lambda: (
            normalise_name(prescriber, field="prescriber", label="Prescriber")
            if prescriber.strip()
            else ""
        )
    )
    text = checks.check(lambda: _note(note, chosen))
    today = ctx.local_now().date()
    with ctx.unit_of_work() as uow:
        course = load_course(uow, course_id)
        if day is not None:
            checks.check(lambda: _not_before_start(day, course.start_date))
        checks.raise_problems()
        assert chosen is not None and day is not None and text is not None  # raised otherwise
        point = course_review_point(course, compute_plan(ctx, uow, course, as_of=today).plan)
        if point is None:
            raise ActionNotAllowed(
                "This course has no response review (its protocol gives none for this indication)."
            )
        week = point.checkpoint.week
        if decision_in_force(uow, course.id, week) is not None:
            raise ActionNotAllowed(
                f"A decision is already recorded for the week {week} response "
                "review; void it (with a reason) to record another."
            )
        uow.response_reviews.add(
            ResponseReview(
                course_id=course.id,
                checkpoint_week=week,
                dose_number=point.dose_number,
                decision=chosen,
                prescriber=named or course.prescriber,
                decided_on=day,
                note=text or None,
            )
        )
        try:
            uow.flush()
        except IntegrityError:  # another workstation recorded one a moment earlier
            uow.rollback()
            standing = decision_in_force(uow, course.id, week)
            if standing is not None:
                raise conflict_error(uow.session, ResponseReview, standing.id) from None
            raise
        uow.commit()
        return course_detail(ctx, uow, course, as_of=today)


def _not_before_start(day: date, start: date) -> None:
    if day < start:
        raise InvalidInput(
            "decided_on", f"Decided on cannot be before the course started ({date_text(start)})."
        )


def void_review_decision(
    ctx: ServiceContext, *, review_id: int, reason: str, expected_version: int | None = None
) -> CourseDetail:
    """Void a decision recorded in error, with a reason (the row and its audit history stay),
    by the rules of every voided record (:func:`clinic_app.services.patients.void_record`)."""
    void_record(ctx, kind="response_review", record_id=review_id, reason=reason,
                expected_version=expected_version)  # fmt: skip
    today = ctx.local_now().date()
    with ctx.read_only() as uow:
        row = uow.response_reviews.get(review_id)
        course = load_course(uow, row.course_id)
        return course_detail(ctx, uow, course, as_of=today)
