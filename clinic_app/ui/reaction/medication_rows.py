"""Medications given for a reaction: several rows of name, dose, unit, route and time.

Rows of plain fields (tab moves along a row, then to the next); "Add medication" adds a row,
each row's ✕ removes it. The time defaults to now (local, HH:MM). Rows with no medication name
are left out; the service checks the rest (dose a number, time not before the onset).
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services.visits.dto import MedicationForm
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.forms import ERROR_STYLE

ROUTES = ("", "IV", "IM", "PO", "SC", "Inhaled")
HEADERS = ("Medication", "Dose", "Unit", "Route", "Time")


class _MedicationRow:
    def __init__(self, number: int, time_text: str) -> None:
        self.name = QLineEdit()
        self.dose = QLineEdit()
        self.unit = QLineEdit()
        self.route = QComboBox()
        self.route.setEditable(True)
        self.route.addItems(list(ROUTES))
        self.time = QLineEdit(time_text)
        self.remove = QPushButton("✕")
        self.remove.setAutoDefault(False)
        self.dose.setMaximumWidth(80)
        self.unit.setMaximumWidth(60)
        self.unit.setPlaceholderText("mg")
        self.time.setMaximumWidth(70)
        self.name.setPlaceholderText("e.g. cetirizine")
        self.renumber(number)

    def renumber(self, number: int) -> None:
        for header, widget in zip(HEADERS, self.fields(), strict=True):
            widget.setAccessibleName(f"{header} {number}")
        self.remove.setAccessibleName(f"Remove medication {number}")

    def fields(self) -> list[QWidget]:
        return [self.name, self.dose, self.unit, self.route, self.time]

    def widgets(self) -> list[QWidget]:
        return [*self.fields(), self.remove]

    def form(self) -> MedicationForm:
        return MedicationForm(drug=self.name.text().strip(), dose=self.dose.text().strip(),
                              dose_unit=self.unit.text().strip(),
                              route=self.route.currentText().strip(),
                              given_at=self.time.text().strip() or None)


class MedicationRows(QGroupBox):
    """The medications given; :meth:`forms` gives what the service takes."""

    def __init__(self, now_text: str, parent: QWidget | None = None) -> None:
        super().__init__("Medications given", parent)
        self.setAccessibleName("Medications given")
        self._now_text = now_text
        self._grid = QGridLayout()
        for index, header in enumerate(HEADERS):
            self._grid.addWidget(QLabel(f"<b>{header}</b>"), 0, index)
        self._grid.setColumnStretch(0, 3)
        self.rows: list[_MedicationRow] = []
        self.add = QPushButton("&Add medication")
        self.add.setAccessibleName("Add medication")
        self.add.setAutoDefault(False)
        self.add.clicked.connect(self.add_row)
        self.error = ValueLabel("Medications error", alert=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        column = QVBoxLayout(self)
        column.addLayout(self._grid)
        column.addWidget(self.add, alignment=Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.error)

    def add_row(self) -> None:
        """A new empty row (time now), focused."""
        row = _MedicationRow(len(self.rows) + 1, self._now_text)
        row.remove.clicked.connect(lambda _=False, r=row: self._remove(r))
        self.rows.append(row)
        self._place()
        row.name.setFocus()

    def _remove(self, row: _MedicationRow) -> None:
        for widget in row.widgets():
            self._grid.removeWidget(widget)
            widget.deleteLater()
        self.rows.remove(row)
        self._place()

    def _place(self) -> None:
        for number, row in enumerate(self.rows, start=1):
            row.renumber(number)
            for column, widget in enumerate(row.widgets()):
                self._grid.addWidget(widget, number, column)

    def forms(self) -> tuple[MedicationForm, ...]:
        """The rows with a medication name, as the service takes them."""
        return tuple(row.form() for row in self.rows if row.name.text().strip())

    def show_error(self, message: str) -> None:
        """A refused medication ('' hides it)."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def set_read_only(self) -> None:
        """After saving: shown, no longer editable."""
        self.add.setEnabled(False)
        for row in self.rows:
            for widget in row.widgets():
                widget.setEnabled(False)
