"""Reactions (acute during a visit, or delayed and logged later) and the medications given."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.storage.models.base import Base, ClinicalRecord

GRADED_TOGETHER = (
    "(ctcae_term IS NULL AND grade IS NULL AND ctcae_version IS NULL) OR "
    "(ctcae_term IS NOT NULL AND grade IS NOT NULL AND ctcae_version IS NOT NULL)"
)


class Reaction(ClinicalRecord, Base):
    """A reaction, graded with CTCAE or (delayed only) not graded; linked to its infusion visit.

    The CTCAE term, grade and version are all set or all empty: the version is kept with each
    grade (clinical reference, "CTCAE v5.0 grading"), and a delayed reaction that is neither an
    infusion reaction nor anaphylaxis (seed 001: psoriasiform rash) is described in ``notes``.
    """

    __tablename__ = "reactions"
    __record_label__: ClassVar[str] = "reaction"
    __table_args__ = (CheckConstraint("grade BETWEEN 1 AND 5", name="grade_1_to_5"),
                      CheckConstraint(GRADED_TOGETHER, name="graded_together"))

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("infusion_visits.id"), index=True)
    onset_at: Mapped[datetime]
    signs: Mapped[list[str]] = mapped_column(JSON)
    ctcae_term: Mapped[str | None] = mapped_column(String(120))
    grade: Mapped[int | None]
    ctcae_version: Mapped[str | None] = mapped_column(String(10))
    actions: Mapped[str | None] = mapped_column(Text)
    outcome: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    nurse_id: Mapped[int] = mapped_column(ForeignKey("nurses.id"))


class ReactionMedication(ClinicalRecord, Base):
    """A medication given for a reaction: drug, dose, route and time."""

    __tablename__ = "reaction_medications"
    __record_label__: ClassVar[str] = "reaction medication"

    id: Mapped[int] = mapped_column(primary_key=True)
    reaction_id: Mapped[int] = mapped_column(ForeignKey("reactions.id"), index=True)
    drug: Mapped[str] = mapped_column(String(120))
    dose: Mapped[Decimal | None] = mapped_column(Numeric(10, 3))
    dose_unit: Mapped[str | None] = mapped_column(String(20))
    route: Mapped[str | None] = mapped_column(String(30))
    given_at: Mapped[datetime]
    nurse_id: Mapped[int] = mapped_column(ForeignKey("nurses.id"))
