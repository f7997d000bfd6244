"""The demo keeps the response-review rule (issue 13): a demo course with a dose given or booked
after its review dose has the prescriber's decision recorded, for the named patients (walked
through the services) and the bulk ones (written in batches) alike."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.services.accounts import sign_in
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import get_course
from clinic_app.services.demo import DEMO_PASSWORD, seed_demo
from clinic_app.storage.models import TreatmentCourse

TODAY = date(2026, 3, 2)
PAST_THE_REVIEW = ("done", "booked")


def test_every_demo_course_past_its_review_has_the_prescribers_decision(
    blank_ctx: ServiceContext, session_factory: sessionmaker[Session]
) -> None:
    summary = seed_demo(blank_ctx, today=TODAY, patients=200)
    ctx = blank_ctx.as_nurse(sign_in(blank_ctx, username=summary.username, secret=DEMO_PASSWORD).id)
    with session_factory() as session:
        ids = list(
            session.scalars(
                select(TreatmentCourse.id).where(
                    TreatmentCourse.protocol_id.in_(("infliximab", "vedolizumab"))
                )
            )
        )
    past, decided = 0, 0
    for course_id in ids:
        detail = get_course(ctx, course_id=course_id)
        review = detail.response_review
        if review is None:
            continue
        after = [
            a
            for a in detail.appointments
            if a.dose_number > review.dose_number and a.status in PAST_THE_REVIEW and not a.voided
        ]
        if after:
            past += 1
            assert review.decision is not None, (course_id, review.headline)
            assert review.decision.decision == "continue"
            decided += 1
    assert past >= 10 and decided == past
