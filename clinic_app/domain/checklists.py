"""Build the monitoring checklist of one visit from the protocol, the templates and the timeline.

The rules (clinical reference, "Monitoring and reactions"; each protocol's ``[monitoring]``):

- Before the start: the pre-infusion template (identity, allergies, weight, baseline vitals,
  the screening questions, the anaphylaxis kit; premedication only after a previous reaction;
  an item with ``protocols`` only for those drugs, e.g. the infliximab-only questions),
  then the protocol's own pre-checks (e.g. the tocilizumab lab gate, blocking). All are due at
  the start.
- During the infusion: vitals at the protocol's ``vitals_minutes`` of *infusing* time from the
  actual start (a pause moves them later), ``vitals_after_rate_change_min`` after each rate
  change (a nurse's change or the next step of a graduated table), and at the end if
  ``vitals_at_end``. Time points after the end are dropped: the end vitals replace them. Points
  less than a minute apart are one set of vitals (the end, then the protocol's minute, wins the
  key; the item's text names every reason).
- After the end: observation for ``observation_minutes(dose_number)`` (vedolizumab: 120 min
  after doses 1-2, 60 after), with vitals every ``observation_vitals_every_min`` if set and at
  the end of observation, and an "observation complete" item; then the discharge template,
  due at the end of observation.
- After a severe reaction at the visit (:func:`clinic_app.domain.observation.observation_extension`)
  observation runs until the extension ends, with hourly vitals during it and the
  prescriber's clearance to go home (by name) as a required item.

A planned checklist (``planned=True``, before the start) takes its times from a timeline whose
start is the planned start; its infusion and later items stay NOT_YET until the real start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from clinic_app.domain.checklist_model import (
    DEFAULT_GRACE,
    MISSED_VITALS_KEY,
    MISSED_VITALS_TEXT,
    START_OVERRIDE_KEY,
    START_OVERRIDE_TEXT,
    Blocker,
    Checklist,
    ChecklistEntry,
    ChecklistItem,
    ChecklistStatus,
    GateCheck,
    ItemState,
    ItemStatus,
    Phase,
    grace_from,
)
from clinic_app.domain.checklist_templates import (
    PREVIOUS_REACTION,
    PRIOR_REACTION_PREMEDICATION,
    ChecklistTemplates,
    ItemKind,
    TemplateItem,
)
from clinic_app.domain.errors import InvalidInput, ProtocolError
from clinic_app.domain.infusion_timeline import InfusionTimeline, RateSegment, SegmentOrigin
from clinic_app.domain.observation import ObservationExtension
from clinic_app.domain.protocol_model import Monitoring, Protocol

__all__ = [
    "CLEARANCE_KEY",
    "DEFAULT_GRACE",
    "END_VITALS_KEY",
    "MISSED_VITALS_KEY",
    "MISSED_VITALS_TEXT",
    "START_OVERRIDE_KEY",
    "START_OVERRIDE_TEXT",
    "Blocker",
    "Checklist",
    "ChecklistEntry",
    "ChecklistItem",
    "ChecklistStatus",
    "GateCheck",
    "ItemState",
    "ItemStatus",
    "Phase",
    "build_checklist",
    "grace_from",
    "saved_end_vitals_key",
]

_SAME_VITALS = Decimal(1)  # minutes: closer time points are served by one set of vitals
#: The key of the vitals at the end of the infusion.
END_VITALS_KEY = "vitals.end"
#: The prescriber's clearance to go home after a severe reaction (issue 10).
CLEARANCE_KEY = "obs.prescriber_clearance"
_SAME_SET = timedelta(minutes=30)  # an hourly set this close to a protocol set is that set
_EXTENSION_SOURCE = ("Clinical reference, December 2026 additions (biphasic reactions: longer "
                     "observation after anaphylaxis; RCUK 2021); clinic setting "
                     "[observation] after_severe_reaction_minutes.")


@dataclass(frozen=True)
class _Point:
    """A vitals time point in infusing minutes, with its key and the reason it is due."""

    minute: Decimal
    key: str
    reason: str


def build_checklist(
    *,
    protocol: Protocol,
    dose_number: int,
    templates: ChecklistTemplates,
    timeline: InfusionTimeline,
    previous_reaction: bool = False,
    planned: bool = False,
    extension: ObservationExtension | None = None,
) -> Checklist:
    """The checklist of one visit; build it again after every pause, rate change or end.

    ``previous_reaction`` adds the premedication item; ``planned`` marks a checklist built
    before the start from the planned start (its timeline must have no events yet);
    ``extension`` lengthens observation after a severe reaction at this visit.
    """
    if isinstance(dose_number, bool) or not isinstance(dose_number, int) or dose_number < 1:
        raise InvalidInput("dose_number", f"the dose number counts from 1, got {dose_number!r}")
    if planned and (timeline.pauses or timeline.rate_changes or timeline.ended_at):
        raise InvalidInput("planned", "a planned checklist is built before the start: its "
                                      "timeline cannot have pauses, rate changes or an end")
    minutes = protocol.monitoring.observation_minutes(dose_number)
    end = timeline.end_time
    observation_end = None if end is None else end + timedelta(minutes=minutes)
    if observation_end is not None and extension is not None:
        observation_end = max(observation_end, extension.until)
    items = (
        *_pre_items(protocol, templates, timeline.started_at, previous_reaction),
        *_infusion_vitals(protocol.monitoring, timeline),
        *_observation_items(protocol.monitoring, minutes, end, observation_end, extension),
        *(_from_template(t, Phase.DISCHARGE, observation_end, None)
          for t in templates.discharge.items),
    )
    return Checklist(protocol_id=protocol.id, dose_number=dose_number, planned=planned,
                     started_at=timeline.started_at, infusion_end=end,
                     observation_minutes=minutes, observation_end=observation_end, items=items,
                     extension=extension)


def _from_template(item: TemplateItem, phase: Phase, due: datetime | None,
                   detail: str | None, note: str | None = None) -> ChecklistItem:
    """A checklist item from a template item; ``detail`` completes the text, ``note`` is the
    drug's own note (protocol ``[pre_check_notes]``), added to the action or else the text."""
    text = item.text if detail is None else f"{item.text}: {detail}"
    action = item.action
    if note is not None and action is not None:
        action = f"{action} {note}"
    elif note is not None:
        text = f"{text} ({note})"
    return ChecklistItem(
        key=f"{phase.value}.{item.code}", phase=phase, kind=item.kind, text=text, due_at=due,
        required=item.required, source=item.source, answers=item.answers,
        blocking_answer=item.blocking_answer, action=action, unit=item.unit,
    )


def _pre_items(protocol: Protocol, templates: ChecklistTemplates, due: datetime,
               previous_reaction: bool) -> list[ChecklistItem]:
    """The template's items (conditional ones only when they apply), then the protocol's."""
    details = {PRIOR_REACTION_PREMEDICATION: protocol.reactions.prior_reaction_premedication}
    codes = {t.code for t in templates.pre_infusion.items}
    asked = sorted(t.code for t in templates.pre_infusion.items if t.applies_to(protocol.id))
    for note in protocol.pre_check_notes:
        if note.code not in asked:
            raise ProtocolError(protocol.file_name, f"pre_check_notes.{note.code}",
                                f"the code of a pre-infusion template item asked at "
                                f"{protocol.drug} visits: " + ", ".join(asked), note.code)
    items = [
        _from_template(t, Phase.PRE, due, details.get(t.protocol_detail or ""),
                       protocol.pre_check_note(t.code))
        for t in templates.pre_infusion.items
        if (t.when != PREVIOUS_REACTION or previous_reaction) and t.applies_to(protocol.id)
    ]
    for check in protocol.pre_checks:
        if check.code in codes:
            raise ProtocolError(protocol.file_name, "pre_checks.code",
                                "a code the pre-infusion template does not use", check.code)
        items.append(ChecklistItem(
            key=f"pre.{check.code}", phase=Phase.PRE, kind=ItemKind.TICK, text=check.text,
            due_at=due, required=check.blocking, source=check.source,
        ))
    return items


def _infusion_vitals(monitoring: Monitoring, timeline: InfusionTimeline) -> list[ChecklistItem]:
    """Vitals during the infusion, one item per group of time points, in time order."""
    groups: list[list[_Point]] = []
    for point in _vitals_points(monitoring, timeline):
        for group in groups:
            if abs(group[0].minute - point.minute) < _SAME_VITALS:
                group.append(point)
                break
        else:
            groups.append([point])
    groups.sort(key=lambda g: g[0].minute)
    return [
        ChecklistItem(
            key=group[0].key, phase=Phase.INFUSION, kind=ItemKind.VITALS,
            text="Vitals: " + "; ".join(p.reason for p in group),
            due_at=timeline.end_time if group[0].key == END_VITALS_KEY
            else timeline.clock_time(group[0].minute),
            required=True, source=monitoring.source,
        )
        for group in groups
    ]


def _vitals_points(monitoring: Monitoring, timeline: InfusionTimeline) -> list[_Point]:
    """Every time point up to the end, in the order that decides which key a group keeps."""
    end = timeline.end_minute
    points = []
    if monitoring.vitals_at_end:
        points.append(_Point(end, END_VITALS_KEY, "end of the infusion"))
    points += [_Point(Decimal(m), f"vitals.t{m}", f"{m} min into the infusion")
               for m in monitoring.vitals_minutes]
    after = monitoring.vitals_after_rate_change_min
    if after is not None:
        points += [_Point(s.from_minute + after, _segment_key(s), f"{after} min after "
                          f"{_segment_name(s)}") for s in timeline.segments[1:]]
    return [p for p in points if p.minute <= end]


def _segment_key(segment: RateSegment) -> str:
    kind = "step" if segment.origin is SegmentOrigin.STEP else "rate_change"
    return f"vitals.{kind}.{segment.number}"


def _segment_name(segment: RateSegment) -> str:
    rate = f"{segment.rate_ml_per_h.normalize():f} mL/h"
    if segment.origin is SegmentOrigin.STEP:
        return f"the start of step {segment.number} ({rate})"
    return f"rate change {segment.number} (to {rate})"


def _observation_items(monitoring: Monitoring, minutes: int, end: datetime | None,
                       observation_end: datetime | None,
                       extension: ObservationExtension | None) -> list[ChecklistItem]:
    """Vitals during observation and at its end, then 'observation complete'; after a severe
    reaction also hourly vitals through the extension and the prescriber's clearance."""
    if minutes == 0 and extension is None:
        return []

    def at(offset: int) -> datetime | None:
        return None if end is None else end + timedelta(minutes=offset)

    every = monitoring.observation_vitals_every_min
    items = [
        ChecklistItem(key=f"obs.t{m}", phase=Phase.OBSERVATION, kind=ItemKind.VITALS,
                      text=f"Vitals: {m} min after the end of the infusion", due_at=at(m),
                      required=False, source=monitoring.source)
        for m in (range(every, minutes, every) if every else ())
    ]
    if extension is None:
        return [*items, *_observation_end(
            monitoring, observation_end, vitals=f"{minutes} min",
            complete=f"{minutes} min after the end of the infusion")]
    taken = [i.due_at for i in items if i.due_at is not None]
    extra = [
        ChecklistItem(key=f"obs.after_reaction.{hour}", phase=Phase.OBSERVATION,
                      kind=ItemKind.VITALS, due_at=when,
                      text=f"Vitals: {hour} h after the reaction (extended observation)",
                      required=False, source=_EXTENSION_SOURCE)
        for hour in range(1, extension.minutes // 60)
        if (when := extension.from_at + timedelta(hours=hour)) is not None
        and (end is None or when > end)
        and all(abs(when - other) >= _SAME_SET for other in taken)  # one set serves both
    ]
    clearance = ChecklistItem(
        key=CLEARANCE_KEY, phase=Phase.OBSERVATION, kind=ItemKind.VALUE,
        text=f"Prescriber's clearance to go home after the reaction ({extension.cause}): "
             "name, and what was decided", due_at=observation_end, required=True,
        source=_EXTENSION_SOURCE)
    complete = (f"extended after the reaction ({extension.cause}) to {extension.minutes} min "
                "from its onset or the last epinephrine dose")
    return [*items, *extra, *_observation_end(
        monitoring, observation_end, vitals=f"extended: {extension.minutes} min after the "
                                            "reaction", complete=complete), clearance]


def _observation_end(monitoring: Monitoring, observation_end: datetime | None, *, vitals: str,
                     complete: str) -> list[ChecklistItem]:
    """The vitals at the end of observation and 'observation complete'."""
    return [
        ChecklistItem(key="obs.end", phase=Phase.OBSERVATION, kind=ItemKind.VITALS,
                      text=f"Vitals: end of the observation period ({vitals})",
                      due_at=observation_end, required=True, source=monitoring.source),
        ChecklistItem(key="obs.complete", phase=Phase.OBSERVATION, kind=ItemKind.TICK,
                      text=f"Observation complete: {complete}, no sign of a reaction",
                      due_at=observation_end, required=True, source=monitoring.source),
    ]


def saved_end_vitals_key(running: Checklist, ended: Checklist) -> str | None:
    """Where vitals already saved for the end row go once the infusion's actual end is known.

    While the pump runs, the end row is due at the projected end and serves every protocol time
    point within a minute of it (e.g. "end of the infusion; 120 min into the infusion"). When the
    infusion ends later than projected (the nurse ends it 6 minutes after "bag due empty"), the
    end row moves to the actual end and those time points get a row of their own at the
    projected time. Vitals saved in the end row were taken for that projected moment, so they
    stay in the row that now holds it: the key of the ``ended`` checklist's infusion vitals item
    due within a minute of where the ``running`` end row was due. None when they stay end vitals
    (the end is where it was projected, or no other time point shared the row). Issue 12,
    "Ending late": vitals saved stay where they were saved, and nothing becomes overdue because
    of the moment the nurse clicked "End".
    """
    try:
        projected = running.item(END_VITALS_KEY).due_at
    except KeyError:
        return None
    if projected is None:
        return None
    near = timedelta(minutes=int(_SAME_VITALS))
    for item in ended.items:
        if (item.phase is Phase.INFUSION and item.kind is ItemKind.VITALS
                and item.due_at is not None and abs(item.due_at - projected) < near):
            return None if item.key == END_VITALS_KEY else item.key
    return None
