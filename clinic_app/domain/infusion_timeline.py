"""A pure model of one running infusion: volume infused, time left and the clock behind it.

The pump runs through a plan of rate steps (one step at a constant rate, or a graduated table from
the dosing module: every step but the last lasts a number of minutes, the last runs until the
bag is empty). Step durations and every monitoring time point are counted in *infusing minutes*:
minutes the pump has actually been running since the actual start. Pauses stop that clock, so
every later time point moves by the length of the pause.

Rules the model follows (clinical reference, "Reaction handling": slow or stop, then restart at a
lower rate once resolved):

- A rate change entered by the nurse replaces the rest of the plan: the new rate runs until the
  bag is empty or until the next rate change. The model never assumes the pump sped up again on
  its own.
- A rate change cannot be entered while the infusion is paused; restarting at a new rate is a
  resume followed by a rate change at the resume time.
- While a pause is open the end of the infusion is unknown: :attr:`InfusionTimeline.end_time` is
  ``None`` and :meth:`InfusionTimeline.projected_end_if_resumed_at` answers "if I resume now".
- ``ended_at`` records the moment the infusion actually ended (pump alarm, or stopped for good);
  without it the end is projected from the volume and the rates. Events after the projected
  empty bag are accepted (a real pump may run a little late) but infuse nothing more: the
  volume infused never exceeds the bag.

Volumes are ``Decimal`` millilitres; moments are timezone-aware datetimes (naive ones are
refused); clock times are exact to the microsecond.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from decimal import ROUND_HALF_EVEN, Decimal
from enum import StrEnum

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.infusion_events import (
    Pause,
    RateChange,
    RateStep,
    RateStepLike,
    StepInput,
    aware,
    checked_ended_at,
    checked_pauses,
    checked_rate_changes,
    checked_steps,
    paused_during,
    positive,
)

__all__ = [
    "InfusionState",
    "InfusionTimeline",
    "Pause",
    "RateChange",
    "RateSegment",
    "RateStep",
    "RateStepLike",
    "SegmentOrigin",
    "StepInput",
]

_MICROS_PER_MINUTE = Decimal(60_000_000)
_MINUTES_PER_HOUR = Decimal(60)


class SegmentOrigin(StrEnum):
    """Why the pump runs at a segment's rate: a step of the plan or a nurse's rate change."""

    STEP = "step"
    RATE_CHANGE = "rate_change"


@dataclass(frozen=True)
class RateSegment:
    """Running at one rate from an infusing minute until the next segment or the end.

    ``number`` is the 1-based step number, or the 1-based index in ``rate_changes``.
    """

    from_minute: Decimal
    rate_ml_per_h: Decimal
    origin: SegmentOrigin
    number: int


class InfusionState(StrEnum):
    """Where the infusion stands at a moment."""

    NOT_STARTED = "not_started"
    RUNNING = "running"
    PAUSED = "paused"
    ENDED = "ended"


class InfusionTimeline:
    """One infusion from its actual start, with its pauses, rate changes and (optional) end.

    Immutable: record a new event by building a new timeline with it. Every input is validated
    and refused with :class:`InvalidInput` rather than giving a wrong time or volume.
    """

    def __init__(
        self,
        *,
        volume_ml: Decimal,
        steps: Sequence[StepInput],
        started_at: datetime,
        pauses: Sequence[Pause] = (),
        rate_changes: Sequence[RateChange] = (),
        ended_at: datetime | None = None,
    ) -> None:
        self.volume_ml = positive("volume_ml", volume_ml, "the final volume")
        self.steps = checked_steps(steps)
        self.started_at = aware("started_at", started_at)
        self.pauses = checked_pauses(tuple(pauses), self.started_at)
        self.rate_changes = checked_rate_changes(tuple(rate_changes), self.started_at, self.pauses)
        self.ended_at = checked_ended_at(ended_at, self.started_at, self.pauses, self.rate_changes)
        all_segments = self._segments()
        self.empty_minute = _empty_minute(all_segments, self.volume_ml)
        self.end_minute = (
            self.empty_minute if self.ended_at is None else self._minute_at(self.ended_at)
        )
        self.segments = tuple(
            s for i, s in enumerate(all_segments) if i == 0 or s.from_minute < self.end_minute
        )

    @classmethod
    def at_rate(
        cls,
        *,
        volume_ml: Decimal,
        rate_ml_per_h: Decimal,
        started_at: datetime,
        pauses: Sequence[Pause] = (),
        rate_changes: Sequence[RateChange] = (),
        ended_at: datetime | None = None,
    ) -> InfusionTimeline:
        """A timeline planned at one constant rate until the bag is empty."""
        return cls(volume_ml=volume_ml, steps=[(rate_ml_per_h, None)], started_at=started_at,
                   pauses=pauses, rate_changes=rate_changes, ended_at=ended_at)

    @property
    def end_time(self) -> datetime | None:
        """The actual end if recorded, else the projected end; None while a pause is open."""
        if self.ended_at is not None:
            return self.ended_at
        return self.clock_time(self.empty_minute)

    def projected_end_if_resumed_at(self, moment: datetime) -> datetime:
        """The end if an open pause were resumed at ``moment`` (the end itself when running)."""
        aware("moment", moment)
        if not self.pauses or self.pauses[-1].resumed_at is not None:
            end = self.end_time
            assert end is not None  # no open pause, so every infusing minute has a clock time
            return end
        closed = (*self.pauses[:-1], replace(self.pauses[-1], resumed_at=moment))
        resumed = InfusionTimeline(volume_ml=self.volume_ml, steps=self.steps,
                                   started_at=self.started_at, pauses=closed,
                                   rate_changes=self.rate_changes)
        end = resumed.end_time
        assert end is not None
        return end

    def clock_time(self, minute: Decimal | int) -> datetime | None:
        """The clock time at which ``minute`` infusing minutes will have run.

        A minute reached exactly when a pause begins maps to the pause time. None when the
        minute lies beyond an open pause (its time depends on when the pump restarts).
        """
        if minute < 0:
            raise InvalidInput("minute", f"infusing minutes cannot be negative, got {minute}")
        moment = self.started_at + _delta(Decimal(minute))
        for pause in self.pauses:
            if pause.paused_at >= moment:
                break
            if pause.resumed_at is None:
                return None
            moment += pause.resumed_at - pause.paused_at
        return moment

    def infusing_minutes(self, at: datetime) -> Decimal:
        """Minutes the pump ran from the start to ``at`` (pauses excluded, up to the end)."""
        return min(self._minute_at(aware("at", at)), self.end_minute)

    def segment_at(self, at: datetime) -> RateSegment:
        """The segment the pump runs (or last ran) in at ``at``."""
        minute = self.infusing_minutes(at)
        return [s for s in self.segments if s.from_minute <= minute][-1]

    def rate_at(self, at: datetime) -> Decimal:
        """The pump's rate at ``at`` (mL/h): its step's rate, or the last rate change's."""
        return self.segment_at(at).rate_ml_per_h

    def segment_since(self, segment: RateSegment) -> datetime | None:
        """The clock time ``segment`` began: its rate change's moment, or its step's start
        (None when the step begins after an open pause)."""
        if segment.origin is SegmentOrigin.RATE_CHANGE:
            return self.rate_changes[segment.number - 1].at
        return self.clock_time(segment.from_minute)

    def volume_infused(self, at: datetime) -> Decimal:
        """Millilitres infused by ``at`` (0 before the start, never more than the bag)."""
        minute = self.infusing_minutes(at)
        total = Decimal(0)
        for segment, until in self._bounded_segments():
            if minute <= segment.from_minute:
                break
            upto = minute if until is None else min(minute, until)
            total += segment.rate_ml_per_h * (upto - segment.from_minute) / _MINUTES_PER_HOUR
        return min(total, self.volume_ml)

    def remaining_volume(self, at: datetime) -> Decimal:
        """Millilitres still in the bag at ``at``."""
        return self.volume_ml - self.volume_infused(at)

    def state(self, at: datetime) -> InfusionState:
        """Not started, running, paused or ended at ``at``."""
        aware("at", at)
        end = self.end_time
        if at < self.started_at:
            return InfusionState.NOT_STARTED
        if end is not None and at >= end:
            return InfusionState.ENDED
        if paused_during(at, self.pauses) is not None:
            return InfusionState.PAUSED
        return InfusionState.RUNNING

    def _minute_at(self, at: datetime) -> Decimal:
        """Infusing minutes from the start to ``at`` (pauses excluded, not capped at the end)."""
        if at <= self.started_at:
            return Decimal(0)
        running = at - self.started_at
        for pause in self.pauses:
            if pause.paused_at >= at:
                break
            stop = at if pause.resumed_at is None else min(pause.resumed_at, at)
            running -= stop - pause.paused_at
        return _minutes(running)

    def _segments(self) -> tuple[RateSegment, ...]:
        """The plan's steps up to the first rate change, then one segment per rate change."""
        changes = [(self._minute_at(c.at), c) for c in self.rate_changes]
        first_change = changes[0][0] if changes else None
        segments: list[RateSegment] = []
        minute = Decimal(0)
        for number, step in enumerate(self.steps, start=1):
            if first_change is not None and minute >= first_change:
                break
            segments.append(RateSegment(minute, step.rate_ml_per_h, SegmentOrigin.STEP, number))
            if step.minutes is None:
                break
            minute += step.minutes
        segments.extend(
            RateSegment(m, change.rate_ml_per_h, SegmentOrigin.RATE_CHANGE, number)
            for number, (m, change) in enumerate(changes, start=1)
        )
        return tuple(segments)

    def _bounded_segments(self) -> list[tuple[RateSegment, Decimal | None]]:
        """Each segment with the minute the next one starts (None for the last)."""
        nexts: list[Decimal | None] = [s.from_minute for s in self.segments[1:]]
        return list(zip(self.segments, [*nexts, None], strict=True))


def _empty_minute(segments: Sequence[RateSegment], volume: Decimal) -> Decimal:
    """The infusing minute at which the bag runs empty."""
    remaining = volume
    for i, segment in enumerate(segments):
        rate = segment.rate_ml_per_h
        last = i + 1 == len(segments)
        length = None if last else segments[i + 1].from_minute - segment.from_minute
        if length is None or rate * length / _MINUTES_PER_HOUR >= remaining:
            return segment.from_minute + remaining * _MINUTES_PER_HOUR / rate
        remaining -= rate * length / _MINUTES_PER_HOUR
    raise AssertionError("the last segment always runs until the bag is empty")


def _delta(minutes: Decimal) -> timedelta:
    micros = (minutes * _MICROS_PER_MINUTE).to_integral_value(ROUND_HALF_EVEN)
    return timedelta(microseconds=int(micros))


def _minutes(delta: timedelta) -> Decimal:
    return Decimal(delta // timedelta(microseconds=1)) / _MICROS_PER_MINUTE
