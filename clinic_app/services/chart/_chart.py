"""Reading a patient's whole record: the chart and the audit trail of everything in it.

Both need a signed-in nurse (they show clinical data). Voided records are included, each marked
with who voided it, when and why, because a voided record stays part of the record.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from sqlalchemy import select

from clinic_app.domain.allergy_status import allergy_line, allergy_state, anaphylaxis_allergies
from clinic_app.domain.errors import ClinicalError
from clinic_app.services.access_log import log_chart_opened
from clinic_app.services.chart._alerts import build_alerts
from clinic_app.services.chart.dto import AuditLine, PatientChart
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import compute_plan, course_summary, interval_changes
from clinic_app.services.courses.dto import CourseSummary
from clinic_app.services.labs import lab_entries
from clinic_app.services.patients import (
    allergy_entry,
    anaphylaxes,
    contraindication_entry,
    diagnosis_entry,
    load_patient,
    no_known_allergies_entry,
    nurse_names,
    patient_details,
    require_nurse,
    screening_entry,
    voiding,
    weight_entry,
)
from clinic_app.services.patients.dto import (
    ReactionSummary,
    VisitSummary,
)
from clinic_app.storage.models import (
    Allergy,
    Appointment,
    Audited,
    AuditEntry,
    ChecklistEntry,
    ContraindicationFlag,
    Diagnosis,
    DoubleCheck,
    DrugLevel,
    InfusionEvent,
    InfusionVisit,
    IntervalChange,
    LabResult,
    NoKnownAllergies,
    Patient,
    Premedication,
    ProductLot,
    Reaction,
    ReactionMedication,
    ScreeningRecord,
    TreatmentCourse,
    VitalSigns,
    WeightMeasurement,
)
from clinic_app.storage.unit_of_work import UnitOfWork


def _courses(ctx: ServiceContext, uow: UnitOfWork, patient_id: int) -> tuple[CourseSummary, ...]:
    """The patient's courses; a course whose drug is now contraindicated (e.g. after an
    anaphylaxis, seed 002) shows no next due date: the dose may not be given."""
    today = ctx.local_now().date()
    summaries = []
    for course in uow.courses.list_by(patient_id=patient_id, include_voided=True):
        try:
            course_plan = compute_plan(ctx, uow, course, as_of=today)
        except ClinicalError:
            course_plan = None
        plan = None if course_plan is None or course_plan.contraindicated else course_plan.plan
        summaries.append(course_summary(course, plan, interval_changes(uow, course.id)))
    return tuple(summaries)


def _visits(uow: UnitOfWork, patient_id: int, names: dict[int, str],
            protocols: dict[int, str]) -> tuple[VisitSummary, ...]:
    return tuple(
        VisitSummary(
            id=v.id, course_id=v.course_id, appointment_id=v.appointment_id,
            protocol_id=protocols.get(v.course_id, ""), status=v.status.value,
            weight_kg_used=v.weight_kg_used, started_at=v.started_at, ended_at=v.ended_at,
            nurse=names.get(v.nurse_id, ""), voided=voiding(v, names),
            not_given_reason=v.not_given_reason,
        )
        for v in uow.visits.for_patient(patient_id, include_voided=True)
    )


def reaction_summary(row: Reaction, names: dict[int, str]) -> ReactionSummary:
    """A reaction on file."""
    return ReactionSummary(
        id=row.id, patient_id=row.patient_id, visit_id=row.visit_id, onset_at=row.onset_at,
        term=row.ctcae_term, grade=row.grade, ctcae_version=row.ctcae_version,
        signs=tuple(row.signs), actions=row.actions or "", outcome=row.outcome or "",
        notes=row.notes or "", nurse=names.get(row.nurse_id, ""), version=row.version,
        voided=voiding(row, names),
    )


def _nurse_ids(*groups: Iterable[object]) -> set[int]:
    ids: set[int] = set()
    for group in groups:
        for row in group:
            for name in ("nurse_id", "voided_by_id"):
                value = getattr(row, name, None)
                if isinstance(value, int):
                    ids.add(value)
    return ids


def get_chart(ctx: ServiceContext, *, patient_id: int) -> PatientChart:
    """Everything on file about the patient, newest weights first, voided records marked.

    Opening the chart is logged in the access log (:mod:`clinic_app.services.access_log`).
    """
    require_nurse(ctx)
    chart = _read_chart(ctx, patient_id)
    log_chart_opened(ctx, patient_id)
    return chart


def _read_chart(ctx: ServiceContext, patient_id: int) -> PatientChart:
    with ctx.read_only() as uow:
        patient = load_patient(uow, patient_id, allow_voided=True)
        weights = sorted(uow.weights.list_by(patient_id=patient_id, include_voided=True),
                         key=lambda w: (w.measured_at, w.id), reverse=True)
        allergies = uow.allergies.list_by(patient_id=patient_id, include_voided=True)
        statements = uow.no_known_allergies.list_by(patient_id=patient_id, include_voided=True)
        diagnoses = uow.diagnoses.list_by(patient_id=patient_id, include_voided=True)
        screenings = uow.screenings.list_by(patient_id=patient_id, include_voided=True)
        flags = uow.contraindications.list_by(patient_id=patient_id, include_voided=True)
        reactions = uow.reactions.list_by(patient_id=patient_id, include_voided=True)
        visits = uow.visits.for_patient(patient_id, include_voided=True)
        weight_by = uow.audit.inserted_by(WeightMeasurement.__tablename__, [w.id for w in weights])
        names = nurse_names(uow.session, _nurse_ids(
            weights, allergies, diagnoses, screenings, flags, reactions, visits, statements,
        ) | {i for i in weight_by.values() if i is not None} | {patient.voided_by_id or 0})
        courses = _courses(ctx, uow, patient_id)
        reaction_rows = tuple(reaction_summary(r, names) for r in reactions)
        flag_rows = tuple(contraindication_entry(f, names) for f in flags)
        screening_rows = tuple(screening_entry(s, names) for s in screenings)
        return PatientChart(
            patient=patient_details(patient),
            alerts=build_alerts(
                allergies=allergies, flags=flags,
                reactions=reactions,
                screenings=screenings, today=ctx.local_now().date(), tz=ctx.tz,
                active_protocols=[c.protocol_id for c in courses
                                  if c.status == "active" and not c.voided]),
            weights=tuple(weight_entry(w, names, weight_by.get(w.id)) for w in weights),
            allergies=tuple(allergy_entry(a, names) for a in allergies),
            diagnoses=tuple(diagnosis_entry(d, names) for d in diagnoses),
            screenings=screening_rows, contraindications=flag_rows, courses=courses,
            visits=_visits(uow, patient_id, names, {c.id: c.protocol_id for c in courses}),
            reactions=reaction_rows,
            lab_results=lab_entries(uow, patient_id),
            no_known_allergies=tuple(no_known_allergies_entry(n, names) for n in statements),
            **_allergy_state(allergies, statements,
                             anaphylaxes(uow.session, patient_id, ctx.tz)),
        )


def _allergy_state(allergies: Sequence[Allergy], statements: Sequence[NoKnownAllergies],
                   anaphylaxis_on_file: Sequence[tuple[str, date]]) -> dict[str, str]:
    """The chart's allergy line and state from the standing records and the drug allergies
    derived from anaphylaxis on file (:mod:`clinic_app.domain.allergy_status`), worded as on
    the visit and the sheets."""
    texts = [f"{a.substance} ({a.reaction})" if a.reaction else a.substance
             for a in allergies if not a.is_voided]
    texts += anaphylaxis_allergies(anaphylaxis_on_file)
    standing = any(not n.is_voided for n in statements)
    return {"allergy_line": allergy_line(texts, standing),
            "allergy_state": allergy_state(texts, standing).value}


def _ids(uow: UnitOfWork, model: type[Audited], column: str, owners: Sequence[int]) -> list[int]:
    if not owners:
        return []
    owner = getattr(model, column)
    return list(uow.session.scalars(select(model.id).where(owner.in_(owners))))  # type: ignore[attr-defined]


def _record_ids(uow: UnitOfWork, patient_id: int) -> dict[type[Audited], list[int]]:
    """Ids of every record belonging to the patient, by model."""
    ids: dict[type[Audited], list[int]] = {Patient: [patient_id]}
    model: type[Audited]
    for model in (WeightMeasurement, Allergy, NoKnownAllergies, Diagnosis, ScreeningRecord,
                  LabResult, ContraindicationFlag, TreatmentCourse, InfusionVisit, Reaction,
                  DrugLevel):
        ids[model] = _ids(uow, model, "patient_id", [patient_id])
    for model in (IntervalChange, Appointment):
        ids[model] = _ids(uow, model, "course_id", ids[TreatmentCourse])
    for model in (ProductLot, InfusionEvent, ChecklistEntry, VitalSigns, Premedication,
                  DoubleCheck):
        ids[model] = _ids(uow, model, "visit_id", ids[InfusionVisit])
    ids[ReactionMedication] = _ids(uow, ReactionMedication, "reaction_id", ids[Reaction])
    return ids


def patient_audit(ctx: ServiceContext, *, patient_id: int) -> tuple[AuditLine, ...]:
    """Every change to the patient's records, oldest first: one line per changed field, with
    who (nurse's display name), when (aware UTC), which record, the old and the new value.

    Fields left empty when a record was created are not listed.
    """
    require_nurse(ctx)
    with ctx.read_only() as uow:
        load_patient(uow, patient_id, allow_voided=True)
        entries = _entries(uow, patient_id)
        names = nurse_names(uow.session, [e.actor_id for _label, e in entries])
        return tuple(
            AuditLine(at=entry.at, nurse=names.get(entry.actor_id or 0, "system"), record=label,
                      record_id=entry.record_id, action=entry.action.value, field=field,
                      old=change.get("old"), new=change.get("new"))
            for label, entry in entries
            for field, change in sorted(entry.changes.items())
            if change.get("old") is not None or change.get("new") is not None
        )


def _entries(uow: UnitOfWork, patient_id: int) -> list[tuple[str, AuditEntry]]:
    found = [
        (model.__record_label__, entry)
        for model, ids in _record_ids(uow, patient_id).items()
        for entry in uow.audit.for_records(model.__tablename__, ids)
    ]
    return sorted(found, key=lambda pair: pair[1].id)
