"""The checklist of one visit and what it says at a moment: done, due, overdue, upcoming.

Items carry stable keys (``pre.identity``, ``vitals.t15``, ``vitals.rate_change.1``,
``vitals.end``, ``obs.t60``, ``obs.end``, ``obs.complete``, ``discharge.cannula``) so the store
can record entries against them; a rebuilt checklist (after a pause or a rate change) keeps the
keys and moves only the due times, so what was done stays done. Entries whose key is no longer in
the checklist are ignored here and kept by the store.

Status at ``now`` for an item not done (``grace`` is a clinic setting, default 5 minutes):

- NOT_YET: its phase has not begun (infusion items on a planned checklist; observation and
  discharge items before the infusion has ended) or its time is unknown (after an open pause);
- UPCOMING: due later than ``now + grace``;
- DUE: within ``grace`` either side of its due time (11:00 with 5 min: 10:55 to 11:05);
- OVERDUE: more than ``grace`` past its due time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from enum import StrEnum

from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.domain.dates import date_time_text, time_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.observation import ObservationExtension
from clinic_app.domain.settings import ChecklistSettings

#: The answer that carries why the patient went home with vitals missing (issue 10).
MISSED_VITALS_KEY = "discharge.missed_vitals"
MISSED_VITALS_TEXT = "Discharged with vitals not recorded: reason"
#: The answer that carries why the infusion started despite flagged baseline vitals (issue 12,
#: "Decisions reach the record": the reason is part of the visit record, not only the audit).
START_OVERRIDE_KEY = "start.baseline_override"
START_OVERRIDE_TEXT = "Started despite flagged baseline vitals"

DEFAULT_GRACE = timedelta(minutes=ChecklistSettings().grace_minutes)
"""Clinic setting ``[checklists] grace_minutes`` (default 5): how early or late an item is DUE.

Pass ``grace_from(settings.checklists)`` to use the clinic's own value.
"""


def grace_from(settings: ChecklistSettings) -> timedelta:
    """The grace period of the clinic's checklist settings."""
    return timedelta(minutes=settings.grace_minutes)


class Phase(StrEnum):
    """The part of the visit an item belongs to."""

    PRE = "pre"
    INFUSION = "infusion"
    OBSERVATION = "observation"
    DISCHARGE = "discharge"


class ItemState(StrEnum):
    """What an item is at a moment."""

    DONE = "done"
    DUE = "due"
    OVERDUE = "overdue"
    UPCOMING = "upcoming"
    NOT_YET = "not_yet"


@dataclass(frozen=True)
class ChecklistItem:
    """One thing to do, when, and (for yes/no items) which answer blocks the next step."""

    key: str
    phase: Phase
    kind: ItemKind
    text: str
    due_at: datetime | None
    required: bool
    source: str
    answers: tuple[str, ...] = ()
    blocking_answer: str | None = None
    action: str | None = None
    unit: str | None = None


@dataclass(frozen=True)
class ChecklistEntry:
    """A recorded item: its key, when it was done and the answer (yes/no or value) if any."""

    key: str
    at: datetime
    answer: str | None = None

    def __post_init__(self) -> None:
        if self.at.tzinfo is None or self.at.utcoffset() is None:
            raise InvalidInput("at", f"the entry for {self.key} needs a time zone (got the "
                                     f"naive time {self.at.isoformat()})")


@dataclass(frozen=True)
class ItemStatus:
    """An item, its state at the moment asked, and when it was done (None if unknown)."""

    item: ChecklistItem
    state: ItemState
    done_at: datetime | None = None


@dataclass(frozen=True)
class ChecklistStatus:
    """Every item's state at ``as_of``, the next item due and the overdue ones."""

    as_of: datetime
    items: tuple[ItemStatus, ...]
    next_due: ItemStatus | None
    overdue: tuple[ItemStatus, ...]

    def of(self, key: str) -> ItemStatus:
        """The status of the item with this key; :class:`KeyError` if there is none."""
        for status in self.items:
            if status.item.key == key:
                return status
        raise KeyError(key)


@dataclass(frozen=True)
class Blocker:
    """Why the next step (start or discharge) must wait, and what to do.

    ``until`` is the moment the wait ends when it is a time (the end of observation), so a
    screen can show it its own way.
    """

    key: str
    message: str
    until: datetime | None = None


@dataclass(frozen=True)
class GateCheck:
    """Whether the infusion may start (or the patient go home), with what stands in the way."""

    blockers: tuple[Blocker, ...]

    @property
    def allowed(self) -> bool:
        """True when nothing blocks."""
        return not self.blockers


@dataclass(frozen=True)
class Checklist:
    """The items of one visit in order, and the times they hang on.

    ``planned`` is true before the start (due times come from the planned start);
    ``infusion_end`` is the actual or projected end (None while paused);
    ``observation_end`` is when observation, and so the visit, can end: the protocol's
    ``observation_minutes`` after the end, or later when a severe reaction at the visit
    ``extension`` lengthened it (:mod:`clinic_app.domain.observation`).
    """

    protocol_id: str
    dose_number: int
    planned: bool
    started_at: datetime
    infusion_end: datetime | None
    observation_minutes: int
    observation_end: datetime | None
    items: tuple[ChecklistItem, ...]
    extension: ObservationExtension | None = None

    def item(self, key: str) -> ChecklistItem:
        """The item with this key; :class:`KeyError` if there is none."""
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(key)

    def status(self, now: datetime, done: Iterable[str | ChecklistEntry], *,
               grace: timedelta = DEFAULT_GRACE) -> ChecklistStatus:
        """Each item's state at ``now``; ``done`` holds completed keys or entries."""
        _aware_now(now)
        if grace < timedelta(0):
            raise InvalidInput("grace", f"the grace period cannot be negative, got {grace}")
        recorded = _by_key(done)
        statuses = tuple(
            ItemStatus(item, ItemState.DONE, _done_at(recorded[item.key]))
            if item.key in recorded else ItemStatus(item, self._state(item, now, grace))
            for item in self.items
        )
        waiting = [s for s in statuses if s.state in (ItemState.DUE, ItemState.UPCOMING)]
        next_due = min(waiting, key=lambda s: s.item.due_at or now, default=None)
        overdue = tuple(s for s in statuses if s.state is ItemState.OVERDUE)
        return ChecklistStatus(as_of=now, items=statuses, next_due=next_due, overdue=overdue)

    def start_check(self, entries: Iterable[ChecklistEntry]) -> GateCheck:
        """May the infusion start? Every required pre-infusion item answered, none blocking."""
        return GateCheck(self._blockers((Phase.PRE,), _by_key(entries)))

    def discharge_check(self, now: datetime, entries: Iterable[ChecklistEntry], *,
                        tz: tzinfo, missed_vitals_reason: str | None = None,
                        grace: timedelta = DEFAULT_GRACE) -> GateCheck:
        """May the patient go home? Observation over and recorded (the extended observation and
        the prescriber's clearance after a severe reaction), discharge items answered, and no
        vitals that were due left unrecorded unless ``missed_vitals_reason`` says why.

        ``tz`` is the clinic's zone: the end of observation is written in its local time
        (the blocker's ``until`` keeps the exact moment).
        """
        _aware_now(now)
        recorded = _by_key(entries)
        blockers = list(self._blockers((Phase.OBSERVATION, Phase.DISCHARGE), recorded))
        end = self.observation_end
        if end is None or now < end:
            until = "the infusion has ended" if end is None else _local_text(end, now, tz)
            why = (f"{self.observation_minutes} min after the end of the infusion"
                   if self.extension is None else
                   f"extended after the reaction: {self.extension.cause}; "
                   f"{self.extension.minutes} min from "
                   f"{_local_text(self.extension.from_at, now, tz)}")
            blockers.insert(0, Blocker("obs.end", f"Observation is not over: it runs until "
                                                  f"{until} ({why}).", until=end))
        missed = self.missed_vitals(now, recorded, grace=grace)
        if missed and not (missed_vitals_reason or "").strip():
            listed = "; ".join(f"{i.text.removeprefix('Vitals: ')} "
                               f"({_local_text(i.due_at or now, now, tz)})" for i in missed)
            blockers.append(Blocker(MISSED_VITALS_KEY, f"Vitals due and not recorded: {listed}. "
                                                       "Record them, or give the reason to "
                                                       "discharge without them."))
        return GateCheck(tuple(blockers))

    def missed_vitals(self, now: datetime, done: Iterable[str | ChecklistEntry] |
                      dict[str, ChecklistEntry | None], *,
                      grace: timedelta = DEFAULT_GRACE) -> tuple[ChecklistItem, ...]:
        """Vitals of the infusion and the observation that were due (past their time and the
        grace) and never recorded; the required end-of-observation set is left out (it blocks
        the discharge on its own)."""
        recorded = done if isinstance(done, dict) else _by_key(done)
        return tuple(
            item for item in self.items
            if item.kind is ItemKind.VITALS and item.key not in recorded
            and item.phase in (Phase.INFUSION, Phase.OBSERVATION)
            and not (item.phase is Phase.OBSERVATION and item.required)
            and item.due_at is not None and now > item.due_at + grace)

    def _phase_open(self, phase: Phase, now: datetime) -> bool:
        if phase is Phase.PRE:
            return True
        if self.planned:
            return False
        if phase is Phase.INFUSION:
            return True
        return self.infusion_end is not None and now >= self.infusion_end

    def _state(self, item: ChecklistItem, now: datetime, grace: timedelta) -> ItemState:
        if item.due_at is None or not self._phase_open(item.phase, now):
            return ItemState.NOT_YET
        if now < item.due_at - grace:
            return ItemState.UPCOMING
        if now <= item.due_at + grace:
            return ItemState.DUE
        return ItemState.OVERDUE

    def _blockers(self, phases: tuple[Phase, ...],
                  recorded: dict[str, ChecklistEntry | None]) -> tuple[Blocker, ...]:
        blockers = []
        for item in (i for i in self.items if i.phase in phases):
            if item.key not in recorded:
                if item.required:
                    blockers.append(Blocker(item.key, f"Not done yet: {item.text}"))
                continue
            answer = _checked_answer(item, recorded[item.key])
            if item.blocking_answer is not None and answer == item.blocking_answer:
                blockers.append(Blocker(item.key, f"{item.text} Answer: {answer}. {item.action}"))
        return tuple(blockers)


def _aware_now(now: datetime) -> None:
    if now.tzinfo is None or now.utcoffset() is None:
        raise InvalidInput("now", f"the moment asked about needs a time zone (got the naive "
                                  f"time {now.isoformat()})")


def _local_text(moment: datetime, now: datetime, tz: tzinfo) -> str:
    """``moment`` in the clinic's local time: "14:00", with the date when not today."""
    local = moment.astimezone(tz)
    if local.date() == now.astimezone(tz).date():
        return time_text(local)
    return date_time_text(local, tz)


def _by_key(done: Iterable[str | ChecklistEntry]) -> dict[str, ChecklistEntry | None]:
    """Keys to their entry (the latest one when a key was recorded twice; None for bare keys)."""
    recorded: dict[str, ChecklistEntry | None] = {}
    for entry in done:
        if isinstance(entry, str):
            recorded.setdefault(entry, None)
            continue
        previous = recorded.get(entry.key)
        if previous is None or entry.at >= previous.at:
            recorded[entry.key] = entry
    return recorded


def _done_at(entry: ChecklistEntry | None) -> datetime | None:
    return None if entry is None else entry.at


def _checked_answer(item: ChecklistItem, entry: ChecklistEntry | None) -> str | None:
    """The entry's answer, refused if it does not fit the item."""
    answer = None if entry is None else entry.answer
    if item.kind is ItemKind.YES_NO and answer not in item.answers:
        raise InvalidInput("answer", f"{item.key} is answered with one of "
                                     f"{', '.join(item.answers)}, got {answer!r}")
    if item.kind is ItemKind.VALUE and (answer is None or not answer.strip()):
        raise InvalidInput("answer", f"{item.key} needs a value ({item.text}), got {answer!r}")
    return answer
