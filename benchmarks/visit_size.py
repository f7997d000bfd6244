"""What a visit recorded through the program takes in the database, by table (issue 15).

The demo seeds its history in bulk, without audit rows, so :mod:`benchmarks.run`'s size per
visit leaves the audit trail out. ``python -m benchmarks.visit_size [N] [--db FILE]`` records N
first doses through the services, as a nurse does (register, screen, start a course, book, open
the visit, answer the checks, start and end the infusion; the test suite's visit fixtures), and
prints the bytes per visit of each table with its indexes, and of the audit trail's change
snapshots and hashes.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
from contextlib import closing
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def record_visits(path: Path, visits: int) -> None:
    """``visits`` first doses of as many new patients into the new database ``path``."""
    sys.path[:0] = [str(ROOT / "tests" / "services"), str(ROOT / "tests")]
    from clinic_testing import FakeClock, open_context, patient_form  # type: ignore[import-not-found]
    from conftest import add_nurse  # type: ignore[import-not-found]  # tests/services/conftest.py
    from visit_fixtures import book_first_dose, infuse  # type: ignore[import-not-found]

    from clinic_app.domain.permissions import Role
    from clinic_app.services.patients import register_patient

    clock = FakeClock()
    ctx, engine = open_context(path, clock)
    nurse = add_nurse(ctx.session_factory, clock, "akeller", "Anna Keller", Role.ADMINISTRATOR)
    ctx = ctx.as_nurse(nurse.id)
    start = clock()
    for n in range(visits):
        clock.set(start)
        family = "Family" + "".join(chr(97 + int(c)) for c in f"{n:05d}")
        patient = register_patient(
            ctx, form=patient_form(mrn=f"MRN{n:05d}", family_name=family, given_names="Test")
        )
        infuse(ctx, clock, book_first_dose(ctx, patient.id).appointment_id)
    engine.dispose()


def usage(path: Path, visits: int) -> dict[str, Any]:
    """Bytes per visit by table (pages, indexes included) and in the audit trail."""
    with closing(sqlite3.connect(path)) as raw:
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        tables = dict(
            raw.execute(
                "SELECT coalesce(m.tbl_name, s.name), sum(s.pgsize) FROM dbstat s "
                "LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY 1 ORDER BY 2 DESC"
            )
        )
        rows, changes, hashes = raw.execute(
            "SELECT count(*), sum(length(changes)), sum(length(prev_hash) + length(row_hash)) "
            "FROM audit_log"
        ).fetchone()
    return {
        "visits": visits,
        "bytes_per_visit": path.stat().st_size / visits,
        "tables_per_visit": {name: used / visits for name, used in tables.items()},
        "audit_rows_per_visit": rows / visits,
        "audit_changes_per_visit": changes / visits,
        "audit_hashes_per_visit": hashes / visits,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Bytes per visit recorded through the program.")
    parser.add_argument("visits", type=int, nargs="?", default=30)
    parser.add_argument("--db", type=Path, help="a new database file (default: a scratch one)")
    args = parser.parse_args(argv)
    path = args.db or Path(tempfile.mkdtemp(prefix="clinic_visit_size_")) / "clinic.sqlite3"
    record_visits(path, args.visits)
    found = usage(path, args.visits)
    print(f"{args.visits} first doses: {found['bytes_per_visit'] / 1024:.1f} KiB per visit")
    for name, used in list(found["tables_per_visit"].items())[:8]:
        print(f"  {name:24s} {used / 1024:6.1f} KiB")
    print(
        f"  audit trail: {found['audit_rows_per_visit']:.0f} rows per visit, change snapshots "
        f"{found['audit_changes_per_visit'] / 1024:.1f} KiB, hashes "
        f"{found['audit_hashes_per_visit'] / 1024:.1f} KiB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
