"""Late items counted apart: clinical work from paperwork (issue 12: the printed day list and
Today count "overdue" the same way, clinical items apart from paperwork).

Rule: an item is CLINICAL when the patient's safety waits on it: vitals and observation items
that are due, a pre-infusion check not finished, a paused pump waiting for a decision, a rate
step, a patient not arrived. It is PAPERWORK when what it records has already happened and only
the record is late: recording the end of an infusion the pump has finished, signatures. A nurse
with one pair of hands does the clinical items first; a row late only on paperwork is still
shown (it must be done), but never counted as clinical.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class OverdueCount:
    """How many late items of each kind."""

    clinical: int = 0
    paperwork: int = 0

    @property
    def text(self) -> str | None:
        """ "overdue: 2 clinical, 1 paperwork" (a kind with none left out); None when nothing
        is late. The one wording of Today and the printed day list."""
        parts = [
            f"{n} {kind}"
            for n, kind in ((self.clinical, "clinical"), (self.paperwork, "paperwork"))
            if n
        ]
        return f"overdue: {', '.join(parts)}" if parts else None


def total(counts: Iterable[OverdueCount]) -> OverdueCount:
    """The counts of several rows added up."""
    listed = list(counts)
    return OverdueCount(
        clinical=sum(c.clinical for c in listed), paperwork=sum(c.paperwork for c in listed)
    )
