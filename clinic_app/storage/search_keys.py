"""Search keys: names folded so that "José" is found by "jose" and "O'Brien" by "obrien".

The patient table stores these keys beside the names (indexed), so name search is an index range
scan on every database instead of a per-row function call.
"""

from __future__ import annotations

import re
import unicodedata

# Latin letters that do not decompose into a base letter plus accents under NFKD.
_LATIN_FOLDS = str.maketrans(
    {"ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NOT_WORD = re.compile(r"[\W_]+")


def name_key(text: str) -> str:
    """Lower-case, accent-free words of ``text`` separated by single spaces.

    Apostrophes vanish (O'Brien -> obrien); any other punctuation separates words
    (Smith-Jones -> smith jones).
    """
    folded = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", text).casefold())
    bare = "".join(ch for ch in folded if not unicodedata.combining(ch))
    bare = _APOSTROPHES.sub("", bare.translate(_LATIN_FOLDS))
    return " ".join(_NOT_WORD.sub(" ", bare).split())


def mrn_key(text: str) -> str:
    """A medical record number as stored: trimmed, inner spaces removed, upper case."""
    return "".join(text.split()).upper()


def prefix_upper_bound(prefix: str) -> str:
    """The smallest string above every string that starts with ``prefix``, in binary order
    (the order of the search-key columns, see :func:`..types.binary_string`)."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)
