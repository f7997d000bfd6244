"""Numbers typed by a nurse, weight units and the documented rounding rules."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_app.domain.errors import ImpossibleWeight, InvalidInput
from clinic_app.domain.units import (
    KG_PER_LB,
    WeightUnit,
    minutes_up,
    parse_number,
    parse_weight,
    parse_weight_unit,
    percent_change,
    plain,
    round_concentration,
    round_mg,
    round_ml,
    round_rate_down,
)

D = Decimal
MAX = D(350)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(70, D(70)), (70.5, D("70.5")), (D("70.25"), D("70.25")), (" 70.5 ", D("70.5")),
     ("1e2", D(100)), (0.1, D("0.1"))],
)
def test_numbers_are_read_exactly_from_ints_floats_decimals_and_text(
    value: object, expected: Decimal
) -> None:
    assert parse_number(value, field="dose", label="Dose") == expected


def test_a_float_is_read_as_it_is_written_not_as_its_binary_value() -> None:
    assert parse_number(0.1, field="dose", label="Dose") == D("0.1")  # not 0.1000000000000000055...


@pytest.mark.parametrize(
    ("value", "words"),
    [(None, "missing"), ("  ", "missing"), ("abc", "'abc' is not a number"),
     ("70,5", "decimal point"), ("inf", "finite"), (float("nan"), "finite"),
     (D("sNaN"), "finite"), (True, "must be a number"), ([70], "must be a number")],
)
def test_what_is_not_a_usable_number_is_refused_naming_the_field(
    value: object, words: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_number(value, field="dose", label="Dose")
    assert refused.value.field == "dose" and words in str(refused.value)
    assert str(refused.value).startswith("Dose")


def test_a_very_long_bad_text_is_shortened_in_the_message() -> None:
    with pytest.raises(InvalidInput) as refused:
        parse_number("x" * 500, field="weight", label="Weight")
    assert len(str(refused.value)) < 100


def test_a_pound_is_exactly_0_45359237_kg() -> None:
    weight = parse_weight("154.32", "lb", max_kg=MAX)
    # 154.32 x 0.45359237 = 69.9983745384 kg, kept exactly.
    assert weight.kg == D("69.9983745384") == D("154.32") * KG_PER_LB
    assert (weight.entered, weight.unit) == (D("154.32"), WeightUnit.LB)
    assert str(weight) == "70 kg (154.32 lb)"


def test_a_weight_in_kg_is_kept_as_entered_and_shown_as_used() -> None:
    weight = parse_weight(D("70.04"), WeightUnit.KG, max_kg=MAX)
    assert weight.kg == D("70.04") and str(weight) == "70.04 kg"


def test_the_weight_shown_is_the_one_the_dose_uses_to_the_hundredth() -> None:
    assert str(parse_weight("72.45", "kg", max_kg=MAX)) == "72.45 kg"
    assert str(parse_weight("72.4", "kg", max_kg=MAX)) == "72.4 kg"
    assert str(parse_weight("70", "kg", max_kg=MAX)) == "70 kg"


@pytest.mark.parametrize("unit", ["kg", "KG", " Lb ", WeightUnit.LB])
def test_weight_units_are_read_in_any_case(unit: object) -> None:
    assert parse_weight_unit(unit) in (WeightUnit.KG, WeightUnit.LB)


@pytest.mark.parametrize("unit", ["stone", "", None, 1])
def test_an_unknown_weight_unit_is_refused(unit: object) -> None:
    with pytest.raises(InvalidInput, match="use kg or lb"):
        parse_weight_unit(unit)


@pytest.mark.parametrize(
    ("value", "unit", "words"),
    [(0, "kg", "more than 0 kg, got 0 kg"), (-5, "kg", "got -5 kg"),
     (-1, "lb", "more than 0 lb, got -1 lb"), ("350.01", "kg", "above the maximum of 350 kg"),
     (800, "lb", "800 lb (362.9 kg)"), ("1e999999999", "lb", "above the maximum")],
)
def test_impossible_weights_are_refused_with_the_weight_and_the_limit(
    value: object, unit: str, words: str
) -> None:
    with pytest.raises(ImpossibleWeight) as refused:
        parse_weight(value, unit, max_kg=MAX)
    assert words in str(refused.value) and refused.value.field == "weight"


def test_the_maximum_weight_itself_is_accepted() -> None:
    assert parse_weight(350, "kg", max_kg=MAX).kg == 350


def test_doses_and_volumes_round_half_up_to_a_tenth() -> None:
    assert round_mg(D("349.95")) == D("350.0") and round_mg(D("349.94")) == D("349.9")
    assert round_ml(D("35.25")) == D("35.3")


def test_concentrations_round_half_up_to_a_hundredth() -> None:
    assert round_concentration(D(300) / D(255)) == D("1.18")


def test_rates_round_down_so_a_pump_never_runs_faster() -> None:
    assert round_rate_down(D(100) * 60 / 70) == D("85.7")  # 85.714...
    assert round_rate_down(D("127.59")) == D("127.5")


def test_durations_round_up_to_whole_minutes() -> None:
    assert minutes_up(D("120.0001")) == 121 and minutes_up(D(120)) == 120


def test_percent_change_is_relative_to_the_old_value() -> None:
    assert percent_change(D(80), D(70)) == D("14.3")
    assert percent_change(D(300), D(310)) == D("-3.2")


def test_plain_numbers_drop_trailing_zeros_and_exponents() -> None:
    assert (plain(D("250.0")), plain(D("0.40")), plain(D("1E+2"))) == ("250", "0.4", "100")
    assert plain(D("1E+999")) == "1E+999"
