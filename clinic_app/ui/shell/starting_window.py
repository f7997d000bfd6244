"""The window a nurse sees the moment she starts the app, before the clinic is opened.

Opening the clinic imports the database layer and the screens and checks the database: on the
large demo that took most of a second before anything was shown (issue 15, "launch to first
painted window", 6.4x a bare window). This module imports nothing but Qt, so the program can
show this window first (:func:`show_starting_window`) and replace it with the main window once
the clinic is open; a start-up that fails closes it before saying why.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from clinic_app import APP_NAME
from clinic_app.desktop_entry import DESKTOP_ID
from clinic_app.resource_files import resource_path

DISPLAY_NAME = "Infusion clinic"
OPENING_TEXT = "Opening the clinic…"


def make_application(argv0: str) -> QApplication:
    """The running QApplication (made when there is none) named as the clinic's program."""
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([argv0 or APP_NAME])
    app.setOrganizationName(APP_NAME)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(DISPLAY_NAME)
    app.setDesktopFileName(DESKTOP_ID)
    app.setWindowIcon(QIcon(str(resource_path("icons", "clinic-app.svg"))))
    return app


class StartingWindow(QWidget):
    """"Opening the clinic…", centred in a plain window (read as such by a screen reader)."""

    def __init__(self) -> None:
        super().__init__()
        self.setWindowTitle(OPENING_TEXT)
        self.setAccessibleName(f"{DISPLAY_NAME}: {OPENING_TEXT}")
        self.message = QLabel(OPENING_TEXT)
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setAccessibleName(OPENING_TEXT)
        font = self.message.font()
        font.setPointSizeF(font.pointSizeF() * 1.4)
        self.message.setFont(font)
        QVBoxLayout(self).addWidget(self.message)
        self.resize(480, 200)


def show_starting_window(app: QApplication) -> StartingWindow:
    """Show the starting window and let Qt paint it before the caller goes on."""
    window = StartingWindow()
    window.show()
    app.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    return window
