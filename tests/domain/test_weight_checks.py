"""The dosing weight (issue 10): a change since the weight the plan was made from, not only since
the last weight, and a weight too old to dose from."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.domain.dosing import calculate_dose
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.protocols import load_protocol, parse_protocol
from clinic_app.domain.settings import ClinicSettings, DosingSettings, load_settings
from clinic_app.domain.weight_checks import ReferenceWeight, WeightAge
from clinic_app.resource_files import resource_path

D = Decimal
PLAN_70 = ReferenceWeight(D(70), "dose 1 on 2026-01-05")


@pytest.fixture(scope="module")
def infliximab() -> Protocol:
    return load_protocol("infliximab")


def test_a_gradual_drift_is_flagged_against_the_plans_weight(infliximab: Protocol) -> None:
    # 70 -> 76 -> 82 -> 88 kg: never more than 10 % from one visit to the next (76 -> 82 is
    # 7.9 %, 82 -> 88 is 7.3 %), but 88 kg is 25.7 % more than the plan's 70 kg.
    codes = []
    for previous, today in ((70, 76), (76, 82), (82, 88)):
        plan = calculate_dose(infliximab, today, mg_per_kg=5, previous_weight_kg=previous,
                              plan_weight=PLAN_70)
        codes.append(plan.warning_codes)
    assert codes[0] == ()  # 76 kg is 8.6 % more than 70 kg
    assert "WEIGHT_CHANGE" not in codes[1] + codes[2]
    assert codes[1] == ("PLAN_WEIGHT_CHANGE",) and codes[2] == ("PLAN_WEIGHT_CHANGE",)
    warning = calculate_dose(infliximab, 88, mg_per_kg=5, previous_weight_kg=82,
                             plan_weight=PLAN_70).warnings[0]
    assert warning.requires_ack and not warning.requires_override
    assert "from 70 kg to 88 kg (+25.7 %)" in warning.message
    assert "dose 1 on 2026-01-05" in warning.message and "prescriber" in warning.message


def test_a_loss_is_flagged_like_a_gain(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 62, mg_per_kg=5, previous_weight_kg=65,
                          plan_weight=PLAN_70)
    assert plan.warning_codes == ("PLAN_WEIGHT_CHANGE",)  # -11.4 % from 70 kg


def test_when_the_plans_weight_is_the_last_weight_one_warning_says_it(
        infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 80, mg_per_kg=5, previous_weight_kg=70,
                          plan_weight=PLAN_70)
    assert plan.warning_codes == ("WEIGHT_CHANGE",)


def test_both_changes_are_shown_when_both_references_are_crossed(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 95, mg_per_kg=5, previous_weight_kg=84,
                          plan_weight=PLAN_70)
    assert plan.warning_codes == ("WEIGHT_CHANGE", "PLAN_WEIGHT_CHANGE")


def test_the_plan_threshold_is_the_clinic_setting(infliximab: Protocol) -> None:
    five = ClinicSettings(dosing=DosingSettings(weight_change_warn_percent=D(5)))
    plan = calculate_dose(infliximab, 74, mg_per_kg=5, plan_weight=PLAN_70, settings=five)
    assert plan.warning_codes == ("PLAN_WEIGHT_CHANGE",)  # 5.7 % > 5 %
    assert calculate_dose(infliximab, 74, mg_per_kg=5, plan_weight=PLAN_70).warnings == ()


def test_a_weight_older_than_30_days_asks_for_a_re_weigh(infliximab: Protocol) -> None:
    old = WeightAge(measured_on=date(2026, 1, 30), dose_day=date(2026, 3, 2))
    plan = calculate_dose(infliximab, 70, mg_per_kg=5, weight_age=old)
    (warning,) = plan.warnings
    assert warning.code == "WEIGHT_OUT_OF_DATE" and warning.requires_ack
    assert "30 Jan 2026, 31 days before the dose (more than 30 days)" in warning.message
    assert "re-weigh" in warning.message


def test_a_weight_30_days_old_is_still_in_date(infliximab: Protocol) -> None:
    age = WeightAge(measured_on=date(2026, 1, 31), dose_day=date(2026, 3, 2))
    assert calculate_dose(infliximab, 70, mg_per_kg=5, weight_age=age).warnings == ()


def test_the_age_limit_is_a_clinic_setting_and_the_shipped_default_is_30_days(
        infliximab: Protocol) -> None:
    assert load_settings().dosing.max_weight_age_days == 30
    week = ClinicSettings(dosing=DosingSettings(max_weight_age_days=7))
    age = WeightAge(measured_on=date(2026, 2, 22), dose_day=date(2026, 3, 2))
    plan = calculate_dose(infliximab, 70, mg_per_kg=5, weight_age=age, settings=week)
    assert plan.warning_codes == ("WEIGHT_OUT_OF_DATE",)


def test_a_protocol_may_set_a_shorter_age_limit_and_the_shorter_one_applies() -> None:
    text = resource_path("protocols", "infliximab.toml").read_text(encoding="utf-8")
    text = text.replace('mode = "mg_per_kg"\n', 'mode = "mg_per_kg"\nmax_weight_age_days = 14\n', 1)
    protocol = parse_protocol(text, "infliximab.toml")
    assert protocol.dosing.max_weight_age_days == 14
    age = WeightAge(measured_on=date(2026, 2, 15), dose_day=date(2026, 3, 2))  # 15 days
    assert calculate_dose(protocol, 70, mg_per_kg=5, weight_age=age).warning_codes == (
        "WEIGHT_OUT_OF_DATE",)
    long = ClinicSettings(dosing=DosingSettings(max_weight_age_days=60))
    assert calculate_dose(protocol, 70, mg_per_kg=5, weight_age=age,
                          settings=long).warning_codes == ("WEIGHT_OUT_OF_DATE",)
    tighter = ClinicSettings(dosing=DosingSettings(max_weight_age_days=10))
    old = WeightAge(measured_on=date(2026, 2, 19), dose_day=date(2026, 3, 2))  # 11 days
    assert calculate_dose(protocol, 70, mg_per_kg=5, weight_age=old,
                          settings=tighter).warning_codes == ("WEIGHT_OUT_OF_DATE",)


kg = st.decimals(min_value=D(20), max_value=D(200), places=1)


@settings(max_examples=300, deadline=None)
@given(today=kg, previous=kg, planned=kg)
def test_a_weight_more_than_10_percent_from_the_plans_weight_is_always_acknowledged(
        today: Decimal, previous: Decimal, planned: Decimal) -> None:
    plan = calculate_dose(load_protocol("infliximab"), today, mg_per_kg=5,
                          previous_weight_kg=previous,
                          plan_weight=ReferenceWeight(planned, "dose 1"))
    drifted = abs(today - planned) * 100 > 10 * planned
    changed = abs(today - previous) * 100 > 10 * previous
    assert ("PLAN_WEIGHT_CHANGE" in plan.warning_codes) == (drifted and planned != previous)
    assert ("WEIGHT_CHANGE" in plan.warning_codes) == changed
    if drifted:
        assert plan.needs_ack
