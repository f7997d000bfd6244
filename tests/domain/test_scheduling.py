"""Infusion schedules: worked dates for infliximab and anifrolumab, closed days, warnings, input."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from clinic_app.domain.errors import Contraindicated, ScheduleError
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.records import ScreeningOutcome, ScreeningResult
from clinic_app.domain.scheduling import (
    DosePhase,
    IntervalChange,
    SchedulePlan,
    check_booking,
    plan_schedule,
)
from clinic_app.domain.settings import ClosedDays

WEEKENDS_AND_HOLIDAYS = ClosedDays(
    weekdays=frozenset({5, 6}), fixed_holidays=frozenset({(1, 1), (12, 25), (12, 26)})
)
MON_JAN_5 = date(2026, 1, 5)


@pytest.fixture(scope="module")
def infliximab() -> Protocol:
    return load_protocol("infliximab")


@pytest.fixture(scope="module")
def anifrolumab() -> Protocol:
    return load_protocol("anifrolumab")


def _plan(protocol: Protocol, first: date = MON_JAN_5, **kwargs: object) -> SchedulePlan:
    kwargs.setdefault("closed", WEEKENDS_AND_HOLIDAYS)
    return plan_schedule(protocol, first, **kwargs)  # type: ignore[arg-type]


def _dues(plan: SchedulePlan) -> list[date]:
    return [d.due for d in plan.doses]


def _codes(warnings: object) -> list[str]:
    return [w.code for w in warnings]  # type: ignore[attr-defined]


def _tb(taken_on: date, outcome: ScreeningOutcome = ScreeningOutcome.NEGATIVE,
        valid_until: date | None = None) -> ScreeningResult:
    return ScreeningResult("tb", taken_on, outcome, valid_until)


def _all_infliximab_screening(taken_on: date) -> list[ScreeningResult]:
    return [ScreeningResult(kind, taken_on, ScreeningOutcome.NEGATIVE)
            for kind in ("tb", "chest_xray", "hepatitis_b")]


# --- Due dates -------------------------------------------------------------------------------

def test_infliximab_is_due_at_weeks_0_2_6_then_every_8_weeks(infliximab: Protocol) -> None:
    plan = _plan(infliximab, count=6)
    assert _dues(plan) == [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 16),
                           date(2026, 4, 13), date(2026, 6, 8), date(2026, 8, 3)]
    assert [d.number for d in plan.doses] == [1, 2, 3, 4, 5, 6]
    assert [d.phase for d in plan.doses] == [DosePhase.INDUCTION] * 3 + [DosePhase.MAINTENANCE] * 3
    assert [d.suggested for d in plan.doses] == _dues(plan)


def test_a_late_dose_2_moves_the_rest_of_the_plan(infliximab: Protocol) -> None:
    plan = _plan(infliximab, given=[date(2026, 1, 5), date(2026, 1, 23)], count=5)
    assert plan.doses[1].given == date(2026, 1, 23)
    assert plan.doses[1].suggested is None
    assert _dues(plan)[2:] == [date(2026, 2, 20), date(2026, 4, 17), date(2026, 6, 12)]


def test_booking_windows_come_from_the_protocol_and_keep_the_minimum_spacing(
    infliximab: Protocol,
) -> None:
    plan = _plan(infliximab, count=4)
    dose2, dose3, dose4 = plan.doses[1:]
    # Induction -2/+3 days, but never closer than 14 days after dose 1.
    assert (dose2.earliest, dose2.latest) == (date(2026, 1, 19), date(2026, 1, 22))
    assert (dose3.earliest, dose3.latest) == (date(2026, 2, 14), date(2026, 2, 19))
    # Maintenance +/-7 days.
    assert (dose4.earliest, dose4.latest) == (date(2026, 4, 6), date(2026, 4, 20))


def test_ankylosing_spondylitis_is_every_6_weeks_after_induction(infliximab: Protocol) -> None:
    plan = _plan(infliximab, count=6, indication="ankylosing_spondylitis")
    assert _dues(plan)[3:] == [date(2026, 3, 30), date(2026, 5, 11), date(2026, 6, 22)]


def test_an_indication_without_its_own_interval_keeps_every_8_weeks(infliximab: Protocol) -> None:
    plan = _plan(infliximab, count=5, indication="crohns")
    assert _dues(plan)[3:] == [date(2026, 4, 13), date(2026, 6, 8)]


def test_an_unknown_indication_is_refused_naming_the_known_ones(infliximab: Protocol) -> None:
    with pytest.raises(ScheduleError, match="ankylosing_spondylitis"):
        _plan(infliximab, indication="gout")


def test_anifrolumab_is_due_every_4_weeks(anifrolumab: Protocol) -> None:
    plan = _plan(anifrolumab, count=4)
    assert _dues(plan) == [date(2026, 1, 5), date(2026, 2, 2), date(2026, 3, 2), date(2026, 3, 30)]
    assert [d.phase for d in plan.doses] == [DosePhase.INDUCTION] + [DosePhase.MAINTENANCE] * 3
    assert (plan.doses[1].earliest, plan.doses[1].latest) == (date(2026, 1, 30), date(2026, 2, 5))


# --- Escalation ------------------------------------------------------------------------------

def test_escalation_to_every_4_weeks_from_dose_6(infliximab: Protocol) -> None:
    plan = _plan(infliximab, count=8, interval_override=IntervalChange(from_dose=6, weeks=4))
    assert _dues(plan)[4:] == [date(2026, 6, 8), date(2026, 7, 6), date(2026, 8, 3),
                               date(2026, 8, 31)]


def test_several_interval_changes_apply_each_from_its_dose(infliximab: Protocol) -> None:
    changes = [IntervalChange(from_dose=7, weeks=4), IntervalChange(from_dose=5, weeks=6)]
    plan = _plan(infliximab, count=8, interval_override=changes)
    assert _dues(plan)[3:] == [date(2026, 4, 13), date(2026, 5, 25), date(2026, 7, 6),
                               date(2026, 8, 3), date(2026, 8, 31)]


def test_an_interval_of_5_weeks_is_refused_listing_the_allowed_ones(infliximab: Protocol) -> None:
    with pytest.raises(ScheduleError, match="5 weeks is not allowed; allowed: 4, 6, 8 weeks"):
        _plan(infliximab, interval_override=IntervalChange(from_dose=6, weeks=5))


def test_an_interval_change_from_dose_1_is_refused() -> None:
    with pytest.raises(ScheduleError, match="dose 2 or later"):
        IntervalChange(from_dose=1, weeks=4)


def test_an_interval_change_inside_induction_is_refused(infliximab: Protocol) -> None:
    with pytest.raises(ScheduleError, match="from dose 4 on"):
        _plan(infliximab, interval_override=IntervalChange(from_dose=3, weeks=4))


def test_two_interval_changes_from_the_same_dose_are_refused(infliximab: Protocol) -> None:
    changes = [IntervalChange(6, 4), IntervalChange(6, 6)]
    with pytest.raises(ScheduleError, match="same dose"):
        _plan(infliximab, interval_override=changes)


def test_an_interval_override_must_be_an_interval_change(infliximab: Protocol) -> None:
    with pytest.raises(ScheduleError, match="IntervalChange"):
        _plan(infliximab, interval_override=[(6, 4)])  # type: ignore[list-item]


# --- Closed days -----------------------------------------------------------------------------

def test_dose_1_on_a_saturday_is_kept_and_later_saturdays_move(infliximab: Protocol) -> None:
    plan = _plan(infliximab, first=date(2026, 1, 3), count=4)
    dose1, dose2, dose3, dose4 = plan.doses
    assert dose1.suggested == date(2026, 1, 3)
    assert _codes(dose1.warnings) == ["CLOSED_DAY", "SCREENING_DUE", "SCREENING_DUE",
                                      "SCREENING_DUE"]
    # Dose 2 is due Saturday 17 Jan; Friday is inside the 14-day spacing, so Monday.
    assert (dose2.due, dose2.suggested) == (date(2026, 1, 17), date(2026, 1, 19))
    # Dose 3 is due Saturday 14 Feb: Friday is one day away, Monday two.
    assert (dose3.due, dose3.suggested) == (date(2026, 2, 14), date(2026, 2, 13))
    assert (dose4.due, dose4.suggested) == (date(2026, 4, 11), date(2026, 4, 10))


def test_a_due_date_on_a_sunday_is_suggested_on_monday(infliximab: Protocol) -> None:
    plan = _plan(infliximab, first=date(2026, 1, 4), count=4)
    assert (plan.doses[3].due, plan.doses[3].suggested) == (date(2026, 4, 12), date(2026, 4, 13))


def test_christmas_day_is_avoided(anifrolumab: Protocol) -> None:
    plan = _plan(anifrolumab, first=date(2026, 11, 27), count=2)
    assert (plan.doses[1].due, plan.doses[1].suggested) == (date(2026, 12, 25), date(2026, 12, 24))


def test_the_shipped_clinic_settings_are_used_by_default(anifrolumab: Protocol) -> None:
    plan = plan_schedule(anifrolumab, date(2026, 11, 27), count=2)
    assert plan.doses[1].suggested == date(2026, 12, 24)
    assert plan.closed.is_closed(date(2026, 12, 26))


def test_on_a_tie_the_later_day_is_suggested_so_intervals_never_shorten(
    anifrolumab: Protocol,
) -> None:
    closed = ClosedDays(weekdays=frozenset({5, 6}), closures=frozenset({date(2026, 2, 2)}))
    plan = _plan(anifrolumab, first=date(2026, 1, 4), count=2, closed=closed)
    # Due Sunday 1 Feb, Monday closed: Friday and Tuesday are both 2 days away.
    assert plan.doses[1].suggested == date(2026, 2, 3)


def test_a_window_without_an_open_day_says_so(anifrolumab: Protocol) -> None:
    closures = frozenset(date(2026, 1, 30) + timedelta(days=i) for i in range(7))
    closed = ClosedDays(weekdays=frozenset(), closures=closures)
    plan = _plan(anifrolumab, count=3, closed=closed)
    dose2 = plan.doses[1]
    assert dose2.suggested is None
    assert _codes(dose2.warnings)[0] == "NO_OPEN_DAY"
    assert plan.doses[2].due == date(2026, 3, 2)


# --- as_of, overdue and missed doses ---------------------------------------------------------

def test_a_planned_day_is_never_suggested_before_as_of(infliximab: Protocol) -> None:
    given = [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 16)]
    plan = _plan(infliximab, given=given, as_of=date(2026, 4, 15), count=5)
    dose4 = plan.doses[3]
    assert (dose4.due, dose4.suggested) == (date(2026, 4, 13), date(2026, 4, 15))
    assert not dose4.is_overdue
    assert plan.doses[4].due == date(2026, 6, 8)


def test_a_missed_anifrolumab_dose_is_replanned_as_soon_as_possible(
    anifrolumab: Protocol,
) -> None:
    plan = _plan(anifrolumab, given=[MON_JAN_5], as_of=date(2026, 2, 20), count=4)
    dose2 = plan.doses[1]
    assert dose2.is_overdue
    overdue = dose2.warnings[0]
    assert overdue.code == "OVERDUE"
    assert "2 Feb 2026" in overdue.message
    assert anifrolumab.schedule.missed_dose_text in overdue.message
    assert dose2.suggested == date(2026, 2, 20)
    assert (dose2.suggested - MON_JAN_5).days >= anifrolumab.schedule.min_spacing_days
    assert dose2.earliest <= dose2.suggested <= dose2.latest
    # The later doses chain from the day it will be given, not from 2 February.
    assert _dues(plan)[2:] == [date(2026, 3, 20), date(2026, 4, 17)]


def test_an_overdue_dose_seen_on_a_saturday_is_suggested_on_monday(
    anifrolumab: Protocol,
) -> None:
    plan = _plan(anifrolumab, given=[MON_JAN_5], as_of=date(2026, 2, 21), count=3)
    dose2 = plan.doses[1]
    assert (dose2.due, dose2.suggested) == (date(2026, 2, 21), date(2026, 2, 23))
    assert plan.doses[2].due == date(2026, 3, 23)


def test_a_missed_dose_1_is_replanned_from_as_of(anifrolumab: Protocol) -> None:
    plan = _plan(anifrolumab, as_of=date(2026, 1, 20), count=2)
    assert plan.doses[0].is_overdue
    assert plan.doses[0].suggested == date(2026, 1, 20)
    assert plan.doses[1].due == date(2026, 2, 17)


def test_the_next_dose_is_the_first_not_given(infliximab: Protocol) -> None:
    plan = _plan(infliximab, given=[MON_JAN_5], count=3)
    assert plan.next_dose is plan.doses[1]
    assert _plan(infliximab, given=[MON_JAN_5], count=1).next_dose is None


def test_a_plan_may_be_looked_at_before_the_course_starts(infliximab: Protocol) -> None:
    plan = _plan(infliximab, as_of=date(2025, 12, 20), count=2)
    assert plan.doses[0].suggested == MON_JAN_5


# --- Spacing and gaps ------------------------------------------------------------------------

def test_a_dose_given_inside_the_minimum_spacing_is_too_early(anifrolumab: Protocol) -> None:
    plan = _plan(anifrolumab, given=[MON_JAN_5, date(2026, 1, 15)], count=3)
    warning = plan.doses[1].warnings[0]
    assert warning.code == "TOO_EARLY"
    assert "10 days" in warning.message and "14 days" in warning.message


def test_infliximab_17_weeks_after_the_last_dose_needs_review(infliximab: Protocol) -> None:
    given = [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 16)]
    as_of = date(2026, 2, 16) + timedelta(weeks=17)
    plan = _plan(infliximab, given=given, as_of=as_of, count=5)
    assert _codes(plan.warnings) == ["GAP_REVIEW"]
    assert infliximab.schedule.review_gap_text in plan.warnings[0].message
    assert plan.warnings[0].requires_override
    dose4 = plan.doses[3]
    assert dose4.is_overdue and "GAP_REVIEW" in _codes(dose4.warnings)


def test_exactly_16_weeks_is_not_yet_a_review_gap(infliximab: Protocol) -> None:
    given = [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 16)]
    plan = _plan(infliximab, given=given, as_of=date(2026, 2, 16) + timedelta(weeks=16), count=5)
    assert "GAP_REVIEW" not in _codes(plan.all_warnings)


def test_a_past_17_week_gap_between_given_doses_is_flagged(infliximab: Protocol) -> None:
    given = [date(2026, 1, 5), date(2026, 1, 19), date(2026, 2, 16), date(2026, 6, 15)]
    plan = _plan(infliximab, given=given, count=5)
    warning = plan.doses[3].warnings[0]
    assert (warning.code, warning.requires_ack, warning.requires_override) == (
        "GAP_REVIEW", True, False)


def test_anifrolumab_has_no_review_gap(anifrolumab: Protocol) -> None:
    plan = _plan(anifrolumab, given=[MON_JAN_5], as_of=date(2026, 8, 3), count=3)
    assert "GAP_REVIEW" not in _codes(plan.all_warnings)


# --- Screening -------------------------------------------------------------------------------

def test_missing_screening_is_due_before_dose_1(infliximab: Protocol) -> None:
    plan = _plan(infliximab, count=3)
    due = [w for w in plan.doses[0].warnings if w.code == "SCREENING_DUE"]
    assert len(due) == 3
    assert any("TB test" in w.message for w in due)
    assert all(w.requires_override for w in due)
    assert plan.doses[1].warnings == ()


def test_screening_in_date_raises_nothing(infliximab: Protocol) -> None:
    plan = _plan(infliximab, count=6, screening=_all_infliximab_screening(date(2025, 12, 1)))
    assert plan.all_warnings == ()


def test_screening_expiring_before_a_dose_is_due_again_on_that_dose(infliximab: Protocol) -> None:
    results = _all_infliximab_screening(date(2025, 12, 1))
    results[0] = _tb(date(2025, 3, 1))  # valid 365 days: to 2026-03-01
    plan = _plan(infliximab, count=6, screening=results)
    flagged = [d.number for d in plan.doses if "SCREENING_DUE" in _codes(d.warnings)]
    assert flagged == [4]
    assert "1 Mar 2026" in plan.doses[3].warnings[0].message


def test_a_results_own_valid_until_wins_over_the_protocol_validity(infliximab: Protocol) -> None:
    results = _all_infliximab_screening(date(2025, 12, 1))
    results[0] = _tb(date(2025, 12, 1), valid_until=date(2026, 1, 31))
    plan = _plan(infliximab, count=4, screening=results)
    flagged = [d.number for d in plan.doses if "SCREENING_DUE" in _codes(d.warnings)]
    assert flagged == [3]


def test_an_indeterminate_latest_result_must_be_repeated(anifrolumab: Protocol) -> None:
    plan = _plan(anifrolumab, count=2,
                 screening=[_tb(date(2025, 12, 1), ScreeningOutcome.INDETERMINATE)])
    assert "indeterminate" in plan.doses[0].warnings[0].message


def test_a_positive_latest_result_gives_its_positive_action(infliximab: Protocol) -> None:
    results = _all_infliximab_screening(date(2025, 12, 1))
    results[0] = _tb(date(2025, 12, 1), ScreeningOutcome.POSITIVE)
    plan = _plan(infliximab, count=2, screening=results)
    assert _codes(plan.warnings) == ["SCREENING_POSITIVE"]
    assert "TB treatment first" in plan.warnings[0].message


def test_a_negative_test_after_a_positive_one_clears_it(infliximab: Protocol) -> None:
    results = [*_all_infliximab_screening(date(2025, 12, 1)),
               _tb(date(2025, 6, 1), ScreeningOutcome.POSITIVE)]
    assert _plan(infliximab, count=2, screening=results).warnings == ()


# --- Contraindications -----------------------------------------------------------------------

def test_anifrolumab_after_anaphylaxis_to_it_is_refused(anifrolumab: Protocol) -> None:
    with pytest.raises(Contraindicated, match="Previous anaphylactic reaction \\(or other life-"):
        _plan(anifrolumab, active_contraindications=["anaphylaxis_anifrolumab"])


def test_a_caution_contraindication_is_a_plan_warning(anifrolumab: Protocol) -> None:
    plan = _plan(anifrolumab, count=1, screening=[_tb(date(2025, 12, 1))],
                 active_contraindications=("other_biologic", "hypersensitivity_murine"))
    assert _codes(plan.warnings) == ["CONTRAINDICATION_CAUTION"]
    assert plan.warnings[0].requires_ack
    assert "other biologic" in plan.warnings[0].message


def test_contraindication_codes_must_be_a_list(anifrolumab: Protocol) -> None:
    with pytest.raises(ScheduleError, match="list of codes"):
        _plan(anifrolumab, active_contraindications="anaphylaxis_anifrolumab")


# --- Default length --------------------------------------------------------------------------

def test_by_default_the_plan_covers_one_year_from_dose_1(infliximab: Protocol) -> None:
    plan = _plan(infliximab)
    assert _dues(plan)[-1] == date(2026, 11, 23)
    assert len(plan.doses) == 8


def test_by_default_the_year_runs_from_as_of(anifrolumab: Protocol) -> None:
    plan = _plan(anifrolumab, given=[MON_JAN_5], as_of=date(2026, 2, 2))
    assert plan.doses[-1].due <= date(2027, 2, 2) < plan.doses[-1].due + timedelta(weeks=4)


# --- Bad input -------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"given": [date(2026, 1, 5), date(2026, 1, 5)]}, "strictly increasing"),
        ({"given": [date(2026, 1, 19), date(2026, 1, 5)]}, "dose 2 on 5 Jan 2026"),
        ({"given": [date(2026, 1, 2)]}, "before the first dose date"),
        ({"given": date(2026, 1, 5)}, "list of dates"),
        ({"given": ["2026-01-05"]}, "given date of dose 1 must be a calendar date"),
        ({"count": 0}, "at least 1"),
        ({"count": 2.5}, "whole number"),
        ({"given": [date(2026, 1, 5), date(2026, 1, 19)], "count": 1}, "already given"),
        ({"given": [date(2026, 1, 5), date(2026, 1, 19)], "as_of": date(2026, 1, 10)},
         "before the last given dose"),
        ({"as_of": datetime(2026, 1, 10, 9, 0)}, "as_of must be a calendar date"),
    ],
)
def test_bad_input_is_refused_with_a_specific_message(
    infliximab: Protocol, kwargs: dict[str, object], message: str
) -> None:
    with pytest.raises(ScheduleError, match=message):
        _plan(infliximab, **kwargs)


@pytest.mark.parametrize("first", [datetime(2026, 1, 5, 9, 0), "2026-01-05"])
def test_first_dose_must_be_a_plain_date(infliximab: Protocol, first: object) -> None:
    with pytest.raises(ScheduleError, match="first_dose must be a calendar date"):
        plan_schedule(infliximab, first)  # type: ignore[arg-type]


# --- Booking a day ---------------------------------------------------------------------------

@pytest.fixture
def course(infliximab: Protocol) -> SchedulePlan:
    return _plan(infliximab, given=[MON_JAN_5, date(2026, 1, 19)], count=5)


def test_booking_the_suggested_day_raises_nothing(course: SchedulePlan) -> None:
    assert check_booking(course, 3, date(2026, 2, 16)) == []


def test_booking_inside_the_minimum_spacing_is_too_early(course: SchedulePlan) -> None:
    warnings = check_booking(course, 3, date(2026, 1, 30))
    assert _codes(warnings) == ["TOO_EARLY", "OUTSIDE_WINDOW"]
    assert warnings[0].requires_override


def test_booking_on_a_closed_day_in_the_window(course: SchedulePlan) -> None:
    assert _codes(check_booking(course, 4, date(2026, 4, 11))) == ["CLOSED_DAY"]


def test_booking_after_the_window(course: SchedulePlan) -> None:
    assert _codes(check_booking(course, 4, date(2026, 4, 24))) == ["OUTSIDE_WINDOW"]


def test_booking_more_than_16_weeks_after_the_previous_dose(course: SchedulePlan) -> None:
    warnings = check_booking(course, 3, date(2026, 1, 19) + timedelta(weeks=17))
    assert _codes(warnings) == ["GAP_REVIEW", "OUTSIDE_WINDOW"]


def test_dose_1_can_be_booked_on_any_day_in_its_window(infliximab: Protocol) -> None:
    assert check_booking(_plan(infliximab, count=2), 1, date(2026, 1, 6)) == []


def test_a_given_dose_cannot_be_booked(course: SchedulePlan) -> None:
    with pytest.raises(ScheduleError, match="given on 19 Jan 2026"):
        check_booking(course, 2, date(2026, 1, 20))


def test_booking_a_dose_the_plan_does_not_hold_is_refused(course: SchedulePlan) -> None:
    with pytest.raises(ScheduleError, match="doses 1 to 5, not dose 9"):
        check_booking(course, 9, date(2026, 9, 1))


def test_a_booking_day_must_be_a_plain_date(course: SchedulePlan) -> None:
    with pytest.raises(ScheduleError, match="day must be a calendar date"):
        check_booking(course, 3, datetime(2026, 2, 16, 10, 0))  # type: ignore[arg-type]
