"""What the course and appointment use cases give back: plain frozen values, no ORM objects.

``starts_at`` is aware UTC; ``day``/``time`` are the same moment in the clinic's time zone, ready
to show. Statuses travel as text ("active", "planned", "booked", ...).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.schedule_model import SchedulePlan


@dataclass(frozen=True)
class CourseSummary:
    """A treatment course as ordered.

    Exactly one of ``mg_per_kg`` / ``fixed_mg`` is set (``dosing_mode`` "mg_per_kg" or "fixed");
    ``order_text`` reads e.g. "5 mg/kg" or "300 mg". ``interval_weeks`` is the maintenance
    interval in force for the next dose (after any prescribed change).
    """

    id: int
    patient_id: int
    protocol_id: str
    drug: str
    indication_id: str
    indication: str
    dosing_mode: str
    mg_per_kg: Decimal | None
    fixed_mg: Decimal | None
    order_text: str
    prescriber: str
    start_date: date
    status: str
    interval_weeks: int
    next_due: date | None
    version: int
    voided: bool = False


@dataclass(frozen=True)
class AppointmentSummary:
    """Dose ``dose_number`` of a course.

    ``due_date`` is when the dose is due by the plan; ``suggested`` the open day the plan
    proposes (None once given, or when no open day fits). Once booked, ``starts_at`` (aware UTC),
    ``day``/``time`` (clinic local) and ``chair`` are set. ``warnings`` are the booking's warnings
    (or, for a planned dose, the plan's). ``override_reason`` is the reason recorded when the
    booking needed one.
    """

    id: int
    course_id: int
    patient_id: int
    dose_number: int
    due_date: date
    suggested: date | None
    starts_at: datetime | None
    day: date | None
    time: time | None
    chair: str
    status: str
    warnings: tuple[ClinicalWarning, ...]
    override_reason: str
    version: int
    voided: bool = False


@dataclass(frozen=True)
class IntervalChangeEntry:
    """A prescribed change of the maintenance interval from dose ``from_dose`` on."""

    id: int
    from_dose: int
    weeks: int
    ordered_by: str
    reason: str
    recorded_at: datetime


@dataclass(frozen=True)
class OrderChangeEntry:
    """A prescriber's change (or re-confirmation) of the order, from ``at`` on.

    ``order_text`` reads "10 mg/kg" or "300 mg"; ``override_reason`` is the reason given for an
    order the label does not cover ('' when none was needed); ``plan_weight_kg`` the weight on
    file at the change (the plan's weight from then on; None when no weight was on file).
    """

    at: datetime
    order_text: str
    indication_id: str
    ordered_by: str
    reason: str
    override_reason: str
    plan_weight_kg: Decimal | None


@dataclass(frozen=True)
class CourseDetail:
    """A course with its appointments (dose order), interval changes and a fresh plan.

    ``plan`` is the domain's :class:`SchedulePlan` as of ``as_of`` (given doses included);
    ``warnings`` are the plan's own (contraindication cautions, screening, gaps).
    ``order_changes`` are the prescriber's changes of the order, oldest first;
    ``start_override_reason`` the reason recorded when the course was started with an order the
    label does not cover ('' when none was needed).
    """

    course: CourseSummary
    appointments: tuple[AppointmentSummary, ...]
    interval_changes: tuple[IntervalChangeEntry, ...]
    plan: SchedulePlan
    as_of: date
    warnings: tuple[ClinicalWarning, ...]
    order_changes: tuple[OrderChangeEntry, ...] = ()
    start_override_reason: str = ""


@dataclass(frozen=True)
class SlotOffer:
    """A free chair-time suggested for a dose (:func:`~clinic_app.services.courses.
    suggest_slots`): ``day``/``starts``/``ends`` clinic local, ``starts_at`` aware UTC;
    ``starts_in_half_hour`` visits already start in its half hour, of at most ``starts_cap``."""

    day: date
    starts: time
    ends: time
    chair: str
    starts_at: datetime
    starts_in_half_hour: int
    starts_cap: int
