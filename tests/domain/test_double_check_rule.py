"""The independent double check (issue 13): the clinic's mode per protocol, the plan's
fingerprint, and what counts as signed."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.dosing import calculate_dose
from clinic_app.domain.double_check import (
    BAG,
    DOSE_PLAN,
    DoubleCheckMode,
    Signature,
    check_states,
    double_check_settings,
    plan_fingerprint,
    start_refusal,
)
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.settings import load_settings

AT = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def _plan(weight: str = "72.5", mg_per_kg: int = 5) -> DosePlan:
    return calculate_dose(load_protocol("infliximab"), weight, mg_per_kg=mg_per_kg)


def test_the_shipped_default_is_optional_for_every_protocol_and_says_it_is_uncertain() -> None:
    settings = load_settings().double_check
    assert settings.mode_for("infliximab") is DoubleCheckMode.OPTIONAL
    assert settings.mode_for("tocilizumab") is DoubleCheckMode.OPTIONAL
    assert "uncertain" in settings.source


def test_a_protocol_may_differ_from_the_default() -> None:
    settings = double_check_settings({"default": "off", "protocols": {"infliximab": "required"}})
    assert settings.mode_for("infliximab") is DoubleCheckMode.REQUIRED
    assert settings.mode_for("vedolizumab") is DoubleCheckMode.OFF


@pytest.mark.parametrize(
    "values", [{"default": "sometimes"}, {"protocols": {"x": "yes"}}, {"mode": "required"}]
)
def test_an_unknown_mode_or_key_is_refused_naming_the_setting(values: dict[str, object]) -> None:
    with pytest.raises(ValueError, match="double_check"):
        double_check_settings(values)


def test_the_fingerprint_is_the_same_for_the_same_plan_and_ignores_trailing_zeros() -> None:
    assert plan_fingerprint(_plan("72.5")) == plan_fingerprint(_plan("72.50"))


def test_the_fingerprint_changes_with_the_weight_or_the_dose() -> None:
    first = plan_fingerprint(_plan("72.5"))
    assert plan_fingerprint(_plan("80")) != first
    assert plan_fingerprint(_plan("72.5", mg_per_kg=10)) != first
    changed_rate = replace(_plan("72.5"), rate_ml_per_h=Decimal("999"))
    assert plan_fingerprint(changed_rate) != first


def test_a_signature_counts_only_for_the_plan_it_saw() -> None:
    plan, other = plan_fingerprint(_plan("72.5")), plan_fingerprint(_plan("80"))
    signed = [Signature(DOSE_PLAN, "Beat Meier", AT, other)]
    dose, bag = check_states(signed, plan)
    assert not dose.signed and dose.stale
    assert dose.text == "dose plan: plan changed since Beat Meier checked it; check again"
    assert not bag.signed and not bag.stale and bag.text == "bag: not done"
    later = [*signed, Signature(DOSE_PLAN, "Cara Lutz", AT + timedelta(minutes=5), plan)]
    dose, _ = check_states(later, plan)
    assert dose.signed and dose.by == "Cara Lutz" and dose.text == "dose plan: checked by Cara Lutz"


def test_the_start_is_refused_only_when_required_and_not_all_signed() -> None:
    plan = plan_fingerprint(_plan())
    only_dose = check_states([Signature(DOSE_PLAN, "Beat Meier", AT, plan)], plan)
    refusal = start_refusal(DoubleCheckMode.REQUIRED, only_dose)
    assert refusal is not None and "bag: not done" in refusal and "dose plan" not in refusal
    assert start_refusal(DoubleCheckMode.OPTIONAL, only_dose) is None
    assert start_refusal(DoubleCheckMode.OFF, only_dose) is None
    both = check_states([Signature(DOSE_PLAN, "B", AT, plan), Signature(BAG, "B", AT, plan)], plan)
    assert start_refusal(DoubleCheckMode.REQUIRED, both) is None
