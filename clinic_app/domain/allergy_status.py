"""What is known about a patient's allergies: listed, none known, or not recorded.

Rules (issue 4, "allergies (prominent)"; issue 12, "Allergies"): an empty allergy list is not "no
allergies". Only a standing "No known allergies" (NKA) statement, recorded after asking the
patient, reads "No known allergies"; with neither allergies nor that statement, every screen and
sheet says the allergies are not recorded and must be asked. An allergy and an NKA statement
never stand together: recording an allergy ends the statement, and NKA cannot be recorded while
an allergy stands (it must be voided first, with its reason).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

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


def check_no_known_allergies(standing_allergies: Sequence[str]) -> None:
    """Refuse an NKA statement while an allergy stands (:class:`InvalidInput` on "allergies")."""
    if standing_allergies:
        raise InvalidInput(
            "allergies", "No known allergies cannot be recorded while an allergy is on file ("
                         + "; ".join(standing_allergies) + "): void the allergy first, with "
                         "the reason, if it was entered in error.")
