"""Dates and times typed by a nurse: a day outside the clinic's calendar (1900-2199) is refused on
its field instead of overflowing (issue 11, item 8: "0001-01-01 00:00" raised OverflowError,
a course from 9999-12-31 ValueError)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from clinic_testing import T0, WARSAW

from clinic_app.domain.errors import InvalidInput
from clinic_app.services.typed_input import (
    FIRST_YEAR,
    LAST_YEAR,
    parse_day,
    parse_moment,
)


@pytest.mark.parametrize("typed", ["0001-01-01 00:00", "01.01.0001 00:00", "9999-12-31 23:59",
                                   "1899-12-31 12:00", datetime(1, 1, 1),
                                   datetime(9999, 12, 31, 23, 59, tzinfo=UTC)])
def test_a_moment_outside_the_calendar_is_refused_on_its_field(typed: str | datetime) -> None:
    with pytest.raises(InvalidInput, match=f"years {FIRST_YEAR} to {LAST_YEAR}") as refused:
        parse_moment(typed, now=T0, tz=WARSAW, field="at", label="The time")
    assert refused.value.field == "at"


@pytest.mark.parametrize("typed", ["9999-12-31", "31.12.9999", "31 Dec 9999", "0001-01-01",
                                   date(2200, 1, 1)])
def test_a_day_outside_the_calendar_is_refused_on_its_field(typed: str | date) -> None:
    with pytest.raises(InvalidInput, match="check the year") as refused:
        parse_day(typed, field="first_dose", label="First dose")
    assert refused.value.field == "first_dose"


def test_the_first_and_last_days_of_the_calendar_are_taken() -> None:
    assert parse_day(f"{FIRST_YEAR}-01-01", field="day", label="Day") == date(FIRST_YEAR, 1, 1)
    assert parse_day(f"31.12.{LAST_YEAR}", field="day", label="Day") == date(LAST_YEAR, 12, 31)
    assert parse_moment(f"{LAST_YEAR}-12-31 23:59", now=T0, tz=WARSAW, field="at",
                        label="The time") == datetime(LAST_YEAR, 12, 31, 22, 59, tzinfo=UTC)


@pytest.mark.parametrize("typed", ["5 Jan 2026 09:30", "5 jan 2026 9:30", "2026-01-05 09:30",
                                   "2026-01-05T09:30", "05.01.2026 09:30", "5 OCT 2026 09:30"])
def test_a_moment_is_read_with_the_day_in_the_clinics_format_or_iso(typed: str) -> None:
    moment = parse_moment(typed, now=T0, tz=WARSAW, field="at", label="The time")
    assert moment.astimezone(WARSAW).replace(tzinfo=None).time().isoformat() == "09:30:00"
    assert moment.astimezone(WARSAW).day == 5


@pytest.mark.parametrize(("typed", "says"), [
    ("05/01/2026 09:30", "easily swapped"), ("31 Feb 2026 09:30", "not a real calendar date"),
    ("5 Jan 2026", r"type the day as 5 Jan 2026, 2026-01-05 or 05\.01\.2026, then the time"),
])
def test_a_moment_with_a_refused_day_says_which_forms_are_read(typed: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as refused:
        parse_moment(typed, now=T0, tz=WARSAW, field="at", label="The time")
    assert refused.value.field == "at"
