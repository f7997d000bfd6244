"""Mapping the services' DTOs onto the printed sheets' input records (pure; nothing is read)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, tzinfo
from decimal import Decimal

from clinic_app.domain.dates import time_text
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.reactions import OnsetClass
from clinic_app.reports.records import (
    ChecklistAnswer,
    ClinicContact,
    DayListEntry,
    DoseSummary,
    DoubleCheckRecord,
    InfusionEventRecord,
    LabRecord,
    LotRecord,
    MedicationGiven,
    OrderInfo,
    PatientHeader,
    PremedicationRecord,
    ReactionDetails,
    VisitRecord,
    VitalsRecord,
)
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.services.labs.dto import LabCheck
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import pump_marker
from clinic_app.services.visits import PREMEDICATION_REASON_KEY, dose_decisions, dose_given
from clinic_app.services.visits.dto import (
    CheckEntry,
    ClinicDayRow,
    DoubleCheckStatus,
    InfusionEventEntry,
    LotEntry,
    PremedicationEntry,
    ReactionDetail,
    VisitCourse,
    VisitDetail,
    VitalsEntry,
)


def clinic_contact(ctx: ServiceContext) -> ClinicContact:
    """The clinic as printed: its name, the phone patients call and the emergency number
    (clinic settings ``[clinic]``)."""
    return ClinicContact(name=ctx.clinic_name, phone=ctx.clinic_phone or None,
                         emergency_number=ctx.settings.clinic.emergency_number or None)


def patient_header(patient: PatientSummary, allergies: tuple[str, ...], *,
                   no_known_allergies: bool = False, weight_kg: Decimal | None = None,
                   weighed_at: datetime | None = None) -> PatientHeader:
    """Who the sheet is about; allergies as on file, "No known allergies" when that statement
    stands, otherwise "not recorded: ask" (:mod:`clinic_app.domain.allergy_status`)."""
    return PatientHeader(
        name=patient.display_name, mrn=patient.mrn, date_of_birth=patient.date_of_birth,
        sex=patient.sex, allergies=allergies, no_known_allergies=no_known_allergies,
        weight_kg=weight_kg, weight_measured_at=weighed_at,
    )


def order_info(course: VisitCourse, ordered_on: date | None = None) -> OrderInfo:
    """The prescription behind a visit."""
    return OrderInfo(prescriber=course.prescriber, indication=course.indication,
                     ordered_on=ordered_on)


def lot_record(lot: LotEntry) -> LotRecord:
    """A lot used in a visit."""
    return LotRecord(product=lot.product, lot_number=lot.lot_number,
                     expiry_date=lot.expiry_date, vials=lot.vials, recorded_at=lot.recorded_at,
                     recorded_by=lot.recorded_by or None)


def vitals_record(entry: VitalsEntry) -> VitalsRecord:
    """A set of vitals with its flags' messages."""
    return VitalsRecord(
        measured_at=entry.measured_at, nurse=entry.nurse, label=entry.label,
        systolic=entry.systolic, diastolic=entry.diastolic, heart_rate=entry.heart_rate,
        temperature_c=entry.temperature_c, respiratory_rate=entry.respiratory_rate,
        spo2=entry.spo2, flags=tuple(f.message for f in entry.flags),
    )


def _around(onset: datetime, vitals: tuple[VitalsEntry, ...], *,
            delayed: bool) -> tuple[VitalsEntry, ...]:
    """The vitals of a reaction (voided sets left out): every set from the onset on, and for an
    acute reaction the last set before it too (the reading just before it began). A delayed
    reaction began after the infusion visit was over: the infusion day's vitals were taken
    before it and are not the reaction's."""
    kept = sorted((v for v in vitals if v.voided is None), key=lambda v: v.measured_at)
    before = [] if delayed else [v for v in kept if v.measured_at < onset][-1:]
    return tuple(before + [v for v in kept if v.measured_at >= onset])


def pump_action(detail: ReactionDetail, events: tuple[InfusionEventEntry, ...],
                tz: tzinfo) -> str | None:
    """What the reaction did to the running infusion: the pause or stop recorded with it
    (:func:`clinic_app.services.reactions.log_reaction` marks its note with the reaction)."""
    marker = pump_marker(detail.summary.id)
    for event in events:
        if event.voided is None and (f"{marker}:" in event.note or f"{marker})" in event.note):
            what = "Stopped for good" if event.kind == "stop" else "Paused"
            return f"{what} at {time_text(event.at, tz)} for this reaction"
    return None


def event_records(events: tuple[InfusionEventEntry, ...]) -> tuple[InfusionEventRecord, ...]:
    """The visit's pauses, resumes, rate changes and stops as printed (voided ones left out)."""
    return tuple(InfusionEventRecord(at=e.at, kind=e.kind, nurse=e.nurse,
                                     rate_ml_per_h=e.rate_ml_per_h, note=e.note or None)
                 for e in events if e.voided is None)


def reaction_details(detail: ReactionDetail, vitals: tuple[VitalsEntry, ...] = (),
                     pump: str | None = None) -> ReactionDetails:
    """A logged reaction, with the vitals taken around it (of its visit's ``vitals``, see
    :func:`_around`) and the pump action (when given)."""
    summary = detail.summary
    delayed = detail.onset_class == OnsetClass.DELAYED
    return ReactionDetails(
        signs=summary.signs, recorded_by=summary.nurse, onset_at=summary.onset_at,
        onset_class=detail.onset_class,
        acute_window_minutes=catalogue.protocol(
            detail.protocol_id).reactions.acute_window_minutes,
        ctcae_term=summary.term, grade=summary.grade, ctcae_version=summary.ctcae_version,
        actions=summary.actions or None, outcome=summary.outcome or None,
        notes=summary.notes or None,
        medications=tuple(MedicationGiven(drug=m.drug, given_at=m.given_at,
                                          given_by=m.given_by, dose=m.dose,
                                          dose_unit=m.dose_unit or None, route=m.route or None)
                          for m in detail.medications),
        vitals=tuple(vitals_record(v)
                     for v in _around(summary.onset_at, vitals, delayed=delayed)),
        pump_action=pump,
    )


def visit_status(visit: VisitDetail) -> str:
    """The status as printed: a visit closed before the start reads "not given" with why
    ("not given: Temp 38.4 °C; Dr Nowak: postpone 1 week")."""
    if visit.status != "cancelled":
        return visit.status
    return f"not given: {visit.not_given_reason}" if visit.not_given_reason else "not given"


def checklist_answers(entries: Iterable[CheckEntry]) -> tuple[ChecklistAnswer, ...]:
    """The answers as printed: voided ones and answers a later correction replaced are left out
    (they stay in the audit trail); a correction reads "no (corrected: yes -> no, reason: …)".
    """
    kept = [e for e in entries if e.voided is None]
    answers = []
    for index, entry in enumerate(kept):
        if any(later.item_key == entry.item_key and later.correction_reason
               for later in kept[index + 1:]):
            continue
        answer = entry.answer
        if entry.correction_reason:
            answer += (f" (corrected: {entry.corrects or '?'} -> {entry.answer}, "
                       f"reason: {entry.correction_reason})")
        answers.append(ChecklistAnswer(item=entry.text, answer=answer,
                                       recorded_at=entry.recorded_at, nurse=entry.nurse))
    return tuple(answers)


def visit_record(visit: VisitDetail, reactions: tuple[ReactionDetail, ...],
                 weighed_at: datetime | None) -> VisitRecord:
    """Everything recorded at a visit (voided entries left out)."""
    return VisitRecord(
        patient=patient_header(visit.patient, visit.allergies,
                               no_known_allergies=visit.no_known_allergies,
                               weight_kg=visit.weight_kg_used,
                               weighed_at=weighed_at),
        drug=visit.course.drug, dose_number=visit.dose_number, responsible_nurse=visit.nurse,
        status=visit_status(visit), dose=DoseSummary.from_plan(visit.dose_plan),
        started_at=visit.started_at, ended_at=visit.ended_at, order=order_info(visit.course),
        observation_minutes=visit.observation_minutes, discharged_at=visit.discharged_at,
        lots=tuple(lot_record(lot) for lot in visit.lots if lot.voided is None),
        checklist=checklist_answers(e for e in visit.entries
                                    if e.item_key != PREMEDICATION_REASON_KEY),
        vitals=tuple(vitals_record(v) for v in visit.vitals if v.voided is None),
        events=event_records(visit.events),
        reactions=tuple(reaction_details(r, visit.vitals) for r in reactions
                        if r.summary.voided is None),
        given=dose_given(visit), decisions=dose_decisions(visit),
        premedications=premedication_records(visit.premedications),
        premedication_not_given=premedication_not_given(visit),
        double_checks=double_check_records(visit.double_check, counting_only=False),
        double_check_mode=visit.double_check.mode,
        labs=lab_records(visit.labs), lab_notes=lab_notes(visit.labs),
        surgery_and_vaccines=visit.surgery_and_vaccines,
    )


def lab_records(check: LabCheck | None) -> tuple[LabRecord, ...]:
    """The latest results before the dose, as printed."""
    if check is None:
        return ()
    return tuple(LabRecord(text=e.text, taken_on=e.taken_on, age_days=e.age_days, flag=e.flag)
                 for e in check.latest)


def lab_notes(check: LabCheck | None) -> tuple[str, ...]:
    """What the protocol's lab rules said before the dose: a proposal other than continue,
    with its reasons, then the flags (old, missing or unusable results)."""
    if check is None or not check.has_rules:
        return ()
    proposal: tuple[str, ...] = ()
    if check.action != "continue":
        proposal = (" ".join((f"The labs proposed: {check.action_text}.", *check.reasons)),)
    return (*proposal, *check.flags)


def premedication_records(
        entries: tuple[PremedicationEntry, ...]) -> tuple[PremedicationRecord, ...]:
    """The premedications given, as printed (voided ones left out)."""
    return tuple(
        PremedicationRecord(drug=p.drug, dose=p.dose, unit=p.unit, route=p.route,
                            given_at=p.given_at, nurse=p.nurse, lot_number=p.lot_number)
        for p in entries if p.voided is None)


def double_check_records(status: DoubleCheckStatus, *,
                         counting_only: bool) -> tuple[DoubleCheckRecord, ...]:
    """The second nurse's checks of a visit, voided ones left out (``counting_only``: only
    those made for the dose plan as it is)."""
    return tuple(
        DoubleCheckRecord(what=e.what_text, first_nurse=e.first_nurse, second_nurse=e.nurse,
                          signed_at=e.signed_at, counts=e.counts)
        for e in status.entries
        if e.voided is None and (e.counts or not counting_only)
    )


def premedication_not_given(visit: VisitDetail) -> str | None:
    """The reason recorded for starting without the suggested premedication (the latest one
    standing), with the nurse and time of the answer left to the checklist's audit."""
    reasons = [e.answer for e in visit.entries
               if e.item_key == PREMEDICATION_REASON_KEY and e.voided is None]
    return reasons[-1] if reasons else None


def day_list_entry(row: ClinicDayRow) -> DayListEntry:
    """One appointment on the printed day list."""
    return DayListEntry(
        starts_at=row.starts_at, chair=row.chair, patient_name=row.patient.display_name,
        mrn=row.patient.mrn, date_of_birth=row.patient.date_of_birth, drug=row.drug,
        dose_number=row.dose_number, dose_mg=row.dose_mg, mg_per_kg=row.mg_per_kg,
        infusion_minutes=row.infusion_minutes, observation_minutes=row.observation_minutes,
        nurse=row.nurse, allergies=row.allergies, no_known_allergies=row.no_known_allergies,
        alerts=tuple(b.text for b in row.alerts if b.kind != "allergy"),
        did_not_attend=row.status == "did_not_attend",
        overdue=row.overdue_items, overdue_paperwork=row.overdue_paperwork,
        chair_until=row.chair_until,
    )


def indication_name(protocol: Protocol, indication_id: str) -> str:
    """The indication's name in the protocol (its id when unknown)."""
    names = {i.id: i.name for i in protocol.dosing.indications}
    return names.get(indication_id, indication_id)
