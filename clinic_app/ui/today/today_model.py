"""The clinic day as a table model: one row per appointment, from ``ClinicDayRow`` DTOs.

The rows are fetched by the screen (``services.clinic_day.clinic_day``) and handed over with
:meth:`TodayModel.set_rows`; ``data()`` only formats what it holds. Overdue items are the only
red text on the screen, with the alerts of a reaction at today's visit.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from clinic_app.domain.dates import time_text

if TYPE_CHECKING:
    from clinic_app.services.visits.dto import ClinicDayRow


OVERDUE_COLOUR = QColor("#B00020")
MUTED_COLOUR = QColor("#6B6B6B")
ROW_ROLE = Qt.ItemDataRole.UserRole

STATUS_TEXT = {
    "booked": "Booked",
    "arrived": "Arrived",
    "pre_check": "Pre-check",
    "infusing": "Infusing",
    "observation": "Observation",
    "discharged": "Discharged",
    "did_not_attend": "Did not attend",
    "not_given": "Not given",
}
FINISHED = frozenset({"discharged", "did_not_attend", "not_given"})
# Badges that need someone now (a reaction at today's visit): the Alerts cell is red.
ALERTING_KINDS = frozenset({"reaction_today"})

Index = QModelIndex | QPersistentModelIndex


def status_text(row: ClinicDayRow) -> str:
    """The live status as the nurse reads it ("Infusing (paused)", "Infusing — paused after
    reaction", "Infusing, end due 14:30")."""
    text = STATUS_TEXT.get(row.status, row.status.replace("_", " ").capitalize())
    if row.paused_after_reaction:
        return f"{text} — paused after reaction"
    if row.paused:
        return f"{text} (paused)"
    if row.end_due_local is not None:
        return f"{text}, end due {time_text(row.end_due_local)}"
    return text


def next_due_text(row: ClinicDayRow) -> str:
    """What is due next, after its time (first, so a narrow cell never cuts it off):
    "14:30 Vitals"; "" when nothing is due."""
    if not row.next_due:
        return ""
    if row.next_due_local is None:
        return row.next_due
    when = time_text(row.next_due_local)
    return row.next_due if when in row.next_due else f"{when} {row.next_due}"


def due_column_text(row: ClinicDayRow) -> str:
    """The "Next due" cell: how many items are late and the first of them, after its due time
    ("Overdue (3): 09:45 Vitals: 15 min into the infusion"), else the next item; for a dose not
    given, why it was held. The word, the count and the time come first: a narrow cell cuts
    only the end of the text, and the colour is never the only sign."""
    if row.overdue and row.overdue_items:
        count = len(row.overdue_items)
        return f"Overdue{f' ({count})' if count > 1 else ''}: {row.overdue_items[0]}"
    if row.status == "not_given" and row.status_note:
        return f"Held: {row.status_note}"
    return next_due_text(row)


def _overdue_tip(row: ClinicDayRow) -> str:
    if not row.overdue:
        return ""
    items = "\n".join(f"• {item}" + (" (paperwork)" if item in row.overdue_paperwork else "")
                      for item in row.overdue_items)
    due = next_due_text(row)
    return "\n".join(part for part in ("Overdue:", items, f"Next: {due}" if due else "") if part)


COLUMNS: tuple[tuple[str, Callable[[ClinicDayRow], str]], ...] = (
    ("Time", lambda r: time_text(r.local_time)),
    ("Chair", lambda r: r.chair),
    ("Patient", lambda r: r.patient.display_name),
    ("MRN", lambda r: r.patient.mrn),
    ("Treatment", lambda r: f"{r.drug.capitalize()} · dose {r.dose_number}"),
    ("Dose", lambda r: r.dose_text),
    ("Status", status_text),
    ("Next due", due_column_text),
    ("Alerts", lambda r: ", ".join(badge.text for badge in r.alerts)),
)
NEXT_DUE_COLUMN = 7
STATUS_COLUMN = 6
ALERTS_COLUMN = 8


class TodayModel(QAbstractTableModel):
    """The day's appointments in time then chair order (the service's order)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: tuple[ClinicDayRow, ...] = ()

    def set_rows(self, rows: Sequence[ClinicDayRow]) -> None:
        """Replace the rows (after a refresh). The same appointments in the same order only
        change their cells (the view keeps its selection, cursor and scroll position); any
        other list resets the model."""
        new = tuple(rows)
        if new and [r.appointment_id for r in new] == [r.appointment_id for r in self._rows]:
            self._rows = new
            last = self.index(len(new) - 1, len(COLUMNS) - 1)
            self.dataChanged.emit(self.index(0, 0), last)
            return
        self.beginResetModel()
        self._rows = new
        self.endResetModel()

    def row_at(self, row: int) -> ClinicDayRow:
        """The DTO shown in ``row``."""
        return self._rows[row]

    def row_of_appointment(self, appointment_id: int) -> int | None:
        """The row showing ``appointment_id`` (None when not on this day)."""
        for n, item in enumerate(self._rows):
            if item.appointment_id == appointment_id:
                return n
        return None

    @property
    def rows(self) -> tuple[ClinicDayRow, ...]:
        """Every row shown."""
        return self._rows

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Qt override: one row per appointment (a flat table)."""
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        """Qt override: the columns of :data:`COLUMNS`."""
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt override: column titles."""
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section][0]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        """Qt override: text, red for overdue, grey for finished rows, tooltips."""
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return COLUMNS[column][1](row)
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._foreground(row, column)
        if role == Qt.ItemDataRole.FontRole and row.overdue and column == NEXT_DUE_COLUMN:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(row, column)
        if role == ROW_ROLE:
            return row
        return None

    @staticmethod
    def _tooltip(row: ClinicDayRow, column: int) -> str | None:
        if column == ALERTS_COLUMN and row.alerts:
            return "\n".join(badge.text for badge in row.alerts)
        if row.status_note and column in (STATUS_COLUMN, NEXT_DUE_COLUMN):
            return f"Dose not given: {row.status_note}"
        return _overdue_tip(row) or None

    @staticmethod
    def _foreground(row: ClinicDayRow, column: int) -> QColor | None:
        if row.overdue and column in (NEXT_DUE_COLUMN, STATUS_COLUMN):
            return OVERDUE_COLOUR
        if column == ALERTS_COLUMN and any(b.kind in ALERTING_KINDS for b in row.alerts):
            return OVERDUE_COLOUR
        if row.status in FINISHED:
            return MUTED_COLOUR
        return None
