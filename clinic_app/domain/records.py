"""Plain records of what happened to a patient, as the clinical rules need them.

Storage turns its rows into these; the domain never sees ORM objects.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class ScreeningOutcome(StrEnum):
    """Result of a pre-treatment screening test."""

    NEGATIVE = "negative"
    POSITIVE = "positive"
    INDETERMINATE = "indeterminate"


@dataclass(frozen=True)
class ScreeningResult:
    """A screening test on file: kind matches ``ScreeningRequirement.kind`` (tb, chest_xray...)."""

    kind: str
    taken_on: date
    outcome: ScreeningOutcome
    valid_until: date | None = None
