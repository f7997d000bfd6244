"""Long work (backup, demo seeding, large exports) off the GUI thread, with a progress dialog.

The work is a plain function (Orange3's habit): ``fn(progress)`` where ``progress(done, total)``
may be called from the worker thread. The window stays responsive; the result or the error comes
back on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

Progress = Callable[[int, int], None]


class _Signals(QObject):
    progressed = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[Progress], Any], signals: _Signals) -> None:
        super().__init__()
        self._fn = fn
        self._signals = signals

    def run(self) -> None:
        try:
            result = self._fn(self._report_progress)
        except Exception as exc:  # handed to the GUI thread, shown there
            self._emit(self._signals.failed, exc)
        else:
            self._emit(self._signals.finished, result)

    def _report_progress(self, done: int, total: int) -> None:
        self._emit(self._signals.progressed, done, total)

    def _emit(self, signal: Any, *args: object) -> None:
        """Hand a result to the GUI thread unless the window that asked for it is gone.

        The signals live as long as the widget that started the work; a window closed while its
        work runs (sign-out during the background page check, a search typed over) has nobody
        to tell, and the emit would raise from the pool thread.
        """
        if not shiboken6.isValid(self._signals):
            return
        try:
            signal.emit(*args)
        except RuntimeError:  # deleted between the check and the emit
            if shiboken6.isValid(self._signals):
                raise


def run_with_progress(parent: QWidget, label: str, fn: Callable[[Progress], Any], *,
                      on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None]) -> QProgressDialog:
    """Run ``fn`` in the thread pool, showing ``label`` and its progress; returns the dialog."""
    dialog = QProgressDialog(label, "", 0, 0, parent)
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.WindowModal)
    dialog.setAccessibleName(label)
    dialog.setMinimumDuration(300)
    signals = _Signals(dialog)

    def progressed(done: int, total: int) -> None:
        dialog.setMaximum(max(total, 1))
        dialog.setValue(done)

    def finished(result: object) -> None:
        dialog.close()
        on_done(result)

    def failed(exc: object) -> None:
        dialog.close()
        on_error(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))

    signals.progressed.connect(progressed)
    signals.finished.connect(finished)
    signals.failed.connect(failed)
    QThreadPool.globalInstance().start(_Job(fn, signals))
    return dialog


def run_in_background(parent: QObject, fn: Callable[[Progress], Any], *,
                      on_progress: Callable[[int, int], None],
                      on_done: Callable[[Any], None],
                      on_error: Callable[[BaseException], None]) -> None:
    """Run ``fn`` in the thread pool without a dialog (the window stays usable); progress, the
    result or the error come back on the GUI thread through ``parent``'s lifetime."""
    signals = _Signals(parent)

    def finished(result: object) -> None:
        signals.deleteLater()
        on_done(result)

    def failed(exc: object) -> None:
        signals.deleteLater()
        on_error(exc if isinstance(exc, BaseException) else RuntimeError(str(exc)))

    signals.progressed.connect(on_progress)
    signals.finished.connect(finished)
    signals.failed.connect(failed)
    QThreadPool.globalInstance().start(_Job(fn, signals))
