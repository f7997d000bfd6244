"""The patient form rules: names in any script, unambiguous dates of birth, MRNs."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.dates import DateFormat, date_format_in_use, format_date, use_date_format
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_validation import (
    NAME_MAX_LENGTH,
    has_lone_surrogate,
    normalise_email,
    normalise_line,
    normalise_mrn,
    normalise_name,
    normalise_phone,
    normalise_sex,
    normalise_text,
    parse_date,
    parse_date_of_birth,
    validate_patient,
)

TODAY = date(2026, 3, 2)


def name(value: str) -> str:
    return normalise_name(value, field="family_name", label="Family name")


def form(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "mrn": "mrn 001", "family_name": "  Żółć ", "given_names": "Łukasz",
        "date_of_birth": "29.02.1980", "sex": "Male", "phone": "+48 22 123 45 67",
        "email": "lukasz@example.org", "address": "ul. Długa 1\n00-001 Warszawa", "notes": "",
    }
    values.update(changes)
    return values


@pytest.mark.parametrize("typed", ["Łukasz Żółć", "José Muñoz", "Анна Иванова", "O'Brien",
                                   "Smith-Jones", "van der Berg", "李小龍", "محمد"])
def test_names_in_any_script_are_accepted_unchanged(typed: str) -> None:
    assert name(typed) == typed


def test_a_name_is_stored_in_nfc_with_single_spaces() -> None:
    decomposed = "Jose\u0301   Mun\u0303oz "
    assert name(decomposed) == "José Muñoz"
    assert unicodedata.is_normalized("NFC", name(decomposed))


@pytest.mark.parametrize("bad", ["Anna\x00", "An\nna", "Anna\u202e", "An\u200bna", "\x1b[31m"])
def test_control_and_invisible_characters_in_a_name_are_refused(bad: str) -> None:
    with pytest.raises(InvalidInput, match="invisible or control character") as error:
        name(bad)
    assert error.value.field == "family_name"


def test_the_zero_width_non_joiner_of_persian_names_is_kept() -> None:
    assert name("می\u200cخواهم") == "می\u200cخواهم"


def test_an_empty_name_is_required() -> None:
    with pytest.raises(InvalidInput, match="Family name is required"):
        name("   ")


def test_a_name_without_letters_is_refused() -> None:
    with pytest.raises(InvalidInput, match="at least one letter"):
        name("--- '")


@pytest.mark.parametrize("bad", ["MRN001", "Kowalska 2", "Anna ٣"])
def test_a_name_with_a_digit_is_refused(bad: str) -> None:
    with pytest.raises(InvalidInput, match="contains a digit"):
        name(bad)


def test_a_very_long_name_is_refused_with_the_maximum_in_the_message() -> None:
    with pytest.raises(InvalidInput, match=f"at most {NAME_MAX_LENGTH}") as error:
        name("A" * (NAME_MAX_LENGTH + 1))
    assert "121 characters" in str(error.value)


def test_a_name_of_exactly_the_maximum_length_is_accepted() -> None:
    assert len(name("B" * NAME_MAX_LENGTH)) == NAME_MAX_LENGTH


@given(st.text(min_size=1, max_size=150))
def test_any_accepted_name_round_trips_unchanged(typed: str) -> None:
    try:
        stored = name(typed)
    except InvalidInput:
        return
    assert name(stored) == stored
    assert unicodedata.is_normalized("NFC", stored)
    assert stored == stored.strip() and "  " not in stored
    assert 1 <= len(stored) <= NAME_MAX_LENGTH


@given(st.text(max_size=20), st.characters(categories=["Cc"]), st.text(max_size=20))
def test_a_control_character_anywhere_in_a_name_is_refused(
    before: str, control: str, after: str
) -> None:
    with pytest.raises(InvalidInput):
        name(before + "Anna" + control + after)


@pytest.mark.parametrize("typed", ["1980-02-29", "29.02.1980", "1980-2-29", " 29.2.1980 ",
                                   "29 Feb 1980", "29 feb 1980", "29 February 1980"])
def test_a_date_of_birth_is_read_from_the_unambiguous_forms(typed: str) -> None:
    assert parse_date_of_birth(typed, today=TODAY) == date(1980, 2, 29)


@pytest.mark.parametrize("typed", ["29-02-1980", "02/29/80", "1980/02/29", "29.02.80",
                                   "Feb 29 1980", "19800229", "29.02/1980", "29 Fe 1980"])
def test_unknown_date_forms_are_refused_naming_the_accepted_forms(typed: str) -> None:
    with pytest.raises(InvalidInput, match=r"5 Jan 2026, 2026-01-05 or 05\.01\.2026") as error:
        parse_date_of_birth(typed, today=TODAY)
    assert error.value.field == "date_of_birth"


@pytest.mark.parametrize("typed", ["03/04/1980", "29/02/1980"])
def test_a_slashed_date_is_refused_as_day_and_month_are_easily_swapped(typed: str) -> None:
    with pytest.raises(InvalidInput, match=r"slashes .* easily swapped.*Type it as 5 Jan 2026"):
        parse_date(typed, field="dob", label="Date")


def test_a_slashed_date_names_both_readings_when_both_are_real() -> None:
    with pytest.raises(InvalidInput, match=r"\(4 Mar 1980 or 3 Apr 1980\?\)"):
        parse_date("03/04/1980", field="dob", label="Date")


def test_slashes_are_read_day_first_where_they_are_the_clinics_own_format(
    clinic_date_format: Callable[[DateFormat], None],
) -> None:
    clinic_date_format(DateFormat.DAY_FIRST_SLASHES)
    assert parse_date("03/04/1980", field="dob", label="Date") == date(1980, 4, 3)


def test_a_date_that_does_not_exist_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not a real calendar date"):
        parse_date_of_birth("29.02.1981", today=TODAY)


def test_a_date_of_birth_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidInput, match="in the future"):
        parse_date_of_birth("2026-03-03", today=TODAY)


def test_a_date_of_birth_today_is_accepted() -> None:
    assert parse_date_of_birth(TODAY, today=TODAY) == TODAY


def test_a_date_of_birth_more_than_120_years_ago_is_refused() -> None:
    assert parse_date_of_birth("1906-03-02", today=TODAY) == date(1906, 3, 2)
    with pytest.raises(InvalidInput, match="more than 120 years ago"):
        parse_date_of_birth("1906-03-01", today=TODAY)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))
def test_every_date_written_in_each_format_reads_back_the_same(day: date) -> None:
    for text in (day.isoformat(), day.strftime("%d.%m.%Y"),
                 format_date(day, DateFormat.DAY_MONTH_YEAR)):
        assert parse_date(text, field="d", label="Date") == day


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)))
def test_every_date_shown_in_the_clinics_format_reads_back_the_same(day: date) -> None:
    before = date_format_in_use()
    try:
        for style in DateFormat:
            use_date_format(style)
            assert parse_date(format_date(day, style), field="d", label="Date") == day
    finally:
        use_date_format(before)


def test_an_mrn_is_stored_without_spaces_in_capitals() -> None:
    assert normalise_mrn(" ab 12-3 ") == "AB12-3"


@pytest.mark.parametrize("bad", ["", "AB_12", "ÄB12", "12/3", "A" * 41])
def test_an_mrn_outside_the_rule_is_refused(bad: str) -> None:
    with pytest.raises(InvalidInput) as error:
        normalise_mrn(bad)
    assert error.value.field == "mrn"


def test_sex_is_one_of_the_four_recorded_values() -> None:
    assert normalise_sex(" Female ") == "female"
    with pytest.raises(InvalidInput, match="female, male, other, unknown"):
        normalise_sex("f")


def test_phone_and_email_are_optional_but_checked_when_given() -> None:
    assert normalise_phone("") == "" and normalise_email("") == ""
    assert normalise_phone("+48 (22) 123-45-67") == "+48 (22) 123-45-67"
    with pytest.raises(InvalidInput, match="Phone"):
        normalise_phone("call me")
    with pytest.raises(InvalidInput, match="not an address"):
        normalise_email("anna@localhost")


def test_multiline_text_keeps_new_lines_but_refuses_other_controls() -> None:
    assert normalise_text("a\nb", field="notes", label="Notes", max_length=10,
                          multiline=True) == "a\nb"
    with pytest.raises(InvalidInput, match="control character"):
        normalise_text("a\x07b", field="notes", label="Notes", max_length=10, multiline=True)


def test_a_pasted_megabyte_is_refused_for_its_length_before_a_character_is_read() -> None:
    pasted = "\x07" + "a" * 1_000_000
    with pytest.raises(InvalidInput, match="too long: 1000001 characters, at most 10"):
        normalise_text(pasted, field="notes", label="Notes", max_length=10)
    with pytest.raises(InvalidInput, match=f"too long: 1000001 characters, at most "
                                           f"{NAME_MAX_LENGTH}"):
        name(pasted)


def test_a_line_of_free_text_is_one_line_and_refuses_what_cannot_be_stored() -> None:
    def line(value: str) -> str:
        return normalise_line(value, field="reason", label="The reason", max_length=10)

    assert line("  fever \n 38.4\t") == "fever 38.4"
    assert line("") == ""
    for broken in ("fe\ud800ver", "\udfff", "a\x00b", "a\u202eb"):
        with pytest.raises(InvalidInput, match="control character") as refused:
            line(broken)
        assert refused.value.field == "reason"
    with pytest.raises(InvalidInput, match="too long: 11 characters, at most 10"):
        line("a" * 11)


def test_a_lone_surrogate_is_found_and_a_paired_character_is_not() -> None:
    assert has_lone_surrogate("ab\ud800") and has_lone_surrogate("\udc00")
    assert not has_lone_surrogate("Żółć 😀 \U0010ffff")


def test_a_whole_form_is_validated_and_normalised() -> None:
    valid = validate_patient(**form(), today=TODAY)  # type: ignore[arg-type]
    assert (valid.mrn, valid.family_name, valid.given_names) == ("MRN001", "Żółć", "Łukasz")
    assert valid.date_of_birth == date(1980, 2, 29)
    assert valid.sex == "male"
    assert valid.address == "ul. Długa 1\n00-001 Warszawa"


def test_the_first_bad_field_of_a_form_is_named() -> None:
    with pytest.raises(InvalidInput) as error:
        validate_patient(**form(given_names="", email="x"), today=TODAY)  # type: ignore[arg-type]
    assert error.value.field == "given_names"
