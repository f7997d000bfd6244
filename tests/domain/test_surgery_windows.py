"""Doses inside a planned surgery's window or a live vaccine's window
(:mod:`clinic_app.domain.surgery_windows`): the edges, the words, and the protocol data."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.errors import ProtocolError
from clinic_app.domain.protocols import load_protocol, parse_protocol
from clinic_app.domain.surgery_windows import (
    LiveVaccineFact,
    LiveVaccineRules,
    PlannedSurgeryFact,
    SurgeryRules,
    SurgeryWindow,
    add_months,
    doses_in_windows,
    live_vaccine_reasons,
    surgery_blocked_days,
    surgery_reasons,
)
from clinic_app.resource_files import resource_path

RULES = SurgeryRules(
    windows=(SurgeryWindow("clean", 1, 4, "s"), SurgeryWindow("septic", 2, 4, "s")), source="s"
)
VACCINES = LiveVaccineRules(weeks_before_dose=4, weeks_after_dose=12, source="s")
HIP = PlannedSurgeryFact(date(2027, 3, 15), "hip replacement", "septic")


def test_infliximab_carries_the_seeds_surgery_windows_with_their_source() -> None:
    rules = load_protocol("infliximab").surgery
    assert rules is not None
    assert (rules.window("clean").months_before, rules.window("clean").weeks_after) == (1, 4)
    assert (rules.window("septic").months_before, rules.window("septic").weeks_after) == (2, 4)
    assert "Seed 000" in rules.window("septic").source
    assert "no source" in rules.window("clean").source


@pytest.mark.parametrize("drug", ["infliximab", "tocilizumab", "vedolizumab", "anifrolumab"])
def test_every_protocol_has_a_live_vaccine_window_marked_as_a_clinic_setting(drug: str) -> None:
    rules = load_protocol(drug).live_vaccines
    assert rules is not None
    assert "no source" in rules.source and "clinic setting" in rules.source


def test_a_surgery_table_missing_a_kind_is_refused_naming_the_field() -> None:
    text = resource_path("protocols", "infliximab.toml").read_text(encoding="utf-8")
    broken = text.replace('kind = "clean"', 'kind = "septic"')
    with pytest.raises(ProtocolError, match=r"surgery\.windows"):
        parse_protocol(broken, "infliximab.toml")


def test_the_septic_window_runs_from_two_months_before_to_four_weeks_after() -> None:
    first, last = surgery_blocked_days(RULES.window("septic"), HIP.day)
    assert first == date(2027, 1, 16)
    assert last == date(2027, 4, 11)


def test_a_dose_inside_the_window_is_explained_in_words() -> None:
    (reason,) = surgery_reasons(RULES, [HIP], date(2027, 2, 20), drug="Infliximab")
    assert "hip replacement" in reason and "septic or high infection risk" in reason
    assert "the last Infliximab infusion at least 2 months before it (on or before" in reason
    assert "Infliximab resumed 4 weeks after it (from" in reason


def test_a_dose_exactly_two_months_before_or_four_weeks_after_is_outside() -> None:
    assert surgery_reasons(RULES, [HIP], date(2027, 1, 15), drug="Infliximab") == ()
    assert surgery_reasons(RULES, [HIP], date(2027, 4, 12), drug="Infliximab") == ()


def test_an_unknown_kind_gets_the_widest_window() -> None:
    assert RULES.window("other").kind == "septic"


def test_add_months_clamps_to_the_end_of_a_shorter_month() -> None:
    assert add_months(date(2027, 3, 31), -1) == date(2027, 2, 28)
    assert add_months(date(2027, 1, 31), 13) == date(2028, 2, 29)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1))


@given(surgery=days, kind=st.sampled_from(["clean", "septic"]), offset=st.integers(-100, 100))
def test_a_dose_warns_exactly_inside_the_window(surgery: date, kind: str, offset: int) -> None:
    window = RULES.window(kind)
    first, last = surgery_blocked_days(window, surgery)
    fact = PlannedSurgeryFact(surgery, "operation", kind)
    day = surgery + timedelta(days=offset)
    warned = bool(surgery_reasons(RULES, [fact], day, drug="Infliximab"))
    assert warned == (first <= day <= last)
    # the last day allowed is the surgery day moved back the window's months (at a month's end
    # the earlier day: the safe side), so it is at least that many months before:
    assert first - timedelta(days=1) == add_months(surgery, -window.months_before)
    assert add_months(first - timedelta(days=1), window.months_before) <= surgery
    assert not surgery_reasons(RULES, [fact], first - timedelta(days=1), drug="Infliximab")
    assert surgery_reasons(RULES, [fact], first, drug="Infliximab")
    assert surgery_reasons(RULES, [fact], last, drug="Infliximab")
    assert not surgery_reasons(RULES, [fact], last + timedelta(days=1), drug="Infliximab")


@given(vaccine_day=days, offset=st.integers(-200, 200), given_=st.booleans())
def test_a_live_vaccine_warns_exactly_inside_its_window(
    vaccine_day: date, offset: int, given_: bool
) -> None:
    fact = LiveVaccineFact("MMR", vaccine_day, given_)
    dose = vaccine_day + timedelta(days=offset)
    warned = bool(live_vaccine_reasons(VACCINES, [fact], dose))
    assert warned == (-7 * 12 < offset < 7 * 4)


def test_a_live_vaccine_before_and_after_a_dose_is_explained_in_words() -> None:
    given_ = LiveVaccineFact("yellow fever", date(2027, 3, 1), True)
    due = LiveVaccineFact("varicella", date(2027, 4, 1), False)
    before, after = live_vaccine_reasons(VACCINES, [due, given_], date(2027, 3, 11))
    assert before.startswith("Live vaccine yellow fever given on")
    assert "10 days before this dose" in before and "at least 4 weeks before a dose" in before
    assert after.startswith("Live vaccine varicella due on")
    assert "21 days after this dose" in after and "at least 12 weeks after a dose" in after


def test_doses_in_windows_lists_only_the_doses_that_warn() -> None:
    doses = [(5, date(2027, 1, 1)), (6, date(2027, 2, 26)), (7, date(2027, 4, 23))]
    found = doses_in_windows(
        doses, drug="Infliximab", surgery=RULES, surgeries=[HIP],
        live_vaccines=VACCINES, vaccines=[LiveVaccineFact("BCG", date(2027, 6, 1), False)],
    )  # fmt: skip
    assert [(w.dose_number, len(w.reasons)) for w in found] == [(6, 1), (7, 1)]
    assert "BCG" in found[1].reasons[0]


def test_a_protocol_without_rules_warns_about_nothing() -> None:
    assert doses_in_windows([(1, HIP.day)], drug="X", surgery=None, surgeries=[HIP],
                            live_vaccines=None, vaccines=[]) == ()  # fmt: skip
