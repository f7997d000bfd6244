""" "Changed by Beat Meier at 09:42. Reload": another workstation changed what a screen shows
while the nurse has typed something there that is not saved yet (issue 14).

The screen is not redrawn under her hands; the banner says who changed it and when (local
time), without a dialog, and Reload reads the record again when she is ready (what she typed in
rows not yet saved stays). Read out as an alert.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFrame, QHBoxLayout, QPushButton, QWidget

from clinic_app.ui.a11y import ValueLabel

BANNER_STYLE = "QFrame#changedBanner { background: #FFF4CE; border: 1px solid #B38600; }"


class ChangedBanner(QFrame):
    """Hidden until :meth:`show_change`; Reload hides it and emits ``reload_clicked``."""

    reload_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("changedBanner")
        self.setStyleSheet(BANNER_STYLE)
        self.text = ValueLabel("Changed on another workstation", alert=True)
        self.text.setWordWrap(True)
        self.reload = QPushButton("&Reload")
        self.reload.setAccessibleName("Reload the changes from the other workstation")
        self.reload.setAutoDefault(False)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.text, stretch=1)
        row.addWidget(self.reload)
        self.reload.clicked.connect(self._reload)
        self.hide()

    def show_change(self, message: str) -> None:
        """Show "<message>. Reload" ("Changed by Beat Meier at 09:42")."""
        self.text.setText(f"{message}. Reload to see it; what you typed here stays.")
        self.show()

    def _reload(self) -> None:
        self.hide()
        self.reload_clicked.emit()
