"""Patient search: accent- and case-insensitive names, MRN, date of birth, paging."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.storage.search_keys import name_key


@pytest.fixture
def registered(uow, make_patient):
    people = [
        ("A100", "García", "José", date(1980, 2, 29)),
        ("A101", "Garcia Lopez", "María José", date(1975, 5, 1)),
        ("B200", "O'Brien", "Seán", date(1990, 12, 24)),
        ("B201", "Müller", "Zoë", date(1966, 7, 15)),
        ("C300", "van der Berg", "Anouk", date(2001, 1, 9)),
        ("C301", "Søndergaard", "Åsa", date(1980, 2, 29)),
        ("C302", "Smith-Jones", "Ann", date(1955, 3, 3)),
    ]
    with uow() as work:
        for mrn, family, given_names, born in people:
            work.patients.add(make_patient(mrn=mrn, family=family, given=given_names, born=born))
        work.commit()


def _mrns(uow, text="", **kwargs) -> list[str]:
    with uow() as work:
        return [p.mrn for p in work.patients.search(text, **kwargs)]


@pytest.mark.usefixtures("registered")
@pytest.mark.parametrize(("typed", "expected"), [
    ("jose", ["A100"]),                  # given names, accent-free, any case
    ("JOSÉ", ["A100"]),
    ("maria jose", ["A101"]),            # given names are matched from their start
    ("garc", ["A100", "A101"]),          # family name prefix
    ("garcia jo", ["A100"]),             # family then given
    ("jose garcia", ["A100"]),           # given then family
    ("garcia lopez", ["A101"]),          # a two-word family name
    ("garcia lopez maria", ["A101"]),    # a two-word family name, then the given name
    ("maria jose garcia lopez", ["A101"]),  # two given names, then two family names
    ("van der berg anouk", ["C300"]),    # a three-word family name, then the given name
    ("obrien", ["B200"]),                # apostrophe ignored
    ("o'brien sean", ["B200"]),
    ("muller", ["B201"]),
    ("zoe", ["B201"]),
    ("van der", ["C300"]),
    ("sondergaard", ["C301"]),           # ø folds to o
    ("asa", ["C301"]),
    ("smith jones", ["C302"]),           # hyphen separates words
    ("b2", ["B200", "B201"]),            # MRN prefix
    ("c 302", ["C302"]),                 # MRN with a space typed in it
    ("1980-02-29", ["A100", "C301"]),    # an ISO date searches the date of birth
    ("nobody", []),
    ("50%", []),                         # LIKE wildcards are taken literally
])
def test_search_finds_patients_the_way_a_nurse_types(uow, typed, expected):
    assert sorted(_mrns(uow, typed)) == expected


@pytest.mark.usefixtures("registered")
def test_a_date_of_birth_can_narrow_a_name_search(uow):
    assert _mrns(uow, "garcia", date_of_birth=date(1975, 5, 1)) == ["A101"]
    assert _mrns(uow, "", date_of_birth=date(1980, 2, 29)) == ["A100", "C301"]


@pytest.mark.usefixtures("registered")
def test_results_come_in_name_order_one_page_at_a_time(uow):
    everyone = _mrns(uow, limit=100)
    assert everyone == ["A100", "A101", "B201", "B200", "C302", "C301", "C300"]
    paged = [mrn for offset in (0, 3, 6) for mrn in _mrns(uow, limit=3, offset=offset)]
    assert paged == everyone
    with uow() as work:
        assert work.patients.count("") == 7
        assert work.patients.count("garcia") == 2


@pytest.mark.usefixtures("registered")
def test_the_mrn_is_stored_trimmed_and_upper_case_and_found_exactly(uow, make_patient):
    with uow() as work:
        work.patients.add(make_patient(mrn=" d 400 ", family="X", given="Y"))
        work.commit()
        assert work.patients.get_by_mrn("D400").mrn == "D400"
        assert work.patients.get_by_mrn("d400 ") is not None
        assert work.patients.get_by_mrn("D40") is None


def test_renaming_a_patient_keeps_the_search_key_in_step(uow, patient_id):
    with uow() as work:
        work.patients.get(patient_id).family_name = "Núñez"
        work.commit()
    assert _mrns(uow, "nunez") == ["MRN001"]
    assert _mrns(uow, "garcia") == []


@pytest.mark.parametrize(("name", "key"), [
    ("José", "jose"), ("O’Brien", "obrien"), ("Smith-Jones", "smith jones"),
    ("  van  der Berg ", "van der berg"), ("Straße", "strasse"), ("Łukasz", "lukasz"),
    ("Ærø", "aero"),
])
def test_name_keys_fold_accents_case_and_punctuation(name, key):
    assert name_key(name) == key


@given(st.text())
def test_a_name_key_is_stable_and_has_no_stray_spaces(text):
    key = name_key(text)
    assert name_key(key) == key
    assert key == " ".join(key.split())
    assert key == key.casefold()
