"""File › Nurse accounts…: the accounts on file and "Add nurse…" for a colleague.

Any signed-in nurse may add an account (there are no roles yet); the auth service records who
added it in the audit trail. The add dialog reuses the first-run form and asks before
discarding typed input.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services import accounts
from clinic_app.services.accounts.dto import NurseSummary
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, show_error
from clinic_app.ui.shell.nurse_form import NurseAccountForm
from clinic_app.ui.unsaved import may_discard

COLUMNS = ("Name", "User name", "Sign-in", "Status")


class AddNurseDialog(QDialog):
    """Adds one nurse account as the signed-in nurse; ``nurse_added`` carries its summary."""

    nurse_added = Signal(object)

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Add nurse")
        self.setAccessibleName("Add nurse")
        intro = QLabel("The new nurse chooses her password (and PIN) and types them here.")
        intro.setWordWrap(True)
        intro.setAccessibleName("Add nurse help")
        form = QFormLayout()
        self.account = NurseAccountForm(form)
        buttons = QDialogButtonBox()
        self.add_button = buttons.addButton("&Add account", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setAccessibleName("Add account")
        self.add_button.setDefault(True)
        cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel")
        buttons.accepted.connect(self.submit)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.account.message)
        layout.addWidget(buttons)
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


class NurseAccountsDialog(QDialog):
    """The accounts on file, with "Add nurse…"."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Nurse accounts")
        self.setAccessibleName("Nurse accounts")
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Nurse accounts list")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton("&Add nurse…")
        self.add_button.setAccessibleName("Add nurse")
        self.add_button.setToolTip("Create an account for a colleague")
        self.add_button.clicked.connect(self.add_nurse)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        buttons.addButton(self.add_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(620, 360)
        self.add_dialog: AddNurseDialog | None = None
        self.refresh()

    def refresh(self) -> None:
        """Read the accounts again."""
        try:
            nurses = accounts.list_nurses(self.state.ctx)
        except EXPECTED_ERRORS as exc:
            show_error(self, exc, title="Nurse accounts not shown")
            return
        self.table.setRowCount(len(nurses))
        for row, nurse in enumerate(nurses):
            for column, text in enumerate(_cells(nurse)):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def add_nurse(self) -> AddNurseDialog:
        """Open the add dialog (window-modal, non-blocking)."""
        dialog = AddNurseDialog(self.state, self)
        dialog.nurse_added.connect(lambda _nurse: self.refresh())
        self.add_dialog = dialog
        dialog.open()
        return dialog


def _cells(nurse: NurseSummary) -> tuple[str, str, str, str]:
    sign_in = "Password or PIN" if nurse.has_pin else "Password"
    status = "Active" if nurse.is_active else "Deactivated"
    if nurse.is_admin:
        status += " (first account)"
    return nurse.display_name, nurse.username, sign_in, status
