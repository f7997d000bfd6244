"""The story of an infusion with a reaction, in time order (issue 12: the reaction report's
timeline agrees with itself).

Rules:

- One entry per thing that happened: the start, each pause, resume and rate change, the
  reaction's onset, the end, the transfer to emergency care, the discharge; sorted by time.
  Things recorded in the same minute keep the order in which they can happen: the start, the
  onset (a pump paused or stopped for a reaction is paused after it began), pauses, resumes,
  rate changes, the end, the discharge.
- An infusion ended early has ONE end entry, "stopped early" with the reason, at the moment the
  pump stopped (:attr:`ended_at`; during a pause that is the pause, as the services record it),
  never a "stop" after an "end". When the decision to stop came later than the pump stopped
  (ended during a pause), the entry says when it was decided.
- A transfer to emergency care (the reaction's outcome, :data:`TRANSFERRED_OUTCOME`) has no
  recorded time: it follows the onset and comes before a discharge recorded after the onset,
  and that discharge then says it came after the emergency-care stay rather than read as a
  discharge home after the observation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import IntEnum

TRANSFERRED_OUTCOME = "Transferred to emergency care"


class Step(IntEnum):
    """What an entry is; the value orders entries recorded at the same moment."""

    START = 0
    ONSET = 1
    PAUSE = 2
    RESUME = 3
    RATE_CHANGE = 4
    END = 5
    STOPPED_EARLY = 6
    TRANSFER = 7
    DISCHARGE = 8


@dataclass(frozen=True)
class PumpEvent:
    """A recorded pump event: ``kind`` is "pause", "resume", "rate_change" or "stop"."""

    at: datetime
    kind: str
    rate_ml_per_h: Decimal | None = None
    note: str | None = None


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline. ``at`` None: no recorded time (a transfer). ``decided_at``:
    for an infusion stopped during a pause, when the stop was decided (after ``at``)."""

    step: Step
    at: datetime | None
    rate_ml_per_h: Decimal | None = None
    note: str | None = None
    decided_at: datetime | None = None


_KINDS = {"pause": Step.PAUSE, "resume": Step.RESUME, "rate_change": Step.RATE_CHANGE}


def is_transfer(outcome: str | None) -> bool:
    """Whether a reaction's outcome says the patient went to emergency care."""
    return bool(outcome) and TRANSFERRED_OUTCOME.lower() in (outcome or "").lower()


def _end_entry(ended_at: datetime, stops: list[PumpEvent]) -> TimelineEntry:
    if not stops:
        return TimelineEntry(Step.END, ended_at)
    stop = stops[-1]
    decided = stop.at if stop.at > ended_at else None
    return TimelineEntry(Step.STOPPED_EARLY, ended_at, note=stop.note, decided_at=decided)


def reaction_timeline(
    *,
    started_at: datetime | None,
    events: tuple[PumpEvent, ...],
    onset_at: datetime | None,
    ended_at: datetime | None,
    transferred: bool = False,
    discharged_at: datetime | None = None,
) -> tuple[TimelineEntry, ...]:
    """The entries of one infusion and its reaction, in time order (see the module rules)."""
    timed: list[TimelineEntry] = []
    if started_at is not None:
        timed.append(TimelineEntry(Step.START, started_at))
    if onset_at is not None:
        timed.append(TimelineEntry(Step.ONSET, onset_at))
    timed += [
        TimelineEntry(_KINDS[e.kind], e.at, e.rate_ml_per_h, e.note)
        for e in events
        if e.kind in _KINDS
    ]
    if ended_at is not None:
        timed.append(_end_entry(ended_at, [e for e in events if e.kind == "stop"]))
    if discharged_at is not None:
        timed.append(TimelineEntry(Step.DISCHARGE, discharged_at))
    timed.sort(key=lambda entry: (entry.at, entry.step))
    if transferred:
        timed.insert(_transfer_place(timed), TimelineEntry(Step.TRANSFER, None))
    return tuple(timed)


def _transfer_place(timed: list[TimelineEntry]) -> int:
    """Where the untimed transfer goes: after the onset, before a discharge that follows it."""
    steps = [entry.step for entry in timed]
    after = steps.index(Step.ONSET) + 1 if Step.ONSET in steps else 0
    later = [i for i, step in enumerate(steps) if step is Step.DISCHARGE and i >= after]
    return later[0] if later else len(timed)
