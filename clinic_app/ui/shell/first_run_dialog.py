"""First start on an empty database: create the first nurse account, then sign in as her.

Later accounts are added by a signed-in nurse (File › Nurse accounts…); this dialog only appears
while the database has no nurse at all. The form is :class:`NurseAccountForm`.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QWidget,
)

from clinic_app.services import accounts
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.shell.nurse_form import NurseAccountForm, lay_out_account_dialog


class FirstRunDialog(QDialog):
    """Creates the first nurse account; ``signed_in`` carries the new nurse's summary."""

    signed_in = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Welcome — create the first nurse account")
        self.setAccessibleName("Create the first nurse account")
        intro = QLabel("This database has no nurse accounts yet. Create yours to start; "
                       "you can add your colleagues later with File › Nurse accounts.")
        intro.setWordWrap(True)
        intro.setAccessibleName("First start")
        form = QFormLayout()
        self.account = NurseAccountForm(form)
        self.rows = self.account.rows
        self.message = self.account.message
        self.create_button = lay_out_account_dialog(
            self, intro=intro, form=form, message=self.message, accept="Create account",
            accept_name="Create account", submit=self.submit)
        self.setMinimumWidth(460)
        self.account.display_name.setFocus()

    def submit(self) -> None:
        """Create the account with the auth service, then sign in with it."""
        nurse = self.account.create(self.state)
        if nurse is None:
            return
        try:
            nurse = accounts.sign_in(self.state.ctx, username=nurse.username,
                                     secret=self.account.secret.text())
        except EXPECTED_ERRORS as exc:
            self.account.show_refusal(exc)
            return
        self.state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
        self.signed_in.emit(nurse)
        self.accept()
