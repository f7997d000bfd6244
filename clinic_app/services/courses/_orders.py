"""The order of a course as the store keeps it: the label checks where it is written, the
prescriber's changes to it, and the weight the dose plan was made from.

Rules (inside the caller's unit of work):

- Starting a course and changing its order check the order against the label
  (:func:`clinic_app.domain.order_checks.order_warnings`, with the patient's last weight on
  file): an order above the indication's label maximum (``ABOVE_LABEL_MAX``) or a fixed-dose
  drug at another dose (``OFF_LABEL_DOSE``) needs the prescriber's reason, else
  :class:`OverrideRequired` names the codes and nothing is written. The reason and the codes are
  chained to the course's audit trail (:mod:`clinic_app.services.audit_notes`); the reason is
  asked again at each dose, where the dose is prepared (the visit's dose preview).
- A change of the order is kept on the course row (its audit trail keeps the earlier order)
  with a note chained to it: the order, who ordered it, why, the override reason and the
  weight on file at the change (the plan's weight from then on).
- The plan's weight (clinical reference, "Dosing practice": weight change measured from the
  plan's weight, as Epic keeps it per plan): the weight on file when the order was last changed
  (a re-confirmed order counts: the prescriber reviewed it at that weight); when no weight was
  on file then, the weight of the first visit opened after the change; for an order never
  changed, the weight of the course's first visit (the weight dose 1 was calculated from).
  Voided visits and weights are left out, and so is the weight a re-weighing replaces. None
  before the first visit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from decimal import Decimal
from typing import Any

from sqlalchemy import select

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dates import date_text
from clinic_app.domain.order_checks import order_warnings
from clinic_app.domain.protocol_model import Indication, Protocol
from clinic_app.domain.units import plain, round_kg
from clinic_app.domain.weight_checks import ReferenceWeight
from clinic_app.services.audit_notes import note_in_audit
from clinic_app.services.courses._views import OVERRIDE_NOTE
from clinic_app.services.courses.dto import OrderChangeEntry
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.patients import latest_weight
from clinic_app.storage.models import (
    Appointment,
    AuditEntry,
    InfusionVisit,
    TreatmentCourse,
    WeightMeasurement,
)
from clinic_app.storage.unit_of_work import UnitOfWork

ORDER_CHANGE_NOTE = "order_change"
OVERRIDE_CODES_NOTE = "override_codes"


@dataclass(frozen=True)
class DoseOrder:
    """An order that passed the field checks: mg/kg or mg (exactly one)."""

    mg_per_kg: Decimal | None
    fixed_mg: Decimal | None

    @property
    def text(self) -> str:
        """"10 mg/kg" or "300 mg"."""
        if self.mg_per_kg is not None:
            return f"{plain(self.mg_per_kg)} mg/kg"
        return f"{plain(self.fixed_mg)} mg" if self.fixed_mg is not None else ""


def label_warnings(uow: UnitOfWork, patient_id: int, protocol: Protocol, indication: Indication,
                   order: DoseOrder, override_reason: str | None
                   ) -> tuple[ClinicalWarning, ...]:
    """What the label says about the order as written, at the last weight on file."""
    weight = latest_weight(uow, patient_id)
    return order_warnings(protocol, indication, mg_per_kg=order.mg_per_kg,
                          fixed_mg=order.fixed_mg,
                          weight_kg=None if weight is None else weight.weight_kg,
                          override_reason=override_reason)


def require_reason(warnings: Sequence[ClinicalWarning], reason: str | None) -> None:
    """Refuse while a warning needs the prescriber's reason and none is given."""
    needed = [w for w in warnings if w.requires_override]
    if needed and not reason:
        raise OverrideRequired(
            " ".join(w.message for w in needed) + " Give the prescriber's reason to go ahead.",
            tuple(w.code for w in needed))


def note_override(uow: UnitOfWork, course: TreatmentCourse,
                  warnings: Sequence[ClinicalWarning], reason: str | None) -> None:
    """Chain the reason given for an order the label does not cover to the course."""
    codes = [w.code for w in warnings if w.requires_override]
    if reason and codes:
        note_in_audit(uow, course, {OVERRIDE_NOTE: reason, OVERRIDE_CODES_NOTE: codes})


def note_order_change(uow: UnitOfWork, course: TreatmentCourse, *, order: DoseOrder,
                      ordered_by: str, reason: str, override_reason: str | None,
                      warnings: Sequence[ClinicalWarning]) -> None:
    """Chain the change (and the weight on file now, the plan's weight from now on)."""
    weight = latest_weight(uow, course.patient_id)
    note_in_audit(uow, course, {ORDER_CHANGE_NOTE: {
        "order": order.text, "indication_id": course.indication_id, "ordered_by": ordered_by,
        "reason": reason, "override_reason": override_reason,
        OVERRIDE_CODES_NOTE: [w.code for w in warnings if w.requires_override],
        "plan_weight_kg": None if weight is None else weight.weight_kg,
    }})


def _change_notes(uow: UnitOfWork, course_id: int) -> list[tuple[AuditEntry, dict[str, Any]]]:
    history = uow.audit.history(TreatmentCourse.__tablename__, course_id)
    return [(entry, entry.changes[ORDER_CHANGE_NOTE]["new"]) for entry in history
            if ORDER_CHANGE_NOTE in entry.changes]


def start_override_reason(uow: UnitOfWork, course_id: int) -> str:
    """The reason recorded when the course was started with an order the label does not
    cover ('' when none was needed)."""
    for entry in uow.audit.history(TreatmentCourse.__tablename__, course_id):
        if ORDER_CHANGE_NOTE in entry.changes:
            break
        note = entry.changes.get(OVERRIDE_NOTE)
        if note:
            return str(note.get("new") or "")
    return ""


def order_changes(uow: UnitOfWork, course_id: int) -> tuple[OrderChangeEntry, ...]:
    """The prescriber's changes of the order, oldest first."""
    return tuple(
        OrderChangeEntry(
            at=entry.at, order_text=str(note["order"]), indication_id=str(note["indication_id"]),
            ordered_by=str(note["ordered_by"]), reason=str(note["reason"]),
            override_reason=str(note.get("override_reason") or ""),
            plan_weight_kg=None if note.get("plan_weight_kg") is None
            else Decimal(note["plan_weight_kg"]))
        for entry, note in _change_notes(uow, course_id))


def _first_visit_weight(uow: UnitOfWork, course_id: int, *, since: datetime | None,
                        excluding_weight: int | None
                        ) -> tuple[Decimal, datetime, int] | None:
    """(kg, measured at, dose number) of the course's first visit weighed since ``since``."""
    stmt = (select(InfusionVisit.weight_kg_used, WeightMeasurement.measured_at,
                   Appointment.dose_number)
            .join(WeightMeasurement, WeightMeasurement.id == InfusionVisit.weight_id)
            .join(Appointment, Appointment.id == InfusionVisit.appointment_id)
            .where(InfusionVisit.course_id == course_id, InfusionVisit.voided_at.is_(None),
                   WeightMeasurement.voided_at.is_(None)))
    if since is not None:
        stmt = stmt.where(WeightMeasurement.measured_at >= since)
    if excluding_weight is not None:
        stmt = stmt.where(InfusionVisit.weight_id != excluding_weight)
    row = uow.session.execute(
        stmt.order_by(WeightMeasurement.measured_at, InfusionVisit.id).limit(1)).first()
    if row is None or row[0] is None:
        return None
    return row[0], row[1], row[2]


def plan_weight(uow: UnitOfWork, course: TreatmentCourse, *, tz: tzinfo,
                excluding_weight: int | None = None) -> ReferenceWeight | None:
    """The weight the course's dose plan was made from, with where it comes from (module
    rules); ``excluding_weight`` is a weight being replaced by a re-weighing."""
    changes = _change_notes(uow, course.id)
    since = None
    if changes:
        entry, note = changes[-1]
        day = date_text(entry.at.astimezone(tz).date())
        if note.get("plan_weight_kg") is not None:
            kg = Decimal(note["plan_weight_kg"])
            return ReferenceWeight(kg, f"{plain(round_kg(kg))} kg on file when the order was "
                                       f"changed on {day}")
        since = entry.at
    first = _first_visit_weight(uow, course.id, since=since, excluding_weight=excluding_weight)
    if first is None:
        return None
    kg, measured, number = first
    what = "the first dose after the order change" if since is not None else "the first dose"
    return ReferenceWeight(kg, f"{what}, dose {number} on "
                               f"{date_text(measured.astimezone(tz).date())}")
