"""A titled table of chart records with its actions ("Record weight…", "Void…").

Voided records stay in the list, struck through and greyed, with who voided them and why: the
chart never hides what was once on file. Rows are plain :class:`RecordRow` values prepared from
the chart DTO (no I/O in ``data()``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.patients.display import ALERT_COLOUR, VOIDED_COLOUR, compact_rows, struck_font

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class RecordRow:
    """One row: the record's id, the cells shown, and the voiding text when it was voided."""

    record_id: int
    cells: tuple[str, ...]
    voided: str = ""
    alert: bool = False


class RecordsModel(QAbstractTableModel):
    """Read-only rows; voided ones struck through and grey, alerting ones red."""

    def __init__(self, columns: Sequence[str], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._columns = tuple(columns)
        self._rows: list[RecordRow] = []

    def set_rows(self, rows: Sequence[RecordRow]) -> None:
        """Replace every row (after the chart was read again)."""
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def row(self, number: int) -> RecordRow:
        """The record shown in row ``number``."""
        return self._rows[number]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        record = self._rows[index.row()]
        column = index.column()
        if not 0 <= column < len(self._columns):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return _cell(record, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return record.voided or _cell(record, column) or None
        if role == Qt.ItemDataRole.FontRole and record.voided:
            return struck_font()
        if role == Qt.ItemDataRole.ForegroundRole:
            if record.voided:
                return VOIDED_COLOUR
            return ALERT_COLOUR if record.alert else None
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(self._columns)):
            return self._columns[section]
        return None


def _cell(record: RecordRow, column: int) -> str:
    text = record.cells[column] if column < len(record.cells) else ""
    if column == 0 and record.voided:
        return f"{text} — {record.voided}" if text else record.voided
    return text


class RecordTable(QWidget):
    """A caption, a table named after it, and action buttons under it. Columns fit their
    contents and the last one takes the width left, or the ``stretch`` columns (long free
    text) share it, so the table never scrolls sideways."""

    def __init__(self, title: str, columns: Sequence[str], *,
                 stretch: Sequence[int] = (),
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordsModel(columns, self)
        self.caption = QLabel(f"<b>{title}</b>")
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(title)
        self.caption.setBuddy(self.table)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        compact_rows(self.table)
        self.table.setWordWrap(False)
        self.table.setTabKeyNavigation(False)  # Tab leaves; arrows move between rows
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(not stretch)
        for column in stretch:  # share the width left; longer text is cut, its tooltip whole
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.buttons)

    def add_button(self, text: str) -> QPushButton:
        """A button (``text`` may carry an '&' mnemonic) before the right edge."""
        button = QPushButton(text)
        button.setAccessibleName(text.replace("&", ""))
        self.buttons.insertWidget(self.buttons.count() - 1, button)
        return button

    def set_rows(self, rows: Sequence[RecordRow]) -> None:
        """Show ``rows``, keeping the selection on the same record when it is still there."""
        chosen = self.selected()
        self.model.set_rows(rows)
        keep = next((n for n, r in enumerate(rows)
                     if chosen is not None and r.record_id == chosen.record_id), None)
        if keep is not None:
            self.table.selectRow(keep)

    def selected(self) -> RecordRow | None:
        """The highlighted record, if any."""
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row(index.row())

    def select_record(self, record_id: int) -> bool:
        """Highlight the row of ``record_id``; False when it is not listed."""
        for number in range(self.model.rowCount()):
            if self.model.row(number).record_id == record_id:
                self.table.selectRow(number)
                return True
        return False
