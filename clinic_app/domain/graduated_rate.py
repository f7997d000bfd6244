"""The next step of a graduated infusion, and whether a new rate skips steps.

Rule (institutional titration table, ``administration.titration`` in the protocol TOML;
clinical reference "Reaction handling": restart at a lower rate, then go up one step at a
time): on a graduated infusion the pump goes up to the *next* step of the table only. The next
step is the lowest rate of the table above the rate the pump runs at now (after a reaction the
nurse may have slowed it to any rate, so the position is read from the rate, not the clock).
A rate above the next step (or above the top step when none is left) skips steps: it needs a
reason, kept on the record.

When the next step is due after the nurse changed the rate by hand (:func:`next_step_due_after`):
the pump holds a rate as long as the table holds the step it has reached, the highest step at or
below that rate (a rate below the first step, e.g. restarted slower after a reaction, holds as
long as the first step); the top step, which has no duration, has no next step. The due time is
a prompt on the visit and the Today list, never a late item: the pump may well be held longer on
the prescriber's word.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

__all__ = ["next_step_due_after", "next_step_rate", "skips_steps"]


def next_step_rate(step_rates: Sequence[Decimal], current_rate: Decimal) -> Decimal | None:
    """The lowest rate of the table above ``current_rate`` (None: at or above the top step)."""
    higher = [rate for rate in step_rates if rate > current_rate]
    return min(higher) if higher else None


def skips_steps(step_rates: Sequence[Decimal], current_rate: Decimal, rate: Decimal) -> bool:
    """True when ``rate`` is above the next step (or above the top step when none is left).

    An empty table (a single-rate plan) never skips: the rule is for graduated infusions.
    """
    if not step_rates:
        return False
    limit = next_step_rate(step_rates, current_rate)
    return rate > (max(step_rates) if limit is None else limit)


def next_step_due_after(
    steps: Sequence[tuple[Decimal, int | None]], current_rate: Decimal
) -> tuple[Decimal, int] | None:
    """The next step's rate and the minutes the pump holds ``current_rate`` before it, for a
    graduated table of ``(rate mL/h, minutes or None for the last step)``; None for a
    single-rate plan or at (or above) the top step."""
    if len(steps) < 2:
        return None
    following = next_step_rate([rate for rate, _ in steps], current_rate)
    if following is None:
        return None
    reached = [(rate, minutes) for rate, minutes in steps if rate <= current_rate]
    _, hold = (max(reached, key=lambda step: step[0]) if reached
               else min(steps, key=lambda step: step[0]))
    return None if hold is None else (following, hold)
