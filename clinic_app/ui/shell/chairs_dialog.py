"""File › Chairs…: the clinic's chairs (name, notes, active or not); an administrator adds,
renames and deactivates or reactivates them here (:mod:`clinic_app.services.chairs`, audited;
the service refuses anyone without ``manage_chairs``). A chair is never deleted: deactivated,
it stays on its bookings and is offered no more in the booking dialog.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QInputDialog,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.permissions import Permission, may
from clinic_app.services import chairs
from clinic_app.services.accounts.dto import NurseSummary
from clinic_app.services.chairs import ChairSummary
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, show_error
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.shell.list_table import list_table

COLUMNS = ("Chair", "Notes", "Status")


def _button(text: str, name: str, tip: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setToolTip(tip)
    return button


class ChairsDialog(QDialog):
    """The chairs on file; an administrator adds and changes them here."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Chairs")
        self.setAccessibleName("Chairs")
        self.chairs: tuple[ChairSummary, ...] = ()
        self.table = list_table("Chairs list", COLUMNS)
        self.table.itemSelectionChanged.connect(self._follow_selection)
        self.note = ValueLabel("Chairs note", "Only an administrator adds or changes chairs.")
        self.add_button = _button("&Add chair…", "Add chair", "Add a chair to the clinic")
        self.add_button.clicked.connect(lambda: self.add_chair())
        self.rename_button = _button(
            "&Rename…", "Rename chair", "Rename the selected chair (its bookings follow)"
        )
        self.rename_button.clicked.connect(lambda: self.rename_chair())
        self.active_button = _button(
            "&Deactivate", "Deactivate", "Offer the selected chair no more (never deleted)"
        )
        self.active_button.clicked.connect(self.toggle_active)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        for button in self._admin_buttons():
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.message = ValueLabel("Chairs message", alert=True)
        self.message.setWordWrap(True)
        self.message.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(640, 380)
        self.refresh()

    def _admin_buttons(self) -> list[QPushButton]:
        return [self.add_button, self.rename_button, self.active_button]

    def selected(self) -> ChairSummary | None:
        """The chair of the selected row."""
        rows = self.table.selectionModel().selectedRows()
        return self.chairs[rows[0].row()] if rows else None

    def refresh(self) -> None:
        """Read the chairs again; the change buttons follow the signed-in nurse's role."""
        try:
            self.chairs = chairs.list_chairs(self.state.ctx, include_inactive=True)
        except EXPECTED_ERRORS as exc:
            show_error(self, exc, title="Chairs not shown")
            return
        self.table.setRowCount(len(self.chairs))
        for row, chair in enumerate(self.chairs):
            cells = (chair.name, chair.notes, "Active" if chair.active else "Inactive")
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        nurse = self.state.nurse
        admin = isinstance(nurse, NurseSummary) and may(nurse.role, Permission.MANAGE_CHAIRS)
        for button in self._admin_buttons():
            button.setVisible(admin)
        self.note.setVisible(not admin)
        self._follow_selection()

    def _follow_selection(self) -> None:
        chair = self.selected()
        for button in (self.rename_button, self.active_button):
            button.setEnabled(chair is not None)
        active = chair is None or chair.active
        self.active_button.setText("&Deactivate" if active else "Re&activate")
        self.active_button.setAccessibleName("Deactivate" if active else "Reactivate")

    def _say(self, text: str, *, error: bool) -> None:
        """What happened (or why not), on the message line under the list."""
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)  # an alert ValueLabel: read with its caption
        self.message.show()

    def _select(self, chair_id: int) -> None:
        for row, chair in enumerate(self.chairs):
            if chair.id == chair_id:
                self.table.selectRow(row)

    def _ask(self, title: str, label: str, text: str = "") -> str | None:
        answer, ok = QInputDialog.getText(self, title, label, text=text)
        return answer if ok else None

    def add_chair(self, *, name: str | None = None) -> None:
        """Ask for the new chair's name (``name`` skips the question) and add it."""
        name = name if name is not None else self._ask("Add chair", "Name of the new chair:")
        if name is None:
            return
        try:
            chair = chairs.add_chair(self.state.ctx, name=name)
        except EXPECTED_ERRORS as exc:
            self._say(str(exc), error=True)
            return
        self.refresh()
        self._select(chair.id)
        self._say(f"{chair.name} added.", error=False)

    def rename_chair(self, *, name: str | None = None) -> None:
        """Ask for the selected chair's new name (``name`` skips the question) and save it."""
        chair = self.selected()
        if chair is None:
            return
        if name is None:
            name = self._ask("Rename chair", f"New name of {chair.name}:", chair.name)
            if name is None:
                return
        try:
            renamed = chairs.rename_chair(
                self.state.ctx, chair_id=chair.id, name=name, expected_version=chair.version
            )
        except EXPECTED_ERRORS as exc:
            self._say(str(exc), error=True)
            return
        self.refresh()
        self._select(renamed.id)
        self._say(f"{chair.name} is now {renamed.name}; its bookings follow.", error=False)

    def toggle_active(self) -> None:
        """Deactivate the selected chair (kept on its bookings) or reactivate it."""
        chair = self.selected()
        if chair is None:
            return
        try:
            changed = chairs.set_chair_active(
                self.state.ctx,
                chair_id=chair.id,
                active=not chair.active,
                expected_version=chair.version,
            )
        except EXPECTED_ERRORS as exc:
            self._say(str(exc), error=True)
            return
        self.refresh()
        self._select(changed.id)
        state = "active again" if changed.active else "inactive: no longer offered for booking"
        self._say(f"{changed.name} is {state}.", error=False)
