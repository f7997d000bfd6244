"""Opening an infusion visit, shared by :func:`~._recording.open_visit` and the
re-weighing of a visit before the start (:mod:`._closing`).

Rules (inside the caller's unit of work; the caller commits, except :func:`commit_opening`):

- a visit opens only for a dose booked for today;
- an appointment has one open visit at most (neither voided nor cancelled). A second opening is
  refused naming who opened the visit and when, also when another workstation opened it
  between this one's check and its save: the database's partial unique index
  (:class:`~clinic_app.storage.models.InfusionVisit`) refuses the second visit, and nothing of
  the second opening (its weight included) is kept;
- every warning of the dose preview that needs a reason has one (the preview then lists none in
  ``override_needed``), and every warning that needs an acknowledgement is acknowledged, else
  :class:`OverrideRequired` names the codes and nothing is written;
- today's weight is stored (actual, to 0.01 kg) with the dose plan calculated from it as a
  snapshot, and answers the checklist's weight item; the snapshot keeps every warning the
  nurse decided on (the plan's and the patient's: screening, earlier reactions,
  contraindication cautions) so the visit and its record show what was overridden.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace
from datetime import datetime
from decimal import Decimal

from sqlalchemy.exc import IntegrityError

from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.units import plain, round_kg
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ActionNotAllowed, OverrideRequired
from clinic_app.services.patients import nurse_names
from clinic_app.services.visits._dose_preview import AppointmentRows
from clinic_app.services.visits._dose_snapshot import snapshot_json
from clinic_app.services.visits._rules import local_hm
from clinic_app.services.visits.dto import DosePreview
from clinic_app.storage.models import (
    AppointmentStatus,
    ChecklistEntry,
    InfusionVisit,
    VisitStatus,
    WeightKind,
    WeightMeasurement,
)
from clinic_app.storage.unit_of_work import UnitOfWork

WEIGHT_KEY = "pre.weight"


def acknowledged_codes(value: Collection[str]) -> frozenset[str]:
    """The acknowledged warning codes, or :class:`InvalidInput` for anything else."""
    if isinstance(value, str) or not all(isinstance(code, str) for code in value):
        raise InvalidInput("acknowledged", "Acknowledged warnings are a list of warning codes.")
    return frozenset(value)


def require_decisions(preview: DosePreview, acknowledged: frozenset[str]) -> None:
    """Refuse while a warning needs a reason or an acknowledgement not given."""
    if preview.override_needed:
        texts = [w.message for w in preview.warnings if w.code in preview.override_needed]
        raise OverrideRequired("A reason is needed before this dose is given: "
                               + " ".join(texts), preview.override_needed)
    missing = tuple(code for code in preview.ack_needed if code not in acknowledged)
    if missing:
        texts = [w.message for w in preview.warnings if w.code in missing]
        raise OverrideRequired("Acknowledge before opening the visit: " + " ".join(texts),
                               missing)


def require_bookable_today(ctx: ServiceContext, rows_status: AppointmentStatus,
                           starts_at: datetime | None, dose_number: int) -> None:
    """Refuse unless the dose is booked for today (clinic local day)."""
    if rows_status is not AppointmentStatus.BOOKED or starts_at is None:
        raise ActionNotAllowed(f"Dose {dose_number} is {rows_status.value.replace('_', ' ')}, "
                               "not booked: book it for today before opening the visit.")
    booked_day = starts_at.astimezone(ctx.tz).date()
    if booked_day != ctx.local_now().date():
        raise ActionNotAllowed(f"Dose {dose_number} is booked for {date_text(booked_day)}, "
                               "not today: move the booking to today first.")


def refuse_second_opening(ctx: ServiceContext, uow: UnitOfWork, appointment_id: int) -> None:
    """Refuse while the appointment has an open visit, naming who opened it and when (the
    visit's insert in the audit trail)."""
    visit = uow.visits.open_for_appointment(appointment_id)
    if visit is None:
        return
    who = nurse_names(uow.session, [visit.nurse_id]).get(visit.nurse_id, "Another nurse")
    inserted = next(iter(uow.audit.history(InfusionVisit.__tablename__, visit.id)), None)
    when = "" if inserted is None else f" at {local_hm(ctx, inserted.at)}"
    raise ActionNotAllowed(f"{who} opened this visit{when}; open it from Today.")


def round_kg_to_hundredth(kg: Decimal) -> Decimal:
    """A weight as stored (0.01 kg); the dose plan keeps the exact value."""
    return kg.quantize(Decimal("0.01"))


def record_opening(ctx: ServiceContext, uow: UnitOfWork, rows: AppointmentRows,
                   preview: DosePreview, acknowledged: frozenset[str]) -> InfusionVisit:
    """Stage today's weight, the visit with its dose plan snapshot and the weight answer."""
    now, kg = ctx.now(), round_kg_to_hundredth(preview.plan.weight_kg)
    measured = uow.weights.add(WeightMeasurement(
        patient_id=rows.patient.id, weight_kg=kg, measured_at=now, kind=WeightKind.ACTUAL))
    uow.flush()
    visit = uow.visits.add(InfusionVisit(
        patient_id=rows.patient.id, course_id=rows.course.id,
        appointment_id=rows.appointment.id, nurse_id=ctx.nurse_id,
        status=VisitStatus.CHECKED_IN, weight_kg_used=kg, weight_id=measured.id,
        dose_plan=snapshot_json(replace(preview.plan, warnings=preview.warnings),
                                tuple(sorted(acknowledged & set(preview.ack_needed)))),
    ))
    uow.flush()
    uow.checklist.add(ChecklistEntry(visit_id=visit.id, item_key=WEIGHT_KEY,
                                     value=plain(round_kg(preview.plan.weight_kg)),
                                     recorded_at=now, nurse_id=ctx.nurse_id))
    return visit


def commit_opening(ctx: ServiceContext, uow: UnitOfWork, rows: AppointmentRows,
                   preview: DosePreview, acknowledged: frozenset[str]) -> int:
    """Record the opening (:func:`record_opening`) and commit; the new visit's id.

    When another workstation opened the same appointment after this one checked, the unique
    index refuses this visit: everything of this opening is rolled back and the refusal names
    the winner, as :func:`refuse_second_opening` does (module rules).
    """
    try:
        visit = record_opening(ctx, uow, rows, preview, acknowledged)
        uow.commit()
    except IntegrityError:
        uow.rollback()
        refuse_second_opening(ctx, uow, rows.appointment.id)
        raise
    return visit.id
