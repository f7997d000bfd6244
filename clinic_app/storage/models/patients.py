"""The patient and what is on file about them: weights, allergies, diagnoses, screening, flags."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from clinic_app.domain.records import ScreeningOutcome, ScreeningResult
from clinic_app.storage.models.base import Base, ClinicalRecord, str_enum
from clinic_app.storage.search_keys import mrn_key, name_key
from clinic_app.storage.types import binary_string


class Sex(StrEnum):
    """Administrative sex as recorded by the hospital."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class WeightKind(StrEnum):
    """Whether a weight was measured today on a scale or estimated/reported."""

    ACTUAL = "actual"
    ESTIMATED = "estimated"


class Patient(ClinicalRecord, Base):
    """A patient. ``family_key``/``given_key`` are folded copies of the names for search."""

    __tablename__ = "patients"
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"version", "family_key", "given_key"})
    __record_label__: ClassVar[str] = "patient record"
    __table_args__ = (
        Index("ix_patients_family_key_given_key", "family_key", "given_key"),
        Index("ix_patients_given_key_family_key", "given_key", "family_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    mrn: Mapped[str] = mapped_column(binary_string(40), unique=True)
    family_name: Mapped[str] = mapped_column(String(120))
    given_names: Mapped[str] = mapped_column(String(120))
    family_key: Mapped[str] = mapped_column(binary_string(120))
    given_key: Mapped[str] = mapped_column(binary_string(120))
    date_of_birth: Mapped[date] = mapped_column(index=True)
    sex: Mapped[Sex] = mapped_column(str_enum(Sex))
    phone: Mapped[str | None] = mapped_column(String(40))
    email: Mapped[str | None] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)

    @validates("mrn")
    def _normalise_mrn(self, _key: str, value: str) -> str:
        return mrn_key(value)

    @validates("family_name")
    def _keep_family_key(self, _key: str, value: str) -> str:
        self.family_key = name_key(value)
        return value

    @validates("given_names")
    def _keep_given_key(self, _key: str, value: str) -> str:
        self.given_key = name_key(value)
        return value


class WeightMeasurement(ClinicalRecord, Base):
    """A body weight in kg with when it was taken and whether it was actual or estimated."""

    __tablename__ = "weight_measurements"
    __record_label__: ClassVar[str] = "weight"
    __table_args__ = (
        Index("ix_weight_measurements_patient_id_measured_at", "patient_id", "measured_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"))
    weight_kg: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    measured_at: Mapped[datetime]
    kind: Mapped[WeightKind] = mapped_column(str_enum(WeightKind), default=WeightKind.ACTUAL)


class Allergy(ClinicalRecord, Base):
    """A known allergy or intolerance."""

    __tablename__ = "allergies"
    __record_label__: ClassVar[str] = "allergy"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    substance: Mapped[str] = mapped_column(String(200))
    reaction: Mapped[str | None] = mapped_column(Text)
    severity: Mapped[str | None] = mapped_column(String(40))
    noted_on: Mapped[date | None]


class NoKnownAllergies(ClinicalRecord, Base):
    """The patient was asked and has no known allergies (NKA), as stated on ``stated_on``.

    A statement, not the absence of a record: while it stands (not voided) the screens and sheets
    say "No known allergies" instead of "ALLERGIES NOT RECORDED". Recording an allergy voids it
    (issue 12, "Allergies").
    """

    __tablename__ = "no_known_allergies"
    __record_label__: ClassVar[str] = "no known allergies"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    stated_on: Mapped[date]


class Diagnosis(ClinicalRecord, Base):
    """A diagnosis (e.g. Crohn's disease), optionally coded (ICD-10)."""

    __tablename__ = "diagnoses"
    __record_label__: ClassVar[str] = "diagnosis"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    description: Mapped[str] = mapped_column(String(200))
    code: Mapped[str | None] = mapped_column(String(40))
    diagnosed_on: Mapped[date | None]


class ScreeningRecord(ClinicalRecord, Base):
    """A pre-treatment screening result (kind matches the protocol's screening kinds)."""

    __tablename__ = "screening_results"
    __record_label__: ClassVar[str] = "screening result"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    taken_on: Mapped[date]
    outcome: Mapped[ScreeningOutcome] = mapped_column(str_enum(ScreeningOutcome))
    valid_until: Mapped[date | None]
    note: Mapped[str | None] = mapped_column(Text)

    def to_domain(self) -> ScreeningResult:
        """The plain record the clinical rules take."""
        return ScreeningResult(
            kind=self.kind, taken_on=self.taken_on, outcome=self.outcome,
            valid_until=self.valid_until,
        )


class ContraindicationFlag(ClinicalRecord, Base):
    """A contraindication on file (protocol code), e.g. raised by an anaphylactic reaction."""

    __tablename__ = "contraindication_flags"
    __record_label__: ClassVar[str] = "contraindication"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    code: Mapped[str] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(40))
    reaction_id: Mapped[int | None] = mapped_column(ForeignKey("reactions.id"))
