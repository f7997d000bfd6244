"""What the window shows while nobody is signed in: no patient data, one way back in."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from clinic_app.ui.a11y import ValueLabel


class LockPage(QWidget):
    """A calm page saying the workstation is locked, with a "Sign in…" button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Locked")
        self.title = ValueLabel("Workstation locked", "Workstation locked")
        self.title.setStyleSheet("font-size: 20pt; font-weight: 600;")
        self.detail = ValueLabel("Lock detail", "Patient records are hidden. Sign in to continue.")
        self.sign_in_button = QPushButton("&Sign in…")
        self.sign_in_button.setAccessibleName("Sign in")
        self.sign_in_button.setMinimumWidth(180)
        layout = QVBoxLayout(self)
        layout.addStretch(2)
        for widget in (self.title, self.detail, self.sign_in_button):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(3)

    def set_reason(self, text: str) -> None:
        """Why the window is locked ("Locked after 10 minutes without activity.")."""
        self.detail.setText(text)
