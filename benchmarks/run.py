"""Issue 15's figures, each as a ratio to a limit measured on this machine in the same run.

``tools/run-benchmarks [--patients N] [--dir DIR] [--out DIR]`` seeds (or reuses) a demo
database of N patients in DIR, measures, and writes ``benchmarks.json`` and ``benchmarks.md``
into OUT (default: DIR). With ``--strict`` the exit status is 1 when a ratio is over its budget
(CI runs it small without, to keep it working: a shared runner's times are noise).

Figures (GUI figures in a real offscreen window, on Qt's clocks):

- launch to first painted window (the starting window, as ``clinic-app`` shows it before it
  opens the clinic) / a bare QMainWindow shown (fresh processes, median of 3, after one start
  of each not counted); launch to the main window painted, reported against the same limit;
- sign-in to the repainted Today list / the bare window;
- type-ahead: search started to repainted result list (p50, p95 over 200 keystrokes of real
  names) / one frame; the service's first page / a raw indexed SQLite prefix query;
- a chart with 15 visits opened in the main window to its first paint (p95) / one frame; the
  "Open infusion visit" dialog shown; the live dose per keystroke of the weight, to the repaint
  of the dose plan (p95) / one frame (:mod:`benchmarks.records`);
- blank checklist PDF / a bare reportlab A4 page with a 30-row table in the embedded font;
- peak memory of the GUI after sign-in / the bare window's peak;
- database size per visit, and the tables taking the space (SQLite's dbstat).
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

FRAME_MS = 1000 / 60
ROOT = Path(__file__).resolve().parents[1]


def _probe(*args: str) -> dict[str, float]:
    env = {
        **{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
        "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        "PYTHONPATH": str(ROOT),
    }
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.gui_probe", *args, repr(start)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
        cwd=ROOT,
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert isinstance(result, dict)
    return result


def _median(runs: list[dict[str, float]], key: str) -> float:
    return statistics.median(run[key] for run in runs)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def seed(db: Path, patients: int) -> float:
    """Seed the demo data unless ``db`` already holds patients; returns the seconds taken."""
    from clinic_app.bootstrap import close_clinic, open_clinic
    from clinic_app.services.demo import seed_demo
    from clinic_app.services.patients import count_patients

    ctx = open_clinic(db)
    try:
        if count_patients(ctx, text="") > 0:
            return 0.0
        start = time.perf_counter()
        seed_demo(ctx, today=ctx.local_now().date(), patients=patients)
        return time.perf_counter() - start
    finally:
        close_clinic(ctx)


def type_ahead(db: Path) -> dict[str, Any]:
    """p50/p95 of search started to repainted results over 200 keystrokes of real names, and
    the service's first page against a raw indexed prefix query on the same file."""
    from PySide6.QtCore import QElapsedTimer, QEvent, QObject
    from PySide6.QtWidgets import QApplication

    from clinic_app.bootstrap import close_clinic, open_clinic
    from clinic_app.services.patients import search_patients
    from clinic_app.ui.app_state import AppState
    from clinic_app.ui.patients.search_view import PatientSearchWidget

    app = QApplication.instance() or QApplication([])
    ctx = open_clinic(db)
    with closing(sqlite3.connect(db)) as raw:
        names = [
            row[0] for row in raw.execute("SELECT family_name FROM patients ORDER BY id LIMIT 40")
        ]
    prefixes = [name[:n] for name in names for n in range(1, 6)][:200]

    class Painted(QObject):
        count = 0

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if event.type() == QEvent.Type.Paint:
                Painted.count += 1
            return False

    class NoNavigation:
        def open_chart(self, patient_id: int) -> None:
            raise AssertionError

    state = AppState(ctx, demo=True)
    widget = PatientSearchWidget(state, NoNavigation())  # type: ignore[arg-type]
    painted = Painted()
    widget.table.viewport().installEventFilter(painted)
    widget.resize(1366, 768)
    widget.show()
    app.processEvents()
    times = []
    for prefix in prefixes:
        clock = QElapsedTimer()
        clock.start()
        seen = Painted.count
        widget.box.setText(prefix)
        widget.search_in_background()
        while widget.model.text != prefix or Painted.count == seen:
            app.processEvents()
        times.append(clock.nsecsElapsed() / 1e6)
    from clinic_app.storage.search_keys import name_key

    key = name_key(names[1])[:3]  # a prefix of a real name (the results are not empty)

    def service() -> object:
        return search_patients(ctx, text=key, limit=50)

    with closing(sqlite3.connect(db)) as raw:

        def raw_query() -> object:
            return raw.execute(
                "SELECT id, mrn, family_name, given_names, date_of_birth FROM patients "
                "WHERE family_key >= ? AND family_key < ? ORDER BY family_key, given_key "
                "LIMIT 50",
                (key, key + "\uffff"),
            ).fetchall()

        service_ms, raw_ms = _best_ms(service), _best_ms(raw_query)
    widget.close()
    close_clinic(ctx)
    return {
        "p50_ms": _percentile(times, 0.5),
        "p95_ms": _percentile(times, 0.95),
        "keystrokes": float(len(times)),
        "service_ms": service_ms,
        "raw_ms": raw_ms,
        "prefix": key,
    }


def _best_ms(fn: Callable[[], object], repeat: int = 30) -> float:
    fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def sheets(db: Path) -> dict[str, float]:
    """The blank checklist PDF against a bare reportlab A4 page with a 30-row table."""
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import SimpleDocTemplate, Table

    from clinic_app.bootstrap import close_clinic, open_clinic
    from clinic_app.reports.fonts import register_fonts
    from clinic_app.services import sheets as sheet_service

    font, _bold = register_fonts()

    def bare() -> bytes:
        out = io.BytesIO()
        table = Table([[f"row {n}", "value", "check"] for n in range(30)])
        table.setStyle([("FONT", (0, 0), (-1, -1), font)])
        SimpleDocTemplate(out, pagesize=A4).build([table])
        return out.getvalue()

    ctx = open_clinic(db)
    try:
        return {
            "sheet_ms": _best_ms(
                lambda: sheet_service.blank_checklist(ctx, protocol_id="infliximab"), 5
            ),
            "bare_ms": _best_ms(bare, 5),
        }
    finally:
        close_clinic(ctx)


def size_per_visit(db: Path) -> dict[str, Any]:
    """Bytes per visit, and the five tables (with their indexes) taking the most space."""
    with closing(sqlite3.connect(db)) as raw:
        visits = raw.execute("SELECT count(*) FROM infusion_visits").fetchone()[0]
        try:
            rows = raw.execute(
                "SELECT coalesce(m.tbl_name, s.name), sum(s.pgsize) FROM dbstat s "
                "LEFT JOIN sqlite_master m ON m.name = s.name GROUP BY 1 ORDER BY 2 DESC "
                "LIMIT 5"
            ).fetchall()
        except sqlite3.OperationalError:  # SQLite built without dbstat
            rows = []
    size = db.stat().st_size
    return {
        "bytes": size,
        "visits": visits,
        "bytes_per_visit": size / visits if visits else None,
        "largest_tables": {name: int(used) for name, used in rows},
    }


def measure(db: Path, settings: Path) -> dict[str, Any]:
    # One start of each first, not counted: it writes the bytecode caches (an installed app has
    # them) and reads the files into the page cache, as any start after the first finds them.
    _probe("bare")
    _probe("app", str(db), str(settings))
    bare = [_probe("bare") for _ in range(3)]
    gui = [_probe("app", str(db), str(settings)) for _ in range(3)]
    typing = type_ahead(db)
    from benchmarks.records import charts_and_dose

    records = charts_and_dose(db, settings)
    pdf = sheets(db)
    bare_ms, bare_mb = _median(bare, "painted_ms"), _median(bare, "peak_mb")
    figures = [
        (
            "launch to first painted window",
            _median(gui, "painted_ms"),
            "ms",
            "bare window shown",
            bare_ms,
            2.0,
        ),
        (
            "launch to the main window painted (clinic open)",
            _median(gui, "main_painted_ms"),
            "ms",
            "bare window shown",
            bare_ms,
            None,
        ),
        (
            "sign-in to usable Today list",
            _median(gui, "today_ms"),
            "ms",
            "bare window shown",
            bare_ms,
            5.0,
        ),
        ("type-ahead p50 (search to repaint)", typing["p50_ms"], "ms", "one frame", FRAME_MS, None),
        (
            "type-ahead p95 (search to repaint)",
            typing["p95_ms"],
            "ms",
            "one frame",
            FRAME_MS,
            16.0 / FRAME_MS,
        ),
        (
            "name search service query",
            typing["service_ms"],
            "ms",
            "raw indexed SQLite prefix query",
            typing["raw_ms"],
            10.0,
        ),
        (
            f"open a chart with {records['visits_per_chart']:g} visits, p95",
            records["chart_p95_ms"],
            "ms",
            "one frame",
            FRAME_MS,
            50.0 / FRAME_MS,
        ),
        (
            "open a visit (dialog shown)",
            records["open_visit_ms"],
            "ms",
            "one frame",
            FRAME_MS,
            None,
        ),
        ("live dose per keystroke p50", records["dose_p50_ms"], "ms", "one frame", FRAME_MS, None),
        (
            "live dose per keystroke p95",
            records["dose_p95_ms"],
            "ms",
            "one frame",
            FRAME_MS,
            16.0 / FRAME_MS,
        ),
        (
            "blank checklist PDF",
            pdf["sheet_ms"],
            "ms",
            "bare reportlab A4 page, 30-row table",
            pdf["bare_ms"],
            3.0,
        ),
        (
            "peak memory of the GUI after sign-in",
            _median(gui, "peak_mb"),
            "MB",
            "bare window's peak RSS",
            bare_mb,
            2.5,
        ),
    ]
    return {
        "figures": [
            {
                "figure": name,
                "value": round(value, 2),
                "unit": unit,
                "limit": limit_name,
                "limit_value": round(limit, 2),
                "ratio": round(value / limit, 2) if limit else None,
                "budget": budget,
                "within": None if budget is None else value / limit <= budget,
            }
            for name, value, unit, limit_name, limit, budget in figures
        ],
        "size": size_per_visit(db),
        "records": records,
    }


def markdown(report: dict[str, Any]) -> str:
    lines = [
        f"Measured {report['when']} on {report['machine']}, {report['patients']:,} demo patients.",
        "",
        "| figure | value | limit (same run) | ratio | budget | ok |",
        "|---|---|---|---|---|---|",
    ]
    for f in report["figures"]:
        budget = "-" if f["budget"] is None else f"<= {f['budget']:g}x"
        ok = "-" if f["within"] is None else ("yes" if f["within"] else "**no**")
        lines.append(
            f"| {f['figure']} | {f['value']:g} {f['unit']} | {f['limit']} "
            f"({f['limit_value']:g} {f['unit']}) | {f['ratio']:g}x | {budget} | {ok} |"
        )
    size = report["size"]
    per_visit = size["bytes_per_visit"]
    tables = ", ".join(
        f"{name} {used / 1e6:.1f} MB" for name, used in size["largest_tables"].items()
    )
    lines += [
        "",
        f"Database: {size['bytes'] / 1e6:.1f} MB for {size['visits']:,} visits"
        + (f" ({per_visit / 1024:.1f} KiB per visit)" if per_visit else "")
        + (f"; largest: {tables}." if tables else "."),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Issue 15's speed figures as ratios.")
    parser.add_argument("--patients", type=int, default=50_000)
    parser.add_argument("--dir", type=Path, help="where the database is kept (reused)")
    parser.add_argument("--out", type=Path, help="where the JSON and Markdown go")
    parser.add_argument("--strict", action="store_true", help="exit 1 when over a budget")
    args = parser.parse_args(argv)
    folder = args.dir or Path(tempfile.mkdtemp(prefix="clinic_bench_"))
    folder.mkdir(parents=True, exist_ok=True)
    db = folder / f"bench-{args.patients}.sqlite3"
    seconds = seed(db, args.patients)
    how = f"seeded in {seconds:.0f} s" if seconds else "reused"
    print(f"database {db} ({how})")
    report: dict[str, Any] = {
        "when": f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, {platform.system()} "
        f"{platform.release()}, Python {platform.python_version()}",
        "patients": args.patients,
        "seed_seconds": round(seconds, 1),
        **measure(db, folder / "ui.ini"),
    }
    out = args.out or folder
    out.mkdir(parents=True, exist_ok=True)
    (out / "benchmarks.json").write_text(json.dumps(report, indent=2), encoding="utf-8")
    table = markdown(report)
    (out / "benchmarks.md").write_text(table, encoding="utf-8")
    print(table)
    over = any(f["within"] is False for f in report["figures"])
    return 1 if args.strict and over else 0


if __name__ == "__main__":
    sys.exit(main())
