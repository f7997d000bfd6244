"""Response reviews: the label's checkpoints by which the prescriber judges whether the drug works.

A protocol's ``[[response_reviews]]`` entries (:class:`ResponseCheckpoint`) give the ``week``
counted from the first dose, the indication ids they apply to (none listed: every indication),
the ``text`` the nurse reads and its ``source``. For example infliximab in Crohn's disease (US
label 2.1: no response by week 14, consider stopping) and vedolizumab (US label: no evidence of
benefit by week 14, stop).

The review falls at the first dose due on or after the checkpoint (:func:`review_point`); a dose
due up to ``early_days`` before it (the protocol's booking window before a maintenance dose)
counts as that dose, so doses given a little early do not push the review a whole interval on.
After that dose the next booking needs the prescriber's decision (:class:`ReviewDecision`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from clinic_app.domain.dates import date_text
from clinic_app.domain.protocol_table import ProtocolTable

if TYPE_CHECKING:  # annotations only: the protocol model imports this module
    from clinic_app.domain.protocol_model import Protocol
    from clinic_app.domain.schedule_model import SchedulePlan


class ReviewDecision(StrEnum):
    """The prescriber's decision at a response review."""

    CONTINUE = "continue"
    STOP = "stop"
    OTHER = "other"

    @property
    def label(self) -> str:
        """How the decision reads on screen."""
        return {"continue": "Continue", "stop": "Stop", "other": "Other"}[self.value]


@dataclass(frozen=True)
class ResponseCheckpoint:
    """By ``week`` (from the first dose) the prescriber judges the response (``text``, ``source``).

    ``indications`` are the protocol indication ids it applies to; empty means every indication.
    """

    week: int
    indications: tuple[str, ...]
    text: str
    source: str

    def applies_to(self, indication_id: str) -> bool:
        """True when the checkpoint holds for a course of this indication."""
        return not self.indications or indication_id in self.indications


@dataclass(frozen=True)
class ReviewPoint:
    """Where a course's response review falls: at dose ``dose_number``, due ``due``; the
    checkpoint itself is on ``checkpoint_day`` (``week`` weeks after the first dose)."""

    checkpoint: ResponseCheckpoint
    dose_number: int
    due: date
    checkpoint_day: date

    @property
    def headline(self) -> str:
        """E.g. "Response review due at dose 4 (week 14)"."""
        return f"Response review due at dose {self.dose_number} (week {self.checkpoint.week})"

    @property
    def when(self) -> str:
        """E.g. "due 8 Jun 2026", or "dose 4 due 10 Jun 2026; week 14 is 8 Jun 2026"."""
        if self.due == self.checkpoint_day:
            return f"due {date_text(self.due)}"
        return (
            f"dose {self.dose_number} due {date_text(self.due)}; week "
            f"{self.checkpoint.week} is {date_text(self.checkpoint_day)}"
        )


def checkpoint_for(
    checkpoints: Sequence[ResponseCheckpoint], indication_id: str
) -> ResponseCheckpoint | None:
    """The protocol's first checkpoint for this indication, or None when it has none."""
    return next((c for c in checkpoints if c.applies_to(indication_id)), None)


def review_point(
    checkpoint: ResponseCheckpoint,
    dues: Sequence[date],
    *,
    early_days: int = 0,
) -> ReviewPoint | None:
    """The dose at which the review falls: the first of ``dues`` (dose 1 first, each dose's due
    date) due on or after ``early_days`` before the checkpoint day (``week`` weeks after dose 1).

    None when ``dues`` is empty or no listed dose reaches the checkpoint yet.
    """
    if not dues:
        return None
    checkpoint_day = dues[0] + timedelta(weeks=checkpoint.week)
    reached = checkpoint_day - timedelta(days=early_days)
    for number, due in enumerate(dues, start=1):
        if number > 1 and due >= reached:
            return ReviewPoint(checkpoint, number, due, checkpoint_day)
    return None


def parse_response_reviews(
    root: ProtocolTable,
    indication_ids: Sequence[str],
) -> tuple[ResponseCheckpoint, ...]:
    """The file's ``[[response_reviews]]`` (none: an empty tuple); each names indications the
    protocol has, a week of at least 1, the text and its source."""
    checkpoints = []
    for t in root.tables("response_reviews", required=False):
        indications = t.texts("indications", [])
        unknown = [i for i in indications if i not in indication_ids]
        t.check(
            not unknown,
            "indications",
            "ids of the protocol's indications: " + ", ".join(indication_ids),
            unknown,
        )
        checkpoints.append(
            ResponseCheckpoint(
                week=t.integer("week", minimum=1),
                indications=indications,
                text=t.text("text"),
                source=t.source(),
            )
        )
    return tuple(checkpoints)


def plan_review_point(
    protocol: Protocol,
    indication_id: str,
    plan: SchedulePlan,
) -> ReviewPoint | None:
    """The course's review point from its plan: the protocol's checkpoint for the indication,
    dose 1 on the day it was given (else its due day), later doses on their due days; the
    maintenance booking window before a dose is the ``early_days`` tolerance."""
    checkpoint = checkpoint_for(protocol.response_reviews, indication_id)
    if checkpoint is None or not plan.doses:
        return None
    first = plan.doses[0]
    dues = [first.given or first.due, *(d.due for d in plan.doses[1:])]
    return review_point(
        checkpoint, dues, early_days=protocol.schedule.maintenance_window_before_days
    )
