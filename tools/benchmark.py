"""Speed and memory budgets of clinic_app, measured (not asserted by the test suite).

Run: ``.venv/bin/python tools/benchmark.py [--patients 50000] [--keep DIR]``. Each line prints the
median time of a repeated operation and its budget; the exit status is 1 when a budget is
exceeded. The database is a scratch SQLite file seeded with the demo data (``--patients`` scales
it up: 50,000 takes about three minutes).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

from clinic_app.bootstrap import open_clinic
from clinic_app.domain.dosing import calculate_dose
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.scheduling import plan_schedule
from clinic_app.services import accounts, sheets
from clinic_app.services.clinic_day import clinic_day
from clinic_app.services.demo import DEMO_PASSWORD, seed_demo
from clinic_app.services.patients import (
    SEARCH_MAX_WORDS,
    count_patients,
    search_patients,
)

# The most a search may hold (issue 11: cost grew with the square of the words): the most words
# of a name, and a date of birth.
LONGEST_SEARCH = " ".join(["nowak"] * SEARCH_MAX_WORDS) + " 19.07.1984"

# name: (budget in milliseconds for the median run)
BUDGETS_MS = {
    "dose calculation (infliximab)": 2.0,
    "dose calculation (tocilizumab, 3 vial sizes)": 5.0,
    "schedule plan (one year, infliximab)": 10.0,
    "patient search: name prefix": 50.0,
    "patient search: MRN": 50.0,
    "patient search: date of birth": 50.0,
    "patient count: name prefix": 100.0,
    "patient search: longest text allowed": 100.0,
    "patient count: longest text allowed": 100.0,
    "patient search: a pasted megabyte (refused)": 100.0,
    "clinic day list": 500.0,
    "sheet: blank checklist": 800.0,
    "sheet: day list": 800.0,
}
PEAK_RSS_BUDGET_MB = 800


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    """The median wall time of ``fn`` in milliseconds over ``repeat`` runs (after one warm-up)."""
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def refused(fn: Callable[[], object]) -> InvalidInput:
    """The refusal ``fn`` raises (it must refuse)."""
    try:
        fn()
    except InvalidInput as error:
        return error
    raise AssertionError("not refused")


def main() -> int:
    """Seed a scratch database, time each operation and compare with its budget."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--patients", type=int, default=5000,
                        help="demo patients to seed (default 5000; 50000 for a large clinic)")
    parser.add_argument("--keep", type=Path, help="keep the database in this folder")
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="clinic_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / "bench.sqlite3"
    ctx = open_clinic(db)
    today = ctx.local_now().date()
    start = time.perf_counter()
    if not db.exists() or count_patients(ctx, text="") == 0:
        summary = seed_demo(ctx, today=today, patients=args.patients)
        print(f"seeded {summary.patients} patients in {time.perf_counter() - start:.0f} s ({db})")
    nurse = accounts.sign_in(ctx, username="demo", secret=DEMO_PASSWORD)
    ctx = ctx.as_nurse(nurse.id)

    infliximab, tocilizumab = load_protocol("infliximab"), load_protocol("tocilizumab")
    results = {
        "dose calculation (infliximab)": median_ms(
            lambda: calculate_dose(infliximab, "72.4", indication="crohns"), 200),
        "dose calculation (tocilizumab, 3 vial sizes)": median_ms(
            lambda: calculate_dose(tocilizumab, "93.7", mg_per_kg="8"), 200),
        "schedule plan (one year, infliximab)": median_ms(
            lambda: plan_schedule(infliximab, date(2026, 1, 5), as_of=date(2026, 6, 1)), 100),
        "patient search: name prefix": median_ms(
            lambda: search_patients(ctx, text="now", limit=50), 30),
        "patient search: MRN": median_ms(lambda: search_patients(ctx, text="D0001", limit=50), 30),
        "patient search: date of birth": median_ms(
            lambda: search_patients(ctx, text="1984-07-19", limit=50), 30),
        "patient count: name prefix": median_ms(lambda: count_patients(ctx, text="m"), 10),
        "patient search: longest text allowed": median_ms(
            lambda: search_patients(ctx, text=LONGEST_SEARCH, limit=50), 30),
        "patient count: longest text allowed": median_ms(
            lambda: count_patients(ctx, text=LONGEST_SEARCH), 10),
        "patient search: a pasted megabyte (refused)": median_ms(
            lambda: refused(lambda: search_patients(ctx, text="nowak " * 200_000)), 10),
        "clinic day list": median_ms(lambda: clinic_day(ctx, day=today), 5),
        "sheet: blank checklist": median_ms(
            lambda: sheets.blank_checklist(ctx, protocol_id="infliximab"), 5),
        "sheet: day list": median_ms(lambda: sheets.day_list(ctx, day=today), 5),
    }
    failed = False
    for name, measured in results.items():
        budget = BUDGETS_MS[name]
        verdict = "ok" if measured <= budget else "OVER BUDGET"
        failed |= measured > budget
        print(f"{name:<46} {measured:9.2f} ms   budget {budget:7.1f} ms   {verdict}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    verdict = "ok" if peak_mb <= PEAK_RSS_BUDGET_MB else "OVER BUDGET"
    failed |= peak_mb > PEAK_RSS_BUDGET_MB
    print(f"{'peak memory (RSS)':<46} {peak_mb:9.0f} MB   budget {PEAK_RSS_BUDGET_MB:7d} MB   "
          f"{verdict}")
    print(f"measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on {args.patients} demo patients")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
