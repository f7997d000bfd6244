"""Drug levels and anti-drug antibodies (therapeutic drug monitoring) of a course."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.storage.models.base import Base, ClinicalRecord


class DrugLevel(ClinicalRecord, Base):
    """A trough level or an anti-drug antibody result of a course, as the lab reported it:
    ``kind`` "trough" (value in µg/mL) or "antibody" (a value with its unit and the assay's
    optional cutoff, or a bare ``reported`` positive/negative), the assay, the day drawn and
    the dose it was drawn before (with the appointment of that dose when on file). Checked by
    :mod:`clinic_app.domain.drug_levels`; voided with a reason, never deleted; audited."""

    __tablename__ = "drug_levels"
    __record_label__: ClassVar[str] = "drug level"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("treatment_courses.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))
    value: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    unit: Mapped[str] = mapped_column(String(30))
    reported: Mapped[str | None] = mapped_column(String(10))
    cutoff: Mapped[Decimal | None] = mapped_column(Numeric(12, 3))
    assay: Mapped[str | None] = mapped_column(String(120))
    drawn_on: Mapped[date]
    before_dose_number: Mapped[int | None]
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"))
    nurse_id: Mapped[int] = mapped_column(ForeignKey("nurses.id"))
