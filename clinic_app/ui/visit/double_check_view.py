"""The second nurse's check on the visit screen: a status row under the dose plan with its
"Second nurse check…" button, and the small dialog where the second nurse signs (layout only:
the slots are :mod:`clinic_app.ui.visit.double_check_slots`).

The dialog asks what is checked (the dose plan or the prepared bag), the second nurse's own
user name and password, and her tick "I have independently checked the …"; the sign button
stays disabled until all are given. The service decides (:func:`sign_double_check`); its refusal
shows in the dialog, which stays open with what was typed. Every control has an accessible name;
the dialog fits a 1024x600 screen.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.dates import time_text
from clinic_app.domain.double_check import BAG, CHECKED_THINGS, DOSE_PLAN, SHORT_NAMES
from clinic_app.services.visits.dto import DoubleCheckEntry, DoubleCheckStatus
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.forms import ERROR_STYLE

DONE_STYLE = "color: #1B5E20; font-weight: 600;"
OPEN_STYLE = "color: #7F0000; font-weight: 600;"
_MODES = {"optional": "Optional", "required": "Required before the start"}
_OPTION_TEXTS = {
    DOSE_PLAN: "&Dose plan (weight, dose, vials, volumes, rate)",
    BAG: "Prepared &bag (drug, dose, volume, label, against the plan)",
}


def status_text(status: DoubleCheckStatus, tz: tzinfo) -> str:
    """ "Required before the start: dose plan: checked by Beat Meier at 10:42; bag: not done"."""
    parts = [
        f"{s.text} at {time_text(s.at, tz)}" if s.signed and s.at is not None else s.text
        for s in status.states
    ]
    return f"{_MODES.get(status.mode, status.mode)}: " + "; ".join(parts)


class DoubleCheckRow(QWidget):
    """Where the check stands, and the button that opens the dialog."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = ValueLabel("Second nurse check")
        self.status.setWordWrap(True)
        self.button = QPushButton("Second nurse check…")
        self.button.setAccessibleName("Second nurse check…")
        self.button.setToolTip("A second nurse checks the dose plan and the bag and signs with "
                               "her own user name and password")  # fmt: skip
        self.button.setAutoDefault(False)
        self.void = QPushButton("Void a check…")
        self.void.setAccessibleName("Void a second nurse check…")
        self.void.setAutoDefault(False)
        line = QHBoxLayout(self)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.button)
        line.addWidget(self.status, stretch=1)
        line.addWidget(self.void)

    def show_status(self, status: DoubleCheckStatus, tz: tzinfo, *, open_for_signing: bool) -> None:
        """Show the check (hidden when the clinic does not ask for it)."""
        self.setVisible(status.mode != "off")
        self.status.setText(status_text(status, tz))
        self.status.setStyleSheet(DONE_STYLE if status.done else OPEN_STYLE)
        self.button.setEnabled(open_for_signing and not status.done)
        standing = any(e.voided is None for e in status.entries)
        self.void.setVisible(open_for_signing and standing)


def entry_text(entry: DoubleCheckEntry, tz: tzinfo) -> str:
    """ "dose plan: Beat Meier at 09:30" (a check made for an earlier plan says so)."""
    text = f"{entry.what_text}: {entry.nurse} at {time_text(entry.signed_at, tz)}"
    return text if entry.counts else f"{text} (plan changed since)"


class DoubleCheckDialog(QDialog):
    """The second nurse signs one thing; ``confirmed`` carries (what, user name, password)."""

    confirmed = Signal(str, str, str)

    def __init__(self, *, first_nurse: str, status: DoubleCheckStatus,
                 parent: QWidget | None = None) -> None:  # fmt: skip
        super().__init__(parent)
        self.setWindowTitle("Second nurse check")
        self.setAccessibleName("Second nurse check")
        intro = ValueLabel(
            "About the second nurse check",
            f"A second nurse checks independently of {first_nurse or 'the nurse signed in'} "
            "and signs with her own user name and password.",
        )
        intro.setWordWrap(True)
        self.choices = QButtonGroup(self)
        self.options: dict[str, QRadioButton] = {}
        signed = {s.what for s in status.states if s.signed}
        choice_box = QVBoxLayout()
        for what, words in CHECKED_THINGS.items():
            option = QRadioButton(_OPTION_TEXTS[what])
            option.setAccessibleName(f"Checked: {words}")
            option.setEnabled(what not in signed)
            self.choices.addButton(option)
            self.options[what] = option
            choice_box.addWidget(option)
        first_open = next((w for w in (DOSE_PLAN, BAG) if w not in signed), DOSE_PLAN)
        self.options[first_open].setChecked(True)
        self.username = QLineEdit()
        self.username.setAccessibleName("Second nurse's user name")
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName("Second nurse's password")
        self.attest = QCheckBox()
        self.error = ValueLabel("Second nurse check error", alert=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.sign = self.buttons.addButton("&Sign check", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign.setAccessibleName("Sign the second nurse check")
        self.sign.setDefault(True)
        form = QFormLayout()
        what_label = QLabel("What is checked:")
        form.addRow(what_label, choice_box)
        user_label = QLabel("Second nurse's &user name:")
        user_label.setBuddy(self.username)
        form.addRow(user_label, self.username)
        password_label = QLabel("Her &password:")
        password_label.setBuddy(self.password)
        form.addRow(password_label, self.password)
        column = QVBoxLayout(self)
        column.addWidget(intro)
        column.addLayout(form)
        column.addWidget(self.attest)
        column.addWidget(self.error)
        column.addWidget(self.buttons)
        self.setMaximumSize(1000, 580)
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        for edit in (self.username, self.password):
            edit.textChanged.connect(self._update)
        self.attest.toggled.connect(self._update)
        self.choices.buttonToggled.connect(self._chosen_changed)
        self._chosen_changed()
        self.username.setFocus()

    def chosen(self) -> str:
        """What is checked: "dose_plan" or "bag"."""
        return next(w for w, option in self.options.items() if option.isChecked())

    def _chosen_changed(self) -> None:
        words = f"I have independently checked the {SHORT_NAMES[self.chosen()]}"
        self.attest.setText(f"&{words}")
        self.attest.setAccessibleName(words)
        self.attest.setChecked(False)
        self._update()

    def _update(self) -> None:
        ready = bool(self.username.text().strip() and self.password.text())
        self.sign.setEnabled(ready and self.attest.isChecked())

    def _confirm(self) -> None:
        if self.sign.isEnabled():
            self.confirmed.emit(self.chosen(), self.username.text(), self.password.text())

    def show_error(self, message: str) -> None:
        """The service's refusal, in the dialog (what was typed stays)."""
        self.error.setText(message)
        self.error.setVisible(bool(message))
