"""The nurse account form shared by the first-run dialog and File › Nurse accounts › Add nurse.

Full name, user name, password twice, an optional PIN and, when an administrator adds a
colleague, the role (the first account is always the administrator). Validation (password
length, PIN digits, a free user name) is the auth service's; its message appears beside the
field it names.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
)

from clinic_app.domain.permissions import Role
from clinic_app.services import accounts
from clinic_app.services.accounts.dto import NurseSummary
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, field_of
from clinic_app.ui.forms import FormRows
from clinic_app.ui.shell.sign_in_dialog import message_label, secret_input


class NurseAccountForm:
    """The account fields on ``layout`` plus a message line for errors that name no field."""

    def __init__(self, layout: QFormLayout, *, with_role: bool = False) -> None:
        self.rows = FormRows(layout)
        self.display_name = self.rows.add("display_name", "&Full name", QLineEdit())
        self.display_name.setToolTip("The name shown in the status bar and the records")
        self.username = self.rows.add("username", "&User name", QLineEdit())
        self.username.setToolTip("The sign-in name: letters a-z, digits and . _ -")
        self.secret = self.rows.add("secret", "&Password", secret_input())
        self.secret.setPlaceholderText("at least 8 characters")
        self.repeat = self.rows.add("repeat", "&Repeat password", secret_input())
        self.pin = self.rows.add("pin", "P&IN (optional)", secret_input())
        self.pin.setPlaceholderText("4 to 8 digits, for quick sign-in")
        self.role: QComboBox | None = None
        if with_role:
            self.role = self.rows.add("role", "R&ole", role_box())
            self.role.setToolTip("What the nurse may do beyond charting: a charge nurse also "
                                 "voids colleagues' entries and records go-aheads for "
                                 "stop-level warnings; an administrator also manages accounts")
        self.message: QLabel = message_label("Account message")

    def fields(self) -> list[QLineEdit]:
        """The inputs, in tab order."""
        return [self.display_name, self.username, self.secret, self.repeat, self.pin]

    def has_input(self) -> bool:
        """True when anything was typed."""
        return any(edit.text() for edit in self.fields())

    def create(self, state: AppState) -> NurseSummary | None:
        """Create the account with the auth service as the signed-in nurse (or the first
        account); None after showing why it was refused."""
        self.rows.clear_errors()
        self.message.hide()
        if self.secret.text() != self.repeat.text():
            self.rows.show_error("repeat", "The two passwords differ. Type the same "
                                           "password twice.")
            return None
        try:
            return accounts.create_nurse(state.ctx, username=self.username.text(),
                                         display_name=self.display_name.text(),
                                         secret=self.secret.text(),
                                         pin=self.pin.text() or None,
                                         role=Role.NURSE if self.role is None
                                         else Role(self.role.currentData()))
        except EXPECTED_ERRORS as exc:
            self.show_refusal(exc)
            return None

    def show_refusal(self, exc: Exception) -> None:
        """The message beside its field, else on the message line."""
        field = field_of(exc)
        if field is None or not self.rows.show_error(field, str(exc)):
            self.message.setText(str(exc))
            self.message.show()


def role_box(current: Role = Role.NURSE) -> QComboBox:
    """A list of the roles by their labels, ``current`` chosen."""
    box = QComboBox()
    for role in Role:
        box.addItem(role.label, role.value)
    box.setCurrentIndex(list(Role).index(current))
    return box


def lay_out_account_dialog(dialog: QDialog, *, intro: QLabel, form: QFormLayout,
                           message: QLabel, accept: str, accept_name: str,
                           submit: Callable[[], None]) -> QPushButton:
    """The account dialogs' shape: the intro, the form, the message line, then the accept
    button (default, named ``accept_name``) and Cancel; returns the accept button."""
    buttons = QDialogButtonBox()
    button = buttons.addButton(accept, QDialogButtonBox.ButtonRole.AcceptRole)
    button.setAccessibleName(accept_name)
    button.setDefault(True)
    cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName("Cancel")
    buttons.accepted.connect(submit)
    buttons.rejected.connect(dialog.reject)
    intro.setWordWrap(True)
    layout = QVBoxLayout(dialog)
    layout.addWidget(intro)
    layout.addLayout(form)
    layout.addWidget(message)
    layout.addWidget(buttons)
    return button
