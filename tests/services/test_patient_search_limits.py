"""The patient search box takes a bounded text (issue 11, item 7): more words or characters than
a name, an MRN and a date of birth need are refused on the search field, naming the limit, before
any query is built; text no name can hold is refused the same way."""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import pytest
from sqlalchemy import Engine, event

from clinic_app.domain.errors import InvalidInput
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients import (
    SEARCH_MAX_LENGTH,
    SEARCH_MAX_WORDS,
    count_patients,
    search_patients,
)
from clinic_app.services.patients.dto import PatientSummary

SEARCHES = [pytest.param(lambda ctx, text: search_patients(ctx, text=text), id="search"),
            pytest.param(lambda ctx, text: count_patients(ctx, text=text), id="count")]
Search = Callable[[ServiceContext, str], object]


def _refused(ctx: ServiceContext, search: Search, text: str) -> str:
    with pytest.raises(InvalidInput) as refused:
        search(ctx, text)
    assert refused.value.field == "search"
    return str(refused.value)


@pytest.mark.parametrize("search", SEARCHES)
def test_more_words_than_the_limit_are_refused_naming_it(ctx: ServiceContext,
                                                        search: Search) -> None:
    words = SEARCH_MAX_WORDS + 1
    message = _refused(ctx, search, " ".join(["ab"] * words))
    assert f"at most {SEARCH_MAX_WORDS} words" in message and f"has {words}" in message


@pytest.mark.parametrize("search", SEARCHES)
def test_words_joined_by_punctuation_count_as_the_name_search_reads_them(
        ctx: ServiceContext, search: Search) -> None:
    assert f"at most {SEARCH_MAX_WORDS} words" in _refused(ctx, search, "a/" * 60)


@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("text", [
    "a" * (SEARCH_MAX_LENGTH + 1),
    " ".join(["ab"] * 500),  # the 500 words: "Expression tree is too large"
    "a" * 1_000_000,  # a pasted megabyte: the memory ran out
], ids=["one-over", "500-words", "megabyte"])
def test_more_characters_than_the_limit_are_refused_naming_it(
        ctx: ServiceContext, search: Search, text: str) -> None:
    message = _refused(ctx, search, text)
    assert f"too long: {len(text)} characters, at most {SEARCH_MAX_LENGTH}" in message


@pytest.mark.parametrize("search", SEARCHES)
@pytest.mark.parametrize("text", ["gar\ud800", "\udfff", "jo\x00se", "jose\U0010ffff"])
def test_a_character_no_name_mrn_or_date_holds_is_refused(ctx: ServiceContext, search: Search,
                                                          text: str) -> None:
    assert "control character" in _refused(ctx, search, text)


def test_the_longest_search_allowed_finds_the_patient(
        ctx: ServiceContext, make_patient: Callable[..., PatientSummary]) -> None:
    patient = make_patient(family_name="de la Fuente y Garcia",
                           given_names="Maria de los Dolores Ana", date_of_birth="1980-01-01")
    words = "maria de los dolores ana de la fuente y garcia"
    assert len(words.split()) == SEARCH_MAX_WORDS
    for text in (words, f"{words} 01.01.1980", f" {words}\t"):
        assert [p.id for p in search_patients(ctx, text=text)] == [patient.id]
        assert count_patients(ctx, text=text) == 1
    longest = "x" * SEARCH_MAX_LENGTH
    assert search_patients(ctx, text=longest) == () and count_patients(ctx, text=longest) == 0


def _search_statements(engine: Engine, search: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SELECT statements ``search`` sends to the database, with their parameters."""
    sent: list[tuple[str, Any]] = []

    def record(_conn: object, _cursor: object, statement: str, parameters: Any,
               _context: object, _many: bool) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            sent.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", record)
    try:
        search()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return sent


@pytest.mark.parametrize("search", SEARCHES)
def test_a_refused_search_sends_nothing_to_the_database(ctx: ServiceContext, engine: Engine,
                                                        search: Search) -> None:
    for text in (" ".join(["ab"] * 500), "a" * 1_000_000):
        assert _search_statements(engine, lambda t=text: _refused(ctx, search, t)) == []


@pytest.mark.parametrize("search", SEARCHES)
def test_any_search_allowed_is_one_statement_of_bounded_size(ctx: ServiceContext, engine: Engine,
                                                             search: Search) -> None:
    """The query grows with the words (every split of them into family and given names), a
    fixed number of parameters per word, so bounding the words bounds it: the longest allowed
    is one statement of about a hundred parameters (the 500 words of the issue overflowed
    SQLite's expression tree). Measured on 5,000 patients (tools/benchmark.py) it takes a few
    milliseconds against a budget of 100."""
    sizes = []
    for words in range(1, SEARCH_MAX_WORDS + 1):
        text = " ".join(["ab"] * words) + " 01.01.1980"
        sent = _search_statements(engine, lambda t=text: search(ctx, t))
        assert len(sent) == 1
        sizes.append(len(sent[0][1]))
    assert len({more - fewer for fewer, more in pairwise(sizes[1:])}) == 1  # linear
    assert sizes[-1] <= 12 * SEARCH_MAX_WORDS
