"""Treatment courses (the prescriber's order), interval changes and appointments."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import ClassVar

from sqlalchemy import CheckConstraint, ForeignKey, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.domain.protocol_model import DosingMode
from clinic_app.storage.models.base import Base, ClinicalRecord, str_enum, unique_where


class CourseStatus(StrEnum):
    """Where a treatment course stands."""

    ACTIVE = "active"
    ON_HOLD = "on_hold"
    STOPPED = "stopped"
    COMPLETED = "completed"


class AppointmentStatus(StrEnum):
    """Where an appointment stands.

    ``missed``: the patient did not come; ``not_given``: the patient came but the dose was held
    before the start (e.g. fever); both leave the dose owed, to be booked again.
    """

    PLANNED = "planned"
    BOOKED = "booked"
    DONE = "done"
    MISSED = "missed"
    NOT_GIVEN = "not_given"
    CANCELLED = "cancelled"


# A course still running (not voided, neither stopped nor completed): one per patient and drug.
RUNNING_COURSE = "voided_at IS NULL AND status IN ('active', 'on_hold')"
# Rows in force: interval changes and appointments not voided.
NOT_VOIDED = "voided_at IS NULL"


class TreatmentCourse(ClinicalRecord, Base):
    """A course of one drug for one indication, as ordered: mg/kg or a fixed dose in mg.

    Exactly one of ``dose_mg_per_kg`` / ``fixed_dose_mg`` is set, matching ``dosing_mode``. A
    patient has one running course (:data:`RUNNING_COURSE`) of a protocol at most, held by a
    partial unique index so two workstations starting it at once cannot both save one.
    """

    __tablename__ = "treatment_courses"
    __record_label__: ClassVar[str] = "treatment course"
    __table_args__ = (
        CheckConstraint(
            "(dosing_mode = 'mg_per_kg' AND dose_mg_per_kg IS NOT NULL AND fixed_dose_mg IS NULL)"
            " OR (dosing_mode = 'fixed' AND fixed_dose_mg IS NOT NULL"
            " AND dose_mg_per_kg IS NULL)",
            name="one_dose_order",
        ),
        unique_where("uq_treatment_courses_running_protocol", "patient_id", "protocol_id",
                     where=RUNNING_COURSE),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), index=True)
    protocol_id: Mapped[str] = mapped_column(String(40))
    indication_id: Mapped[str] = mapped_column(String(60))
    dosing_mode: Mapped[DosingMode] = mapped_column(str_enum(DosingMode))
    dose_mg_per_kg: Mapped[Decimal | None] = mapped_column(Numeric(7, 3))
    fixed_dose_mg: Mapped[Decimal | None] = mapped_column(Numeric(8, 2))
    prescriber: Mapped[str] = mapped_column(String(120))
    start_date: Mapped[date]
    status: Mapped[CourseStatus] = mapped_column(str_enum(CourseStatus),
                                                 default=CourseStatus.ACTIVE)
    notes: Mapped[str | None] = mapped_column(Text)


class IntervalChange(ClinicalRecord, Base):
    """A prescriber's change of the dosing interval from a given dose number on.

    One change in force per course and first dose (a partial unique index): the schedule
    refuses two changes from the same dose.
    """

    __tablename__ = "interval_changes"
    __record_label__: ClassVar[str] = "interval change"
    __table_args__ = (
        unique_where("uq_interval_changes_from_dose", "course_id", "from_dose_number",
                     where=NOT_VOIDED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("treatment_courses.id"), index=True)
    from_dose_number: Mapped[int]
    interval_weeks: Mapped[int]
    ordered_by: Mapped[str] = mapped_column(String(120))
    reason: Mapped[str | None] = mapped_column(Text)


class Appointment(ClinicalRecord, Base):
    """Dose ``dose_number`` of a course: when it is due and, once booked, when and where.

    One appointment in force per course and dose number (a partial unique index), so a dose
    cannot be booked, and given, twice.
    """

    __tablename__ = "appointments"
    __record_label__: ClassVar[str] = "appointment"
    __table_args__ = (
        unique_where("uq_appointments_dose", "course_id", "dose_number", where=NOT_VOIDED),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("treatment_courses.id"), index=True)
    dose_number: Mapped[int]
    due_date: Mapped[date] = mapped_column(index=True)
    starts_at: Mapped[datetime | None] = mapped_column(index=True)
    chair: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[AppointmentStatus] = mapped_column(str_enum(AppointmentStatus),
                                                      default=AppointmentStatus.PLANNED)
