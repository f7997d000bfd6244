"""Opening a chart and the live dose per keystroke, in the real main window (offscreen), on
Qt's clocks, for :mod:`benchmarks.run`.

- **Chart:** ``MainWindow.open_chart`` of a patient with 15 visits on file (the nearest number
  in a small demo) until the chart's first paint; p50/p95 over the charts, each opened in a
  fresh tab (one chart is opened first, not counted: it loads the chart's modules, once per
  session).
- **Open a visit:** the "Open infusion visit" dialog of a booked appointment, built and shown
  until its first paint (the nurse's click on "Open visit…" on Today).
- **Dose per keystroke:** in that dialog the weight is typed key by key (a digit, then
  Backspace, so each key changes the plan: "70" → "7" → "71" → ...); after each key the service's
  preview is asked at once (the dialog's 250 ms typing pause is a deliberate wait, left out) and
  the clock stops at the repaint of the dose plan. p50/p95 over 200 keystrokes.
"""

from __future__ import annotations

import sqlite3
import statistics
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any

from PySide6.QtCore import QElapsedTimer, QEvent, QObject, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

TIMEOUT_MS = 5_000
VISITS_PER_CHART = 15


class _Paints(QObject):
    """Counts the paint events of the widgets it is installed on (installed on a widget that
    paints itself, not on the application: an application filter in Python would slow every
    event of the measured work)."""

    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False

    def wait(self, app: QApplication, seen: int) -> bool:
        """Process events until a paint after ``seen``; False when none came in time."""
        clock = QElapsedTimer()
        clock.start()
        while self.count <= seen:
            if clock.elapsed() > TIMEOUT_MS:
                return False
            app.processEvents()
        return True


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _patients_with_visits(db: Path, visits: int, count: int) -> tuple[int, list[int]]:
    """``count`` patients with ``visits`` visits on file, else with the nearest number; and the
    fewest visits among them."""
    with closing(sqlite3.connect(db)) as raw:
        rows = raw.execute(
            "SELECT patient_id, count(*) AS n FROM infusion_visits GROUP BY patient_id "
            "ORDER BY abs(n - ?), n DESC, patient_id LIMIT ?",
            (visits, count),
        ).fetchall()
    return min(int(r[1]) for r in rows), [int(r[0]) for r in rows]


def _booked_appointments(db: Path, count: int) -> list[int]:
    with closing(sqlite3.connect(db)) as raw:
        return [
            int(r[0])
            for r in raw.execute(
                "SELECT a.id FROM appointments a WHERE a.status = 'booked' AND a.voided_at IS NULL "
                "AND NOT EXISTS (SELECT 1 FROM infusion_visits v WHERE v.appointment_id = a.id) "
                "ORDER BY a.due_date, a.id LIMIT ?",
                (count,),
            )
        ]


def charts_and_dose(
    db: Path, settings: Path, *, charts: int = 20, keystrokes: int = 200
) -> dict[str, Any]:
    """The figures of the module docstring."""
    from clinic_app.bootstrap import close_clinic, open_clinic
    from clinic_app.services import accounts
    from clinic_app.services.demo import DEMO_PASSWORD
    from clinic_app.ui.app_state import AppState
    from clinic_app.ui.patients.chart_view import PatientChartWidget
    from clinic_app.ui.shell.main_window import MainWindow
    from clinic_app.ui.visit.open_visit_dialog import OpenVisitDialog

    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    ctx = open_clinic(db, every_page=False)
    state = AppState(ctx, demo=True)
    window = MainWindow(
        state, settings=QSettings(str(settings), QSettings.Format.IniFormat), database_label=str(db)
    )
    nurse = accounts.sign_in(state.ctx, username="demo", secret=DEMO_PASSWORD)
    state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
    missed = 0

    def painted(widget: QWidget, action: Callable[[], object] | None = None) -> bool:
        paints = _Paints()
        widget.installEventFilter(paints)
        if action is not None:
            action()
        done = paints.wait(app, 0)
        widget.removeEventFilter(paints)
        return done

    window.resize(1366, 768)
    painted(window, window.show)
    visits, patients = _patients_with_visits(db, VISITS_PER_CHART, charts + 1)
    chart_ms = []
    for patient_id in patients:
        clock = QElapsedTimer()
        clock.start()
        window.open_chart(patient_id)  # built and shown; painted by the event loop
        chart = window.tabs.keyed(("chart", patient_id))
        assert isinstance(chart, PatientChartWidget)
        missed += not painted(chart.tabs.tabBar())
        chart_ms.append(clock.nsecsElapsed() / 1e6)
        window.tabs.close_records()
        app.processEvents()
    first_chart_ms, chart_ms = chart_ms[0], chart_ms[1:]

    appointments = _booked_appointments(db, 1 + keystrokes // 20)
    open_ms: list[float] = []
    dose_ms: list[float] = []
    for appointment_id in appointments:
        clock = QElapsedTimer()
        clock.start()
        dialog = OpenVisitDialog(state, appointment_id, navigator=window, parent=window)
        weight, plan = dialog.view.weight, dialog.view.plan
        missed += not painted(plan, dialog.show)
        open_ms.append(clock.nsecsElapsed() / 1e6)
        QTest.keyClicks(weight, "70")
        painted(plan, dialog.refresh_preview)
        paints = _Paints()
        plan.installEventFilter(paints)
        for digit in "1234567890":
            for key in (Qt.Key.Key_Backspace, Qt.Key(Qt.Key.Key_0 + int(digit))):
                if len(dose_ms) == keystrokes:
                    break
                clock = QElapsedTimer()
                clock.start()
                seen = paints.count
                QTest.keyClick(weight, key)
                dialog.refresh_preview()
                missed += not paints.wait(app, seen)
                dose_ms.append(clock.nsecsElapsed() / 1e6)
        plan.removeEventFilter(paints)
        dialog.view.weight.clear()
        dialog.reject()
        dialog.deleteLater()
        app.processEvents()
        if len(dose_ms) == keystrokes:
            break
    window.close()
    close_clinic(ctx)
    if missed:
        raise RuntimeError(f"{missed} measured actions were not repainted within {TIMEOUT_MS} ms")
    return {
        "visits_per_chart": float(visits),
        "charts": float(len(chart_ms)),
        "first_chart_ms": first_chart_ms,
        "chart_p50_ms": _percentile(chart_ms, 0.5),
        "chart_p95_ms": _percentile(chart_ms, 0.95),
        "open_visit_ms": statistics.median(open_ms[1:] or open_ms),
        "keystrokes": float(len(dose_ms)),
        "dose_p50_ms": _percentile(dose_ms, 0.5),
        "dose_p95_ms": _percentile(dose_ms, 0.95),
    }
