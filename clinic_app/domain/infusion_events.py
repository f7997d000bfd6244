"""The recorded events of an infusion (plan steps, pauses, rate changes, end) and their checks.

Every check refuses with :class:`InvalidInput` and a message naming the event and the times
involved: events in order and not before the start, rates above 0, no overlapping pauses, no rate
change while paused, no end before the last event or during an open pause, and aware datetimes
only (timestamps are stored in UTC).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Protocol

from clinic_app.domain.errors import InvalidInput


class RateStepLike(Protocol):
    """Anything with a rate and a duration, e.g. :class:`protocol_model.TitrationStep`."""

    @property
    def rate_ml_per_h(self) -> Decimal: ...

    @property
    def minutes(self) -> int | None: ...


StepInput = RateStepLike | tuple[Decimal, int | None]


@dataclass(frozen=True)
class RateStep:
    """One step of the plan; ``minutes`` None means 'until the bag is empty'."""

    rate_ml_per_h: Decimal
    minutes: int | None


@dataclass(frozen=True)
class Pause:
    """The pump stopped at ``paused_at`` and restarted at ``resumed_at`` (None: still paused)."""

    paused_at: datetime
    resumed_at: datetime | None = None


@dataclass(frozen=True)
class RateChange:
    """The nurse set the pump to ``rate_ml_per_h`` at ``at``."""

    at: datetime
    rate_ml_per_h: Decimal


def _shown(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def aware(field: str, moment: object) -> datetime:
    """``moment`` itself if it is a timezone-aware datetime."""
    if not isinstance(moment, datetime):
        raise InvalidInput(field, f"{field} must be a date and time, got {moment!r}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise InvalidInput(field, f"{field} must carry a time zone (got the naive time "
                                  f"{moment.isoformat()}); timestamps are stored in UTC")
    return moment


def positive(field: str, value: object, what: str) -> Decimal:
    """``value`` as a Decimal above 0 (ints accepted; floats refused to keep volumes exact)."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise InvalidInput(field, f"{what} must be a Decimal number, got {value!r}")
    number = Decimal(value)
    if not number.is_finite() or number <= 0:
        raise InvalidInput(field, f"{what} must be more than 0, got {value}")
    return number


def checked_steps(steps: Sequence[StepInput]) -> tuple[RateStep, ...]:
    """The plan as rate steps: rates above 0, durations on all steps but the last."""
    if not steps:
        raise InvalidInput("steps", "the infusion needs a rate: give at least one rate step")
    result = []
    for number, raw in enumerate(steps, start=1):
        rate, minutes = raw if isinstance(raw, tuple) else (raw.rate_ml_per_h, raw.minutes)
        last = number == len(steps)
        result.append(RateStep(positive("steps", rate, f"the rate of step {number} (mL/h)"),
                               _step_minutes(number, minutes, last=last)))
    return tuple(result)


def _step_minutes(number: int, minutes: object, *, last: bool) -> int | None:
    if last:
        if minutes is not None:
            raise InvalidInput("steps", f"the last step ({number}) runs until the bag is empty: "
                                        f"give it no duration, got {minutes} min")
        return None
    if isinstance(minutes, bool) or not isinstance(minutes, int) or minutes <= 0:
        raise InvalidInput("steps", f"step {number} needs a duration in whole minutes above 0 "
                                    f"(only the last step runs until empty), got {minutes!r}")
    return minutes


def checked_pauses(pauses: tuple[Pause, ...], started_at: datetime) -> tuple[Pause, ...]:
    """Pauses in order from the start, not overlapping; only the last may still be open."""
    previous_end = started_at
    for number, pause in enumerate(pauses, start=1):
        paused = aware("pauses", pause.paused_at)
        if number > 1 and pauses[number - 2].resumed_at is None:
            raise InvalidInput("pauses", f"pause {number - 1} was never resumed, so pause "
                                         f"{number} cannot follow it")
        if paused < previous_end:
            what = "the start" if number == 1 else f"the end of pause {number - 1}"
            raise InvalidInput("pauses", f"pause {number} at {_shown(paused)} is before {what} "
                                         f"({_shown(previous_end)}): pauses must be in order "
                                         "and must not overlap")
        if pause.resumed_at is not None:
            previous_end = aware("pauses", pause.resumed_at)
            if previous_end <= paused:
                raise InvalidInput("pauses", f"pause {number} resumes at {_shown(previous_end)}, "
                                             f"not after it began ({_shown(paused)})")
    return pauses


def paused_during(moment: datetime, pauses: tuple[Pause, ...]) -> Pause | None:
    """The pause ``moment`` falls in (from its start, up to but excluding its resume)."""
    for pause in pauses:
        if pause.paused_at <= moment and (pause.resumed_at is None or moment < pause.resumed_at):
            return pause
    return None


def checked_rate_changes(changes: tuple[RateChange, ...], started_at: datetime,
                         pauses: tuple[Pause, ...]) -> tuple[RateChange, ...]:
    """Rate changes in order, from the start on, above 0, none while paused."""
    previous: datetime | None = None
    for number, change in enumerate(changes, start=1):
        at = aware("rate_changes", change.at)
        positive("rate_changes", change.rate_ml_per_h, f"the rate of rate change {number} (mL/h)")
        if at < started_at:
            raise InvalidInput("rate_changes", f"rate change {number} at {_shown(at)} is before "
                                               f"the start ({_shown(started_at)})")
        if previous is not None and at <= previous:
            raise InvalidInput("rate_changes", f"rate change {number} at {_shown(at)} is not after "
                                               f"rate change {number - 1} ({_shown(previous)}): "
                                               "rate changes must be in order")
        pause = paused_during(at, pauses)
        if pause is not None:
            raise InvalidInput("rate_changes", f"rate change {number} at {_shown(at)} falls while "
                                               f"the infusion is paused (since "
                                               f"{_shown(pause.paused_at)}): resume first, then "
                                               "record the new rate at or after the resume")
        previous = at
    return tuple(replace(c, rate_ml_per_h=Decimal(c.rate_ml_per_h)) for c in changes)


def checked_ended_at(ended_at: datetime | None, started_at: datetime,
                     pauses: tuple[Pause, ...],
                     changes: tuple[RateChange, ...]) -> datetime | None:
    """The recorded end: after the start and every event, and not while paused."""
    if ended_at is None:
        return None
    end = aware("ended_at", ended_at)
    if end <= started_at:
        raise InvalidInput("ended_at", f"the end ({_shown(end)}) must be after the start "
                                       f"({_shown(started_at)})")
    if pauses and pauses[-1].resumed_at is None:
        raise InvalidInput("ended_at", "the infusion is still paused: record the resume first, "
                                       "or end the infusion at the moment it was paused")
    events = [c.at for c in changes] + [p.paused_at for p in pauses]
    events += [p.resumed_at for p in pauses if p.resumed_at is not None]
    if events and end < max(events):
        raise InvalidInput("ended_at", f"the end ({_shown(end)}) is before the last recorded "
                                       f"pause or rate change ({_shown(max(events))})")
    return end
