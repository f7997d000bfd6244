"""First start on an empty database: create the first nurse account, then sign in as her.

Later accounts are created by a signed-in nurse; this dialog only appears while the database has
no nurse at all. Validation (password length, PIN digits, a free user name) is the auth
service's; a message from it appears beside the field it names.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services import auth
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, field_of
from clinic_app.ui.forms import FormRows
from clinic_app.ui.shell.sign_in_dialog import message_label, secret_input


class FirstRunDialog(QDialog):
    """Creates the first nurse account; ``signed_in`` carries the new nurse's summary."""

    signed_in = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Welcome — create the first nurse account")
        self.setAccessibleName("Create the first nurse account")
        intro = QLabel("This database has no nurse accounts yet. Create yours to start; "
                       "you can add your colleagues later.")
        intro.setWordWrap(True)
        intro.setAccessibleName("First start")
        form = QFormLayout()
        self.rows = FormRows(form)
        self.display_name = self.rows.add("display_name", "&Full name", QLineEdit())
        self.username = self.rows.add("username", "&User name", QLineEdit())
        self.secret = self.rows.add("secret", "&Password", secret_input())
        self.secret.setPlaceholderText("at least 8 characters")
        self.repeat = self.rows.add("repeat", "&Repeat password", secret_input())
        self.pin = self.rows.add("pin", "P&IN (optional)", secret_input())
        self.pin.setPlaceholderText("4 to 8 digits, for quick sign-in")
        self.message = message_label("Account message")
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(
            "Create account", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setAccessibleName("Create account")
        self.create_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(440)
        self.display_name.setFocus()

    def submit(self) -> None:
        """Create the account with the auth service, then sign in with it."""
        self.rows.clear_errors()
        self.message.hide()
        if self.secret.text() != self.repeat.text():
            self.rows.show_error("repeat", "The two passwords differ. Type the same "
                                           "password twice.")
            return
        try:
            auth.create_nurse(self.state.ctx, username=self.username.text(),
                              display_name=self.display_name.text(), secret=self.secret.text(),
                              pin=self.pin.text() or None)
            nurse = auth.sign_in(self.state.ctx, username=self.username.text(),
                                 secret=self.secret.text())
        except EXPECTED_ERRORS as exc:
            field = field_of(exc)
            if field is None or not self.rows.show_error(field, str(exc)):
                self.message.setText(str(exc))
                self.message.show()
            return
        self.state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
        self.signed_in.emit(nurse)
        self.accept()
