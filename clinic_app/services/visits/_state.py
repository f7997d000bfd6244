"""A visit as the clinical rules see it: rows loaded once, turned into domain objects.

Used inside a unit of work by the visit, reaction, clinic-day and sheet use cases. Nothing here
writes. The checklist of a visit not yet started is built as *planned* from ``now`` (the pre-checks
are due now, the infusion times show what they would be if it started now); after the start it is
built from the actual start, pauses, rate changes and end (checklist rules in
:mod:`clinic_app.domain.checklists`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from clinic_app.domain.checklist_templates import load_checklist_templates
from clinic_app.domain.checklists import Checklist, ChecklistEntry, build_checklist
from clinic_app.domain.infusion_timeline import InfusionTimeline, Pause, RateChange
from clinic_app.domain.observation import ObservationExtension, observation_extension
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.reactions import ReactionConsequences, plan_consequences
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ActionNotAllowed, NotFound
from clinic_app.services.patients import reaction_records, reactions_at_visit
from clinic_app.services.visits._dose_snapshot import DoseSnapshot, read_snapshot
from clinic_app.storage.models import (
    Appointment,
    InfusionEvent,
    InfusionEventKind,
    InfusionVisit,
    Patient,
    TreatmentCourse,
    VitalSigns,
)
from clinic_app.storage.models import (
    ChecklistEntry as ChecklistRow,
)
from clinic_app.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class LoadedVisit:
    """The rows of one visit and the domain objects they stand for."""

    visit: InfusionVisit
    appointment: Appointment | None
    course: TreatmentCourse
    patient: Patient
    protocol: Protocol
    snapshot: DoseSnapshot
    events: tuple[InfusionEvent, ...]
    entries: tuple[ChecklistRow, ...]
    vitals: tuple[VitalSigns, ...]
    consequences: ReactionConsequences
    #: Observation lengthened by a severe reaction at this visit (None: the protocol's own).
    extension: ObservationExtension | None = None

    @property
    def dose_number(self) -> int:
        """The dose number of the appointment (1 for a visit without one)."""
        return 1 if self.appointment is None else self.appointment.dose_number

    @property
    def observation_minutes(self) -> int:
        """Observation after this dose, from the protocol."""
        return self.protocol.monitoring.observation_minutes(self.dose_number)

    @property
    def previous_reaction(self) -> bool:
        """An earlier acute reaction to this drug (premedication is then on the checklist)."""
        return self.consequences.premedication is not None


def load_visit(ctx: ServiceContext, uow: UnitOfWork, visit_id: int, *,
               for_update: bool = False) -> LoadedVisit:
    """The visit with its rows; :class:`NotFound` for an unknown or voided visit.

    ``for_update`` locks the visit row (PostgreSQL) so two workstations change it in turn. A
    severe reaction at the visit extends its observation by the clinic's setting
    (:func:`clinic_app.domain.observation.observation_extension`).
    """
    session = uow.session
    visit = session.get(InfusionVisit, visit_id, with_for_update=for_update or None)
    if visit is None or visit.is_voided:
        raise NotFound(f"No infusion visit with id {visit_id} (it may have been voided).")
    course = session.get(TreatmentCourse, visit.course_id)
    patient = session.get(Patient, visit.patient_id)
    assert course is not None and patient is not None  # foreign keys
    appointment = None if visit.appointment_id is None else session.get(
        Appointment, visit.appointment_id)
    if visit.dose_plan is None:
        raise ActionNotAllowed(f"Visit {visit_id} has no dose plan on file.")
    protocol = load_protocol(course.protocol_id)
    before = visit.started_at or uow.clock()
    earlier = reaction_records(session, visit.patient_id, before=before, exclude_visit=visit.id)
    return LoadedVisit(
        visit=visit, appointment=appointment, course=course, patient=patient,
        protocol=protocol, snapshot=read_snapshot(visit.dose_plan),
        events=tuple(sorted(uow.infusion_events.list_by(visit_id=visit_id),
                            key=lambda r: (r.at, r.id))),
        entries=tuple(sorted(uow.checklist.list_by(visit_id=visit_id),
                             key=lambda r: (r.recorded_at, r.id))),
        vitals=tuple(sorted(uow.vitals.list_by(visit_id=visit_id),
                            key=lambda r: (r.measured_at, r.id))),
        consequences=plan_consequences(
            protocol, earlier,
            shortened_allowed=ctx.settings.dosing.allow_shortened_infusion),
        extension=observation_extension(
            reactions_at_visit(session, visit),
            protocol_minutes=protocol.monitoring.observation_minutes(
                1 if appointment is None else appointment.dose_number),
            after_severe_reaction_minutes=ctx.settings.observation.after_severe_reaction_minutes),
    )


def pauses_and_changes(
    events: tuple[InfusionEvent, ...], ended_at: datetime | None
) -> tuple[list[Pause], list[RateChange]]:
    """The recorded pauses and rate changes; a pause still open when the infusion was ended
    (stopped during the pause) is closed by the end itself and so left out."""
    pauses: list[Pause] = []
    changes: list[RateChange] = []
    paused_at: datetime | None = None
    for event in events:
        if event.kind is InfusionEventKind.PAUSE:
            paused_at = event.at
        elif event.kind is InfusionEventKind.RESUME and paused_at is not None:
            pauses.append(Pause(paused_at, event.at))
            paused_at = None
        elif event.kind is InfusionEventKind.RATE_CHANGE and event.rate_ml_per_h is not None:
            changes.append(RateChange(event.at, event.rate_ml_per_h))
    if paused_at is not None and ended_at is None:
        pauses.append(Pause(paused_at))
    return pauses, changes


def timeline_of(loaded: LoadedVisit, *, events: tuple[InfusionEvent, ...] | None = None,
                ended_at: datetime | None = None) -> InfusionTimeline | None:
    """The infusion as recorded (None before the start); ``events``/``ended_at`` override the
    stored ones, so an action can check its new event against the rules before writing it."""
    visit = loaded.visit
    if visit.started_at is None:
        return None
    end = ended_at or visit.ended_at
    pauses, changes = pauses_and_changes(loaded.events if events is None else events, end)
    return InfusionTimeline(volume_ml=loaded.snapshot.plan.final_volume_ml,
                            steps=loaded.snapshot.plan.pump_steps, started_at=visit.started_at,
                            pauses=pauses, rate_changes=changes, ended_at=end)


def checklist_of(loaded: LoadedVisit, planned_start: datetime,
                 timeline: InfusionTimeline | None = None) -> Checklist:
    """The visit's checklist: before the start planned as if it started at ``planned_start``
    (usually now), after it from the actual times."""
    actual = timeline or timeline_of(loaded)
    planned = actual is None
    if actual is None:
        actual = InfusionTimeline(volume_ml=loaded.snapshot.plan.final_volume_ml,
                                  steps=loaded.snapshot.plan.pump_steps, started_at=planned_start)
    return build_checklist(protocol=loaded.protocol, dose_number=loaded.dose_number,
                           templates=load_checklist_templates(), timeline=actual,
                           previous_reaction=loaded.previous_reaction, planned=planned,
                           extension=loaded.extension)


def domain_entries(loaded: LoadedVisit) -> list[ChecklistEntry]:
    """The answered items: checklist rows, and vitals recorded against an item."""
    entries = [ChecklistEntry(row.item_key, row.recorded_at, row.value) for row in loaded.entries]
    entries += [ChecklistEntry(row.phase, row.measured_at) for row in loaded.vitals
                if row.phase is not None]
    return entries
