"""Demo visits walked through the real use cases, with a clock the demo moves.

Used for the demo's named patients: their past visits (written whole, as a nurse would have
recorded them, in one audited transaction) and today's visits (open, checked, infusing, in
observation or discharged), each step through the same services the GUI calls.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.domain.checklists import CLEARANCE_KEY
from clinic_app.domain.vials import VialUse
from clinic_app.services.chairs import add_chair, list_chairs
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import book_appointment, course_appointments, sync_appointments
from clinic_app.services.demo._visits import (
    VisitTemplate,
    check_rows,
    normal_vitals,
    template_for,
    vitals_rows,
)
from clinic_app.services.errors import ChairTaken, OverrideRequired
from clinic_app.services.visits import (
    discharge,
    end_infusion,
    get_visit,
    load_appointment,
    open_visit,
    preview_dose,
    preview_for,
    record_check,
    record_lot,
    record_vitals,
    snapshot_json,
    start_infusion,
)
from clinic_app.services.visits.dto import VisitDetail
from clinic_app.storage.models import (
    AppointmentStatus,
    ChecklistEntry,
    InfusionVisit,
    Premedication,
    ProductLot,
    VisitStatus,
    VitalSigns,
    WeightKind,
    WeightMeasurement,
)
from clinic_app.storage.unit_of_work import UnitOfWork

DEMO_REASON = "Demo data: agreed with the prescriber."
STEP = timedelta(minutes=5)


class DemoClock:
    """The demo's clock: it stands where the demo puts it."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def set(self, moment: datetime) -> None:
        """Move the clock (forwards or back) to ``moment``."""
        self.now = moment.astimezone(UTC)


@dataclass(frozen=True)
class Demo:
    """The demo context (signed in as a demo nurse, on the demo clock) and its random source."""

    ctx: ServiceContext
    clock: DemoClock
    rng: random.Random

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        """``day`` at a local time, in UTC."""
        return datetime.combine(day, time(hour, minute), tzinfo=self.ctx.tz).astimezone(UTC)

    def as_nurse(self, nurse_id: int) -> Demo:
        """The same demo signed in as another nurse."""
        return replace(self, ctx=self.ctx.as_nurse(nurse_id))


def open_appointment(demo: Demo, course_id: int, dose_number: int | None = None) -> int:
    """The first appointment of the course still to give (or the one of ``dose_number``)."""
    with demo.ctx.read_only() as uow:
        for row in course_appointments(uow, course_id):
            wanted = row.dose_number == dose_number if dose_number else (
                row.status in (AppointmentStatus.PLANNED, AppointmentStatus.BOOKED))
            if wanted and not row.is_voided:
                return row.id
    raise LookupError(f"course {course_id} has no open appointment")


def due_day(demo: Demo, appointment_id: int) -> date:
    """The appointment's due date."""
    with demo.ctx.read_only() as uow:
        return load_appointment(uow, appointment_id).appointment.due_date


def book(demo: Demo, appointment_id: int, starts_at: datetime, chair: str) -> None:
    """Book the appointment at ``starts_at`` (clock put just before), accepting the warnings;
    in the patient's own ``chair`` or, when another booking holds it, the first free chair, or
    a new chair when all are taken (a demo seeded again into a database that has one)."""
    local = starts_at.astimezone(demo.ctx.tz)
    demo.clock.set(max(starts_at - timedelta(hours=2),
                       datetime.combine(local.date(), time(0, 1), tzinfo=demo.ctx.tz)))
    others = [c.name for c in list_chairs(demo.ctx) if c.name != chair]
    for seat in (chair, *others):
        try:
            _book_in(demo, appointment_id, local, seat)
            return
        except ChairTaken:
            continue
    count = len(list_chairs(demo.ctx, include_inactive=True))
    _book_in(demo, appointment_id, local, add_chair(demo.ctx, name=f"Chair {count + 1}").name)


def _book_in(demo: Demo, appointment_id: int, local: datetime, chair: str) -> None:
    arguments = {"appointment_id": appointment_id, "day": local.date(),
                 "time": local.time().replace(second=0, microsecond=0), "chair": chair}
    try:
        book_appointment(demo.ctx, **arguments)  # type: ignore[arg-type]
    except OverrideRequired as needed:
        book_appointment(demo.ctx, **arguments, acknowledged=needed.codes,  # type: ignore[arg-type]
                         override_reason=DEMO_REASON)


def write_past_visit(demo: Demo, appointment_id: int, weight: Decimal,
                     start: datetime) -> int:
    """A completed visit recorded whole in one audited transaction (past visits of the named
    patients); the dose follows the patient's history (graduated after a reaction)."""
    demo.clock.set(start)
    nurse = demo.ctx.nurse_id
    assert nurse is not None
    with demo.ctx.read_only() as uow:
        rows = load_appointment(uow, appointment_id)
        preview = preview_for(demo.ctx, uow, rows, weight=weight, unit="kg", graduated=None,
                              override_reason=None)
        if preview.override_needed:
            preview = preview_for(demo.ctx, uow, rows, weight=weight, unit="kg",
                                  graduated=None, override_reason=DEMO_REASON)
    template = template_for(preview.plan, rows.appointment.dose_number,
                            previous_reaction=preview.premedication is not None)
    end = start + template.infusion + template.observation + timedelta(minutes=5)
    with UnitOfWork(demo.ctx.session_factory, nurse_id=nurse, clock=lambda: end) as uow:
        rows = load_appointment(uow, appointment_id)
        measured = uow.weights.add(WeightMeasurement(
            patient_id=rows.patient.id, weight_kg=weight, kind=WeightKind.ACTUAL,
            measured_at=start - timedelta(minutes=32)))
        uow.flush()
        visit = uow.visits.add(InfusionVisit(
            patient_id=rows.patient.id, course_id=rows.course.id, appointment_id=appointment_id,
            nurse_id=nurse, status=VisitStatus.COMPLETED, weight_kg_used=weight,
            weight_id=measured.id, started_at=start, ended_at=start + template.infusion,
            dose_plan=snapshot_json(preview.plan, preview.ack_needed)))
        uow.flush()
        _visit_rows(demo, uow, visit.id, preview.plan.vials, template, start, weight, nurse)
        if preview.premedication is not None:
            _premedication_rows(demo, uow, visit.id, start, nurse)
        rows.appointment.status = AppointmentStatus.DONE
        uow.flush()
        demo.clock.set(end)
        sync_appointments(demo.ctx, uow, rows.course, as_of=end.astimezone(demo.ctx.tz).date())
        uow.commit()
        return visit.id


def _visit_rows(demo: Demo, uow: UnitOfWork, visit_id: int, vials: tuple[VialUse, ...],
                template: VisitTemplate, start: datetime, weight: Decimal, nurse: int) -> None:
    for use in vials:
        uow.product_lots.add(ProductLot(
            visit_id=visit_id, product=use.product.name,
            lot_number=f"L{start:%y%m}{demo.rng.randint(100, 999)}",
            expiry_date=start.date() + timedelta(days=400), vials=use.count))
    for values in check_rows(template, start, str(weight), nurse):
        values.pop("version")
        uow.checklist.add(ChecklistEntry(visit_id=visit_id, **values))
    for values in vitals_rows(template, start, nurse, demo.rng):
        values.pop("version")
        uow.vitals.add(VitalSigns(visit_id=visit_id, **values))


def _premedication_rows(demo: Demo, uow: UnitOfWork, visit_id: int, start: datetime,
                        nurse: int) -> None:
    """The clinic's premedication set, given 30 minutes before the start (a past visit after
    an earlier reaction; :mod:`clinic_app.domain.premedication`)."""
    for item in demo.ctx.settings.premedication.after_reaction:
        uow.premedications.add(Premedication(
            visit_id=visit_id, kind=item.kind, drug=item.drug, dose=item.dose,
            dose_unit=item.unit, route=item.route, given_at=start - timedelta(minutes=30),
            nurse_id=nurse))


def _text_vitals(demo: Demo) -> dict[str, str]:
    values = normal_vitals(demo.rng, 125)
    return {"systolic": str(values["systolic_mmhg"]), "diastolic": str(values["diastolic_mmhg"]),
            "heart_rate": str(values["heart_rate_bpm"]),
            "temperature": str(values["temperature_c"]),
            "respiratory_rate": str(values["respiratory_rate"]),
            "spo2": str(values["spo2_percent"])}


def open_and_check(demo: Demo, appointment_id: int, weight: Decimal, at: datetime, *,
                   checks: int | None = None) -> VisitDetail:
    """Weigh and open the visit at ``at``, record the lots, and answer the pre-checks one a
    minute (only the first ``checks`` of them when given)."""
    demo.clock.set(at)
    preview = preview_dose(demo.ctx, appointment_id=appointment_id, weight=weight)
    visit = open_visit(demo.ctx, appointment_id=appointment_id, weight=weight,
                       acknowledged=preview.ack_needed,
                       override_reason=DEMO_REASON if preview.override_needed else None)
    for use in visit.dose_plan.vials:
        record_lot(demo.ctx, visit_id=visit.id, product_name=use.product.name,
                   lot=f"L{at:%y%m}{demo.rng.randint(100, 999)}",
                   expiry=at.date() + timedelta(days=400))
    pending = [s.item for s in visit.checklist.items
               if s.item.phase.value == "pre" and s.state.value != "done"]
    for item in pending[:checks]:
        demo.clock.set(demo.clock.now + timedelta(minutes=1))
        if item.kind is ItemKind.VITALS:
            record_vitals(demo.ctx, visit_id=visit.id, item_key=item.key, **_text_vitals(demo))
        elif item.kind is ItemKind.YES_NO:
            record_check(demo.ctx, visit_id=visit.id, item_key=item.key,
                         answer="yes" if item.blocking_answer == "no" else "no")
        else:
            record_check(demo.ctx, visit_id=visit.id, item_key=item.key)
    return get_visit(demo.ctx, visit_id=visit.id)


def _due_vitals(demo: Demo, visit_id: int) -> VisitDetail:
    visit = get_visit(demo.ctx, visit_id=visit_id)
    for status in visit.checklist.items:
        if status.item.kind is ItemKind.VITALS and status.state.value in ("due", "overdue") \
                and status.item.phase.value != "pre":
            record_vitals(demo.ctx, visit_id=visit_id, item_key=status.item.key,
                          **_text_vitals(demo))
    return get_visit(demo.ctx, visit_id=visit_id)


def run_until(demo: Demo, visit_id: int, until: datetime) -> VisitDetail:
    """Let the visit run to ``until``: vitals when due, the end when the bag is empty, the
    observation and discharge checks, and the discharge once allowed."""
    visit = get_visit(demo.ctx, visit_id=visit_id)
    while demo.clock.now + STEP <= until and visit.status != "completed":
        demo.clock.set(demo.clock.now + STEP)
        visit = _due_vitals(demo, visit_id)
        if visit.status == "infusing" and visit.infusion is not None \
                and visit.infusion.state == "ended":
            visit = end_infusion(demo.ctx, visit_id=visit_id,
                                 at=visit.infusion.projected_end)
            visit = _due_vitals(demo, visit_id)
        if visit.status == "observation" and visit.observation_end is not None \
                and demo.clock.now >= visit.observation_end:
            visit = _discharge(demo, visit_id)
    return visit


def _discharge(demo: Demo, visit_id: int) -> VisitDetail:
    record_check(demo.ctx, visit_id=visit_id, item_key="obs.complete")
    visit = get_visit(demo.ctx, visit_id=visit_id)
    if visit.observation_extended is not None:  # after a severe reaction: the prescriber clears
        record_check(demo.ctx, visit_id=visit_id, item_key=CLEARANCE_KEY,
                     answer=f"{visit.course.prescriber}: reviewed after the extended "
                            "observation; fit to go home, adrenaline auto-injector prescribed")
    for status in visit.checklist.items:
        item = status.item
        if item.phase.value == "discharge" and status.state.value != "done":
            record_check(demo.ctx, visit_id=visit_id, item_key=item.key,
                         answer="yes" if item.kind is ItemKind.YES_NO else "")
    return discharge(demo.ctx, visit_id=visit_id)


def start_now(demo: Demo, visit_id: int) -> VisitDetail:
    """Start the infusion at the clock's time."""
    return start_infusion(demo.ctx, visit_id=visit_id)
