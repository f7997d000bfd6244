"""The running infusion: start, pause, resume, rate change, end, and discharge.

Rules:

- the infusion starts only when the checklist's start gate allows it (every required
  pre-infusion item answered, no blocking answer; :meth:`Checklist.start_check`) and every
  flag of the baseline vitals is acknowledged with a reason (:mod:`.start_checks`);
- every pause, resume and rate change is checked by the domain timeline before it is written
  (in order, not before the start, no rate change while paused);
- a rate change may not make the whole infusion shorter than the protocol's minimum duration
  (label: infliximab "over not less than 2 hours"; clinical reference);
- ending the infusion during a pause ends it at the pause (the pump stopped then); the dose is
  then given and the course's later appointments follow the day it was given;
- ending before the bag is empty needs a reason (recorded as a STOP event): the dose then counts
  as given, so why it was cut short must be on record;
- the pump may not be resumed nor its rate changed once the drug is contraindicated or an
  anaphylaxis was logged at this visit (:mod:`._infusion_safety`); a reaction
  logged while the pump runs pauses or stops it in the same transaction
  (:func:`interrupt_for_reaction`);
- the patient goes home only when the discharge gate allows it (observation over and recorded,
  discharge checks answered; :meth:`Checklist.discharge_check`).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from decimal import Decimal

from clinic_app.domain.checklists import (
    END_VITALS_KEY,
    MISSED_VITALS_KEY,
    GateCheck,
    grace_from,
    saved_end_vitals_key,
)
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.graduated_rate import next_step_rate, skips_steps
from clinic_app.domain.infusion_timeline import InfusionTimeline
from clinic_app.domain.patient_validation import normalise_line
from clinic_app.domain.units import NumberInput, parse_number, plain, round_ml, round_rate_down
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import sync_appointments
from clinic_app.services.errors import ActionNotAllowed, GateBlocked, OverrideRequired
from clinic_app.services.typed_input import not_in_future, parse_moment
from clinic_app.services.visits._double_check import require_double_check
from clinic_app.services.visits._infusion_safety import PAUSED, STOPPED, refuse_continuing
from clinic_app.services.visits._labs_gate import require_labs_decision
from clinic_app.services.visits._premedication import require_premedication
from clinic_app.services.visits._rules import local_hm, require_status
from clinic_app.services.visits._start_checks import require_acknowledged_baseline
from clinic_app.services.visits._state import (
    LoadedVisit,
    checklist_of,
    domain_entries,
    load_visit,
    timeline_of,
)
from clinic_app.services.visits._views import visit_detail
from clinic_app.services.visits.dto import VisitDetail
from clinic_app.storage.models import (
    AppointmentStatus,
    ChecklistEntry,
    InfusionEvent,
    InfusionEventKind,
    VisitStatus,
)
from clinic_app.storage.unit_of_work import UnitOfWork

RATE_MAX = Decimal("9999.99")
RATE_STEP = Decimal("0.01")
RATE_SKIPS_STEPS = "RATE_SKIPS_STEPS"  # a graduated infusion set above its next step


def _moment(ctx: ServiceContext, at: datetime | str | None, what: str) -> datetime:
    now = ctx.now()
    moment = parse_moment(at, now=now, tz=ctx.tz, field="at", label=f"The time of the {what}")
    return not_in_future(moment, now=now, field="at", label=f"The time of the {what}")


def _blocked(what: str, gate: GateCheck) -> GateBlocked:
    lines = "; ".join(b.message for b in gate.blockers)
    return GateBlocked(f"{what}: {lines}", gate.blockers)


def _note(text: str | None) -> str | None:
    """The note on one line (:func:`normalise_line`, at most 500 characters); None if blank."""
    return normalise_line(text or "", field="note", label="The note", max_length=500) or None


def _typed_rate(rate: NumberInput) -> Decimal:
    """The rate as typed, when the record keeps it exactly (above 0, at most :data:`RATE_MAX`,
    to 0.01 mL/h)."""
    value = parse_number(rate, field="rate", label="Rate")
    if value <= 0:
        raise InvalidInput("rate", f"The rate must be more than 0 mL/h, got {plain(value)}.")
    if value > RATE_MAX:
        raise InvalidInput("rate", f"The rate must be at most {plain(RATE_MAX)} mL/h.")
    if value != value.quantize(RATE_STEP):
        raise InvalidInput("rate", "Type the rate to 0.01 mL/h at most (e.g. 62.5).")
    return value


def _finish(ctx: ServiceContext, uow: UnitOfWork, visit_id: int) -> VisitDetail:
    uow.commit()
    return visit_detail(ctx, uow, load_visit(ctx, uow, visit_id))


def start_infusion(ctx: ServiceContext, *, visit_id: int, at: datetime | str | None = None,
                   acknowledged_flags: Collection[str] = (),
                   flags_reason: str | None = None,
                   premedication_reason: str | None = None,
                   labs_decision: str | None = None) -> VisitDetail:
    """Start the infusion at ``at`` (default now) if the start gate allows it.

    Raises :class:`GateBlocked` (an :class:`ActionNotAllowed`) naming each open or blocking item,
    then :class:`~._start_checks.BaselineFlagged` (an
    :class:`OverrideRequired`) while a flag of the baseline vitals is not in
    ``acknowledged_flags`` or ``flags_reason`` is empty; the reason goes to the audit trail.
    :class:`~._double_check.DoubleCheckMissing` (before the flags: no reason can lift it)
    while the clinic requires the second nurse's check and the dose plan or the bag is not
    signed for the plan as it is.
    Then :class:`~._premedication.PremedicationMissing` while premedication suggested after an
    earlier reaction is not recorded as given and ``premedication_reason`` is empty; the
    reason is kept on the record (a checklist answer naming what was not given).
    Then :class:`~._labs_gate.LabsDecisionRequired` while the protocol's lab rules propose
    holding or stopping the drug and ``labs_decision`` (the prescriber's) is empty; the
    decision is kept on the record with the proposal and its reasons.
    """
    with ctx.unit_of_work() as uow:
        loaded = load_visit(ctx, uow, visit_id, for_update=True)
        require_status(loaded, (VisitStatus.CHECKED_IN,), "start the infusion")
        moment = _moment(ctx, at, "start")
        gate = checklist_of(loaded, moment).start_check(domain_entries(loaded))
        if not gate.allowed:
            raise _blocked("The infusion cannot start yet", gate)
        require_double_check(ctx, uow, loaded)
        loaded.visit.started_at = moment
        loaded.visit.status = VisitStatus.INFUSING
        require_acknowledged_baseline(ctx, uow, loaded, acknowledged_flags, flags_reason)
        require_premedication(ctx, uow, loaded, premedication_reason)
        require_labs_decision(ctx, uow, loaded, labs_decision)
        return _finish(ctx, uow, visit_id)


def _running(ctx: ServiceContext, uow: UnitOfWork, visit_id: int,
             action: str) -> tuple[LoadedVisit, InfusionTimeline]:
    loaded = load_visit(ctx, uow, visit_id, for_update=True)
    require_status(loaded, (VisitStatus.INFUSING,), action)
    timeline = timeline_of(loaded)
    assert timeline is not None  # infusing visits have a start
    return loaded, timeline


def _add_event(ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit, *, at: datetime,
               kind: InfusionEventKind, rate: Decimal | None = None,
               note: str | None = None) -> InfusionTimeline:
    """Check the new event against the timeline rules, then stage it; returns the new timeline."""
    event = InfusionEvent(visit_id=loaded.visit.id, at=at, kind=kind, rate_ml_per_h=rate,
                          note=note, nurse_id=ctx.nurse_id)
    timeline = timeline_of(loaded, events=(*loaded.events, event))
    assert timeline is not None
    uow.infusion_events.add(event)
    return timeline


def _is_paused(timeline: InfusionTimeline) -> bool:
    return bool(timeline.pauses) and timeline.pauses[-1].resumed_at is None


def _pause(ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit, timeline: InfusionTimeline,
           moment: datetime, note: str | None) -> None:
    if _is_paused(timeline):
        since = local_hm(ctx, timeline.pauses[-1].paused_at)
        raise ActionNotAllowed(f"The infusion is already paused (since {since}).")
    _add_event(ctx, uow, loaded, at=moment, kind=InfusionEventKind.PAUSE, note=note)


def pause_infusion(ctx: ServiceContext, *, visit_id: int, at: datetime | str | None = None,
                   reason: str = "") -> VisitDetail:
    """Pause the pump at ``at`` (default now); the vitals times after it move by the pause."""
    with ctx.unit_of_work() as uow:
        loaded, timeline = _running(ctx, uow, visit_id, "pause the infusion")
        _pause(ctx, uow, loaded, timeline, _moment(ctx, at, "pause"), _note(reason))
        return _finish(ctx, uow, visit_id)


def resume_infusion(ctx: ServiceContext, *, visit_id: int,
                    at: datetime | str | None = None) -> VisitDetail:
    """Restart the pump after a pause, at the rate it ran before (change it afterwards)."""
    with ctx.unit_of_work() as uow:
        loaded, timeline = _running(ctx, uow, visit_id, "resume the infusion")
        if not _is_paused(timeline):
            raise ActionNotAllowed("The infusion is not paused.")
        refuse_continuing(uow, loaded, "resume the infusion")
        _add_event(ctx, uow, loaded, at=_moment(ctx, at, "resume"),
                   kind=InfusionEventKind.RESUME)
        return _finish(ctx, uow, visit_id)


def _minimum_minutes(loaded: LoadedVisit) -> int:
    admin = loaded.protocol.administration
    if loaded.snapshot.plan.shortened and admin.shortened is not None:
        return admin.shortened.duration_min
    return admin.duration_min


def _check_minimum(loaded: LoadedVisit, before: InfusionTimeline, after: InfusionTimeline,
                   at: datetime, rate: Decimal) -> None:
    minimum = _minimum_minutes(loaded)
    if after.end_minute >= minimum:
        return
    left = minimum - before.infusing_minutes(at)
    highest = round_rate_down(before.remaining_volume(at) * 60 / left)
    raise InvalidInput(
        "rate", f"At {plain(rate)} mL/h the infusion would run {after.end_minute:.0f} min in all, "
                f"under the minimum of {minimum} min for {loaded.protocol.drug}: "
                f"set at most {plain(highest)} mL/h.")


def _check_steps(loaded: LoadedVisit, timeline: InfusionTimeline, at: datetime, rate: Decimal,
                 reason: str | None) -> None:
    """On a graduated infusion a rate above the next step needs a reason
    (:func:`clinic_app.domain.graduated_rate.skips_steps`)."""
    plan = loaded.snapshot.plan
    if not plan.graduated or reason is not None:
        return
    table = [s.rate_ml_per_h for s in plan.titration]
    current = timeline.rate_at(at)
    if not skips_steps(table, current, rate):
        return
    limit = next_step_rate(table, current) or max(table)
    raise OverrideRequired(
        f"{plain(rate)} mL/h skips steps of the graduated table: the next step is "
        f"{plain(limit)} mL/h. Set {plain(limit)} mL/h, or give the reason to go above it.",
        (RATE_SKIPS_STEPS,))


def change_rate(ctx: ServiceContext, *, visit_id: int, rate: NumberInput,
                at: datetime | str | None = None, note: str = "") -> VisitDetail:
    """Set the pump to ``rate`` mL/h at ``at`` (default now); vitals are due after the change.

    A rate that would finish the bag faster than the protocol's minimum duration is refused, and
    so is one the record cannot keep as typed (more than :data:`RATE_MAX` mL/h or finer than
    0.01 mL/h: 1e-400 was stored as 0 and the visit could no longer be read).

    On a graduated infusion a rate above the next step of the table (issue 12, "Graduated
    rate") is refused with :class:`OverrideRequired` (code ``RATE_SKIPS_STEPS``, the message
    names the next step's rate) unless ``note`` gives the reason; the reason is kept as the
    rate change's note (shown with the pump events and in the audit trail).
    """
    value = _typed_rate(rate)
    with ctx.unit_of_work() as uow:
        loaded, timeline = _running(ctx, uow, visit_id, "change the rate")
        refuse_continuing(uow, loaded, "change the rate")
        if _is_paused(timeline):
            raise ActionNotAllowed("The infusion is paused: resume it first, then set the rate.")
        moment = _moment(ctx, at, "rate change")
        _check_steps(loaded, timeline, moment, value, _note(note))
        after = _add_event(ctx, uow, loaded, at=moment, kind=InfusionEventKind.RATE_CHANGE,
                           rate=value, note=_note(note))
        _check_minimum(loaded, timeline, after, moment, value)
        return _finish(ctx, uow, visit_id)


def _keep_saved_end_vitals(loaded: LoadedVisit, running: InfusionTimeline,
                           ended: InfusionTimeline, end: datetime) -> None:
    """Vitals saved in the end row before a late end stay in the row they were saved in
    (:func:`clinic_app.domain.checklists.saved_end_vitals_key`); the move is audited."""
    key = saved_end_vitals_key(checklist_of(loaded, end, running),
                               checklist_of(loaded, end, ended))
    if key is None:
        return
    for row in loaded.vitals:
        if row.phase == END_VITALS_KEY and row.voided_at is None and row.measured_at < end:
            row.phase = key


def _end(ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit, timeline: InfusionTimeline,
         moment: datetime, note: str | None) -> None:
    end = timeline.pauses[-1].paused_at if _is_paused(timeline) else moment
    ended = timeline_of(loaded, ended_at=end)  # the domain checks the end against the events
    assert ended is not None
    left = ended.remaining_volume(end)
    if left > 0 and note is None:
        raise InvalidInput("reason", f"{plain(round_ml(left))} mL are still in the bag: give "
                                     f"the reason the infusion is ended early.")
    if note is not None:
        uow.infusion_events.add(InfusionEvent(visit_id=loaded.visit.id, at=moment,
                                              kind=InfusionEventKind.STOP, note=note,
                                              nurse_id=ctx.nurse_id))
    _keep_saved_end_vitals(loaded, timeline, ended, end)
    loaded.visit.ended_at = end
    loaded.visit.status = VisitStatus.OBSERVATION
    if loaded.appointment is not None:
        loaded.appointment.status = AppointmentStatus.DONE
        uow.flush()
        sync_appointments(ctx, uow, loaded.course, as_of=ctx.local_now().date())


def end_infusion(ctx: ServiceContext, *, visit_id: int, at: datetime | str | None = None,
                 reason: str = "") -> VisitDetail:
    """End the infusion at ``at`` (default now) and begin the observation period.

    ``at`` is the actual end, never in the future nor before the last pause, resume or rate
    change (issue 12, "Ending late"); vitals already saved in the end row at the projected end
    stay in the row they were saved in (:func:`_keep_saved_end_vitals`).

    Before the bag is empty ``reason`` is required (:class:`InvalidInput` on "reason"); it is
    recorded as a STOP event. During a pause the infusion ends at the pause. The appointment's
    dose is then given, and the course's later appointments are re-planned from today.
    """
    with ctx.unit_of_work() as uow:
        loaded, timeline = _running(ctx, uow, visit_id, "end the infusion")
        _end(ctx, uow, loaded, timeline, _moment(ctx, at, "end"), _note(reason))
        return _finish(ctx, uow, visit_id)


def interrupt_for_reaction(ctx: ServiceContext, uow: UnitOfWork, visit_id: int, action: str,
                           note: str) -> None:
    """Pause (``"paused"``) or end (``"stopped"``) the running infusion now, for a reaction,
    inside the caller's unit of work (not committed here). A pump already paused stays paused.
    """
    loaded, timeline = _running(ctx, uow, visit_id, "interrupt the infusion")
    if action == PAUSED and not _is_paused(timeline):
        _pause(ctx, uow, loaded, timeline, ctx.now(), _note(note))
    elif action == STOPPED:
        _end(ctx, uow, loaded, timeline, ctx.now(), _note(note))


def discharge(ctx: ServiceContext, *, visit_id: int,
              missed_vitals_reason: str | None = None) -> VisitDetail:
    """Close the visit: the patient goes home once the discharge gate allows it.

    Raises :class:`GateBlocked` naming what is still open: observation not over or not recorded
    (after a severe reaction the extended observation and the prescriber's clearance by name,
    issue 10), discharge checks not answered, a blocking answer, or vitals that were due and
    never recorded (blocker key ``discharge.missed_vitals``) unless ``missed_vitals_reason``
    says why the patient goes home without them; that reason is kept as an answer of the
    visit's checklist (printed on the infusion record) with the missed items named.
    """
    reason = _note(missed_vitals_reason) if missed_vitals_reason is not None else None
    with ctx.unit_of_work() as uow:
        loaded = load_visit(ctx, uow, visit_id, for_update=True)
        require_status(loaded, (VisitStatus.OBSERVATION,), "discharge the patient")
        now = ctx.now()
        checklist, entries = checklist_of(loaded, now), domain_entries(loaded)
        grace = grace_from(ctx.settings.checklists)
        gate = checklist.discharge_check(now, entries, tz=ctx.tz, missed_vitals_reason=reason,
                                         grace=grace)
        if not gate.allowed:
            raise _blocked("The patient cannot go home yet", gate)
        missed = checklist.missed_vitals(now, entries, grace=grace)
        if missed and reason:
            names = "; ".join(i.text.removeprefix("Vitals: ") for i in missed)
            uow.checklist.add(ChecklistEntry(visit_id=visit_id, item_key=MISSED_VITALS_KEY,
                                             value=f"{reason} (not recorded: {names})",
                                             recorded_at=now, nurse_id=ctx.nurse_id))
        loaded.visit.status = VisitStatus.COMPLETED
        return _finish(ctx, uow, visit_id)

