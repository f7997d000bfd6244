"""Sign-in at the start of a shift and after the idle lock: user name plus password (or, to
unlock the idle lock of the nurse who signed in with her password here, her PIN).

The dialog is opened with ``open()`` (window-modal, never a blocking ``exec()``); it calls the
accounts service, which decides whether a PIN may be used and locks an account after too many
wrong tries, and, on success, records the nurse in the :class:`AppState`. A wrong secret keeps
the window locked and says so; the user name typed stays, the secret is cleared for the next
try.
"""

from __future__ import annotations

from datetime import datetime

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

from clinic_app.services import accounts
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.forms import ERROR_STYLE, FormRows


def secret_input() -> QLineEdit:
    """A line edit for a PIN or password (typed characters hidden)."""
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def message_label(name: str) -> QLabel:
    """A hidden line for a refusal message, in the error style, named for screen readers."""
    label = ValueLabel(name, alert=True)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class SignInDialog(QDialog):
    """Asks which nurse is working; ``signed_in`` carries the nurse summary."""

    signed_in = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None, *,
                 username: str = "", reason: str = "",
                 pin_for: tuple[str, datetime] | None = None) -> None:
        super().__init__(parent)
        self.state = state
        # (user name, when she signed in with her password here): her PIN unlocks the lock
        self._pin_for = pin_for
        self.setWindowTitle("Sign in")
        self.setAccessibleName("Sign in")
        heading = ValueLabel("Sign-in heading",
                             f"Which nurse is working? — {state.ctx.clinic_name}")
        heading.setStyleSheet("font-size: 13pt; font-weight: 600;")
        secret_words = "PIN or password" if pin_for is not None else "password"
        intro = ValueLabel("Sign-in prompt",
                           reason or f"Sign in with your user name and your {secret_words}.")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.rows = FormRows(form)
        self.username = self.rows.add("username", "&User name", QLineEdit(username))
        caption = "&PIN or password" if pin_for is not None else "&Password"
        self.secret = self.rows.add("secret", caption, secret_input())
        self.message = message_label("Sign-in message")
        buttons = QDialogButtonBox()
        self.sign_in_button = buttons.addButton("Sign in", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setAccessibleName("Sign in")
        self.sign_in_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        (self.secret if username else self.username).setFocus()

    def submit(self) -> None:
        """Check the user name and PIN/password with the auth service."""
        self.message.hide()
        pin_since = None
        if self._pin_for is not None and self.username.text().strip().casefold() == \
                self._pin_for[0]:
            pin_since = self._pin_for[1]
        try:
            nurse = accounts.sign_in(self.state.ctx, username=self.username.text(),
                                     secret=self.secret.text(),
                                     password_signed_in_at=pin_since)
        except EXPECTED_ERRORS as exc:
            self.message.setText(str(exc))
            self.message.show()
            self.secret.clear()
            self.secret.setFocus()
            return
        self.with_password = pin_since is None  # else her PIN or password: the time stays
        self.state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
        self.signed_in.emit(nurse)
        self.accept()
