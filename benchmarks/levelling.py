"""Does the booking suggestion rule level the day? Chair utilisation and peak infusion starts
per half hour on the demo data, before (as seeded) and after re-placing each day's visits with
the suggestion rule (issue 14, "Booking suggests slots"; rule in
:mod:`clinic_app.domain.slot_suggestions`).

``python -m benchmarks.levelling --db DEMO.sqlite3 [--days 40] [--tz Europe/Warsaw]``

For each day measured (the busiest tenth of the sample plus days spread evenly over the
history; ``--days`` in all), with the visits that hold a chair (booked or given, not voided),
each for its expected chair time (preparation, infusion at the labelled duration, observation
for the dose number; a graduated infusion after a reaction is not told apart here):

- before: the day as seeded: its chairs, its starts;
- after: the same visits, longest first, each put in the rule's first suggestion, in as many
  chairs as the seeded day used. The cap of starts per half hour (nurses on duty x starts per
  nurse, a clinic setting) is set per day to the lowest found that places every visit (from
  the day's visits over its half hours up; a greedy rule, so "lowest found", not proven);
- utilisation: chair-minutes held / (chairs used that day x opening minutes);
- peak: the most visits starting in one clock half hour.
"""

from __future__ import annotations

import argparse
import math
import sqlite3
import statistics
import time as clock
from collections import defaultdict
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo

from clinic_app.domain.chair_time import chair_minutes, chair_visit
from clinic_app.domain.settings import LevellingSettings, load_settings
from clinic_app.domain.slot_suggestions import ChairBooking, starts_per_half_hour, suggest_slots
from clinic_app.services import catalogue

QUERY = """
SELECT a.starts_at, a.chair, a.dose_number, c.protocol_id
FROM appointments a JOIN treatment_courses c ON c.id = a.course_id
WHERE a.starts_at IS NOT NULL AND a.chair IS NOT NULL AND a.voided_at IS NULL
  AND a.status IN ('booked', 'done')
"""


@dataclass(frozen=True)
class DayFigures:
    """One day's measure: visits, chairs used, utilisation and peak starts."""

    day: date
    visits: int
    chairs: int
    utilisation: float
    peak: int
    cap: int = 0
    unplaced: int = 0


def read_days(db: Path, tz: tzinfo, preparation: int) -> dict[date, list[ChairBooking]]:
    """Every chair-holding visit of the database, per clinic-local day."""
    minutes: dict[tuple[str, int], int] = {}
    days: dict[date, list[ChairBooking]] = defaultdict(list)
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        for starts_at, chair, dose_number, protocol_id in conn.execute(QUERY):
            key = (protocol_id, dose_number)
            if key not in minutes:
                protocol = catalogue.protocol(protocol_id)
                minutes[key] = chair_minutes(protocol, dose_number, preparation_minutes=preparation)
            start = datetime.fromisoformat(starts_at).replace(tzinfo=UTC)
            visit = chair_visit(start, minutes[key])
            days[start.astimezone(tz).date()].append(ChairBooking(chair, visit))
    return days


def figures(
    day: date,
    bookings: list[ChairBooking],
    open_minutes: int,
    tz: tzinfo,
    cap: int = 0,
    unplaced: int = 0,
) -> DayFigures:
    """Utilisation and peak of one day's bookings."""
    held = sum((b.visit.ends_at - b.visit.starts_at) / timedelta(minutes=1) for b in bookings)
    chairs = len({b.chair for b in bookings})
    peak = max(starts_per_half_hour((b.visit.starts_at for b in bookings), tz).values(), default=0)
    return DayFigures(
        day,
        len(bookings),
        chairs,
        held / (chairs * open_minutes) if chairs else 0,
        peak,
        cap,
        unplaced,
    )


def replace_day(
    day: date, bookings: list[ChairBooking], hours: tuple[time, time], tz: tzinfo, cap: int
) -> tuple[list[ChairBooking], int]:
    """The day's visits re-placed, longest first, each in the rule's first suggestion, in the
    chairs the seeded day used; and how many found no place."""
    chairs = sorted({b.chair for b in bookings})
    lengths = sorted((b.visit.ends_at - b.visit.starts_at for b in bookings), reverse=True)
    levelling = LevellingSettings(nurses_on_duty=cap, starts_per_half_hour_per_nurse=1)
    placed: list[ChairBooking] = []
    unplaced = 0
    for length in lengths:
        minutes = int(length / timedelta(minutes=1))
        best = suggest_slots(day, tz, hours, chairs, placed, minutes, levelling, limit=1)
        if best:
            placed.append(ChairBooking(best[0].chair, best[0].visit))
        else:
            unplaced += 1
    return placed, unplaced


def level_day(
    day: date, bookings: list[ChairBooking], hours: tuple[time, time], tz: tzinfo, open_minutes: int
) -> DayFigures:
    """The day after levelling, at the lowest cap that places every visit (searched by
    doubling, then halving: more starts allowed never places fewer visits here)."""
    low = max(1, math.ceil(len(bookings) / (open_minutes // 30)))
    high = low
    while True:
        placed, unplaced = replace_day(day, bookings, hours, tz, high)
        if not unplaced or high >= len(bookings):
            break
        low, high = high + 1, high * 2
    best = (high, placed, unplaced)
    while low < high:
        middle = (low + high) // 2
        placed, unplaced = replace_day(day, bookings, hours, tz, middle)
        if unplaced:
            low = middle + 1
        else:
            best, high = (middle, placed, unplaced), middle
    cap, placed, unplaced = best
    return figures(day, placed, open_minutes, tz, cap, unplaced)


def sample(days: dict[date, list[ChairBooking]], count: int) -> list[date]:
    """The busiest tenth of ``count`` days, and the rest spread evenly over the history."""
    busiest = sorted(days, key=lambda d: (-len(days[d]), d))[: max(1, count // 10)]
    rest = sorted(set(days) - set(busiest))
    step = max(1, len(rest) // max(1, count - len(busiest)))
    return sorted({*busiest, *rest[::step][: count - len(busiest)]})


def _summary(name: str, rows: list[DayFigures]) -> str:
    util = [r.utilisation for r in rows]
    peaks = [r.peak for r in rows]
    return (
        f"| {name} | {statistics.mean(util):.1%} | {min(util):.1%} | "
        f"{statistics.mean(r.chairs for r in rows):.1f} | {statistics.mean(peaks):.1f} | "
        f"{max(peaks)} |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a seeded demo database")
    parser.add_argument("--days", type=int, default=40, help="days measured (default 40)")
    parser.add_argument(
        "--tz",
        default="",
        help="the clinic's time zone (default: this computer's, as the demo was seeded)",
    )
    args = parser.parse_args(argv)
    tz: tzinfo = ZoneInfo(args.tz) if args.tz else (datetime.now().astimezone().tzinfo or UTC)
    settings = load_settings()
    began = clock.perf_counter()
    days = read_days(args.db, tz, settings.chairs.preparation_minutes)
    before: list[DayFigures] = []
    after: list[DayFigures] = []
    for day in sample(days, args.days):
        hours = settings.opening_hours.for_weekday(day.weekday())
        if hours is None:
            continue
        span = datetime.combine(day, hours[1]) - datetime.combine(day, hours[0])
        open_minutes = int(span / timedelta(minutes=1))
        before.append(figures(day, days[day], open_minutes, tz))
        after.append(level_day(day, days[day], hours, tz, open_minutes))
    print(
        f"{len(before)} days of {len(days)} ({sum(r.visits for r in before):,} visits), "
        f"{clock.perf_counter() - began:.0f} s"
    )
    print(
        "| | utilisation (mean) | utilisation (lowest day) | chairs used (mean) | "
        "peak starts per half hour (mean of days) | peak (worst day) |"
    )
    print("|---|---|---|---|---|---|")
    print(_summary("as seeded", before))
    print(_summary("suggestion rule", after))
    print(
        f"unplaced visits after levelling: {sum(r.unplaced for r in after)}; "
        f"cap needed per day: mean {statistics.mean(r.cap for r in after):.1f}, "
        f"max {max(r.cap for r in after)}"
    )
    print("\nday | visits | chairs | utilisation before/after | peak before/after | cap")
    for b, a in zip(before, after, strict=True):
        print(
            f"{b.day} | {b.visits} | {b.chairs} | {b.utilisation:.0%}/{a.utilisation:.0%} | "
            f"{b.peak}/{a.peak} | {a.cap}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
