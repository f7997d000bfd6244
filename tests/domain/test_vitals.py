"""Vital-sign readings from the nurse's text, and the flags they raise."""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.settings import VitalsFlags
from clinic_app.domain.vitals import TemperatureUnit, VitalSigns, flags, parse_vitals

LIMITS = VitalsFlags()


def _codes(reading, baseline=None, limits=LIMITS):
    return {w.code for w in flags(reading, baseline, limits)}


# --- flags at the boundaries of the default settings -----------------------------------------

@pytest.mark.parametrize(("systolic", "flagged"), [(89, True), (90, False)])
def test_systolic_is_flagged_below_90(systolic, flagged):
    assert ("LOW_SYSTOLIC" in _codes(VitalSigns(systolic=systolic))) is flagged


@pytest.mark.parametrize(("rate", "flagged"), [(120, False), (121, True)])
def test_heart_rate_is_flagged_over_120(rate, flagged):
    assert ("HIGH_HEART_RATE" in _codes(VitalSigns(heart_rate=rate))) is flagged


@pytest.mark.parametrize(("rate", "flagged"), [(49, True), (50, False)])
def test_heart_rate_is_flagged_under_50(rate, flagged):
    assert ("LOW_HEART_RATE" in _codes(VitalSigns(heart_rate=rate))) is flagged


@pytest.mark.parametrize(("temp", "flagged"), [("37.9", False), ("38.0", True)])
def test_temperature_is_flagged_from_38_0(temp, flagged):
    assert ("FEVER" in _codes(VitalSigns(temperature_c=Decimal(temp)))) is flagged


@pytest.mark.parametrize(("spo2", "flagged"), [(92, False), (91, True)])
def test_spo2_is_flagged_under_92(spo2, flagged):
    assert ("LOW_SPO2" in _codes(VitalSigns(spo2=spo2))) is flagged


@pytest.mark.parametrize(("rate", "flagged"), [(24, False), (25, True)])
def test_respiratory_rate_is_flagged_over_24(rate, flagged):
    assert ("HIGH_RESPIRATORY_RATE" in _codes(VitalSigns(respiratory_rate=rate))) is flagged


@pytest.mark.parametrize(("systolic", "flagged"), [(179, False), (180, True)])
def test_systolic_is_flagged_from_180(systolic, flagged):
    assert ("HIGH_SYSTOLIC" in _codes(VitalSigns(systolic=systolic))) is flagged


@pytest.mark.parametrize(("diastolic", "flagged"), [(109, False), (110, True)])
def test_diastolic_is_flagged_from_110(diastolic, flagged):
    assert ("HIGH_DIASTOLIC" in _codes(VitalSigns(systolic=150, diastolic=diastolic))) \
        is flagged


@pytest.mark.parametrize(("rate", "flagged"), [(9, True), (10, False)])
def test_respiratory_rate_is_flagged_under_10(rate, flagged):
    assert ("LOW_RESPIRATORY_RATE" in _codes(VitalSigns(respiratory_rate=rate))) is flagged


def test_200_over_120_and_a_respiratory_rate_of_8_are_flagged_and_acknowledged():
    warnings = flags(VitalSigns(systolic=200, diastolic=120, respiratory_rate=8), None, LIMITS)
    assert [w.code for w in warnings] == ["HIGH_SYSTOLIC", "HIGH_DIASTOLIC",
                                          "LOW_RESPIRATORY_RATE"]
    assert all(w.requires_ack for w in warnings)
    assert warnings[0].message == "Systolic blood pressure 200 mmHg is at or above 180 mmHg."
    assert warnings[1].message == "Diastolic blood pressure 120 mmHg is at or above 110 mmHg."
    assert warnings[2].message == "Respiratory rate 8/min is under 10/min."


def test_the_new_thresholds_are_clinic_settings_with_the_shipped_defaults():
    from clinic_app.domain.settings import load_settings

    shipped = load_settings().vitals_flags
    assert (shipped.systolic_at_or_above, shipped.diastolic_at_or_above,
            shipped.respiratory_rate_below) == (180, 110, 10)
    looser = replace(LIMITS, systolic_at_or_above=200, respiratory_rate_below=8)
    assert _codes(VitalSigns(systolic=190, respiratory_rate=8), limits=looser) == set()


def test_a_fall_from_130_to_109_is_a_drop_of_21_and_is_flagged():
    warnings = flags(VitalSigns(systolic=109), VitalSigns(systolic=130), LIMITS)
    drop = next(w for w in warnings if w.code == "SYSTOLIC_DROP")
    assert "fell 21 mmHg" in drop.message
    assert drop.requires_ack


def test_a_fall_of_exactly_20_is_not_flagged():
    assert "SYSTOLIC_DROP" not in _codes(VitalSigns(systolic=110), VitalSigns(systolic=130))


def test_without_a_baseline_systolic_the_drop_is_not_checked():
    assert _codes(VitalSigns(systolic=100), VitalSigns(heart_rate=80)) == set()


def test_a_normal_reading_raises_no_flag():
    reading = VitalSigns(systolic=124, diastolic=78, heart_rate=72,
                         temperature_c=Decimal("36.8"), respiratory_rate=16, spo2=98)
    assert flags(reading, reading, LIMITS) == []


def test_thresholds_come_from_the_clinic_settings():
    stricter = replace(LIMITS, heart_rate_above=100)
    assert "HIGH_HEART_RATE" in _codes(VitalSigns(heart_rate=101), limits=stricter)


def test_a_flag_message_names_the_value_and_the_threshold():
    (warning,) = flags(VitalSigns(spo2=88), None, LIMITS)
    assert warning.message == "SpO2 88 % is under 92 %."


# --- parsing the nurse's text ----------------------------------------------------------------

def test_a_full_reading_is_parsed_from_text():
    reading = parse_vitals(systolic=" 118 ", diastolic="72", heart_rate="88",
                           temperature="37,4", respiratory_rate="18", spo2="97%")
    assert reading == VitalSigns(systolic=118, diastolic=72, heart_rate=88,
                                 temperature_c=Decimal("37.4"), respiratory_rate=18, spo2=97)


def test_blank_fields_are_left_out():
    assert parse_vitals(heart_rate="80", systolic="", spo2="  ") == VitalSigns(heart_rate=80)


def test_a_fahrenheit_temperature_is_converted_to_celsius():
    reading = parse_vitals(temperature="100.4", temperature_unit=TemperatureUnit.FAHRENHEIT)
    assert reading.temperature_c == Decimal("38.0")
    assert "FEVER" in _codes(reading)


def test_the_unit_may_be_given_as_a_letter():
    assert parse_vitals(temperature="98.6", temperature_unit="F").temperature_c == Decimal("37.0")


def test_an_empty_reading_is_refused():
    with pytest.raises(InvalidInput, match="at least one vital sign"):
        parse_vitals(systolic="", temperature=None)


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("systolic", "abc", "Systolic blood pressure must be a whole number in mmHg, got 'abc'"),
        ("heart_rate", "80.5", "Heart rate must be a whole number in beats/min"),
        ("spo2", "97.5", "SpO2 must be a whole number in %"),
        ("respiratory_rate", "twelve", "Respiratory rate must be a whole number"),
        ("temperature", "hot", "Temperature must be a number in degrees C, got 'hot'"),
    ],
)
def test_text_in_a_number_field_is_refused_naming_the_field(field, text, message):
    with pytest.raises(InvalidInput, match=message) as caught:
        parse_vitals(**{field: text})
    assert caught.value.field == ("temperature_c" if field == "temperature" else field)


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("systolic", "400", "Systolic blood pressure 400 mmHg is outside the possible range "
                            "40-300 mmHg"),
        ("temperature", "50", "Temperature 50 C is outside the possible range 25.0-45.0 C"),
        ("spo2", "101", "SpO2 101 % is outside the possible range 20-100 %"),
        ("heart_rate", "0", "Heart rate 0 beats/min is outside the possible range"),
        ("respiratory_rate", "120", "Respiratory rate 120 breaths/min is outside"),
        ("spo2", "-5", "SpO2 -5 % is outside the possible range"),
        ("temperature", "-1", "Temperature -1 C is outside the possible range"),
    ],
)
def test_impossible_values_are_refused_with_the_possible_range(field, text, message):
    with pytest.raises(InvalidInput, match=message):
        parse_vitals(**{field: text})


def test_an_impossible_fahrenheit_value_is_refused_in_fahrenheit():
    message = "Temperature 120 F is outside the possible range 77.0-113.0 F"
    with pytest.raises(InvalidInput, match=re.escape(message)):
        parse_vitals(temperature="120", temperature_unit="F")


@pytest.mark.parametrize(("systolic", "diastolic"), [("80", "80"), ("80", "120")])
def test_a_diastolic_not_below_the_systolic_is_refused(systolic, diastolic):
    with pytest.raises(InvalidInput, match="must be lower than systolic") as caught:
        parse_vitals(systolic=systolic, diastolic=diastolic)
    assert caught.value.field == "diastolic"


def test_an_unknown_temperature_unit_is_refused_on_its_field():
    with pytest.raises(InvalidInput, match="'K'") as refused:
        parse_vitals(temperature="310", temperature_unit="K")
    assert refused.value.field == "temperature_unit"


def test_readings_built_in_code_are_checked_too():
    with pytest.raises(InvalidInput, match="must be a whole number"):
        VitalSigns(systolic=True)
    with pytest.raises(InvalidInput, match="must be a Decimal"):
        VitalSigns(temperature_c=38.0)  # type: ignore[arg-type]


# --- properties ------------------------------------------------------------------------------

@given(st.integers(min_value=40, max_value=300))
def test_a_valid_systolic_round_trips_through_the_parser(value):
    assert parse_vitals(systolic=str(value)).systolic == value


@given(st.integers(min_value=250, max_value=450))
def test_a_valid_celsius_temperature_round_trips_through_the_parser(tenths):
    value = Decimal(tenths) / 10
    assert parse_vitals(temperature=str(value)).temperature_c == value


@given(st.integers(min_value=20, max_value=300), st.integers(min_value=50, max_value=100),
       st.integers(min_value=4, max_value=80))
def test_valid_rates_and_saturations_round_trip(rate, spo2, breaths):
    reading = parse_vitals(heart_rate=str(rate), spo2=str(spo2), respiratory_rate=str(breaths))
    assert (reading.heart_rate, reading.spo2, reading.respiratory_rate) == (rate, spo2, breaths)


def _worse_pairs(low, high, worse_when_higher):
    pairs = st.tuples(st.integers(low, high), st.integers(low, high)).map(sorted)
    return pairs.map(lambda p: tuple(p) if worse_when_higher else (p[1], p[0]))


@given(_worse_pairs(40, 300, worse_when_higher=False))
def test_a_lower_systolic_never_clears_a_low_systolic_flag(pair):
    value, worse = pair
    if "LOW_SYSTOLIC" in _codes(VitalSigns(systolic=value)):
        assert "LOW_SYSTOLIC" in _codes(VitalSigns(systolic=worse))


@given(_worse_pairs(40, 300, worse_when_higher=False), st.integers(40, 300))
def test_a_lower_systolic_never_clears_a_drop_flag(pair, baseline):
    value, worse = pair
    base = VitalSigns(systolic=baseline)
    if "SYSTOLIC_DROP" in _codes(VitalSigns(systolic=value), base):
        assert "SYSTOLIC_DROP" in _codes(VitalSigns(systolic=worse), base)


@pytest.mark.parametrize(
    ("field", "code", "low", "high", "worse_when_higher"),
    [
        ("heart_rate", "HIGH_HEART_RATE", 20, 300, True),
        ("heart_rate", "LOW_HEART_RATE", 20, 300, False),
        ("spo2", "LOW_SPO2", 50, 100, False),
        ("respiratory_rate", "HIGH_RESPIRATORY_RATE", 4, 80, True),
        ("respiratory_rate", "LOW_RESPIRATORY_RATE", 4, 80, False),
        ("systolic", "HIGH_SYSTOLIC", 40, 300, True),
    ],
)
def test_a_worse_whole_number_value_never_clears_its_flag(field, code, low, high,
                                                          worse_when_higher):
    @given(_worse_pairs(low, high, worse_when_higher))
    def check(pair):
        value, worse = pair
        if code in _codes(VitalSigns(**{field: value})):
            assert code in _codes(VitalSigns(**{field: worse}))

    check()


@given(_worse_pairs(250, 450, worse_when_higher=True))
def test_a_higher_temperature_never_clears_the_fever_flag(pair):
    value, worse = (Decimal(t) / 10 for t in pair)
    if "FEVER" in _codes(VitalSigns(temperature_c=value)):
        assert "FEVER" in _codes(VitalSigns(temperature_c=worse))


def test_a_dangerously_low_but_real_spo2_can_be_entered_and_is_flagged():
    reading = parse_vitals(spo2="45")
    assert reading.spo2 == 45
    assert "LOW_SPO2" in [w.code for w in flags(reading, None, VitalsFlags())]


@given(_worse_pairs(20, 200, worse_when_higher=True))
def test_a_higher_diastolic_never_clears_its_flag(pair):
    value, worse = pair
    if "HIGH_DIASTOLIC" in _codes(VitalSigns(systolic=300, diastolic=value)):
        assert "HIGH_DIASTOLIC" in _codes(VitalSigns(systolic=300, diastolic=worse))
