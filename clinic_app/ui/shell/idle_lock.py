"""The idle lock: after ``idle_lock_minutes`` without a key press or a click, lock the window.

A shared workstation must not show patient records to whoever walks past, nor let the next person
act under the previous nurse's name. Any keyboard, mouse or wheel input anywhere in the
application restarts the countdown (the application's one event filter,
:mod:`clinic_app.ui.app_events`).
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QTimer, Signal

from clinic_app.ui.app_events import app_events


class IdleLock(QObject):
    """Emits ``timed_out`` once the application has been idle for the interval while armed."""

    timed_out = Signal()

    def __init__(self, minutes: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.timeout.connect(self.timed_out)
        events = app_events()
        if events is not None:
            events.user_active.connect(self.user_active)

    def set_interval_ms(self, ms: int) -> None:
        """Change the idle time (the clinic setting is in minutes; tests use milliseconds)."""
        self.timer.setInterval(ms)
        if self.timer.isActive():
            self.timer.start()

    def arm(self) -> None:
        """Start counting (after a sign-in)."""
        self.timer.start()

    def disarm(self) -> None:
        """Stop counting (while locked)."""
        self.timer.stop()

    def user_active(self) -> None:
        """Restart the countdown on any user input (while armed)."""
        if self.timer.isActive():
            self.timer.start()
