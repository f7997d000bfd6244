"""Look-alike patient names among open charts (issue 12, "patient tabs carry name and MRN and warn
before a tenth look-alike tab opens").

Rule (a wrong-patient safeguard, clinic practice: "two patients with similar names"): two charts
look alike when their surnames are the same once case, accents and spacing/hyphens are ignored
("Żółć" and "ZOLC"), or when their given-name and surname initials and dates of birth are all the
same. The same patient (same id) never looks alike to itself.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

#: How many record tabs may be open before opening another asks to close some first.
MAX_OPEN_TABS = 10

_LETTER_MAP = str.maketrans({"ł": "l", "Ł": "l", "ø": "o", "đ": "d", "ß": "ss"})


@dataclass(frozen=True)
class NameKey:
    """What the comparison looks at: the patient's id, names and date of birth."""

    patient_id: int
    family_name: str
    given_names: str
    date_of_birth: date


def normalised(name: str) -> str:
    """``name`` without case, accents, spaces, hyphens or apostrophes ("Żółć-Nowak" ->
    "zolcnowak")."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_LETTER_MAP).casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


def _initials(key: NameKey) -> tuple[str, str]:
    return normalised(key.given_names)[:1], normalised(key.family_name)[:1]


def looks_alike(a: NameKey, b: NameKey) -> bool:
    """True when ``a`` and ``b`` are different patients whose names may be confused (the rule
    above)."""
    if a.patient_id == b.patient_id:
        return False
    if normalised(a.family_name) == normalised(b.family_name):
        return True
    return _initials(a) == _initials(b) and a.date_of_birth == b.date_of_birth


def look_alikes(new: NameKey, open_ones: Sequence[NameKey]) -> list[NameKey]:
    """The open charts whose patient looks like ``new``'s."""
    return [key for key in open_ones if looks_alike(new, key)]
