"""One start of a window in a fresh process, for :mod:`benchmarks.run`.

``python -m benchmarks.gui_probe bare`` shows a bare QMainWindow; ``... app DB SETTINGS`` starts
the clinic's window on the database DB (its daily backup in the background), then signs the demo
nurse in and waits for the Today list. Prints one JSON line: milliseconds from the interpreter's
start to the first paint (``painted_ms``; the app's starting window), to the main window's
first paint (``main_painted_ms``, app only), from sign-in to the repainted Today list
(``today_ms``, app only) and the peak resident memory in MB (``peak_mb``).
"""

from __future__ import annotations

import json
import resource
import sys
import time

from PySide6.QtCore import QElapsedTimer, QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow, QWidget


class _Painted(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            self.count += 1
        return False


def _wait_for_paint(app: QApplication, painted: _Painted, after: int) -> None:
    while painted.count <= after:
        app.processEvents()


def _since_start_ms() -> float:
    """Milliseconds since this process started (its clock: CLOCK_MONOTONIC vs boot start)."""
    return (time.monotonic() - START) * 1000


def main(argv: list[str]) -> dict[str, float]:
    app = QApplication([])
    painted = _Painted()
    result: dict[str, float] = {}
    if argv[0] == "bare":
        window: QWidget = QMainWindow()
        window.installEventFilter(painted)
        window.resize(1366, 768)
        window.show()
        _wait_for_paint(app, painted, 0)
        result["painted_ms"] = _since_start_ms()
    else:
        # As clinic_app.__main__ starts the window: the starting window first, then the clinic.
        from clinic_app.ui.shell.starting_window import StartingWindow

        starting = StartingWindow()
        starting.installEventFilter(painted)
        starting.show()
        _wait_for_paint(app, painted, 0)
        result["painted_ms"] = _since_start_ms()
        from PySide6.QtCore import QSettings

        from clinic_app.app import build_main_window

        settings = QSettings(argv[2], QSettings.Format.IniFormat)
        state, main_window = build_main_window(["--db", argv[1]], settings=settings)
        seen = painted.count
        main_window.installEventFilter(painted)
        main_window.resize(1366, 768)
        main_window.show()
        _wait_for_paint(app, painted, seen)
        result["main_painted_ms"] = _since_start_ms()
        starting.close()
        # Imported after the paint: the app does not import the demo seeding to show its
        # window, and the nurse types her password after it is shown.
        from clinic_app.services import accounts
        from clinic_app.services.demo import DEMO_PASSWORD

        clock = QElapsedTimer()
        clock.start()
        nurse = accounts.sign_in(state.ctx, username="demo", secret=DEMO_PASSWORD)
        state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
        seen = painted.count
        main_window.today.update()
        _wait_for_paint(app, painted, seen)
        result["today_ms"] = clock.nsecsElapsed() / 1e6
        if main_window.daily_backup is not None and main_window.daily_backup.running:
            result["backup_running_at_sign_in"] = 1.0
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


START = float(sys.argv[-1])
if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:-1])))
