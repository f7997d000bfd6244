"""The daily backup in the background (issue 15): the window opens and the nurse signs in while
the copy is made; its progress shows in the status bar.

The copy itself is the composition root's function ``job(progress) -> problem | None``
(:func:`clinic_app.bootstrap.background_daily_backup`). A backup that cannot be made warns in
the status bar (and once in a dialog) and is tried again after each delay in ``retry_ms``, then
at the next start; it never stops the clinic.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, QTimer, Signal

from clinic_app.ui.workers import Progress, run_in_background

BackupJob = Callable[[Progress], str | None]
RETRY_MS = (5 * 60_000, 30 * 60_000)  # again after 5 minutes, then after 30
MADE_MESSAGE = "Daily backup made."


class DailyBackup(QObject):
    """Runs ``job`` off the GUI thread; ``progressed(done, total)``, then ``made`` or
    ``failed(problem)`` (after each attempt) on the GUI thread."""

    progressed = Signal(int, int)
    made = Signal()
    failed = Signal(str)

    def __init__(
        self, job: BackupJob, parent: QObject, *, retry_ms: Sequence[int] = RETRY_MS
    ) -> None:
        super().__init__(parent)
        self._job = job
        self._retry_ms = list(retry_ms)
        self.attempts = 0
        self.running = False

    def start(self) -> None:
        """Start an attempt (ignored while one runs)."""
        if self.running:
            return
        self.running = True
        self.attempts += 1
        run_in_background(
            self,
            self._job,
            on_progress=self.progressed.emit,
            on_done=self._done,
            on_error=lambda exc: self._done(str(exc)),
        )

    def _done(self, problem: object) -> None:
        self.running = False
        if problem is None:
            self.made.emit()
            return
        self.failed.emit(str(problem))
        if self._retry_ms:
            QTimer.singleShot(self._retry_ms.pop(0), self, self.start)


def progress_message(done: int, total: int) -> str:
    """The status bar's line while the copy is made, e.g. "Daily backup: 40 %"."""
    return f"Daily backup: {100 * done // max(total, 1)} %"
