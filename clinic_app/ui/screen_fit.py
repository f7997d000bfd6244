"""Keep every window and dialog inside the screen it opens on (issue 12, laptop screens).

A 1024x600 netbook, or a 1920x1080 screen at 150 % scaling (1280x720 logical pixels), has less
room than the 1366x768 the screens were drawn for. Nothing may then open or grow past the
screen: Save and Close off-screen in an emergency is a safety problem. :func:`fit_to_screen`
caps a top-level window to the available geometry of its screen (the desktop minus task bars,
less the window frame) and moves it back on screen; :func:`install_screen_fit` does that for
every dialog and main window whenever it is shown, so no dialog needs its own size code.
Content taller than the cap scrolls inside the window: :func:`scrolling` wraps a body in a
frameless :class:`QScrollArea`, and the button box stays outside it, always visible.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QScrollArea, QWidget

from clinic_app.ui.app_events import app_events

#: Room left between a capped window and the screen's edges (logical pixels).
EDGE = 0


def available_area(widget: QWidget) -> QRect | None:
    """The available geometry (logical pixels) of the screen ``widget`` is on, or ``None``."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else None


def frame_extra(window: QWidget) -> QSize:
    """What the window manager's frame adds to the window's own size (0 before it is shown)."""
    frame, inner = window.frameGeometry(), window.geometry()
    return QSize(max(0, frame.width() - inner.width()), max(0, frame.height() - inner.height()))


def largest_size(window: QWidget) -> QSize | None:
    """The largest size ``window`` may take so that it, with its frame, fits on its screen."""
    area = available_area(window)
    if area is None:
        return None
    extra = frame_extra(window)
    return QSize(area.width() - extra.width() - 2 * EDGE, area.height() - extra.height() - 2 * EDGE)


def fit_to_screen(window: QWidget) -> None:
    """Cap ``window`` to its screen's available geometry and move it back onto the screen.

    The maximum size is set too, so a layout that asks for more later cannot push the window
    past the screen (its content scrolls instead).
    """
    most = largest_size(window)
    area = available_area(window)
    if most is None or area is None:
        return
    window.setMaximumSize(most.expandedTo(QSize(1, 1)))
    if window.width() > most.width() or window.height() > most.height():
        window.resize(window.size().boundedTo(most))
    frame = window.frameGeometry()
    x = min(max(frame.x(), area.left()), area.right() + 1 - frame.width())
    y = min(max(frame.y(), area.top()), area.bottom() + 1 - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        window.move(max(x, area.left()), max(y, area.top()))


class FittingScrollArea(QScrollArea):
    """A frameless scroll area that asks for its whole body (so a dialog opens showing all of
    it when the screen has room) and scrolls it when the window is capped to the screen."""

    def __init__(self, body: QWidget, *, sideways: bool = False) -> None:
        super().__init__()
        self.setWidgetResizable(True)
        self.setWidget(body)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        if not sideways:
            self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

    def sizeHint(self) -> QSize:
        """Qt override: the body's own size hint (Qt's is capped at a small size), plus room
        for the scroll bar."""
        body = self.widget()
        if body is None:
            return super().sizeHint()
        hint = body.sizeHint().expandedTo(body.minimumSizeHint())
        if body.hasHeightForWidth():
            hint.setHeight(body.heightForWidth(hint.width()))
        bar = self.verticalScrollBar().sizeHint().width()
        return QSize(hint.width() + bar, hint.height())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Qt override: when the body's layout changes (messages shown), ask again, and grow
        the dialog (never past its screen) so the body shows whole if the screen has room."""
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            self.updateGeometry()
            self._grow_dialog()
        return super().eventFilter(watched, event)

    def _grow_dialog(self) -> None:
        body, window = self.widget(), self.window()
        if body is None or not isinstance(window, QDialog) or not window.isVisible():
            return
        width = self.viewport().width()
        needed = (
            body.heightForWidth(width) if body.hasHeightForWidth() else body.sizeHint().height()
        )
        missing = needed - self.viewport().height()
        most = largest_size(window)
        if missing > 0 and most is not None:
            window.resize(window.width(), min(window.height() + missing, most.height()))


def scrolling(body: QWidget, *, sideways: bool = False) -> QScrollArea:
    """``body`` in a scroll area sized to show it whole, scrolling down (and sideways only
    when ``sideways``) when the window is capped: put this in a dialog, the buttons below."""
    return FittingScrollArea(body, sideways=sideways)


class _ScreenFitter(QObject):
    """Fits each dialog and main window to its screen when it is shown or moved to another
    screen (whose size may differ); fed by the application's one event filter
    (:mod:`clinic_app.ui.app_events`)."""

    def fit(self, window: QObject) -> None:
        if isinstance(window, QWidget):
            fit_to_screen(window)


def install_screen_fit() -> None:
    """Fit every dialog and main window of the application to its screen when shown (once)."""
    events = app_events()
    if events is None or events.findChild(_ScreenFitter) is not None:
        return
    fitter = _ScreenFitter(events)
    events.window_shown.connect(fitter.fit)
