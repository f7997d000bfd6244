"""File › Nurse accounts…: the accounts on file with their roles; for an administrator also
"Add nurse…", "Change role…", "Disable"/"Enable" and "Reset password…".

Every nurse sees the list; the buttons that change accounts are shown to administrators only
(the account services refuse anyone else: :mod:`clinic_app.domain.permissions`), and the audit
trail records who made each change. The add dialog reuses the first-run form (with the role)
and asks before discarding typed input.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.permissions import Role
from clinic_app.services import accounts
from clinic_app.services.accounts.dto import NurseSummary
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, show_error
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.shell.list_table import list_table
from clinic_app.ui.shell.nurse_form import NurseAccountForm, lay_out_account_dialog
from clinic_app.ui.shell.sign_in_dialog import secret_input
from clinic_app.ui.unsaved import may_discard

COLUMNS = ("Name", "User name", "Role", "Sign-in", "Status")


class AddNurseDialog(QDialog):
    """Adds one nurse account as the signed-in nurse; ``nurse_added`` carries its summary."""

    nurse_added = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Add nurse")
        self.setAccessibleName("Add nurse")
        intro = ValueLabel("Add nurse help", "The new nurse chooses her password (and PIN) and "
                           "types them here.")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.account = NurseAccountForm(form, with_role=True)
        self.add_button = lay_out_account_dialog(
            self, intro=intro, form=form, message=self.account.message,
            accept="&Add account", accept_name="Add account", submit=self.submit)
        self.setMinimumWidth(460)
        self.account.display_name.setFocus()

    def has_unsaved_input(self) -> bool:
        """True when something was typed and not yet saved."""
        return self.result() != QDialog.DialogCode.Accepted and self.account.has_input()

    def submit(self) -> None:
        """Create the account with the auth service."""
        nurse = self.account.create(self.state)
        if nurse is None:
            return
        self.nurse_added.emit(nurse)
        self.accept()

    def reject(self) -> None:
        """Close, asking first when something typed would be lost."""
        if may_discard(self, "nurse account"):
            super().reject()


class ResetPasswordDialog(QDialog):
    """A new password for a colleague who forgot hers, typed twice by her at the
    administrator's side; the PIN is removed and a sign-in lock lifted (the service's rule)."""

    def __init__(self, state: AppState, nurse: NurseSummary, parent: QWidget | None = None
                 ) -> None:
        super().__init__(parent)
        self.state, self.nurse = state, nurse
        self.setWindowTitle(f"Reset password of {nurse.display_name}")
        self.setAccessibleName("Reset password")
        intro = QLabel(f"{nurse.display_name} types her new password twice. Her PIN is removed; "
                       "she sets a new one later.")
        intro.setWordWrap(True)
        form = QFormLayout()
        self.secret = secret_input()
        self.secret.setAccessibleName("New password")
        self.secret.setPlaceholderText("at least 8 characters")
        self.repeat = secret_input()
        self.repeat.setAccessibleName("Repeat new password")
        form.addRow("&New password", self.secret)
        form.addRow("&Repeat", self.repeat)
        self.message = ValueLabel("Reset message", alert=True)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.reset_button = lay_out_account_dialog(
            self, intro=intro, form=form, message=self.message, accept="&Set password",
            accept_name="Set password", submit=self.submit)

    def _refuse(self, text: str) -> None:
        self.message.setText(text)  # an alert ValueLabel: read and announced with its caption
        self.message.show()

    def submit(self) -> None:
        """Set the password with the account service; the reason beside it when refused."""
        if self.secret.text() != self.repeat.text():
            self._refuse("The two passwords differ. Type the same password twice.")
            return
        try:
            accounts.reset_password(self.state.ctx, nurse_id=self.nurse.id,
                                    secret=self.secret.text(),
                                    expected_version=self.nurse.version)
        except EXPECTED_ERRORS as exc:
            self._refuse(str(exc))
            return
        self.accept()


class NurseAccountsDialog(QDialog):
    """The accounts on file; an administrator adds and changes them here."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Nurse accounts")
        self.setAccessibleName("Nurse accounts")
        self.nurses: tuple[NurseSummary, ...] = ()
        self.table = list_table("Nurse accounts list", COLUMNS)
        self.table.itemSelectionChanged.connect(self._follow_selection)
        self.note = ValueLabel("Nurse accounts note",
                               "Only an administrator adds or changes accounts.")
        self.add_button = _button("&Add nurse…", "Add nurse", "Create an account for a colleague")
        self.add_button.clicked.connect(self.add_nurse)
        self.role_button = _button("Change &role…", "Change role",
                                   "Give the selected account another role")
        self.role_button.clicked.connect(self.change_role)
        self.disable_button = _button("&Disable", "Disable",
                                      "Disable the selected account (it is never deleted)")
        self.disable_button.clicked.connect(self.toggle_active)
        self.reset_button = _button("Reset &password…", "Reset password",
                                    "Set a new password for the selected account")
        self.reset_button.clicked.connect(self.reset_password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        for button in self._admin_buttons():
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.message = ValueLabel("Nurse accounts message", alert=True)
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(720, 380)
        self.add_dialog: AddNurseDialog | None = None
        self.reset_dialog: ResetPasswordDialog | None = None
        self.refresh()

    def _admin_buttons(self) -> list[QPushButton]:
        return [self.add_button, self.role_button, self.disable_button, self.reset_button]

    def _me(self) -> NurseSummary | None:
        return next((n for n in self.nurses if n.id == self.state.ctx.nurse_id), None)

    def selected(self) -> NurseSummary | None:
        """The account of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self.nurses[rows[0].row()] if rows else None

    def refresh(self) -> None:
        """Read the accounts again; the change buttons follow the signed-in nurse's role."""
        try:
            self.nurses = accounts.list_nurses(self.state.ctx)
        except EXPECTED_ERRORS as exc:
            show_error(self, exc, title="Nurse accounts not shown")
            return
        self.table.setRowCount(len(self.nurses))
        for row, nurse in enumerate(self.nurses):
            for column, text in enumerate(_cells(nurse)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        me = self._me()
        admin = me is not None and me.is_admin
        for button in self._admin_buttons():
            button.setVisible(admin)
        self.note.setVisible(not admin)
        self._follow_selection()

    def _follow_selection(self) -> None:
        nurse = self.selected()
        for button in (self.role_button, self.disable_button, self.reset_button):
            button.setEnabled(nurse is not None)
        active = nurse is None or nurse.is_active
        self.disable_button.setText("&Disable" if active else "&Enable")
        self.disable_button.setAccessibleName("Disable" if active else "Enable")

    def _say(self, text: str, *, error: bool) -> None:
        """What happened (or why not), on the message line under the list."""
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)  # an alert ValueLabel: read and announced with its caption
        self.message.show()

    def _done(self, text: str) -> None:
        self.refresh()
        self._say(text, error=False)

    def _refused(self, exc: Exception) -> None:
        self._say(str(exc), error=True)

    def add_nurse(self) -> AddNurseDialog:
        """Open the add dialog (window-modal, non-blocking)."""
        dialog = AddNurseDialog(self.state, self)
        dialog.nurse_added.connect(lambda _nurse: self.refresh())
        self.add_dialog = dialog
        dialog.open()
        return dialog

    def change_role(self, *, chosen: Role | None = None) -> None:
        """Ask for the selected account's new role (``chosen`` skips the question) and save it."""
        nurse = self.selected()
        if nurse is None:
            return
        if chosen is None:
            labels = [role.label for role in Role]
            label, ok = QInputDialog.getItem(self, "Change role",
                                             f"Role of {nurse.display_name}:", labels,
                                             labels.index(nurse.role.label), False)
            if not ok:
                return
            chosen = list(Role)[labels.index(label)]
        try:
            accounts.set_role(self.state.ctx, nurse_id=nurse.id, role=chosen,
                              expected_version=nurse.version)
        except EXPECTED_ERRORS as exc:
            self._refused(exc)
            return
        self._done(f"{nurse.display_name} is now {chosen.label.lower()}.")

    def toggle_active(self, *, confirmed: bool = False) -> None:
        """Disable the selected account (after a question) or enable it again."""
        nurse = self.selected()
        if nurse is None:
            return
        if nurse.is_active and not confirmed:
            answer = QMessageBox.question(
                self, "Disable account",
                f"Disable the account of {nurse.display_name}? She can no longer sign in; "
                "her name stays on every record she signed.")
            if answer != QMessageBox.StandardButton.Yes:
                return
        change = accounts.disable_nurse if nurse.is_active else accounts.enable_nurse
        try:
            change(self.state.ctx, nurse_id=nurse.id, expected_version=nurse.version)
        except EXPECTED_ERRORS as exc:
            self._refused(exc)
            return
        self._done(f"{nurse.display_name}'s account is "
                   f"{'disabled' if nurse.is_active else 'enabled again'}.")

    def reset_password(self) -> ResetPasswordDialog | None:
        """Open the reset dialog for the selected account."""
        nurse = self.selected()
        if nurse is None:
            return None
        dialog = ResetPasswordDialog(self.state, nurse, self)
        dialog.accepted.connect(lambda: self._done(
            f"{nurse.display_name} has a new password; her PIN was removed."))
        self.reset_dialog = dialog
        dialog.open()
        return dialog


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setToolTip(tip)
    return button


def _cells(nurse: NurseSummary) -> tuple[str, str, str, str, str]:
    sign_in = "Password or PIN" if nurse.has_pin else "Password"
    status = "Active" if nurse.is_active else "Disabled"
    if nurse.is_first_account:
        status += " (first account)"
    return nurse.display_name, nurse.username, nurse.role.label, sign_in, status
