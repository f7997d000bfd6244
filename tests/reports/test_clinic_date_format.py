"""One date format for the clinic, a setting (issue 12, the developers' list): the domain
formatter, the setting, and a sheet that follows it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from test_schedule_handout_sheet import flat, handout

from clinic_app.domain import dates
from clinic_app.domain.dates import DateFormat, format_date, short_date_text, use_date_format
from clinic_app.domain.settings import load_settings

DAY = date(2026, 12, 5)


@pytest.fixture
def date_format() -> Iterator[None]:
    """Put the clinic's date format back after the test."""
    before = dates.date_format_in_use()
    yield
    use_date_format(before)


@pytest.mark.parametrize(
    ("style", "shown"),
    [
        (DateFormat.DAY_MONTH_YEAR, "5 Dec 2026"),
        (DateFormat.ISO, "2026-12-05"),
        (DateFormat.DAY_FIRST_SLASHES, "05/12/2026"),
    ],
)
def test_each_format_writes_the_day_month_and_year(style, shown):
    assert format_date(DAY, style) == shown


def test_the_default_spells_the_month_out():
    assert load_settings().display.date_format == "d mmm yyyy"
    assert dates.DEFAULT_DATE_FORMAT is DateFormat.DAY_MONTH_YEAR


def test_a_short_date_drops_the_year_only_when_the_reader_knows_it(date_format):
    use_date_format(DateFormat.DAY_MONTH_YEAR)
    assert short_date_text(DAY, 2026) == "5 Dec"
    assert short_date_text(DAY, 2027) == "5 Dec 2026"  # another year: the year is shown
    use_date_format(DateFormat.DAY_FIRST_SLASHES)
    assert short_date_text(DAY, 2026) == "05/12"
    use_date_format(DateFormat.ISO)
    assert short_date_text(DAY, 2026) == "2026-12-05"


def test_the_setting_is_read_from_the_clinic_file_and_checked(tmp_path: Path):
    override = tmp_path / "clinic.toml"
    override.write_text('[display]\ndate_format = "yyyy-mm-dd"\n', encoding="utf-8")
    assert load_settings(override).display.date_format == "yyyy-mm-dd"
    override.write_text('[display]\ndate_format = "mm/dd/yyyy"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="date_format must be one of"):
        load_settings(override)


def test_changing_the_setting_changes_the_dates_on_a_sheet(date_format):
    use_date_format(DateFormat.ISO)
    text = flat(handout())
    assert "Last infusion: Monday 2026-03-02" in text
    assert "between 2026-06-15 and 2026-06-29." in text
    use_date_format(DateFormat.DAY_FIRST_SLASHES)
    text = flat(handout())
    assert "Last infusion: Monday 02/03/2026" in text
    assert "between 15/06 and 29/06/2026." in text


def test_a_window_across_new_year_keeps_the_year_of_its_first_day(date_format):
    use_date_format(DateFormat.DAY_MONTH_YEAR)
    assert short_date_text(date(2026, 12, 28), date(2027, 1, 5).year) == "28 Dec 2026"
