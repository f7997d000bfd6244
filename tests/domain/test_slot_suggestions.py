"""Suggested chair-times (issue 14, "Booking suggests slots"): every suggestion fits the whole
visit in a free chair within the clinic's hours, and no half hour goes over the clinic's cap of
infusion starts; long visits are offered in the morning."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.chair_time import chair_visit, outside_hours
from clinic_app.domain.settings import LevellingSettings, OpeningHours, load_settings
from clinic_app.domain.slot_suggestions import (
    ChairBooking,
    half_hour,
    starts_per_half_hour,
    suggest_slots,
)

TZ = ZoneInfo("Europe/Warsaw")
DAY = date(2026, 12, 7)  # a Monday
HOURS = (time(8), time(16))
CHAIRS = ("Chair 1", "Chair 2", "Chair 3")


def at(hh: int, mm: int = 0) -> datetime:
    return datetime.combine(DAY, time(hh, mm), TZ)


def booking(chair: str, hh: int, mm: int, minutes: int) -> ChairBooking:
    return ChairBooking(chair, chair_visit(at(hh, mm), minutes, booking_id=hh * 60 + mm))


def test_the_cap_and_the_levelling_defaults_are_settings() -> None:
    levelling = load_settings().levelling
    assert levelling == LevellingSettings()
    assert levelling.starts_cap == 2
    with pytest.raises(ValueError, match="nurses_on_duty"):
        LevellingSettings(nurses_on_duty=0)


def test_an_empty_day_offers_a_long_visit_at_opening_and_a_short_one_at_midday() -> None:
    levelling = LevellingSettings()
    long_ = suggest_slots(DAY, TZ, HOURS, CHAIRS, [], 270, levelling)
    assert long_[0].visit.starts_at == at(8)
    assert long_[0].chair == "Chair 1"
    short = suggest_slots(DAY, TZ, HOURS, CHAIRS, [], 120, levelling)
    assert short[0].visit.starts_at == at(11)  # 11:00-13:00 centred on 12:00


def test_a_full_half_hour_is_not_offered_and_an_emptier_one_comes_first() -> None:
    levelling = LevellingSettings(nurses_on_duty=1, starts_per_half_hour_per_nurse=2)
    booked = [
        booking("Chair 1", 8, 0, 60),
        booking("Chair 2", 8, 15, 60),
        booking("Chair 3", 8, 30, 60),
    ]
    slots = suggest_slots(DAY, TZ, HOURS, (*CHAIRS, "Chair 4"), booked, 270, levelling, limit=None)
    starts = [s.visit.starts_at for s in slots]
    assert at(8) not in starts and at(8, 15) not in starts  # 08:00-08:29 has its 2 starts
    assert slots[0].visit.starts_at == at(9) and slots[0].starts_in_half_hour == 0
    assert at(8, 45) in starts  # one start there: offered, after the empty half hours
    assert [s.starts_in_half_hour for s in slots] == sorted(s.starts_in_half_hour for s in slots)


def test_the_tightest_chair_is_chosen_so_long_gaps_stay_whole() -> None:
    booked = [booking("Chair 1", 8, 0, 60), booking("Chair 2", 8, 0, 120)]
    slots = suggest_slots(
        DAY, TZ, HOURS, ("Chair 1", "Chair 2"), booked, 60, LevellingSettings(), limit=None
    )
    at_ten = next(s for s in slots if s.visit.starts_at == at(10))
    assert at_ten.chair == "Chair 2"  # Chair 2 is free from 10:00, Chair 1 idle since 09:00


def test_a_closed_day_a_visit_too_long_and_no_chair_give_nothing() -> None:
    levelling = LevellingSettings()
    assert suggest_slots(DAY, TZ, None, CHAIRS, [], 60, levelling) == ()
    assert suggest_slots(DAY, TZ, HOURS, CHAIRS, [], 9 * 60, levelling) == ()
    assert suggest_slots(DAY, TZ, HOURS, (), [], 60, levelling) == ()


def test_nothing_before_not_before() -> None:
    slots = suggest_slots(
        DAY, TZ, HOURS, CHAIRS, [], 60, LevellingSettings(), not_before=at(13, 10), limit=None
    )
    assert slots and min(s.visit.starts_at for s in slots) == at(13, 15)


bookings = st.lists(
    st.tuples(st.sampled_from(CHAIRS), st.integers(6 * 4, 17 * 4), st.integers(1, 20)),
    max_size=20,
)


@given(
    wanted=bookings,
    minutes=st.integers(15, 400),
    nurses=st.integers(1, 3),
    per_nurse=st.integers(1, 3),
    opens=st.integers(7, 10),
    length=st.integers(4, 11),
)
def test_every_suggestion_fits_never_overlaps_is_within_hours_and_respects_the_cap(
    wanted: list[tuple[str, int, int]],
    minutes: int,
    nurses: int,
    per_nurse: int,
    opens: int,
    length: int,
) -> None:
    booked = [
        ChairBooking(
            chair, chair_visit(at(0) + timedelta(minutes=15 * quarter), 15 * quarters, booking_id=i)
        )
        for i, (chair, quarter, quarters) in enumerate(wanted)
    ]
    hours = (time(opens), time(min(opens + length, 23)))
    levelling = LevellingSettings(nurses_on_duty=nurses, starts_per_half_hour_per_nurse=per_nurse)
    slots = suggest_slots(DAY, TZ, hours, CHAIRS, booked, minutes, levelling, limit=None)
    counts = starts_per_half_hour((b.visit.starts_at for b in booked), TZ)
    week = OpeningHours((hours,) * 7)
    for slot in slots:
        assert slot.chair in CHAIRS
        assert slot.visit.ends_at - slot.visit.starts_at == timedelta(minutes=minutes)
        assert outside_hours(slot.visit, week, TZ) is None
        assert not any(b.visit.overlaps(slot.visit) for b in booked if b.chair == slot.chair)
        assert counts[half_hour(slot.visit.starts_at, TZ)] < levelling.starts_cap
        assert slot.starts_in_half_hour == counts[half_hour(slot.visit.starts_at, TZ)]
    assert len({s.visit.starts_at for s in slots}) == len(slots)  # one chair per start time
    # Booking the suggestions one after another, greedily, never breaks the cap.
    placed = list(booked)
    for _ in range(6):
        best = suggest_slots(DAY, TZ, hours, CHAIRS, placed, minutes, levelling, limit=1)
        if not best:
            break
        placed.append(ChairBooking(best[0].chair, best[0].visit))
        added = starts_per_half_hour((b.visit.starts_at for b in placed[len(booked) :]), TZ)
        for slot_start, n in added.items():
            assert counts[slot_start] + n <= levelling.starts_cap


def test_half_hours_are_clinic_local_clock_half_hours() -> None:
    utc = datetime(2026, 12, 7, 7, 44, tzinfo=UTC)  # 08:44 in Warsaw
    assert half_hour(utc, TZ) == at(8, 30)
