"""Dates, times and numbers as every sheet prints them."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from clinic_app.domain.errors import InvalidInput
from clinic_app.reports.formatting import (
    fmt_date,
    fmt_datetime,
    fmt_day,
    fmt_minutes,
    fmt_number,
    fmt_time,
)

WARSAW = ZoneInfo("Europe/Warsaw")


def test_utc_times_print_in_the_clinics_zone_across_daylight_saving():
    assert fmt_time(datetime(2026, 1, 12, 9, 0, tzinfo=UTC), WARSAW) == "10:00"
    assert fmt_time(datetime(2026, 7, 13, 8, 0, tzinfo=UTC), WARSAW) == "10:00"
    assert fmt_datetime(datetime(2026, 3, 1, 23, 30, tzinfo=UTC), WARSAW) == "2 Mar 2026 00:30"


def test_dates_use_month_names_so_day_and_month_cannot_be_swapped():
    assert fmt_date(date(2026, 3, 2)) == "2 Mar 2026"
    assert fmt_day(date(2026, 3, 2)) == "Mon 2 Mar 2026"


def test_a_naive_time_is_refused_rather_than_guessed():
    with pytest.raises(InvalidInput, match="time zone"):
        fmt_time(datetime(2026, 3, 2, 10, 0), WARSAW)


def test_numbers_print_without_exponent_or_needless_zeros():
    assert fmt_number(Decimal("72.40"), "kg") == "72.4 kg"
    assert fmt_number(Decimal("2.5E+2")) == "250"
    assert fmt_number(None) == ""


def test_durations_show_hours_from_one_hour_on():
    assert fmt_minutes(45) == "45 min"
    assert fmt_minutes(120) == "120 min (2 h)"
    assert fmt_minutes(137) == "137 min (2 h 17 min)"
