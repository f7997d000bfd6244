"""Pause the pump, saying why: quick picks or free text, never slower than one key.

Enter pauses at once, with whatever reason is there (none is fine): a nurse pausing for a
reaction must not be slowed down. A quick pick fills the reason ("Other" empties it to be
typed); the reason is recorded with the pause and shown in the visit's pump events. Closing the
dialog with a reason typed and not saved asks first.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.unsaved import may_discard

#: (button text with its mnemonic, reason recorded; "" = type it)
QUICK_PICKS = (
    ("Reaction &signs — see reaction log", "Reaction signs — see reaction log"),
    ("&Line/pump problem", "Line/pump problem"),
    ("Patient re&quest", "Patient request"),
    ("&Other", ""),
)


class PauseDialog(QDialog):
    """The reason to pause (optional); ``confirmed`` carries it ('' for none)."""

    confirmed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Pause the infusion")
        self.setAccessibleName("Pause the infusion")
        self.saved = False
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for the pause (optional)")
        self.reason.setMaxLength(500)
        self.reason.setMinimumWidth(420)
        self.reason.setPlaceholderText("optional: Enter pauses now")
        caption = QLabel("&Reason for the pause (optional)")
        caption.setBuddy(self.reason)
        self.picks: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        picks = QHBoxLayout()
        for text, reason in QUICK_PICKS:
            button = QPushButton(text)
            button.setCheckable(True)
            button.setAutoDefault(False)
            name = text.replace("&", "")
            button.setAccessibleName(name)
            button.setToolTip("Type the reason" if not reason else f"Reason: {reason}")
            button.clicked.connect(lambda _=False, r=reason: self._picked(r))
            group.addButton(button)
            self.picks[name] = button
            picks.addWidget(button)
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Pause error")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm: QPushButton = self.buttons.addButton(
            "Pause &now", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setAccessibleName("Pause now")
        self.confirm.setToolTip("Pause now (Enter)")
        column = QVBoxLayout(self)
        column.addWidget(caption)
        column.addLayout(picks)
        column.addWidget(self.reason)
        column.addWidget(self.error)
        column.addWidget(self.buttons)
        self.confirm.setDefault(True)  # once in the dialog: Enter confirms
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        self.reason.setFocus()

    def _picked(self, reason: str) -> None:
        self.reason.setText(reason)
        self.reason.setFocus()

    def _confirm(self) -> None:
        self.confirmed.emit(self.reason.text().strip())

    def show_error(self, message: str) -> None:
        """The service's refusal, in the dialog."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def has_unsaved_input(self) -> bool:
        """True while open with a reason there and the pause not recorded."""
        return self.isVisible() and not self.saved and bool(self.reason.text().strip())

    def done_saving(self) -> None:
        """The pause is recorded: close without asking."""
        self.saved = True
        self.accept()

    def reject(self) -> None:
        """Qt override (Esc, Cancel, the title bar): ask before discarding a reason typed."""
        if may_discard(self, "pause reason"):
            super().reject()
