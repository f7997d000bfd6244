"""Issue 15: a keystroke's search reuses the page query of its shape (only the values change),
and the reused query finds what the condition with its values bound finds."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from clinic_app.storage.models import Patient
from clinic_app.storage.patient_search import search_condition, search_page


def _page(text: str, born: date | None = None, *, include_voided: bool = False) -> object:
    return search_page(text, born, limit=50, offset=0, include_voided=include_voided)[0]


def test_searches_of_one_shape_share_the_statement_and_differ_in_values_only():
    assert _page("mun") is _page("garc") is _page("b2")  # one word: family, given or MRN
    assert _page("garcia jo") is _page("jose garcia")
    assert _page("garcia jo") is not _page("mun")
    assert _page("1980-02-29") is not _page("mun")
    assert _page("mun", date(1980, 2, 29)) is not _page("mun")
    assert _page("mun", include_voided=True) is not _page("mun")
    _stmt, values = search_page("garc", None, limit=20, offset=40, include_voided=False)
    assert values == {
        "p0": "garc",
        "p1": "gard",
        "p2": "garc%",
        "p3": "garc",
        "p4": "gard",
        "p5": "garc%",
        "p6": "GARC",
        "p7": "GARD",
        "p8": "GARC%",
        "page_limit": 20,
        "page_offset": 40,
        "page_end": 60,  # each index's first 60 matches hold the page (see _page_statement)
    }


def test_like_wildcards_in_a_prefix_are_escaped():
    _stmt, values = search_page("a_b%c/", None, limit=1, offset=0, include_voided=False)
    assert "A/_B/%C//%" in values.values()  # the MRN prefix, taken literally


@pytest.fixture
def crowd(uow, make_patient):
    people = [
        ("A100", "García", "José"),
        ("A101", "Garcia Lopez", "María José"),
        ("A102", "Garner", "Ann"),
        ("B200", "Josephs", "Garth"),
        ("B201", "Ng", "Joe"),
        ("GA1", "Lee", "Kim"),
    ]
    with uow() as work:
        for n, (mrn, family, given_names) in enumerate(people):
            work.patients.add(
                make_patient(mrn=mrn, family=family, given=given_names, born=date(1980, 1, 1 + n))
            )
        work.commit()


@pytest.mark.usefixtures("crowd")
@pytest.mark.parametrize(
    "typed",
    [
        "g",
        "ga",
        "gar",
        "jo",
        "garcia jo",
        "jo ga",
        "garcia lopez m",
        "a1",
        "1980-01-03",
        "",
        "%",
        "_",
    ],
)
def test_the_shared_page_finds_what_the_bound_condition_finds(uow, typed):
    with uow() as work:
        page = [row.id for row in work.patients.search_page(typed)]
        records = [p.id for p in work.patients.search(typed)]
        bound = list(
            work.session.scalars(
                select(Patient.id)
                .where(search_condition(typed), Patient.voided_at.is_(None))
                .order_by(Patient.family_key, Patient.given_key, Patient.id)
            )
        )
    assert page == bound == records


@pytest.mark.usefixtures("crowd")
def test_a_listed_patient_reads_as_the_summary_of_its_record(uow):
    from clinic_app.services.patients._views import listed_patient, patient_summary

    with uow() as work:
        listed = [listed_patient(row) for row in work.patients.search_page("", limit=100)]
        summaries = [patient_summary(p) for p in work.patients.search("", limit=100)]
    assert listed == summaries
    assert len(listed) == 6


@pytest.mark.usefixtures("crowd")
@pytest.mark.parametrize("typed", ["g", "jo", "ga", "a1"])
def test_small_pages_cut_from_the_union_match_the_record_search(uow, typed):
    """Each option's first ``limit + offset`` in name order hold the page: "g" matches family
    names (García, Garner), a given name (Garth) and an MRN (GA1)."""
    with uow() as work:
        everyone = [p.id for p in work.patients.search(typed, limit=100)]
        for offset in range(len(everyone) + 1):
            page = [row.id for row in work.patients.search_page(typed, limit=2, offset=offset)]
            records = [p.id for p in work.patients.search(typed, limit=2, offset=offset)]
            assert page == records == everyone[offset : offset + 2]
