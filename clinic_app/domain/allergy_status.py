"""What is known about a patient's allergies: listed, none known, or not recorded.

Rules (issue 4, "allergies (prominent)"; issue 12, "Allergies"): an empty allergy list is not "no
allergies". Only a standing "No known allergies" (NKA) statement, recorded after asking the
patient, reads "No known allergies"; with neither allergies nor that statement, every screen and
sheet says the allergies are not recorded and must be asked. An allergy and an NKA statement
never stand together: recording an allergy ends the statement, and NKA cannot be recorded while
an allergy stands (it must be voided first, with its reason).

An anaphylaxis to a drug is a drug allergy (issue 12, "An anaphylaxis to a drug also appears as a
drug allergy"). It is *derived*, not recorded: every screen and sheet computes it from the
reactions on file (:func:`anaphylaxis_allergies`), so the reaction stays the one truth; voiding
the reaction removes the allergy with it and nothing stale is left to void separately. It reads
"<Drug> (anaphylaxis, reaction on <day>)", stands beside the recorded allergies and, like them,
supersedes "No known allergies".
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from enum import StrEnum

from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput

NOT_RECORDED_TEXT = "ALLERGIES NOT RECORDED: ask the patient before starting"
NONE_KNOWN_TEXT = "No known allergies"


class AllergyState(StrEnum):
    """The three allergy states every screen and sheet shows alike."""

    LISTED = "listed"
    NONE_KNOWN = "none_known"
    NOT_RECORDED = "not_recorded"


def allergy_state(allergies: Sequence[str], no_known_allergies: bool) -> AllergyState:
    """The state from the standing allergies and whether an NKA statement stands (allergies
    win: a statement left standing beside an allergy is never read as "none known")."""
    if allergies:
        return AllergyState.LISTED
    return AllergyState.NONE_KNOWN if no_known_allergies else AllergyState.NOT_RECORDED


def allergy_line(allergies: Sequence[str], no_known_allergies: bool) -> str:
    """The allergy line as the screens show it, e.g. "Allergies: Penicillin (rash)"."""
    state = allergy_state(allergies, no_known_allergies)
    if state is AllergyState.LISTED:
        return "Allergies: " + "; ".join(allergies)
    return NONE_KNOWN_TEXT if state is AllergyState.NONE_KNOWN else NOT_RECORDED_TEXT


def anaphylaxis_allergies(anaphylaxes: Sequence[tuple[str, date]]) -> list[str]:
    """The drug allergies derived from reactions classified as anaphylaxis, one per drug (its
    first day; drugs compared without case), e.g. "Infliximab (anaphylaxis, reaction on
    2026-12-05)". ``anaphylaxes`` are (drug, day of onset) of reactions not voided."""
    first: dict[str, tuple[str, date]] = {}
    for drug, day in sorted(anaphylaxes, key=lambda pair: pair[1]):
        first.setdefault(drug.casefold(), (drug, day))
    return [f"{drug} (anaphylaxis, reaction on {date_text(day)})"
            for drug, day in first.values()]


def check_no_known_allergies(standing_allergies: Sequence[str]) -> None:
    """Refuse an NKA statement while an allergy stands (:class:`InvalidInput` on "allergies")."""
    if standing_allergies:
        raise InvalidInput(
            "allergies", "No known allergies cannot be recorded while an allergy is on file ("
                         + "; ".join(standing_allergies) + "): void the allergy first, with "
                         "the reason, if it was entered in error.")
