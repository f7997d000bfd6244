"""Changing a saved checklist answer: a correction, with the nurse's reason (issue 12).

Clinical record rule (developers' guide): corrections keep the old values. An item answered
again with the same answer is no change; an item answered with a different answer is a
correction: it is refused with :class:`CorrectionNeedsReason` until a reason is given, then
saved as a new entry carrying the reason, the old entry staying on record (the visit screen and
the infusion record show "corrected: old -> new, reason, nurse, time").
"""

from __future__ import annotations

from clinic_app.domain.checklists import ChecklistItem
from clinic_app.domain.patient_validation import normalise_line
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.visits._state import LoadedVisit

CORRECTION_CODE = "ANSWER_CORRECTION"
_REASON_MAX = 500


class CorrectionNeedsReason(OverrideRequired):
    """A saved answer is being changed without a reason; ``previous`` and ``answer`` name the
    change so the screen can ask exactly about it."""

    def __init__(self, message: str, previous: str, answer: str) -> None:
        self.previous = previous
        self.answer = answer
        super().__init__(message, (CORRECTION_CODE,))


def saved_answer(loaded: LoadedVisit, key: str) -> str | None:
    """The item's current answer on record (the latest entry not voided), if any."""
    rows = [r for r in loaded.entries if r.item_key == key and r.voided_at is None]
    return rows[-1].value if rows else None


def correction_reason(
    loaded: LoadedVisit, item: ChecklistItem, value: str, reason: str | None
) -> str | None:
    """The reason recorded with this answer: None for a first or unchanged answer; for a changed
    one the reason by the one-line text rules (refused with a message when too long or holding
    a character that cannot be stored). Raises :class:`CorrectionNeedsReason` when it is
    missing."""
    previous = saved_answer(loaded, item.key)
    if previous is None or previous == value:
        return None
    text = normalise_line(reason or "", field="reason", label="The reason",
                          max_length=_REASON_MAX)  # fmt: skip
    if not text:
        raise CorrectionNeedsReason(
            f"{item.text}: the saved answer is {previous.capitalize()}. Give a reason to "
            f"change it to {value.capitalize()} (the old answer stays on record).",
            previous,
            value,
        )
    return text
