"""Other workstations' changes on this screen within two seconds (issue 14).

:class:`LiveUpdates` asks ``services.live`` about once a second (``interval_ms``) whether
another workstation committed something, while a nurse is signed in, and announces what it
hears with :meth:`AppState.announce_remote`; the views decide what to read again (the Today
board at once; a visit with unsaved input shows "Changed by … at … Reload" instead; a chart or
course through :func:`follow_other_workstations`, only while on screen). The
question is cheap (a PostgreSQL notice already received, or SQLite's ``data_version``) and
never waits for the other workstation.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from clinic_app.services import live
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS

LIVE_POLL_MS = 1000


class LiveUpdates(QObject):
    """The timer that listens for other workstations' changes while someone is signed in."""

    def __init__(
        self, state: AppState, *, interval_ms: int = LIVE_POLL_MS, parent: QObject | None = None
    ) -> None:
        super().__init__(parent)
        self._state = state
        self._watch: live.ChangeWatch | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        state.signed_in.connect(self.start)
        state.signed_out.connect(self.stop)
        if state.nurse is not None:
            self.start()

    def start(self, _nurse: object = None) -> None:
        """Listen (again): the views read everything anew at sign-in anyway."""
        if self._watch is None:
            try:
                self._watch = live.watch_changes(self._state.ctx)
            except EXPECTED_ERRORS:
                return  # the views still refresh on their own timers
        self.timer.start()

    def stop(self) -> None:
        """Stop listening (sign-out, idle lock, closing the window)."""
        self.timer.stop()
        if self._watch is not None:
            self._watch.close()
            self._watch = None

    def poll(self) -> None:
        """Ask once; announce another workstation's change."""
        if self._watch is None:
            return
        try:
            change = self._watch.poll(self._state.ctx)
        except EXPECTED_ERRORS:
            return  # asked again at the next tick
        if change is not None:
            self._state.announce_remote(change)


class _Follower(QObject):
    def __init__(self, state: AppState, widget: QWidget, read: Callable[[], None]) -> None:
        super().__init__(widget)
        self._widget = widget
        self._read = read
        self._unread = False
        state.remote_changed.connect(self._changed)
        widget.installEventFilter(self)

    def _changed(self, _change: object) -> None:
        if self._widget.isVisible():
            self._read()
        else:
            self._unread = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Qt override: a widget shown again reads what changed while it was hidden."""
        if watched is self._widget and event.type() == QEvent.Type.Show and self._unread:
            self._unread = False
            self._read()
        return False


def follow_other_workstations(state: AppState, widget: QWidget,
                              read: Callable[[], None]) -> QObject:
    """Call ``read`` when another workstation commits while ``widget`` is on screen, or when
    it is next shown (a record in a hidden tab costs nothing meanwhile). ``read`` should
    redraw only what changed. The helper lives as long as ``widget``."""
    return _Follower(state, widget, read)
