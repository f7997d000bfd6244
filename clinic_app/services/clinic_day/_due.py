"""What is due next for one appointment of the clinic day, and what is late, at ``ctx.now()``.

Rules (the checklist's item states come from :mod:`clinic_app.domain.checklist_model`; the
grace period is the clinic setting ``[checklists] grace_minutes``, default 5):

- Booked: the patient is expected at the booked time; past it by more than the grace period
  the row is late ("11:00 Arrival: not arrived yet").
- Arrived / pre-check: the first pre-infusion item still open. A patient still in the
  pre-infusion check more than ``[checklists] pre_check_overdue_minutes`` (default 45) after
  arriving (the visit's first record, the weight taken on opening it) is late ("09:30
  Pre-infusion check: infusion not started yet"; review of the Today screen, P2-10).
- Infusing: the next item due from the actual start, pauses and rate changes, or the next
  step up of a graduated rate when it comes first ("09:45 Rate: step up to 40 mL/h"; a prompt,
  never late: :func:`clinic_app.services.visits.next_step_change`). Until the nurse
  records the end, the end is only projected (from the bag volume and the rates, pauses
  included, :class:`clinic_app.domain.infusion_timeline.InfusionTimeline`): the observation and
  discharge items, which count from the end, wait for it. Recording the end is due at the
  projected end (next, once no earlier item waits); past it by more than the grace period the
  pump should have finished and it is late ("14:30 Record the end of the infusion"). While
  paused the end is unknown.
- Paused (a reaction, a line problem): the nurse's decision comes first, "Paused since 09:30:
  resume or end", due from the pause and late after the clinic setting
  ``[checklists] pause_overdue_minutes`` (default 15; review of the Today screen, P1-2).
- Observation: the next observation or discharge item; "Ready to go home" when all are done.
- Discharged, did not attend, not given: nothing more is due.

Late items are clinical or paperwork (:mod:`clinic_app.domain.overdue`): recording the end of
the infusion late is paperwork (the pump has finished); every other late item here is clinical.

Every late item starts with its due time in the clinic's zone ("09:45 Vitals: 15 min into the
infusion"), so a late row still says when the thing was due, even where the text is cut short.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from clinic_app.domain.checklists import Checklist, ChecklistStatus, Phase, grace_from
from clinic_app.domain.infusion_events import paused_during
from clinic_app.domain.infusion_timeline import InfusionState, InfusionTimeline
from clinic_app.domain.units import plain
from clinic_app.services.context import ServiceContext
from clinic_app.services.visits import (
    LoadedVisit,
    checklist_of,
    domain_entries,
    local_hm,
    next_step_change,
    timeline_of,
)
from clinic_app.storage.models import Appointment, AppointmentStatus, VisitStatus

_BEFORE_THE_END = (Phase.PRE, Phase.INFUSION)
_NOT_COMING = (AppointmentStatus.MISSED, AppointmentStatus.NOT_GIVEN)


@dataclass(frozen=True)
class Due:
    """The next thing to do and when (UTC), and the late items, each with its due time;
    ``paperwork`` those of the late items that are paperwork (:mod:`clinic_app.domain.overdue`:
    recording an end that has happened), the others being clinical."""

    text: str | None = None
    at: datetime | None = None
    overdue: tuple[str, ...] = ()
    paperwork: tuple[str, ...] = ()


@dataclass(frozen=True)
class VisitNow:
    """A visit at ``ctx.now()``: what is due, whether paused (and since when, UTC), and when the
    infusion should end (its projected end while it runs; None otherwise)."""

    due: Due
    paused: bool
    end_due: datetime | None
    paused_since: datetime | None = None


def timed(ctx: ServiceContext, text: str, due: datetime | None) -> str:
    """``text`` after its due time in the clinic's zone: "14:30 Vitals …"."""
    return text if due is None else f"{local_hm(ctx, due)} {text}"


def booked_due(ctx: ServiceContext, appointment: Appointment) -> Due:
    """A booked patient not yet arrived: arrival is due at the booked time (late after grace)."""
    if appointment.status in _NOT_COMING or appointment.starts_at is None:
        return Due()
    late = ctx.now() > appointment.starts_at + grace_from(ctx.settings.checklists)
    overdue = (timed(ctx, "Arrival: not arrived yet", appointment.starts_at),) if late else ()
    return Due("Arrival: weigh and open the visit", appointment.starts_at, overdue)


def can_mark_did_not_attend(ctx: ServiceContext, appointment: Appointment,
                            has_visit: bool) -> bool:
    """A booked appointment with no visit opened, on its day or later (as
    :func:`clinic_app.services.courses.mark_did_not_attend` accepts)."""
    return (appointment.status is AppointmentStatus.BOOKED and not has_visit
            and appointment.starts_at is not None
            and appointment.starts_at.astimezone(ctx.tz).date() <= ctx.local_now().date())


def _projected_end(loaded: LoadedVisit, timeline: InfusionTimeline | None) -> datetime | None:
    """The projected end of an infusion still running (None when paused or not infusing)."""
    if (loaded.visit.status is not VisitStatus.INFUSING or timeline is None
            or timeline.ended_at is not None):
        return None
    return timeline.end_time


def _late(ctx: ServiceContext, status: ChecklistStatus) -> tuple[str, ...]:
    return tuple(timed(ctx, s.item.text, s.item.due_at) for s in status.overdue)


def _arrived_at(loaded: LoadedVisit) -> datetime | None:
    """When the patient arrived: the visit's first record (the weight taken on opening it)."""
    moments = [e.recorded_at for e in loaded.entries] + [v.measured_at for v in loaded.vitals]
    return min(moments, default=None)


def _pre_check_due(ctx: ServiceContext, loaded: LoadedVisit, status: ChecklistStatus) -> Due:
    booked = loaded.appointment.starts_at if loaded.appointment else None
    open_items = [s for s in status.items
                  if s.item.phase is Phase.PRE and s.state.value != "done"]
    text = open_items[0].item.text if open_items else "Ready to start the infusion"
    arrived = _arrived_at(loaded)
    limit = timedelta(minutes=ctx.settings.checklists.pre_check_overdue_minutes)
    if arrived is not None and ctx.now() > arrived + limit:
        late = timed(ctx, "Pre-infusion check: infusion not started yet", arrived)
        return Due(text, booked, (late,))
    return Due(text, booked)


def _paused_due(ctx: ServiceContext, paused_since: datetime, late: tuple[str, ...]) -> Due:
    """Resume or end: due from the pause, late after ``pause_overdue_minutes``."""
    text = f"Paused since {local_hm(ctx, paused_since)}: resume or end"
    limit = timedelta(minutes=ctx.settings.checklists.pause_overdue_minutes)
    if ctx.now() > paused_since + limit:
        overdue = timed(ctx, "Paused: resume or end", paused_since)
        return Due(text, paused_since, (overdue, *late))
    return Due(text, paused_since, late)


def _visit_due(ctx: ServiceContext, loaded: LoadedVisit, checklist: Checklist,
               status: ChecklistStatus, end_due: datetime | None,
               paused_since: datetime | None, timeline: InfusionTimeline | None) -> Due:
    if loaded.visit.status is VisitStatus.CHECKED_IN:
        return _pre_check_due(ctx, loaded, status)
    late = _late(ctx, status)
    if paused_since is not None:
        return _paused_due(ctx, paused_since, late)
    if end_due is not None:
        end_text = "Record the end of the infusion"
        if ctx.now() > end_due + grace_from(ctx.settings.checklists):
            record_end = timed(ctx, end_text, end_due)
            return Due(end_text, end_due, (record_end, *late), paperwork=(record_end,))
        if status.next_due is None or (status.next_due.item.due_at or end_due) > end_due:
            return Due(end_text, end_due, late)
    step = next_step_change(timeline, ctx.now())
    next_item = None if status.next_due is None else status.next_due.item
    if step is not None and (next_item is None or next_item.due_at is None
                             or step[1] < next_item.due_at):
        return Due(f"Rate: step up to {plain(step[0])} mL/h (graduated)", step[1], late)
    if next_item is not None:
        return Due(next_item.text, next_item.due_at, late)
    if loaded.visit.status is VisitStatus.OBSERVATION:
        return Due("Ready to go home: discharge", checklist.observation_end, late)
    return Due(None, None, late)


def visit_now(ctx: ServiceContext, loaded: LoadedVisit) -> VisitNow:
    """The visit's state at ``ctx.now()``: due and late items, pause, projected end."""
    now = ctx.now()
    timeline = timeline_of(loaded)
    checklist = checklist_of(loaded, now, timeline)
    end_due = _projected_end(loaded, timeline)
    if loaded.visit.status is VisitStatus.INFUSING:
        checklist = replace(checklist, items=tuple(
            i for i in checklist.items if i.phase in _BEFORE_THE_END))
    status = checklist.status(now, domain_entries(loaded),
                              grace=grace_from(ctx.settings.checklists))
    paused = timeline is not None and timeline.state(now) is InfusionState.PAUSED
    pause = paused_during(now, timeline.pauses) if paused and timeline is not None else None
    since = None if pause is None else pause.paused_at
    due = _visit_due(ctx, loaded, checklist, status, end_due, since, timeline)
    return VisitNow(due, paused, end_due, since)

