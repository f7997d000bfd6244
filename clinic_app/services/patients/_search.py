"""Finding a patient from the search box: name words, an MRN, a date of birth, or names and a
date of birth together (the queries are in :mod:`clinic_app.storage.patient_search`).

The text is bounded before any query is built: at most :data:`SEARCH_MAX_LENGTH` characters and
:data:`SEARCH_MAX_WORDS` words of a name or an MRN, more than a full name, an MRN and a date of
birth need. The name query tries every split of the words into family and given names, so its
size grows with the square of the word count: 500 words overflowed SQLite's expression tree and
a pasted megabyte exhausted the memory (issue 11, item 7). Characters no name, MRN or date can
hold (control characters, lone surrogates, unassigned code points) are refused the same way, on
the ``search`` field, as the form fields refuse them.
"""

from __future__ import annotations

import re
from datetime import date

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_validation import normalise_text, parse_date
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients._views import listed_patient, patient_summary
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.storage.search_keys import name_key

MAX_PAGE_SIZE = 500
SEARCH_MAX_LENGTH = 200
SEARCH_MAX_WORDS = 10

_DATE_SHAPED = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}([./])\d{1,2}\1\d{4}")


def _typed_date(word: str) -> date | None:
    """The date of a date-shaped word; None for any other word. A date-shaped word that is
    not a real date ("31.02.1980") is refused so the nurse sees why nothing is found."""
    if not _DATE_SHAPED.fullmatch(word):
        return None
    try:
        return parse_date(word, field="search", label="Date")
    except InvalidInput:
        raise InvalidInput("search", f"{word} is not a date: check the day and the month "
                                     "(DD.MM.YYYY or YYYY-MM-DD).") from None


def _refuse_too_many_words(words: str) -> None:
    """At most :data:`SEARCH_MAX_WORDS` words as the name search reads them (punctuation
    separates words: "smith-jones" is two)."""
    count = len(name_key(words).split())
    if count > SEARCH_MAX_WORDS:
        raise InvalidInput("search", f"Search with at most {SEARCH_MAX_WORDS} words of a name "
                                     f"or an MRN: this search has {count}.")


def _search_terms(text: str) -> tuple[str, date | None]:
    """A date of birth typed in any accepted format, alone or beside name words or an MRN
    ("zolc 12.04.1986"), narrows to that date; the other words search names and MRN."""
    words = normalise_text(text, field="search", label="Search", max_length=SEARCH_MAX_LENGTH,
                           multiline=True).split()
    dates = [(word, born) for word in words if (born := _typed_date(word)) is not None]
    if len(dates) > 1:
        raise InvalidInput("search", "Type one date of birth only.")
    rest = " ".join(w for w in words if w not in dict(dates))
    _refuse_too_many_words(rest)
    return rest, dates[0][1] if dates else None


def _is_hyphenated_mrn(text: str) -> bool:
    """One word with a hyphen and a digit ("A-100") is an MRN: as a name it would be split."""
    word = text.strip()
    return "-" in word and any(ch.isdigit() for ch in word) and len(word.split()) == 1


def _page(limit: int, offset: int) -> None:
    if not 1 <= limit <= MAX_PAGE_SIZE:
        raise InvalidInput("limit", f"A page holds 1 to {MAX_PAGE_SIZE} patients, not {limit}.")
    if offset < 0:
        raise InvalidInput("offset", f"The page offset cannot be negative ({offset}).")


def search_patients(
    ctx: ServiceContext, *, text: str, limit: int = 50, offset: int = 0,
    include_voided: bool = False,
) -> tuple[PatientSummary, ...]:
    """One page of patients, sorted by family then given names.

    ``text`` is the start of a family or given name (accents and case ignored: "jose" finds
    José, "lukasz" finds Łukasz), "family given" in either order, the start of an MRN, or a
    date of birth (YYYY-MM-DD, DD.MM.YYYY, DD/MM/YYYY). Empty text lists everyone. Indexed
    range queries, so paging stays fast with tens of thousands of patients. A text beyond
    the bounds of the module docstring is refused (:class:`InvalidInput` on "search").
    """
    _page(limit, offset)
    words, born = _search_terms(text)
    with ctx.read_only() as uow:
        if _is_hyphenated_mrn(words):
            rows = uow.patients.search_mrn(words, limit=limit, offset=offset,
                                           include_voided=include_voided)
            return tuple(patient_summary(p) for p in rows)
        page = uow.patients.search_page(words, date_of_birth=born, limit=limit,
                                        offset=offset, include_voided=include_voided)
        return tuple(listed_patient(row) for row in page)


def count_patients(ctx: ServiceContext, *, text: str, include_voided: bool = False) -> int:
    """How many patients :func:`search_patients` pages through for ``text`` (refused alike)."""
    words, born = _search_terms(text)
    with ctx.read_only() as uow:
        if _is_hyphenated_mrn(words):
            return uow.patients.count_mrn(words, include_voided=include_voided)
        return uow.patients.count(words, date_of_birth=born, include_voided=include_voided)
