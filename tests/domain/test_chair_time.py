"""How long a booking holds its chair, when two bookings collide, and the clinic's hours."""

from __future__ import annotations

from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.chair_time import (
    chair_minutes,
    chair_visit,
    first_clash,
    infusion_minutes,
    outside_hours,
)
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.settings import OpeningHours, load_settings

WARSAW = ZoneInfo("Europe/Warsaw")


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=WARSAW)  # a Monday


def test_a_booking_holds_its_chair_for_preparation_infusion_and_that_dose_s_observation():
    infliximab = load_protocol("infliximab")
    first = chair_minutes(infliximab, 1, preparation_minutes=30)
    later = chair_minutes(infliximab, 5, preparation_minutes=30)
    assert first == 30 + 120 + infliximab.monitoring.observation_minutes(1)
    assert later == 30 + 120 + infliximab.monitoring.observation_minutes(5)


def test_a_graduated_infusion_runs_longer_than_the_standard_one():
    infliximab = load_protocol("infliximab")
    assert (
        infusion_minutes(infliximab, graduated=True)
        > infusion_minutes(infliximab, graduated=False)
        == 120
    )


def test_back_to_back_visits_do_not_collide_and_the_earliest_clash_is_named():
    visit = chair_visit(at(10), 120, booking_id=1)
    assert first_clash(visit, [chair_visit(at(8), 120, 2), chair_visit(at(12), 60, 3)]) is None
    clash = first_clash(visit, [chair_visit(at(11), 60, 4), chair_visit(at(9), 90, 5)])
    assert clash is not None and clash.booking_id == 5
    assert first_clash(visit, [chair_visit(at(10), 120, 1)]) is None  # itself, rescheduled


@given(st.integers(0, 600), st.integers(1, 300), st.integers(0, 600), st.integers(1, 300))
def test_overlap_is_symmetric_and_means_a_shared_moment(a: int, la: int, b: int, lb: int):
    one = chair_visit(datetime(2026, 3, 2, a // 60, a % 60, tzinfo=UTC), la)
    start = datetime(2026, 3, 2, b // 60, b % 60, tzinfo=UTC)
    other = chair_visit(start, lb)
    assert one.overlaps(other) == other.overlaps(one)
    assert one.overlaps(other) == (
        max(one.starts_at, other.starts_at) < min(one.ends_at, other.ends_at)
    )


def test_a_visit_must_fit_inside_the_day_s_opening_hours():
    hours = OpeningHours()
    assert outside_hours(chair_visit(at(8), 480), hours, WARSAW) is None
    assert outside_hours(chair_visit(at(13), 270), hours, WARSAW) == (
        "The visit runs 13:00-17:30, outside the clinic's hours on Mondays (08:00-16:00)."
    )
    assert "07:30-" in (outside_hours(chair_visit(at(7, 30), 60), hours, WARSAW) or "")
    closed_monday = OpeningHours((None, *OpeningHours().days[1:]))
    assert outside_hours(chair_visit(at(9), 60), closed_monday, WARSAW) == (
        "The clinic has no opening hours on Mondays."
    )


def test_opening_hours_default_to_8_to_16_and_a_clinic_sets_its_own(tmp_path: Path):
    assert load_settings().opening_hours.for_weekday(0) == (time(8), time(16))
    assert load_settings().chairs.preparation_minutes == 30
    own = tmp_path / "clinic.toml"
    own.write_text(
        '[opening_hours]\nmonday = "07:30-19:00"\nsunday = "closed"\n'
        "[chairs]\npreparation_minutes = 20\n",
        encoding="utf-8",
    )
    settings = load_settings(own)
    assert settings.opening_hours.for_weekday(0) == (time(7, 30), time(19))
    assert settings.opening_hours.for_weekday(6) is None
    assert settings.opening_hours.for_weekday(1) == (time(8), time(16))
    assert settings.chairs.preparation_minutes == 20


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ('monday = "8-16"', 'must be like "08:00-16:00"'),
        ('monday = "16:00-08:00"', "closing must be after opening"),
        ('someday = "08:00-16:00"', "unknown setting OpeningHours.someday"),
    ],
)
def test_bad_opening_hours_are_refused_with_the_key(tmp_path: Path, text: str, problem: str):
    own = tmp_path / "clinic.toml"
    own.write_text(f"[opening_hours]\n{text}\n", encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_settings(own)
