"""Premedication: the set suggested after an earlier reaction, recorded in one step, and the
premedication given.

The suggested items not yet given are offered as editable rows (give or not, drug, dose, unit,
route, lot), filled from the clinic's set; the nurse edits what differs and records them all with
one button at the time typed (empty: now). An extra row takes another drug. The panel holds no
rule: the service checks each item and the start gate; a refusal is shown under the rows, the
rows keep what was typed. The given ones are listed with their time (clinic-local) and nurse;
one is voided with a reason (the controller asks it).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.premedication import ROUTES, UNITS, PremedicationItem
from clinic_app.domain.units import plain
from clinic_app.services.visits.dto import PremedicationEntry
from clinic_app.ui.a11y import ValueLabel, error_label
from clinic_app.ui.forms import ERROR_STYLE

GIVEN_COLUMNS = ("Time", "Drug", "Dose", "Route", "Lot", "Nurse")
ROW_CAPTIONS = ("Give", "Drug", "Dose", "Unit", "Route", "Lot (optional)")
HINT_STYLE = "color: #555;"


class PremedicationRow:
    """One editable premedication: the widgets of a row of the grid, named after the drug."""

    def __init__(self, item: PremedicationItem | None) -> None:
        self.kind = None if item is None else item.kind
        label = "extra premedication" if item is None else item.drug
        self.give = QCheckBox()
        self.give.setChecked(item is not None)
        self.drug = QLineEdit("" if item is None else item.drug)
        self.dose = QLineEdit("" if item is None else plain(item.dose))
        self.unit = QComboBox()
        self.unit.addItems(list(UNITS))
        self.route = QComboBox()
        self.route.addItems(list(ROUTES))
        if item is not None:
            self.unit.setCurrentText(item.unit)
            self.route.setCurrentText(item.route)
        self.lot = QLineEdit()
        self.lot.setMaximumWidth(110)
        self.dose.setMaximumWidth(70)
        for widget, caption in zip(self.widgets(), ROW_CAPTIONS, strict=True):
            widget.setAccessibleName(f"{caption} ({label})")
        self.give.setText("")

    def widgets(self) -> tuple[QWidget, ...]:
        """The row's inputs, in column order."""
        return (self.give, self.drug, self.dose, self.unit, self.route, self.lot)

    def values(self) -> dict[str, str | None]:
        """What the row holds, as the service takes it."""
        return {"kind": self.kind, "drug": self.drug.text(), "dose": self.dose.text(),
                "unit": self.unit.currentText(), "route": self.route.currentText(),
                "lot": self.lot.text()}  # fmt: skip


class PremedicationPanel(QGroupBox):
    """Suggested premedication to record in one step, and what was given.

    ``set_entered(rows, given_at)``: the rows ticked (dicts of the form's fields) and the time
    typed; ``void_requested(premedication_id, version)``: the nurse voids the selected entry.
    """

    set_entered = Signal(list, str)
    void_requested = Signal(int, int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Premedication", parent)
        self.setAccessibleName("Premedication")
        self.suggestion = ValueLabel("Suggested premedication")
        self.suggestion.setWordWrap(True)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.note.setStyleSheet(HINT_STYLE)
        self.grid_box = QWidget()
        self.grid = QGridLayout(self.grid_box)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setColumnStretch(1, 1)
        self.rows: list[PremedicationRow] = []
        self.given_at = QLineEdit()
        self.given_at.setAccessibleName("Time given")
        self.given_at.setPlaceholderText("now, or HH:MM")
        self.given_at.setMaximumWidth(130)
        self.add_row = QPushButton("Add another dru&g")
        self.add_row.setAccessibleName("Add another drug")
        self.add_row.setAutoDefault(False)
        self.record = QPushButton("&Record premedication as given")
        self.record.setAccessibleName("Record premedication as given")
        self.record.setAutoDefault(False)
        self.error = error_label("Premedication error", ERROR_STYLE)
        self.given = QTableWidget(0, len(GIVEN_COLUMNS))
        self.given.setHorizontalHeaderLabels(list(GIVEN_COLUMNS))
        self.given.setAccessibleName("Premedication given")
        self.given.verticalHeader().hide()
        self.given.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.given.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.given.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.given.setMaximumHeight(120)
        self.void = QPushButton("&Void selected…")
        self.void.setAccessibleName("Void selected premedication")
        self.void.setAutoDefault(False)
        self._layout()
        self._entries: list[PremedicationEntry] = []
        self._shown: tuple[object, ...] | None = None
        self.add_row.clicked.connect(lambda: self._append(None))
        self.record.clicked.connect(self._entered)
        self.void.clicked.connect(self._void)

    def _layout(self) -> None:
        for column, caption in enumerate(ROW_CAPTIONS):
            self.grid.addWidget(QLabel(caption), 0, column)
        time_row = QHBoxLayout()
        time_row.addWidget(QLabel("Time given"))
        time_row.addWidget(self.given_at)
        time_row.addStretch(1)
        buttons = QHBoxLayout()  # a row of their own: the dose-plan column is narrow at 1024 px
        buttons.addWidget(self.add_row)
        buttons.addWidget(self.record)
        buttons.addStretch(1)
        body = QVBoxLayout(self)
        for widget in (self.suggestion, self.note, self.grid_box):
            body.addWidget(widget)
        body.addLayout(time_row)
        body.addLayout(buttons)
        for widget in (self.error, self.given, self.void):
            body.addWidget(widget)

    def _append(self, item: PremedicationItem | None) -> PremedicationRow:
        row = PremedicationRow(item)
        line = len(self.rows) + 1
        for column, widget in enumerate(row.widgets()):
            self.grid.addWidget(widget, line, column)
        self.rows.append(row)
        self.grid_box.show()
        return row

    def _clear_rows(self) -> None:
        for row in self.rows:
            for widget in row.widgets():
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = []

    def _entered(self) -> None:
        chosen = [row.values() for row in self.rows if row.give.isChecked()]
        self.set_entered.emit(chosen, self.given_at.text().strip())

    def _void(self) -> None:
        index = self.given.currentRow()
        standing = [e for e in self._entries if e.voided is None]
        if 0 <= index < len(standing):
            self.void_requested.emit(standing[index].id, standing[index].version)

    def show_premedication(self, *, suggested: Sequence[PremedicationItem],
                           missing: Sequence[PremedicationItem], note: str,
                           entries: Sequence[PremedicationEntry], tz: tzinfo,
                           enabled: bool) -> None:  # fmt: skip
        """Offer the ``missing`` suggested items as rows (kept as typed while they stay the
        same); list the ``entries`` given, times in ``tz``."""
        listed = "; ".join(item.text for item in suggested)
        self.suggestion.setText(
            f"After an earlier reaction, give: {listed}."
            if listed
            else "No premedication suggested (no earlier reaction)."
        )
        self.note.setText(note)
        self.note.setVisible(bool(note))
        key = (tuple(missing), enabled)
        if key != self._shown:
            self._clear_rows()
            for item in missing if enabled else ():
                self._append(item)
            self._shown = key
        self.grid_box.setVisible(bool(self.rows))
        for widget in (self.given_at, self.add_row, self.record):
            widget.setEnabled(enabled)
        self._show_given(entries, tz)

    def _show_given(self, entries: Sequence[PremedicationEntry], tz: tzinfo) -> None:
        self._entries = list(entries)
        standing = [e for e in entries if e.voided is None]
        self.given.setRowCount(len(standing))
        for line, entry in enumerate(standing):
            cells = (f"{entry.given_at.astimezone(tz):%H:%M}", entry.drug,
                     f"{plain(entry.dose)} {entry.unit}", entry.route, entry.lot_number,
                     entry.nurse)  # fmt: skip
            for column, text in enumerate(cells):
                self.given.setItem(line, column, QTableWidgetItem(text))
        self.given.setVisible(bool(standing))
        self.void.setVisible(bool(standing))

    def given_texts(self) -> list[str]:
        """The given rows as read: "09:40 cetirizine 10 mg oral"."""
        texts = []
        for line in range(self.given.rowCount()):
            cells = (self.given.item(line, c) for c in range(4))
            texts.append(" ".join(cell.text() for cell in cells if cell is not None))
        return texts

    def show_error(self, message: str) -> None:
        """A refusal under the rows (what was typed stays)."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def saved(self) -> None:
        """The set was recorded: clear the time and the message (the rows follow the visit)."""
        self.given_at.clear()
        self.show_error("")
        self._shown = None
