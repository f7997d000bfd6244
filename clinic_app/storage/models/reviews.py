"""The prescriber's decision at a course's response review (issue 13, "Response reviews")."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.domain.response_review import ReviewDecision
from clinic_app.storage.models.base import Base, ClinicalRecord, str_enum, unique_where

# One decision in force per course and checkpoint week (voided ones stay on file).
DECISION_IN_FORCE = "voided_at IS NULL"


class ResponseReview(ClinicalRecord, Base):
    """The prescriber's ``decision`` (continue, stop, other) at the course's response review:
    the checkpoint ``checkpoint_week``, the dose it fell at (``dose_number``), who decided
    (``prescriber``), the day (``decided_on``) and a ``note``. Voided with a reason, never
    deleted; one in force per course and checkpoint (a partial unique index)."""

    __tablename__ = "response_reviews"
    __record_label__: ClassVar[str] = "response review decision"
    __table_args__ = (
        unique_where(
            "uq_response_reviews_course_week",
            "course_id",
            "checkpoint_week",
            where=DECISION_IN_FORCE,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("treatment_courses.id"), index=True)
    checkpoint_week: Mapped[int]
    dose_number: Mapped[int]
    decision: Mapped[ReviewDecision] = mapped_column(str_enum(ReviewDecision))
    prescriber: Mapped[str] = mapped_column(String(120))
    decided_on: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)
