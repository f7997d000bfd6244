"""The age on the dose day, and the under-18 caution derived from the date of birth."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_age import AGE_UNDER_18, age_contraindications, age_on
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.schedule_checks import contraindication_warnings


def test_the_day_before_the_18th_birthday_is_under_18_and_the_birthday_is_not():
    born = date(2008, 6, 15)
    assert age_on(born, date(2026, 6, 14)) == 17
    assert age_contraindications(born, date(2026, 6, 14)) == (AGE_UNDER_18,)
    assert age_on(born, date(2026, 6, 15)) == 18
    assert age_contraindications(born, date(2026, 6, 15)) == ()


def test_a_29_february_birthday_is_reached_on_1_march_in_a_common_year():
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


def test_a_day_before_the_birth_is_refused():
    with pytest.raises(InvalidInput, match="before the date of birth"):
        age_on(date(2000, 1, 2), date(2000, 1, 1))


def test_the_derived_code_gives_infliximabs_under_18_caution():
    codes = age_contraindications(date(2012, 1, 1), date(2026, 3, 2))
    warnings = contraindication_warnings(load_protocol("infliximab"), codes)
    assert [w.code for w in warnings] == ["CONTRAINDICATION_CAUTION"]
    assert "Age under 18" in warnings[0].message


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)),
       st.integers(min_value=0, max_value=40_000))
def test_the_age_never_decreases_and_counts_whole_years(born, days):
    day = born + timedelta(days=days)
    age = age_on(born, day)
    assert days // 366 <= age <= days // 365
    assert age_on(born, day + timedelta(days=1)) in (age, age + 1)


def test_only_the_drugs_that_list_the_caution_warn_under_18():
    codes = age_contraindications(date(2014, 5, 1), date(2026, 3, 2))
    anifrolumab = contraindication_warnings(load_protocol("anifrolumab"), codes)
    assert [w.code for w in anifrolumab] == ["CONTRAINDICATION_CAUTION"]
    assert "safety not established" in anifrolumab[0].message
    for drug in ("tocilizumab", "vedolizumab"):  # pJIA is a paediatric use of tocilizumab
        assert contraindication_warnings(load_protocol(drug), codes) == ()


def test_a_course_planned_for_a_child_carries_the_caution_on_the_plan():
    from clinic_app.domain.scheduling import plan_schedule

    codes = age_contraindications(date(2014, 5, 1), date(2026, 3, 2))
    plan = plan_schedule(load_protocol("infliximab"), date(2026, 3, 2), count=3,
                         as_of=date(2026, 3, 2), active_contraindications=codes)
    assert [w.code for w in plan.warnings] == ["CONTRAINDICATION_CAUTION"]
    assert "Age under 18" in plan.warnings[0].message
