"""benchmarks/levelling.py (issue 14): re-placing a crowded day with the suggestion rule keeps
every visit, in the same chairs, within hours and without overlaps, and lowers the peak of
starts per half hour."""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from benchmarks.levelling import figures, level_day, replace_day
from clinic_app.domain.chair_time import chair_visit
from clinic_app.domain.slot_suggestions import ChairBooking

TZ = ZoneInfo("Europe/Warsaw")
DAY = date(2026, 12, 7)
HOURS = (time(8), time(16))


def test_a_day_all_started_at_eight_is_levelled() -> None:
    crowded = [
        ChairBooking(f"Chair {n}", chair_visit(datetime.combine(DAY, time(8), TZ), minutes))
        for n, minutes in enumerate([270, 270, 150, 150, 90, 90, 90, 60, 60, 60], start=1)
    ] + [
        ChairBooking(f"Chair {n}", chair_visit(datetime.combine(DAY, time(13), TZ), 90))
        for n in range(3, 11)
    ]
    before = figures(DAY, crowded, 480, TZ)
    after = level_day(DAY, crowded, HOURS, TZ, 480)
    assert before.peak == 10
    assert after.unplaced == 0 and after.visits == len(crowded)
    assert after.peak == after.cap < before.peak
    assert after.chairs <= before.chairs
    assert after.utilisation >= before.utilisation
    placed, unplaced = replace_day(DAY, crowded, HOURS, TZ, after.cap)
    assert unplaced == 0 and {b.chair for b in placed} <= {b.chair for b in crowded}
    assert sorted(b.visit.ends_at - b.visit.starts_at for b in placed) == sorted(
        b.visit.ends_at - b.visit.starts_at for b in crowded
    )
    for b in placed:
        assert HOURS[0] <= b.visit.starts_at.astimezone(TZ).time()
        assert b.visit.ends_at.astimezone(TZ).time() <= HOURS[1]
        assert not any(
            o.visit.overlaps(b.visit) for o in placed if o is not b and o.chair == b.chair
        )
