"""The application's one event filter, shared by what must see every event (issue 15).

A Python event filter on the application runs for every event of every widget: building a
chart sends about 3,000 (children added, polished, laid out). Each filter costs a call into
Python per event, and reading ``event.type()`` builds a Python enum member, so two filters
reading the type took 15 ms of the 45 ms a chart took to open on the 50,000-patient demo. This
one filter tells input events and windows apart by their class (a C-level check) and reads the
type only then, and re-emits what its users need as signals:

- ``user_active``: a key press, click, double click, wheel turn, touch or shortcut anywhere
  (the idle lock, :mod:`clinic_app.ui.shell.idle_lock`);
- ``window_shown(window)``: a dialog or main window shown or moved to another screen
  (:func:`clinic_app.ui.screen_fit.install_screen_fit`).
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Signal
from PySide6.QtGui import QInputEvent, QShortcutEvent
from PySide6.QtWidgets import QApplication, QDialog, QMainWindow

ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.Shortcut,
    }
)
WINDOW_EVENTS = frozenset({QEvent.Type.Show, QEvent.Type.ScreenChangeInternal})


class AppEvents(QObject):
    """The filter (install it with :func:`app_events`)."""

    user_active = Signal()
    window_shown = Signal(QObject)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QInputEvent | QShortcutEvent):
            if event.type() in ACTIVITY:
                self.user_active.emit()
        elif (
            isinstance(watched, QDialog | QMainWindow)
            and event.type() in WINDOW_EVENTS
            and watched.isWindow()
        ):
            self.window_shown.emit(watched)
        return False


def app_events() -> AppEvents | None:
    """The application's filter, installed on first use (None without a QApplication)."""
    app = QApplication.instance()
    if app is None:
        return None
    found = app.findChild(AppEvents)
    if found is not None:
        return found
    events = AppEvents(app)
    app.installEventFilter(events)
    return events
