"""Exporting the clinical record as FHIR R4 (:mod:`clinic_app.interop.fhir_bundle`): one
patient's whole record, one clinic day, or everything since a day. Voided records are left out;
only the patients the selection reaches are in the export.

The MRN identifier system is the clinic setting ``clinic.mrn_system``; when it is empty,
``urn:clinic-app:mrn:<clinic id>`` (the database's own random clinic id), so two clinics'
MRNs never look alike.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, select, true

from clinic_app.domain.protocols import load_protocol
from clinic_app.interop.fhir_records import (
    BookingRecord,
    ClinicalExport,
    ContraindicationRecord,
    InfusionRecord,
    LotRecord,
    NurseRecord,
    PatientRecord,
    ReactionRecord,
    VitalsRecord,
    WeightRecord,
)
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound
from clinic_app.services.patients import require_nurse
from clinic_app.storage.clinic_identity import read_identity
from clinic_app.storage.models import (
    Appointment,
    AppointmentStatus,
    ContraindicationFlag,
    InfusionEvent,
    InfusionEventKind,
    InfusionVisit,
    Nurse,
    Patient,
    ProductLot,
    Reaction,
    TreatmentCourse,
    VisitStatus,
    VitalSigns,
    WeightMeasurement,
)
from clinic_app.storage.unit_of_work import UnitOfWork

_ADMINISTRATION_STATUS = {
    VisitStatus.COMPLETED: "completed",
    VisitStatus.STOPPED: "stopped",
    VisitStatus.CANCELLED: "not-done",
    VisitStatus.INFUSING: "in-progress",
    VisitStatus.OBSERVATION: "completed",
}
_APPOINTMENT_STATUS = {
    AppointmentStatus.BOOKED: "booked",
    AppointmentStatus.DONE: "fulfilled",
    AppointmentStatus.MISSED: "noshow",
    AppointmentStatus.NOT_GIVEN: "cancelled",
}


@dataclass(frozen=True)
class ExportSelection:
    """What to export: one patient's record (``mrn``), or the records of one local ``day``, or
    those from the local day ``since`` on. Exactly one is given."""

    mrn: str | None = None
    day: date | None = None
    since: date | None = None

    def window(self, ctx: ServiceContext) -> tuple[datetime | None, datetime | None]:
        """The UTC moments the records must fall in (None: open)."""
        first = self.day or self.since
        if first is None:
            return None, None
        start = datetime.combine(first, time(), ctx.tz)
        end = datetime.combine(first + timedelta(days=1), time(), ctx.tz) if self.day else None
        return start, end


def _in(column: Any, window: tuple[datetime | None, datetime | None]) -> ColumnElement[bool]:
    start, end = window
    condition: ColumnElement[bool] = true()
    if start is not None:
        condition = condition & (column >= start)
    if end is not None:
        condition = condition & (column < end)
    return condition


class _Reader:
    """The selected records, read inside one read-only unit of work."""

    def __init__(self, ctx: ServiceContext, uow: UnitOfWork, selection: ExportSelection) -> None:
        self.ctx, self.session = ctx, uow.session
        self.window = selection.window(ctx)
        self.patient_id = self._patient_id(selection.mrn)

    def _patient_id(self, mrn: str | None) -> int | None:
        if mrn is None:
            return None
        wanted = "".join(mrn.split()).upper()
        found = self.session.scalar(
            select(Patient.id).where(Patient.mrn == wanted, Patient.voided_at.is_(None))
        )
        if found is None:
            raise NotFound(f"No patient with the MRN {wanted!r} is on file.")
        return found

    def _for_patient(self, column: Any) -> ColumnElement[bool]:
        return true() if self.patient_id is None else column == self.patient_id

    def weights(self) -> list[WeightRecord]:
        rows = self.session.scalars(
            select(WeightMeasurement)
            .where(
                WeightMeasurement.voided_at.is_(None),
                _in(WeightMeasurement.measured_at, self.window),
                self._for_patient(WeightMeasurement.patient_id),
            )
            .order_by(WeightMeasurement.id)
        )
        return [WeightRecord(w.id, w.patient_id, w.measured_at, w.weight_kg) for w in rows]

    def vitals(self) -> list[VitalsRecord]:
        rows = self.session.execute(
            select(VitalSigns, InfusionVisit.patient_id)
            .join(InfusionVisit, VitalSigns.visit_id == InfusionVisit.id)
            .where(
                VitalSigns.voided_at.is_(None),
                InfusionVisit.voided_at.is_(None),
                _in(VitalSigns.measured_at, self.window),
                self._for_patient(InfusionVisit.patient_id),
            )
            .order_by(VitalSigns.id)
        )
        return [
            VitalsRecord(
                v.id,
                patient_id,
                v.nurse_id,
                v.measured_at,
                v.systolic_mmhg,
                v.diastolic_mmhg,
                v.heart_rate_bpm,
                v.respiratory_rate,
                v.temperature_c,
                v.spo2_percent,
            )
            for v, patient_id in rows
        ]

    def _visit_moment(self, visit: InfusionVisit, appointment: Appointment | None) -> datetime:
        if visit.started_at is not None:
            return visit.started_at
        if appointment is not None and appointment.starts_at is not None:
            return appointment.starts_at
        due = appointment.due_date if appointment is not None else self.ctx.local_now().date()
        return datetime.combine(due, time(), self.ctx.tz)

    def _lots(self, visit_id: int) -> tuple[LotRecord, ...]:
        rows = self.session.scalars(
            select(ProductLot)
            .where(ProductLot.visit_id == visit_id, ProductLot.voided_at.is_(None))
            .order_by(ProductLot.id)
        )
        return tuple(LotRecord(r.product, r.lot_number, r.expiry_date, r.vials) for r in rows)

    def infusions(self) -> list[InfusionRecord]:
        rows = self.session.execute(
            select(InfusionVisit, Appointment, TreatmentCourse.protocol_id)
            .join(TreatmentCourse, InfusionVisit.course_id == TreatmentCourse.id)
            .outerjoin(Appointment, InfusionVisit.appointment_id == Appointment.id)
            .where(
                InfusionVisit.voided_at.is_(None),
                InfusionVisit.status.in_(list(_ADMINISTRATION_STATUS)),
                self._for_patient(InfusionVisit.patient_id),
            )
            .order_by(InfusionVisit.id)
        )
        found = []
        for visit, appointment, protocol_id in rows:
            moment = self._visit_moment(visit, appointment)
            start, end = self.window
            if (start is not None and moment < start) or (end is not None and moment >= end):
                continue
            found.append(self._infusion(visit, moment, protocol_id))
        return found

    def _stopped_early(self, visit_id: int) -> bool:
        return (
            self.session.scalar(
                select(InfusionEvent.id)
                .where(
                    InfusionEvent.visit_id == visit_id,
                    InfusionEvent.voided_at.is_(None),
                    InfusionEvent.kind == InfusionEventKind.STOP,
                )
                .limit(1)
            )
            is not None
        )

    def _status(self, visit: InfusionVisit) -> str:
        """FHIR's status; an infusion ended by a stop (a reaction) is ``stopped`` even while
        the patient is still observed."""
        if visit.status is VisitStatus.OBSERVATION and self._stopped_early(visit.id):
            return "stopped"
        return _ADMINISTRATION_STATUS[visit.status]

    def _infusion(self, visit: InfusionVisit, moment: datetime, protocol_id: str) -> InfusionRecord:
        plan: dict[str, Any] = visit.dose_plan or {}

        def number(key: str) -> Decimal | None:
            value = plan.get(key)
            return None if value is None else Decimal(str(value))

        return InfusionRecord(
            id=visit.id,
            patient_id=visit.patient_id,
            nurse_id=visit.nurse_id,
            drug=str(plan.get("drug") or load_protocol(protocol_id).drug),
            status=self._status(visit),
            started_at=moment,
            ended_at=visit.ended_at,
            dose_mg=number("dose_mg"),
            mg_per_kg=number("mg_per_kg"),
            weight_kg=visit.weight_kg_used,
            rate_ml_per_h=number("rate_ml_per_h"),
            not_given_reason=visit.not_given_reason,
            lots=self._lots(visit.id),
        )

    def reactions(self, infusion_ids: set[int]) -> list[ReactionRecord]:
        rows = self.session.execute(
            select(Reaction, TreatmentCourse.protocol_id)
            .outerjoin(InfusionVisit, Reaction.visit_id == InfusionVisit.id)
            .outerjoin(TreatmentCourse, InfusionVisit.course_id == TreatmentCourse.id)
            .where(
                Reaction.voided_at.is_(None),
                _in(Reaction.onset_at, self.window),
                self._for_patient(Reaction.patient_id),
            )
            .order_by(Reaction.id)
        )
        return [
            ReactionRecord(
                id=r.id,
                patient_id=r.patient_id,
                nurse_id=r.nurse_id,
                infusion_id=r.visit_id if r.visit_id in infusion_ids else None,
                drug=load_protocol(protocol_id).drug if protocol_id else "infusion",
                onset_at=r.onset_at,
                ctcae_term=r.ctcae_term,
                grade=r.grade,
                ctcae_version=r.ctcae_version,
                outcome=r.outcome,
                signs=tuple(r.signs or ()),
            )
            for r, protocol_id in rows
        ]

    def contraindications(self, reactions: list[ReactionRecord]) -> list[ContraindicationRecord]:
        by_id = {r.id: r for r in reactions}
        rows = self.session.scalars(
            select(ContraindicationFlag)
            .where(
                ContraindicationFlag.voided_at.is_(None),
                ContraindicationFlag.reaction_id.in_(list(by_id)),
            )
            .order_by(ContraindicationFlag.id)
        )
        return [
            ContraindicationRecord(
                f.id, f.patient_id, by_id[f.reaction_id or 0].drug, f.reaction_id, f.note or f.code
            )
            for f in rows
        ]

    def bookings(self) -> list[BookingRecord]:
        rows = self.session.execute(
            select(Appointment, TreatmentCourse)
            .join(TreatmentCourse, Appointment.course_id == TreatmentCourse.id)
            .where(
                Appointment.voided_at.is_(None),
                TreatmentCourse.voided_at.is_(None),
                Appointment.starts_at.is_not(None),
                Appointment.status.in_(list(_APPOINTMENT_STATUS)),
                _in(Appointment.starts_at, self.window),
                self._for_patient(TreatmentCourse.patient_id),
            )
            .order_by(Appointment.id)
        )
        found = []
        for appointment, course in rows:
            protocol = load_protocol(course.protocol_id)
            assert appointment.starts_at is not None  # selected so
            found.append(
                BookingRecord(
                    appointment.id,
                    course.patient_id,
                    protocol.drug,
                    appointment.dose_number,
                    appointment.starts_at,
                    protocol.administration.duration_min,
                    appointment.chair,
                    _APPOINTMENT_STATUS[appointment.status],
                )
            )
        return found

    def patients(self, ids: Iterable[int]) -> list[PatientRecord]:
        rows = self.session.scalars(
            select(Patient)
            .where(Patient.id.in_(sorted(set(ids))), Patient.voided_at.is_(None))
            .order_by(Patient.id)
        )
        return [
            PatientRecord(p.id, p.mrn, p.family_name, p.given_names, p.date_of_birth, p.sex.value)
            for p in rows
        ]

    def nurses(self, ids: Iterable[int]) -> list[NurseRecord]:
        rows = self.session.scalars(
            select(Nurse).where(Nurse.id.in_(sorted(set(ids)))).order_by(Nurse.id)
        )
        return [NurseRecord(n.id, n.display_name) for n in rows]

    def mrn_system(self) -> str:
        if self.ctx.settings.clinic.mrn_system:
            return self.ctx.settings.clinic.mrn_system
        clinic_id = read_identity(self.session.connection()).clinic_id or "unidentified"
        return f"urn:clinic-app:mrn:{clinic_id}"


def _gather(reader: _Reader) -> ClinicalExport:
    weights, vitals, infusions = reader.weights(), reader.vitals(), reader.infusions()
    reactions = reader.reactions({i.id for i in infusions})
    flags, bookings = reader.contraindications(reactions), reader.bookings()
    records: list[Any] = [*weights, *vitals, *infusions, *reactions, *flags, *bookings]
    patient_ids = {r.patient_id for r in records}
    if reader.patient_id is not None:
        patient_ids.add(reader.patient_id)
    patients = reader.patients(patient_ids)
    kept = {p.id for p in patients}  # a voided patient's records stay out with them

    def mine(items: list[Any]) -> tuple[Any, ...]:
        return tuple(r for r in items if r.patient_id in kept)

    performed: list[VitalsRecord | InfusionRecord | ReactionRecord] = [
        *vitals,
        *infusions,
        *reactions,
    ]
    nurse_ids = [r.nurse_id for r in performed if r.patient_id in kept]
    return ClinicalExport(
        mrn_system=reader.mrn_system(),
        clinic_name=reader.ctx.clinic_name,
        patients=tuple(patients),
        nurses=tuple(reader.nurses(nurse_ids)),
        weights=mine(weights),
        vitals=mine(vitals),
        infusions=mine(infusions),
        reactions=mine(reactions),
        contraindications=mine(flags),
        bookings=mine(bookings),
    )


def export_records(ctx: ServiceContext, *, selection: ExportSelection) -> ClinicalExport:
    """The selected records (not voided) as plain export records; needs a signed-in nurse."""
    if sum(x is not None for x in (selection.mrn, selection.day, selection.since)) != 1:
        raise ValueError("choose one: a patient's MRN, a day, or a first day (since)")
    require_nurse(ctx)
    with ctx.read_only() as uow:
        return _gather(_Reader(ctx, uow, selection))
