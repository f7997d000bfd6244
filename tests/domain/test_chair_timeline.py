"""The chair timeline's rows: chairs in order, bars by start, the late ones marked."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from clinic_app.domain.chair_time import chair_visit
from clinic_app.domain.chair_timeline import (
    NO_CHAIR,
    Stage,
    TimelineBooking,
    bar_text,
    late_reason,
    timeline_rows,
    timeline_summary,
)

WARSAW = ZoneInfo("Europe/Warsaw")
GRACE = timedelta(minutes=5)


def at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=WARSAW)


def booking(
    chair: str, hour: int, minutes: int, label: str, stage: Stage = Stage.WAITING, bid: int = 1
) -> TimelineBooking:
    return TimelineBooking(chair, chair_visit(at(hour), minutes, bid), label, stage)


def test_every_chair_is_a_row_in_the_order_given_even_an_empty_one():
    rows = timeline_rows(
        ["Chair 1", "Chair 2", "Chair 3"],
        [booking("Chair 3", 9, 60, "Nowak")],
        now=at(7),
        grace=GRACE,
    )
    assert [r.chair for r in rows] == ["Chair 1", "Chair 2", "Chair 3"]
    assert [len(r.bars) for r in rows] == [0, 0, 1]


def test_a_bar_runs_from_the_booked_start_to_the_expected_discharge():
    rows = timeline_rows(["Chair 1"], [booking("Chair 1", 8, 210, "Nowak")], now=at(7), grace=GRACE)
    bar = rows[0].bars[0]
    assert (bar.starts_at, bar.ends_at, bar.label) == (at(8), at(11, 30), "Nowak")
    assert bar_text(bar, WARSAW) == "08:00-11:30 Nowak"


def test_bars_of_a_chair_come_by_start():
    rows = timeline_rows(
        ["Chair 1"],
        [booking("Chair 1", 13, 60, "Later", bid=2), booking("Chair 1", 8, 60, "Early")],
        now=at(7),
        grace=GRACE,
    )
    assert [b.label for b in rows[0].bars] == ["Early", "Later"]


def test_a_chair_named_only_by_a_booking_follows_the_clinic_s_chairs_and_no_chair_comes_last():
    rows = timeline_rows(
        ["Chair 2", "Chair 1"],
        [
            booking("", 9, 60, "Nowhere", bid=1),
            booking("Old recliner", 9, 60, "Kept", bid=2),
            booking("Chair 1", 9, 60, "Here", bid=3),
        ],
        now=at(7),
        grace=GRACE,
    )
    assert [r.chair for r in rows] == ["Chair 2", "Chair 1", "Old recliner", NO_CHAIR]


def test_a_patient_not_arrived_after_the_start_plus_grace_is_late():
    waiting = booking("Chair 1", 9, 60, "Nowak")
    assert late_reason(waiting, now=at(9, 5), grace=GRACE) == ""
    assert late_reason(waiting, now=at(9, 6), grace=GRACE) == "not arrived"


def test_a_patient_still_in_the_chair_after_the_expected_end_plus_grace_is_late():
    in_chair = booking("Chair 1", 9, 60, "Nowak", Stage.IN_CHAIR)
    assert late_reason(in_chair, now=at(9, 30), grace=GRACE) == ""
    assert late_reason(in_chair, now=at(10, 5), grace=GRACE) == ""
    assert late_reason(in_chair, now=at(10, 6), grace=GRACE) == "past its expected end"


def test_a_discharged_visit_is_never_late():
    gone = booking("Chair 1", 9, 60, "Nowak", Stage.DISCHARGED)
    assert late_reason(gone, now=at(18), grace=GRACE) == ""


def test_the_summary_reads_each_chair_with_its_visits_and_the_late_ones():
    rows = timeline_rows(
        ["Chair 1", "Chair 2"],
        [
            booking("Chair 1", 8, 210, "Anna Nowak", Stage.DISCHARGED, bid=1),
            booking("Chair 1", 12, 60, "Jan Kowal", bid=2),
        ],
        now=at(12, 30),
        grace=GRACE,
    )
    assert rows[0].bars[1].is_late and not rows[0].bars[0].is_late
    assert timeline_summary(rows, WARSAW) == (
        "Chair 1: 08:00-11:30 Anna Nowak; 12:00-13:00 Jan Kowal (late: not arrived)\nChair 2: free"
    )
