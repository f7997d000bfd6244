"""Planned surgery and live vaccines on the patient's chart (issue 13): one row each."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.domain.surgery_windows import LiveVaccineFact, PlannedSurgeryFact
from clinic_app.storage.models.base import Base, ClinicalRecord


class PlannedSurgery(ClinicalRecord, Base):
    """A planned operation: the day, the procedure as written, its kind (a code of
    :data:`clinic_app.domain.surgery_windows.SURGERY_KINDS`) and an optional note. Voided with
    a reason, never deleted; every change is audited."""

    __tablename__ = "planned_surgeries"
    __record_label__: ClassVar[str] = "planned surgery"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    planned_on: Mapped[date]
    procedure: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)

    def to_domain(self) -> PlannedSurgeryFact:
        """The plain fact the surgery windows read."""
        return PlannedSurgeryFact(day=self.planned_on, procedure=self.procedure, kind=self.kind)


class Vaccination(ClinicalRecord, Base):
    """A live vaccine given or due: the vaccine's name, ``status`` ("given" or "due"), the day
    given or due and an optional note. Voided with a reason, never deleted; audited."""

    __tablename__ = "vaccinations"
    __record_label__: ClassVar[str] = "live vaccine"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    vaccine: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10))
    on_date: Mapped[date]
    note: Mapped[str | None] = mapped_column(Text)

    def to_domain(self) -> LiveVaccineFact:
        """The plain fact the live-vaccine window reads."""
        return LiveVaccineFact(vaccine=self.vaccine, day=self.on_date, given=self.status == "given")
