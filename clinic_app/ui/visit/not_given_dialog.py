"""Do not give today: close the visit before the start, with the reason.

The dialog names the patient and the dose and says what recording it does (the visit is closed,
the dose stays owed and is booked again from the course); the reason (what was found and who
decided) is required, so the confirm button stays disabled until one is typed. The service
(``services.visit_closing.hold_dose``) decides whether it is still allowed; a refusal is shown in
the dialog, which stays open. Closing it with a reason typed and not saved asks first.
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

from clinic_app.services.visits.dto import VisitDetail
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.unsaved import may_discard

WARNING_STYLE = "color: #7F0000; font-weight: 600;"
PLACEHOLDER = "e.g. Temp 38.4 °C; Dr Nowak: postpone 1 week"


class NotGivenDialog(QDialog):
    """Asks why the dose is not given; ``confirmed`` carries the reason typed."""

    confirmed = Signal(str)

    def __init__(self, detail: VisitDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Do not give today")
        self.setAccessibleName("Do not give today")
        self.saved = False
        who = detail.patient.display_name
        self.what = QLabel(f"<b>{who}</b>: {detail.course.drug} dose {detail.dose_number} will "
                           "not be given today.")
        self.what.setWordWrap(True)
        self.what.setAccessibleName("What is not given")
        self.consequence = QLabel("The visit is closed before the start. The dose stays owed: "
                                  "book it again from the course when the prescriber says.")
        self.consequence.setWordWrap(True)
        self.consequence.setStyleSheet(WARNING_STYLE)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason the dose is not given")
        self.reason.setPlaceholderText(PLACEHOLDER)
        self.reason.setMaxLength(500)
        self.reason.setMinimumWidth(460)
        caption = QLabel("&Reason: what was found and who decided (required)")
        caption.setBuddy(self.reason)
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("Do not give today error")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm: QPushButton = self.buttons.addButton(
            "Do &not give today", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setAccessibleName("Confirm: do not give today")
        column = QVBoxLayout(self)
        for widget in (self.what, self.consequence, caption, self.reason, self.error,
                       self.buttons):
            column.addWidget(widget)
        self.confirm.setDefault(True)  # once in the dialog: Enter confirms
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        self._update()
        self.reason.setFocus()

    def _update(self) -> None:
        self.confirm.setEnabled(bool(self.reason.text().strip()))

    def _confirm(self) -> None:
        if self.confirm.isEnabled():
            self.confirmed.emit(self.reason.text().strip())

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
        if may_discard(self, "reason"):
            super().reject()
