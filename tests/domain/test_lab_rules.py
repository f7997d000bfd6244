"""Tocilizumab's lab rules as data (issue 13): the baseline bands before the first dose, the
label's table at later doses (band edges exactly as the label words them), the monitoring
intervals, and the typed result's checks."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.errors import InvalidInput, ProtocolError
from clinic_app.domain.lab_rules import (
    LabAction,
    LabAssessment,
    action_text,
    add_months,
    assess_labs,
)
from clinic_app.domain.labs import LabValue, lab_value, latest_values
from clinic_app.domain.protocols import load_protocol, parse_protocol
from clinic_app.resource_files import resource_path

TODAY = date(2026, 12, 5)
RULES = load_protocol("tocilizumab").lab_rules
assert RULES is not None


def _normal(**changes: LabValue) -> dict[str, LabValue]:
    values = {
        "anc": LabValue("anc", Decimal("4.0"), "x10^9/L", TODAY),
        "platelets": LabValue("platelets", Decimal(250), "x10^9/L", TODAY),
        "alt": LabValue("alt", Decimal(30), "U/L", TODAY, Decimal(0), Decimal(40)),
        "ast": LabValue("ast", Decimal(25), "U/L", TODAY, Decimal(0), Decimal(40)),
    }
    values.update(changes)
    return values


def _assess(
    values: dict[str, LabValue],
    *,
    first_dose: bool = False,
    course_start: date | None = None,
    today: date = TODAY,
) -> LabAction:
    return _assessment(values, first_dose=first_dose, course_start=course_start, today=today).action


def _assessment(
    values: dict[str, LabValue],
    *,
    first_dose: bool = False,
    course_start: date | None = None,
    today: date = TODAY,
) -> LabAssessment:
    assert RULES is not None
    latest = latest_values(values.values(), today)
    return assess_labs(
        RULES,
        latest,
        today=today,
        first_dose=first_dose,
        course_start=course_start or today - timedelta(days=365),
    )


def _alt(value: str) -> LabValue:
    return LabValue("alt", Decimal(value), "U/L", TODAY, Decimal(0), Decimal(40))


def _anc(per_mm3: int) -> LabValue:
    return LabValue("anc", Decimal(per_mm3), "/mm3", TODAY)


def _platelets(per_mm3: int) -> LabValue:
    return LabValue("platelets", Decimal(per_mm3), "/mm3", TODAY)


def test_normal_results_continue_with_no_flag() -> None:
    result = _assessment(_normal())
    assert result.action is LabAction.CONTINUE
    assert result.reasons == () and result.flags == ()


@pytest.mark.parametrize(("alt", "action"), [
    ("40", LabAction.CONTINUE),   # exactly the ULN: not above 1 x ULN
    ("40.4", LabAction.REDUCE),   # just above 1 x ULN
    ("120", LabAction.REDUCE),    # 3 x ULN: "above 1 to 3" includes 3
    ("120.4", LabAction.HOLD),    # just above 3 x ULN
    ("200", LabAction.HOLD),      # 5 x ULN
    ("200.4", LabAction.STOP),    # above 5 x ULN
])  # fmt: skip
def test_alt_bands_at_their_edges(alt: str, action: LabAction) -> None:
    assert _assess(_normal(alt=_alt(alt))) is action


@pytest.mark.parametrize(("anc", "action"), [
    (1001, LabAction.CONTINUE), (1000, LabAction.HOLD), (500, LabAction.HOLD),
    (499, LabAction.STOP),
])  # fmt: skip
def test_neutrophil_bands_at_their_edges(anc: int, action: LabAction) -> None:
    assert _assess(_normal(anc=_anc(anc))) is action


@pytest.mark.parametrize(("platelets", "action"), [
    (100001, LabAction.CONTINUE), (100000, LabAction.HOLD), (50000, LabAction.HOLD),
    (49999, LabAction.STOP),
])  # fmt: skip
def test_platelet_bands_at_their_edges(platelets: int, action: LabAction) -> None:
    assert _assess(_normal(platelets=_platelets(platelets))) is action


def test_counts_in_x10_9_per_litre_read_as_thousands_per_mm3() -> None:
    low = LabValue("anc", Decimal("0.8"), "x10^9/L", TODAY)
    result = _assessment(_normal(anc=low))
    assert result.action is LabAction.HOLD
    assert result.reasons[0].startswith("Neutrophils (ANC) 0.8 x10^9/L = 800/mm3")


def test_the_most_severe_action_wins_and_every_reason_is_listed() -> None:
    result = _assessment(_normal(alt=_alt("100"), platelets=_platelets(40000)))
    assert result.action is LabAction.STOP
    assert len(result.reasons) == 2
    assert "2.5 x ULN" in result.reasons[0] and "reduce to 4 mg/kg" in result.reasons[0]
    assert result.needs_decision


@pytest.mark.parametrize(("values", "action"), [
    ({"anc": _anc(1999)}, LabAction.HOLD), ({"anc": _anc(2000)}, LabAction.CONTINUE),
    ({"platelets": _platelets(99999)}, LabAction.HOLD),
    ({"platelets": _platelets(100000)}, LabAction.CONTINUE),
    ({"alt": _alt("60")}, LabAction.CONTINUE), ({"alt": _alt("60.4")}, LabAction.HOLD),
])  # fmt: skip
def test_the_baseline_bands_apply_before_the_first_dose(
    values: dict[str, LabValue], action: LabAction
) -> None:
    assert _assess(_normal(**values), first_dose=True) is action


def test_a_count_allowed_later_may_refuse_the_first_dose() -> None:
    assert _assess(_normal(anc=_anc(1500))) is LabAction.CONTINUE
    assert _assess(_normal(anc=_anc(1500)), first_dose=True) is LabAction.HOLD


def test_missing_results_and_a_missing_uln_are_flagged_not_guessed() -> None:
    values = _normal(alt=LabValue("alt", Decimal(300), "U/L", TODAY))
    del values["platelets"]
    result = _assessment(values)
    assert result.action is LabAction.CONTINUE
    assert any("No Platelets result on file" in f for f in result.flags)
    assert any("ALT has no upper limit of normal" in f for f in result.flags)


def test_a_result_older_than_three_months_is_flagged_in_maintenance() -> None:
    old = LabValue("anc", Decimal(4), "x10^9/L", add_months(TODAY, -3))
    assert _assessment(_normal(anc=old)).flags == ()
    older = LabValue("anc", Decimal(4), "x10^9/L", add_months(TODAY, -3) - timedelta(days=1))
    (flag,) = _assessment(_normal(anc=older)).flags
    assert flag.startswith("Neutrophils (ANC) is 92 days old: older than 3 months")


def test_alt_older_than_eight_weeks_is_flagged_in_the_first_six_months() -> None:
    start = TODAY - timedelta(weeks=10)
    alt = LabValue(
        "alt", Decimal(30), "U/L", TODAY - timedelta(weeks=8, days=1), Decimal(0), Decimal(40)
    )
    anc = LabValue("anc", Decimal(4), "x10^9/L", TODAY - timedelta(weeks=5))
    plt = LabValue("platelets", Decimal(250), "x10^9/L", TODAY - timedelta(weeks=5))
    flags = _assessment(_normal(alt=alt, anc=anc, platelets=plt), course_start=start).flags
    assert len(flags) == 1 and "ALT is 57 days old: older than 8 weeks" in flags[0]


def test_no_count_since_starting_is_flagged_after_eight_weeks() -> None:
    start = TODAY - timedelta(weeks=9)
    before = LabValue("anc", Decimal(4), "x10^9/L", start - timedelta(days=3))
    flags = _assessment(_normal(anc=before), course_start=start).flags
    assert flags == (
        "No Neutrophils (ANC) since the course started: due within 8 weeks of "
        "starting (label: 4 to 8 weeks after starting, then every 3 months).",
    )


def test_the_latest_result_of_each_test_is_read_with_its_age() -> None:
    earlier = LabValue("alt", Decimal(90), "U/L", TODAY - timedelta(days=20))
    later = LabValue("alt", Decimal(30), "U/L", TODAY - timedelta(days=6))
    future = LabValue("alt", Decimal(500), "U/L", TODAY + timedelta(days=1))
    latest = latest_values([later, earlier, future], TODAY)
    assert latest["alt"].value is later and latest["alt"].age_days == 6


def test_action_words() -> None:
    assert RULES is not None
    assert action_text(LabAction.REDUCE, RULES) == "Reduce to 4 mg/kg"


def test_only_tocilizumab_carries_lab_rules() -> None:
    assert load_protocol("infliximab").lab_rules is None


def test_a_band_without_bounds_is_refused_naming_the_field() -> None:
    text = resource_path("protocols", "tocilizumab.toml").read_text(encoding="utf-8")
    broken = text.replace("below = 500\n", "", 1)
    with pytest.raises(ProtocolError, match=r"lab_rules\.during"):
        parse_protocol(broken, "tocilizumab.toml")


@pytest.mark.parametrize(("changes", "field"), [
    ({"test": "ldh"}, "test"), ({"unit": "g/L"}, "unit"), ({"value": "abc"}, "value"),
    ({"value": "-1"}, "value"), ({"value": "0.0005"}, "value"),
    ({"ref_low": "50", "ref_high": "40"}, "ref_high"),
])  # fmt: skip
def test_a_typed_result_is_checked_field_by_field(changes: dict[str, str], field: str) -> None:
    typed = {"test": "alt", "value": "30", "unit": "U/L", "ref_low": "", "ref_high": "40"}
    typed.update(changes)
    with pytest.raises(InvalidInput) as refused:
        lab_value(taken_on=TODAY, **typed)
    assert refused.value.field == field


@given(st.integers(min_value=0, max_value=400_000), st.integers(min_value=0, max_value=20_000))
def test_count_bands_never_overlap_nor_leave_a_gap(platelets: int, anc: int) -> None:
    """Every count falls in exactly one band of the table (or none: continue), and a lower
    count never proposes a milder action."""
    assert RULES is not None
    for test, value in (("platelets", platelets), ("anc", anc)):
        hits = [b for b in RULES.during if test in b.tests and b.contains(Decimal(value))]
        assert len(hits) <= 1
        here = _assess(_normal(**{test: LabValue(test, Decimal(value), "/mm3", TODAY)}))
        lower = _assess(
            _normal(**{test: LabValue(test, Decimal(max(value - 1, 0)), "/mm3", TODAY)})
        )
        assert lower.severity >= here.severity


@given(st.decimals(min_value=0, max_value=1000, places=1))
def test_a_higher_alt_never_proposes_a_milder_action(alt: Decimal) -> None:
    here = _assess(_normal(alt=_alt(str(alt))))
    higher = _assess(_normal(alt=_alt(str(alt + Decimal("0.1")))))
    assert higher.severity >= here.severity


@given(
    st.dates(min_value=date(2000, 1, 1), max_value=date(2090, 1, 1)),
    st.integers(min_value=0, max_value=36),
)
def test_adding_months_keeps_the_day_or_the_months_last(day: date, months: int) -> None:
    later = add_months(day, months)
    assert (later.year * 12 + later.month) - (day.year * 12 + day.month) == months
    assert later.day == day.day or (later.day < day.day and (later + timedelta(days=1)).day == 1)
