"""An infusion visit and what is recorded during it: lots, pauses, checklist, vital signs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, ClassVar

from sqlalchemy import JSON, ForeignKey, Index, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.storage.models.base import Base, ClinicalRecord, str_enum, unique_where


class VisitStatus(StrEnum):
    """Where an infusion visit stands."""

    CHECKED_IN = "checked_in"
    INFUSING = "infusing"
    OBSERVATION = "observation"
    COMPLETED = "completed"
    STOPPED = "stopped"
    CANCELLED = "cancelled"


class InfusionEventKind(StrEnum):
    """Something that changed the running infusion."""

    PAUSE = "pause"
    RESUME = "resume"
    RATE_CHANGE = "rate_change"
    STOP = "stop"


# The open visit of an appointment: neither voided nor closed as not given (cancelled).
OPEN_VISIT = "voided_at IS NULL AND status != 'cancelled'"


class InfusionVisit(ClinicalRecord, Base):
    """One infusion: the weight used, a JSON snapshot of the dose plan as shown, and its times.

    ``not_given_reason`` says why a visit closed before the start (status ``cancelled``): what
    was found and who decided, e.g. "Temp 38.4 °C; Dr Nowak: postpone 1 week".

    An appointment has at most one open visit (:data:`OPEN_VISIT`), held by a partial unique
    index: two workstations opening the same appointment at once cannot both save a visit (and
    a dose plan). A voided or cancelled visit leaves room for the next one.
    """

    __tablename__ = "infusion_visits"
    __record_label__: ClassVar[str] = "infusion visit"
    __table_args__ = (
        unique_where("uq_infusion_visits_open_appointment_id", "appointment_id",
                     where=OPEN_VISIT),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("treatment_courses.id"), index=True)
    appointment_id: Mapped[int | None] = mapped_column(ForeignKey("appointments.id"), index=True)
    nurse_id: Mapped[int] = mapped_column(ForeignKey("nurses.id"))
    status: Mapped[VisitStatus] = mapped_column(str_enum(VisitStatus),
                                                default=VisitStatus.CHECKED_IN)
    weight_kg_used: Mapped[Decimal | None] = mapped_column(Numeric(6, 2))
    weight_id: Mapped[int | None] = mapped_column(ForeignKey("weight_measurements.id"))
    dose_plan: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))
    started_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    not_given_reason: Mapped[str | None] = mapped_column(Text)


class ProductLot(ClinicalRecord, Base):
    """A product lot used in a visit, with its expiry and the number of vials taken."""

    __tablename__ = "product_lots"
    __record_label__: ClassVar[str] = "product lot"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("infusion_visits.id"), index=True)
    product: Mapped[str] = mapped_column(String(120))
    lot_number: Mapped[str] = mapped_column(String(60))
    expiry_date: Mapped[date]
    vials: Mapped[int]


class InfusionEvent(ClinicalRecord, Base):
    """A pause, resume, rate change or stop of the running infusion."""

    __tablename__ = "infusion_events"
    __record_label__: ClassVar[str] = "infusion event"
    __table_args__ = (Index("ix_infusion_events_visit_id_at", "visit_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("infusion_visits.id"))
    at: Mapped[datetime]
    kind: Mapped[InfusionEventKind] = mapped_column(str_enum(InfusionEventKind))
    rate_ml_per_h: Mapped[Decimal | None] = mapped_column(Numeric(7, 2))
    note: Mapped[str | None] = mapped_column(Text)
    nurse_id: Mapped[int] = mapped_column(ForeignKey("nurses.id"))


class ChecklistEntry(ClinicalRecord, Base):
    """One answered checklist item (pre-check, monitoring or discharge) of a visit."""

    __tablename__ = "checklist_entries"
    __record_label__: ClassVar[str] = "checklist entry"
    __table_args__ = (Index("ix_checklist_entries_visit_id_item_key", "visit_id", "item_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("infusion_visits.id"))
    item_key: Mapped[str] = mapped_column(String(80))
    value: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime]
    nurse_id: Mapped[int] = mapped_column(ForeignKey("nurses.id"))
    #: Why an answer already saved for this item was changed to this one (None: a first answer).
    correction_reason: Mapped[str | None] = mapped_column(Text, default=None)


class VitalSigns(ClinicalRecord, Base):
    """A set of vital signs; any value may be missing when it was not taken."""

    __tablename__ = "vital_signs"
    __record_label__: ClassVar[str] = "vital signs"
    __table_args__ = (Index("ix_vital_signs_visit_id_measured_at", "visit_id", "measured_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("infusion_visits.id"))
    measured_at: Mapped[datetime]
    phase: Mapped[str | None] = mapped_column(String(30))
    systolic_mmhg: Mapped[int | None]
    diastolic_mmhg: Mapped[int | None]
    heart_rate_bpm: Mapped[int | None]
    temperature_c: Mapped[Decimal | None] = mapped_column(Numeric(4, 1))
    respiratory_rate: Mapped[int | None]
    spo2_percent: Mapped[int | None]
    nurse_id: Mapped[int] = mapped_column(ForeignKey("nurses.id"))
