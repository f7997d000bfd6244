"""One dialog shape for every "say why" question of the visit: what is about to be recorded,
one reason line, the service's refusal, then the confirm button and Cancel.

Pausing, ending the infusion early, not giving the dose and discharging with vitals missing all
ask the same way: the confirm button stays disabled until a required reason is typed (Enter then
confirms); the service decides and a refusal is shown in the dialog, which stays open; closing
it with a reason typed and not saved asks first (:mod:`clinic_app.ui.unsaved`). Subclasses put
their own widgets in :attr:`ReasonDialog.intro` (above the reason's caption) and
:attr:`ReasonDialog.choices` (between the caption and the reason line).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.unsaved import may_discard

WARNING_STYLE = "color: #7F0000; font-weight: 600;"
#: The amber box that says why a reason is asked (premedication not given, steps skipped).
CAUTION_BOX_STYLE = (
    "background: #FFF4E5; color: #663C00; border: 1px solid #E0C080; "
    "border-radius: 4px; padding: 6px; font-weight: 600;"
)
REASON_MAX_LENGTH = 500


class ReasonDialog(QDialog):
    """Asks why; ``confirmed`` carries the reason typed (spaces trimmed; '' when none is
    asked for)."""

    confirmed = Signal(str)

    def __init__(self, *, title: str, caption: str, reason_name: str, confirm_text: str,
                 confirm_name: str, discard_what: str, placeholder: str = "",
                 required: bool = True, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.saved = False
        self._required = required
        self._discard_what = discard_what
        self.intro = QVBoxLayout()
        self.choices = QVBoxLayout()
        self.reason = QLineEdit()
        self.reason.setAccessibleName(reason_name)
        self.reason.setPlaceholderText(placeholder)
        self.reason.setMaxLength(REASON_MAX_LENGTH)
        self.reason.setMinimumWidth(440)
        self.caption = QLabel(caption)
        self.caption.setBuddy(self.reason)
        self.error = ValueLabel(f"{title} error", alert=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm: QPushButton = self.buttons.addButton(
            confirm_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setAccessibleName(confirm_name)
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        column = QVBoxLayout(self)
        column.addLayout(self.intro)
        column.addWidget(self.caption)
        column.addLayout(self.choices)
        for widget in (self.reason, self.error, self.buttons):
            column.addWidget(widget)
        self.confirm.setDefault(True)  # once in the dialog: Enter confirms
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        self._update()
        self.reason.setFocus()

    def asks_reason(self) -> bool:
        """Whether a reason is asked for at all (ending a full bag asks none)."""
        return True

    def _update(self) -> None:
        self.confirm.setEnabled(not (self._required and self.asks_reason())
                                or bool(self.reason.text().strip()))

    def _confirm(self) -> None:
        if self.confirm.isEnabled():
            self.confirmed.emit(self.reason.text().strip() if self.asks_reason() else "")

    def show_error(self, message: str) -> None:
        """The service's refusal, in the dialog."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def has_unsaved_input(self) -> bool:
        """True while open with a reason typed and not saved."""
        return self.isVisible() and not self.saved and bool(self.reason.text().strip())

    def done_saving(self) -> None:
        """The service recorded it: close without asking."""
        self.saved = True
        self.accept()

    def reject(self) -> None:
        """Qt override (Esc, Cancel, the title bar): ask before discarding the reason typed."""
        if may_discard(self, self._discard_what):
            super().reject()


def wrapped(text: str, name: str, style: str = "") -> QLabel:
    """A word-wrapped label with an accessible name (and a style), for a dialog's intro."""
    label = ValueLabel(name, text)
    label.setWordWrap(True)
    if style:
        label.setStyleSheet(style)
    return label
