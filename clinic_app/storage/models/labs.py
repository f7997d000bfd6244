"""Laboratory results on the patient's chart: one row per result."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.domain.labs import LabValue
from clinic_app.storage.models.base import Base, ClinicalRecord


class LabResult(ClinicalRecord, Base):
    """A laboratory result: the test (a code of :data:`clinic_app.domain.labs.LAB_TESTS`), its
    value and unit, the reference range in that unit (optional), the day the sample was taken
    and the source (the laboratory or report it came from). Voided with a reason, never
    deleted; every change is audited."""

    __tablename__ = "lab_results"
    __record_label__: ClassVar[str] = "lab result"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    test: Mapped[str] = mapped_column(String(20))
    value: Mapped[Decimal] = mapped_column(Numeric(14, 3))
    unit: Mapped[str] = mapped_column(String(20))
    ref_low: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    ref_high: Mapped[Decimal | None] = mapped_column(Numeric(14, 3))
    taken_on: Mapped[date]
    source: Mapped[str] = mapped_column(String(120))

    def to_domain(self) -> LabValue:
        """The plain value the lab rules read."""
        return LabValue(
            test=self.test,
            value=self.value,
            unit=self.unit,
            taken_on=self.taken_on,
            ref_low=self.ref_low,
            ref_high=self.ref_high,
        )
