"""The next step of a graduated infusion, and whether a new rate skips steps.

Rule (institutional titration table, ``administration.titration`` in the protocol TOML;
clinical reference "Reaction handling": restart at a lower rate, then go up one step at a
time): on a graduated infusion the pump goes up to the *next* step of the table only. The next
step is the lowest rate of the table above the rate the pump runs at now (after a reaction the
nurse may have slowed it to any rate, so the position is read from the rate, not the clock).
A rate above the next step (or above the top step when none is left) skips steps: it needs a
reason, kept on the record.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

__all__ = ["next_step_rate", "skips_steps"]


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
