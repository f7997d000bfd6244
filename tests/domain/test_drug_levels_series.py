"""Drug levels (TDM): checking a result as typed, and the plot's series and summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from clinic_app.domain.drug_levels import (
    AntibodyStatus,
    DrugLevel,
    GivenDose,
    LevelKind,
    check_drug_level,
    tdm_series,
    tdm_summary,
)
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import InvalidInputs

TODAY = date(2026, 1, 10)
START = date(2025, 6, 1)


def _check(**fields: str) -> DrugLevel:
    drawn = fields.pop("drawn_on", "2026-01-05")
    return check_drug_level(
        drawn_on=date.fromisoformat(drawn),
        today=TODAY,
        course_start=START,
        **{"kind": "trough", **fields},
    )


def _refusal(**fields: str) -> InvalidInput:
    with pytest.raises(InvalidInput) as raised:
        _check(**fields)
    return raised.value


def test_a_trough_is_kept_in_micrograms_per_ml_with_its_dose() -> None:
    level = _check(value="2.10", before_dose="7", assay="ELISA (lab X)")
    assert (level.kind, level.value, level.unit) == (LevelKind.TROUGH, Decimal("2.10"), "µg/mL")
    assert level.before_dose == 7 and level.assay == "ELISA (lab X)"
    assert level.text == "2.1 µg/mL" and level.status is None


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("", "missing"),
        ("abc", "not a number"),
        ("-1", "cannot be negative"),
        ("2,1", "decimal point"),
    ],
)
def test_a_bad_trough_value_is_refused_with_a_clear_message(value: str, words: str) -> None:
    error = _refusal(value=value)
    assert error.field == "value" and words in str(error)


def test_a_future_day_and_a_day_before_the_course_are_refused() -> None:
    assert "in the future" in str(_refusal(value="2", drawn_on="2026-01-11"))
    error = _refusal(value="2", drawn_on="2025-05-31")
    assert error.field == "drawn_on" and "before the course began (1 Jun 2025)" in str(error)


@pytest.mark.parametrize("dose", ["0", "1000", "²", "٣", "7.5", "99999999999999999999999"])
def test_the_dose_drawn_before_is_a_dose_number(dose: str) -> None:
    error = _refusal(value="2", before_dose=dose)
    assert error.field == "before_dose" and "enter the dose number (1 to 999)" in str(error)


def test_every_bad_field_is_reported_at_once() -> None:
    error = _refusal(value="x", before_dose="seven", drawn_on="2026-02-01")
    assert isinstance(error, InvalidInputs)
    assert [e.field for e in error.errors] == ["drawn_on", "before_dose", "value"]


def test_antibodies_against_the_labs_cutoff_are_positive_at_or_above_it() -> None:
    above = _check(kind="antibody", value="10", unit="ng/mL", cutoff="10")
    below = _check(kind="antibody", value="9.9", unit="ng/mL", cutoff="10")
    assert above.status is AntibodyStatus.POSITIVE and below.status is AntibodyStatus.NEGATIVE
    assert above.text == "10 ng/mL (cutoff 10): positive"


def test_antibodies_without_a_cutoff_are_not_interpreted() -> None:
    level = _check(kind="antibody", value="35", unit="AU/mL")
    assert level.status is AntibodyStatus.NOT_INTERPRETED
    assert level.text == "35 AU/mL (no cutoff given)"


def test_antibodies_as_the_lab_reports_them_positive_or_negative() -> None:
    level = _check(kind="antibody", value="", reported="Negative")
    assert (level.value, level.status, level.text) == (None, AntibodyStatus.NEGATIVE, "negative")


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"value": ""}, "value", "antibody value with its unit"),
        ({"value": "12"}, "unit", "unit the lab reports"),
        ({"value": "12", "reported": "positive"}, "reported", "not both"),
        ({"value": "12", "unit": "ng/mL", "cutoff": "-3"}, "cutoff", "cannot be negative"),
        ({"value": "", "reported": "maybe"}, "reported", "positive or negative"),
    ],
)
def test_bad_antibody_input_is_refused(fields: dict[str, str], field: str, words: str) -> None:
    error = _refusal(kind="antibody", **fields)
    assert error.field == field and words in str(error)


def _dose(number: int, day: str, mg: str, ordered: str | None = None) -> GivenDose:
    return GivenDose(
        number, date.fromisoformat(day), Decimal(mg), None if ordered is None else Decimal(ordered)
    )


def test_the_series_has_intervals_in_weeks_and_marks_the_dose_change() -> None:
    doses = [
        _dose(3, "2025-07-13", "5.02", "5"),
        _dose(1, "2025-06-01", "5", "5"),
        _dose(2, "2025-06-15", "4.98", "5"),
        _dose(4, "2025-09-07", "10.01", "10"),
    ]
    series = tdm_series(doses, [])
    assert [p.dose.dose_number for p in series.doses] == [1, 2, 3, 4]
    assert [p.weeks_since_previous for p in series.doses] == [
        None,
        Decimal(2),
        Decimal(4),
        Decimal(8),
    ]
    assert [p.dose.dose_number for p in series.dose_changes] == [4]


def test_without_an_order_in_mg_per_kg_a_change_over_a_tenth_is_marked() -> None:
    doses = [
        _dose(1, "2025-06-01", "5"),
        _dose(2, "2025-06-15", "5.4"),
        _dose(3, "2025-07-13", "6"),
    ]
    assert [p.changed for p in tdm_series(doses, []).doses] == [False, False, True]


def test_levels_are_split_into_troughs_and_antibodies_oldest_first() -> None:
    late = _check(value="2.1", before_dose="7", drawn_on="2026-01-05")
    early = _check(value="5", drawn_on="2025-11-10")
    antibody = _check(kind="antibody", value="", reported="negative", drawn_on="2026-01-05")
    series = tdm_series([], [late, antibody, early])
    assert series.troughs == (early, late) and series.antibodies == (antibody,)


def test_the_summary_says_the_latest_trough_and_antibody_result_in_words() -> None:
    trough = _check(value="2.1", before_dose="7")
    antibody = _check(kind="antibody", value="", reported="negative")
    assert tdm_summary(tdm_series([], [trough, antibody])) == (
        "Latest trough 2.1 µg/mL on 5 Jan 2026, before dose 7; antibodies negative"
    )


def test_the_summary_names_a_missing_result_and_the_day_of_an_antibody_drawn_apart() -> None:
    assert tdm_summary(tdm_series([], [])) == (
        "No trough level on file; no antibody result on file"
    )
    antibody = _check(kind="antibody", value="12", unit="ng/mL", cutoff="10", drawn_on="2025-12-01")
    assert tdm_summary(tdm_series([], [antibody])) == (
        "No trough level on file; antibodies positive (12 ng/mL, cutoff 10) on 1 Dec 2025"
    )
