"""Turning a loaded visit into its DTOs (inside a unit of work; nothing here writes)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

from clinic_app.domain.allergy_status import anaphylaxis_allergies
from clinic_app.domain.checklists import (
    MISSED_VITALS_KEY,
    MISSED_VITALS_TEXT,
    START_OVERRIDE_KEY,
    START_OVERRIDE_TEXT,
    Checklist,
    grace_from,
)
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.graduated_rate import next_step_due_after, next_step_rate
from clinic_app.domain.infusion_timeline import (
    InfusionState,
    InfusionTimeline,
    RateSegment,
    SegmentOrigin,
)
from clinic_app.domain.premedication import missing_premedication
from clinic_app.domain.units import round_ml
from clinic_app.domain.vitals import VitalSigns as Reading
from clinic_app.domain.vitals import flags
from clinic_app.services.chart import patient_alerts, reaction_summary
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import order_text
from clinic_app.services.patients import (
    anaphylaxes,
    nurse_names,
    patient_summary,
    patients_with_no_known_allergies,
    voiding,
)
from clinic_app.services.visits._double_check import double_check_status
from clinic_app.services.visits._infusion_safety import continuing_refusal, is_infusing
from clinic_app.services.visits._labs_gate import LABS_DECISION_KEY, LABS_DECISION_TEXT, labs_for
from clinic_app.services.visits._premedication import (
    PREMEDICATION_REASON_KEY,
    PREMEDICATION_REASON_TEXT,
    given_items,
    premedication_entries,
    suggested_for,
)
from clinic_app.services.visits._state import (
    LoadedVisit,
    checklist_of,
    domain_entries,
    timeline_of,
)
from clinic_app.services.visits._surgery_check import surgery_and_vaccine_lines
from clinic_app.services.visits.dto import (
    CheckEntry,
    DoseDecision,
    InfusionEventEntry,
    InfusionProgress,
    LotEntry,
    VisitCourse,
    VisitDetail,
    VitalsEntry,
)
from clinic_app.storage.models import (
    AuditAction,
    ChecklistEntry,
    InfusionEvent,
    VisitStatus,
    VitalSigns,
)
from clinic_app.storage.unit_of_work import UnitOfWork

BASELINE_KEY = "pre.baseline_vitals"


def allergy_texts(uow: UnitOfWork, patient_id: int, tz: tzinfo) -> tuple[str, ...]:
    """The patient's allergies on file, e.g. "Penicillin (rash)", then the drug allergies derived
    from anaphylaxis on file (days in ``tz``; :mod:`clinic_app.domain.allergy_status`)."""
    recorded = [f"{a.substance} ({a.reaction})" if a.reaction else a.substance
                for a in uow.allergies.list_by(patient_id=patient_id)]
    return (*recorded, *anaphylaxis_allergies(anaphylaxes(uow.session, patient_id, tz)))


def has_no_known_allergies(uow: UnitOfWork, patient_id: int) -> bool:
    """Whether the patient's "No known allergies" statement stands (issue 12)."""
    return patient_id in patients_with_no_known_allergies(uow.session, [patient_id])


def visit_course(loaded: LoadedVisit) -> VisitCourse:
    """The order behind the visit."""
    course, protocol = loaded.course, loaded.protocol
    names = {i.id: i.name for i in protocol.dosing.indications}
    return VisitCourse(
        id=course.id, protocol_id=course.protocol_id, drug=protocol.drug,
        indication_id=course.indication_id,
        indication=names.get(course.indication_id, course.indication_id),
        order_text=order_text(course), prescriber=course.prescriber,
    )


def reading(row: VitalSigns) -> Reading:
    """The stored vitals as the domain's reading."""
    return Reading(systolic=row.systolic_mmhg, diastolic=row.diastolic_mmhg,
                   heart_rate=row.heart_rate_bpm, temperature_c=row.temperature_c,
                   respiratory_rate=row.respiratory_rate, spo2=row.spo2_percent)


def baseline_of(rows: Sequence[VitalSigns]) -> Reading | None:
    """The latest baseline reading (not voided) of a visit, if taken."""
    found = [r for r in rows if r.phase == BASELINE_KEY and r.voided_at is None]
    return reading(found[-1]) if found else None


def vitals_label(text: str) -> str:
    """A short time-point label from a vitals item's text ("15 min into the infusion",
    "Baseline vitals")."""
    if text.startswith("Vitals: "):
        return text.removeprefix("Vitals: ")
    return text.split(":")[0]


def vitals_entry(ctx: ServiceContext, row: VitalSigns, baseline: Reading | None,
                 labels: dict[str, str], names: dict[int, str]) -> VitalsEntry:
    """A vitals row with its flags against the settings and the baseline."""
    own = None if row.phase == BASELINE_KEY else baseline
    return VitalsEntry(
        id=row.id, measured_at=row.measured_at, item_key=row.phase,
        label=vitals_label(labels.get(row.phase or "", "Extra reading")),
        systolic=row.systolic_mmhg,
        diastolic=row.diastolic_mmhg, heart_rate=row.heart_rate_bpm,
        temperature_c=row.temperature_c, respiratory_rate=row.respiratory_rate,
        spo2=row.spo2_percent, nurse=names.get(row.nurse_id, ""),
        flags=tuple(flags(reading(row), own, ctx.settings.vitals_flags)), version=row.version,
        voided=voiding(row, names),
    )


def lot_entries(uow: UnitOfWork, visit_id: int) -> tuple[LotEntry, ...]:
    """The lots of a visit (voided ones marked), with who recorded them and when (audit)."""
    rows = uow.product_lots.list_by(visit_id=visit_id, include_voided=True)
    inserts = {e.record_id: e for e in uow.audit.for_records("product_lots", [r.id for r in rows])
               if e.action is AuditAction.INSERT}
    ids = [e.actor_id for e in inserts.values()] + [r.voided_by_id for r in rows]
    names = nurse_names(uow.session, ids)
    entries = []
    for r in rows:
        insert = inserts.get(r.id)
        entries.append(LotEntry(
            id=r.id, product=r.product, lot_number=r.lot_number, expiry_date=r.expiry_date,
            vials=r.vials, recorded_at=None if insert is None else insert.at,
            recorded_by="" if insert is None else names.get(insert.actor_id or 0, ""),
            version=r.version, voided=voiding(r, names)))
    return tuple(entries)


def discharged_at(uow: UnitOfWork, visit_id: int) -> datetime | None:
    """When the visit was closed as completed (from the audit trail)."""
    for entry in uow.audit.history("infusion_visits", visit_id):
        status = entry.changes.get("status")
        if status and status.get("new") == VisitStatus.COMPLETED.value:
            return entry.at
    return None


def _resumed(timeline: InfusionTimeline, at: datetime) -> InfusionTimeline:
    """The timeline as if its open pause ended at ``at`` (for the times "if resumed now")."""
    closed = (*timeline.pauses[:-1], replace(timeline.pauses[-1], resumed_at=at))
    return InfusionTimeline(volume_ml=timeline.volume_ml, steps=timeline.steps,
                            started_at=timeline.started_at, pauses=closed,
                            rate_changes=timeline.rate_changes)


def step_fields(timeline: InfusionTimeline, current: RateSegment, minute: Decimal,
                clock: InfusionTimeline) -> dict[str, Any]:
    """Where a graduated infusion stands in its table: step n of N and the next step's rate
    and clock time on ``clock`` (the timeline, or as if resumed now); empty for one rate.
    Once the nurse changed the rate by hand the pump no longer runs the table by itself (the
    infusion timeline's rule): the next step up is due after the time the table holds the
    step that rate reached (:func:`clinic_app.domain.graduated_rate.next_step_due_after`)."""
    if len(timeline.steps) < 2:
        return {}
    if current.origin is not SegmentOrigin.STEP:
        due = next_step_due_after([(s.rate_ml_per_h, s.minutes) for s in timeline.steps],
                                  current.rate_ml_per_h)
        if due is None:
            return {}
        following, hold = due
        return {"next_rate_ml_per_h": following,
                "next_step_at": clock.clock_time(current.from_minute + hold)}
    later = [s for s in timeline.segments if s.from_minute > minute]
    fields: dict[str, Any] = {"step_number": current.number,
                              "step_count": len(timeline.steps)}
    if later and later[0].origin is SegmentOrigin.STEP:
        fields["next_rate_ml_per_h"] = later[0].rate_ml_per_h
        fields["next_step_at"] = clock.clock_time(later[0].from_minute)
    return fields


def progress(timeline: InfusionTimeline | None, now: datetime,
             plan: DosePlan | None = None) -> InfusionProgress | None:
    """Volume, rate, step and end of the infusion at ``now`` (None before the start); with the
    ``plan`` of a graduated infusion, the next step's rate to suggest for a rate change."""
    if timeline is None:
        return None
    table = [] if plan is None else [s.rate_ml_per_h for s in plan.titration]
    state = timeline.state(now)
    minute = timeline.infusing_minutes(now)
    current = [s for s in timeline.segments if s.from_minute <= minute][-1]
    paused_since, resume_at, clock = None, now, timeline
    if state is InfusionState.PAUSED and timeline.pauses:
        paused_since = timeline.pauses[-1].paused_at
        # the domain needs a resume after the pause began: a pause begun this instant
        # projects as if resumed a microsecond later
        resume_at = max(now, paused_since + timedelta(microseconds=1))
        clock = _resumed(timeline, resume_at)
    steps = {} if state is InfusionState.ENDED else step_fields(timeline, current, minute, clock)
    return InfusionProgress(
        state=state.value, volume_infused_ml=round_ml(timeline.volume_infused(now)),
        remaining_ml=round_ml(timeline.remaining_volume(now)),
        current_rate_ml_per_h=current.rate_ml_per_h,
        projected_end=timeline.projected_end_if_resumed_at(resume_at), paused_since=paused_since,
        rate_since=timeline.segment_since(current),
        suggested_rate_ml_per_h=next_step_rate(table, current.rate_ml_per_h),
        **steps,
    )


def next_step_change(timeline: InfusionTimeline | None,
                     now: datetime) -> tuple[Decimal, datetime] | None:
    """The next step up of a running graduated infusion, its rate and when it is due (None when
    nothing is due: one rate, the top step, paused or not running)."""
    found = progress(timeline, now)
    if (found is None or found.state != InfusionState.RUNNING.value
            or found.next_rate_ml_per_h is None or found.next_step_at is None):
        return None
    return found.next_rate_ml_per_h, found.next_step_at


def event_entry(row: InfusionEvent, names: dict[int, str]) -> InfusionEventEntry:
    """A pause, resume, rate change or stop."""
    return InfusionEventEntry(id=row.id, at=row.at, kind=row.kind.value,
                              rate_ml_per_h=row.rate_ml_per_h, note=row.note or "",
                              nurse=names.get(row.nurse_id, ""), voided=voiding(row, names))


def check_entry(row: ChecklistEntry, labels: dict[str, str],
                names: dict[int, str], corrects: str | None = None) -> CheckEntry:
    """An answered checklist item; ``corrects`` is the answer a correction replaced."""
    return CheckEntry(id=row.id, item_key=row.item_key, text=labels.get(row.item_key,
                                                                      row.item_key),
                      answer=row.value, recorded_at=row.recorded_at,
                      nurse=names.get(row.nurse_id, ""), version=row.version,
                      voided=voiding(row, names),
                      corrects=corrects if row.correction_reason else None,
                      correction_reason=row.correction_reason)


def check_entries(rows: Sequence[ChecklistEntry], labels: dict[str, str],
                  names: dict[int, str]) -> tuple[CheckEntry, ...]:
    """The answers in time order, each correction with the answer it replaced (the item's
    answer before it, voided answers left out)."""
    before: dict[str, str] = {}
    entries = []
    for row in rows:
        entries.append(check_entry(row, labels, names, before.get(row.item_key)))
        if row.voided_at is None:
            before[row.item_key] = row.value
    return tuple(entries)


def _item_texts(checklist: Checklist) -> dict[str, str]:
    return {MISSED_VITALS_KEY: MISSED_VITALS_TEXT, START_OVERRIDE_KEY: START_OVERRIDE_TEXT,
            PREMEDICATION_REASON_KEY: PREMEDICATION_REASON_TEXT,
            LABS_DECISION_KEY: LABS_DECISION_TEXT,
            **{item.key: item.text for item in checklist.items}}


def _nurse_ids(*groups: Sequence[object]) -> list[int | None]:
    return [getattr(row, name, None) for group in groups for row in group
            for name in ("nurse_id", "voided_by_id")]


def dose_decisions(plan: DosePlan, acknowledged: Sequence[str]) -> tuple[DoseDecision, ...]:
    """Each warning of the accepted plan with what was decided when the visit was opened: a
    warning that needs a reason was overridden with the plan's reason, one that needs an
    acknowledgement was acknowledged (the visit opens only then, visit opening rules)."""
    decisions = []
    for warning in plan.warnings:
        if warning.requires_override and plan.override_reason:
            decisions.append(DoseDecision(warning.code, warning.message, "overridden",
                                          plan.override_reason))
        elif warning.code in acknowledged:
            decisions.append(DoseDecision(warning.code, warning.message, "acknowledged"))
        else:
            decisions.append(DoseDecision(warning.code, warning.message, ""))
    return tuple(decisions)


def visit_detail(ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit) -> VisitDetail:
    """The full view of a visit at ``ctx.now()``."""
    now, visit = ctx.now(), loaded.visit
    timeline = timeline_of(loaded)
    checklist = checklist_of(loaded, now, timeline)
    entries = domain_entries(loaded)
    labels = _item_texts(checklist)
    checks = sorted(uow.checklist.list_by(visit_id=visit.id, include_voided=True),
                    key=lambda r: (r.recorded_at, r.id))
    vitals = sorted(uow.vitals.list_by(visit_id=visit.id, include_voided=True),
                    key=lambda r: (r.measured_at, r.id))
    events = sorted(uow.infusion_events.list_by(visit_id=visit.id, include_voided=True),
                    key=lambda r: (r.at, r.id))
    reactions = sorted(uow.reactions.list_by(visit_id=visit.id, include_voided=True),
                       key=lambda r: (r.onset_at, r.id))
    names = nurse_names(uow.session, [visit.nurse_id, *_nurse_ids(checks, vitals, events,
                                                                   reactions)])
    baseline = baseline_of(vitals)
    appointment = loaded.appointment
    allergies = allergy_texts(uow, loaded.patient.id, ctx.tz)
    suggested = suggested_for(ctx, loaded)
    return VisitDetail(
        id=visit.id, version=visit.version, status=visit.status.value, as_of=now,
        patient=patient_summary(loaded.patient),
        allergies=allergies,
        no_known_allergies=has_no_known_allergies(uow, loaded.patient.id),
        alerts=patient_alerts(ctx, uow, loaded.patient.id),
        course=visit_course(loaded), appointment_id=visit.appointment_id,
        dose_number=loaded.dose_number,
        booked_at=None if appointment is None else appointment.starts_at,
        chair=(appointment.chair if appointment else None) or "",
        nurse=names.get(visit.nurse_id, ""), weight_kg_used=visit.weight_kg_used,
        dose_plan=loaded.snapshot.plan, acknowledged=loaded.snapshot.acknowledged,
        started_at=visit.started_at, ended_at=visit.ended_at,
        discharged_at=discharged_at(uow, visit.id),
        observation_minutes=loaded.observation_minutes,
        observation_end=checklist.observation_end if timeline is not None else None,
        infusion=progress(timeline, now, loaded.snapshot.plan),
        checklist=checklist.status(now, entries, grace=grace_from(ctx.settings.checklists)),
        start_gate=checklist.start_check(entries),
        discharge_gate=checklist.discharge_check(
            now, entries, tz=ctx.tz, grace=grace_from(ctx.settings.checklists)),
        previous_reaction=loaded.previous_reaction,
        premedication=loaded.consequences.premedication,
        lots=lot_entries(uow, visit.id),
        events=tuple(event_entry(r, names) for r in events),
        entries=check_entries(checks, labels, names),
        vitals=tuple(vitals_entry(ctx, r, baseline, labels, names) for r in vitals),
        reactions=tuple(reaction_summary(r, names) for r in reactions),
        continue_refusal=continuing_refusal(uow, loaded) if is_infusing(loaded) else None,
        not_given_reason=visit.not_given_reason,
        dose_decisions=dose_decisions(loaded.snapshot.plan, loaded.snapshot.acknowledged),
        observation_extended=None if loaded.extension is None else loaded.extension.cause,
        premedication_suggested=suggested,
        premedication_missing=missing_premedication(suggested, given_items(uow, visit.id)),
        premedications=premedication_entries(uow, visit.id),
        premedication_note=ctx.settings.premedication.doses_note if suggested else "",
        labs=labs_for(ctx, uow, loaded),
        surgery_and_vaccines=surgery_and_vaccine_lines(ctx, uow, loaded),
        double_check=double_check_status(ctx, uow, loaded),
    )
