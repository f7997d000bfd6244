"""Every page of the database read in the background once the window is shown (issue 15).

At start only the schema and the root of every table and index are read before the window
opens (milliseconds); ``PRAGMA quick_check`` of the whole file (3 s on the 1.6 GB demo) runs
here, off the GUI thread: "Checking the database…" in the status bar, then "Database checked."
(the daily backup starts after it). A check that cannot run (another workstation holds an
exclusive lock, the file cannot be read) is no damage: the status bar says so and work goes on.
Damage found stops the clinic as damage found at start does
(:meth:`clinic_app.ui.shell.main_window.MainWindow.stop_for_damaged_database`). The check itself
is the composition root's ``job() -> damaged-database message | None``
(:func:`clinic_app.bootstrap.background_page_check`).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from clinic_app.ui.workers import Progress, run_in_background

PageCheckJob = Callable[[], str | None]
CHECKING_MESSAGE = "Checking the database…"
CHECKED_MESSAGE = "Database checked."


NOT_CHECKED_MESSAGE = "The database could not be checked now: {problem}"


class PageCheck(QObject):
    """Runs ``job`` once off the GUI thread; then ``passed``, ``damaged(message)``, or
    ``not_checked(why)`` when the job raised."""

    passed = Signal()
    damaged = Signal(str)
    not_checked = Signal(str)

    def __init__(self, job: PageCheckJob, parent: QObject) -> None:
        super().__init__(parent)
        self._job = job
        self.running = False
        self.done = False

    def start(self) -> None:
        """Start the check (ignored while it runs or once it has run)."""
        if self.running or self.done:
            return
        self.running = True

        def check(_progress: Progress) -> str | None:
            return self._job()

        run_in_background(
            self,
            check,
            on_progress=lambda _done, _total: None,
            on_done=self._finished,
            on_error=self._failed,
        )

    def _finished(self, problem: object) -> None:
        self.running = False
        self.done = True
        if problem is None:
            self.passed.emit()
        else:
            self.damaged.emit(str(problem))

    def _failed(self, exc: BaseException) -> None:
        self.running = False
        self.done = True
        self.not_checked.emit(NOT_CHECKED_MESSAGE.format(problem=exc))
