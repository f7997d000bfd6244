"""The vitals grid: one row per time vitals are due, inputs for each sign, saved on row entry.

Rows are the checklist's vitals items (baseline, the infusion's time points, the end, the
observation) with their due clock time in local time, then the extra readings taken (e.g. every
5 minutes during a reaction), then a blank row for a new extra reading. Enter in any field of a
row (or its Save button) emits ``row_entered(item_key, values)``; the visit screen calls
``services.visits.record_vitals``. Out-of-range values are flagged from the entry's ``flags``,
computed by the service against the clinic's settings: this grid never compares numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from clinic_app.domain.checklists import ItemState
from clinic_app.services.visits.dto import VitalsEntry
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.forms import ERROR_STYLE

FIELDS = ("systolic", "diastolic", "heart_rate", "temperature", "respiratory_rate", "spo2")
HEADERS = {"systolic": "BP systolic", "diastolic": "BP diastolic", "heart_rate": "HR",
           "temperature": "Temp (°C)", "respiratory_rate": "RR", "spo2": "SpO2 (%)"}
#: Which cell a flag points at (presentation only: the flag itself comes from the service).
FLAG_FIELDS = {"LOW_SYSTOLIC": "systolic", "SYSTOLIC_DROP": "systolic",
               "HIGH_SYSTOLIC": "systolic", "HIGH_DIASTOLIC": "diastolic",
               "HIGH_HEART_RATE": "heart_rate", "LOW_HEART_RATE": "heart_rate",
               "FEVER": "temperature", "LOW_SPO2": "spo2",
               "HIGH_RESPIRATORY_RATE": "respiratory_rate",
               "LOW_RESPIRATORY_RATE": "respiratory_rate"}
ERROR_FIELDS = {"temperature_c": "temperature"}
FLAGGED_STYLE = "background: #FDECEA; color: #B00020; font-weight: 700;"
SAVED_STYLE = "background: #F4F6F4; color: #1B1B1B;"
DUE_STYLE = {ItemState.OVERDUE: "color: #B00020; font-weight: 700;",
             ItemState.DUE: "font-weight: 700;", ItemState.DONE: "color: #1B5E20;"}
STATE_WORDS = {ItemState.OVERDUE: "overdue", ItemState.DUE: "due now"}
NOT_DONE_WORD = "not done"
NOT_DONE_STYLE = "color: #555;"
NEW_KEY = "new"
COLUMNS = ("Due", "For", *HEADERS.values(), "")


@dataclass(frozen=True)
class VitalsRowData:
    """What one row shows: ``key`` is the checklist item (or ``extra:<id>`` / ``new``)."""

    key: str
    due: str
    label: str
    state: ItemState | None
    entry: VitalsEntry | None
    enabled: bool
    # The visit is closed: a row never recorded reads "not done", never red.
    closed: bool = False


class _Row:
    """The widgets of one row of the grid."""

    def __init__(self, data: VitalsRowData, grid: VitalsGrid) -> None:
        self.key = data.key
        self.due = ValueLabel("Due", data.due)
        self.label = QLabel(data.label)
        self.label.setWordWrap(True)
        self.inputs: dict[str, QLineEdit] = {}
        for field in FIELDS:
            edit = QLineEdit()
            edit.setObjectName(f"{data.key}:{field}")
            edit.setMaximumWidth(64)
            edit.returnPressed.connect(lambda key=data.key: grid.enter_row(key))
            self.inputs[field] = edit
        self.save = QPushButton("Save")
        self.save.setAutoDefault(False)
        self.save.setMaximumWidth(64)
        self.save.clicked.connect(lambda _=False, key=data.key: grid.enter_row(key))
        self.flags = ValueLabel("Flags", alert=True)
        self.flags.setWordWrap(True)
        self.flags.hide()
        self._name(data)

    def _name(self, data: VitalsRowData) -> None:
        """Name every widget of the row after what the row shows now, so no two rows share a
        name and a due time moved by the start is read as shown: "Baseline, before the start:
        BP systolic (16:02)", "BP systolic at 30 min (16:32)", "Save vitals at 30 min (16:32)"."""
        when = f" ({data.due})" if data.due else ""
        timed = data.label[:1].isdigit()
        for field, edit in self.inputs.items():
            header = HEADERS[field]
            edit.setAccessibleName(f"{header} at {data.label}{when}" if timed
                                   else f"{data.label}: {header}{when}")
        where = f"at {data.label}{when}" if timed else f"{data.label}{when}"
        self.save.setAccessibleName(f"Save vitals {where}")
        self.due.set_caption(f"Due, {data.label}")
        self.flags.set_caption(f"Flags {where}")

    def widgets(self) -> list[QWidget]:
        """The widgets of the row's line (the flags go on a line of their own below)."""
        return [self.due, self.label, *self.inputs.values(), self.save]

    def typed(self) -> dict[str, str]:
        return {f: e.text() for f, e in self.inputs.items() if not e.isReadOnly()}

    def show(self, data: VitalsRowData) -> None:
        word = STATE_WORDS.get(data.state, "") if data.state else ""
        style = DUE_STYLE.get(data.state, "") if data.state else ""
        if data.closed and data.entry is None and data.state is not ItemState.DONE:
            word, style = NOT_DONE_WORD, NOT_DONE_STYLE
        self.due.setText(f"{data.due}\n{word}" if word and data.entry is None else data.due)
        self.due.setStyleSheet(style)
        self.label.setText(data.label)
        self._name(data)
        entry = data.entry
        flagged = {FLAG_FIELDS.get(f.code) for f in entry.flags} if entry else set()
        for field, edit in self.inputs.items():
            if entry is not None:
                edit.setText(_value(entry, field))
                edit.setReadOnly(True)
                edit.setStyleSheet(FLAGGED_STYLE if field in flagged else SAVED_STYLE)
            else:
                edit.setReadOnly(False)
                edit.setStyleSheet("")
            edit.setEnabled(data.enabled or entry is not None)
        self.save.setVisible(entry is None)
        self.save.setEnabled(data.enabled)
        if entry is not None:
            self.flags.setText(_flags_text(entry))
            self.flags.setStyleSheet(FLAGGED_STYLE if entry.flags else "")
            self.flags.setVisible(bool(entry.flags))

    def show_error(self, field: str | None, message: str) -> None:
        self.flags.setText(message)
        self.flags.setStyleSheet(ERROR_STYLE)
        self.flags.setVisible(bool(message))
        target = self.inputs.get(ERROR_FIELDS.get(field or "", field or ""))
        (target or self.inputs["systolic"]).setFocus()


class VitalsGrid(QWidget):
    """Rows of vitals inputs; ``row_entered(key, values)`` when the nurse enters a row."""

    row_entered = Signal(str, dict)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Vitals")
        self._grid = QGridLayout(self)
        self._grid.setHorizontalSpacing(6)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(1, 1)
        for column, title in enumerate(COLUMNS):
            header = ValueLabel(title, f"<b>{title}</b>")
            header.setWordWrap(True)  # "BP systolic" over two lines on a narrow screen
            self._grid.addWidget(header, 0, column)
        self.rows: dict[str, _Row] = {}

    def show_rows(self, rows: Sequence[VitalsRowData]) -> None:
        """Show these rows in order, keeping what was typed in rows not yet saved."""
        if [r.key for r in rows] != list(self.rows):
            typed = {key: row.typed() for key, row in self.rows.items()}
            self._rebuild(rows)
            for key, values in typed.items():
                if key in self.rows:
                    for field, text in values.items():
                        self.rows[key].inputs[field].setText(text)
        for data in rows:
            self.rows[data.key].show(data)

    def _rebuild(self, rows: Sequence[VitalsRowData]) -> None:
        for row in self.rows.values():
            for widget in (*row.widgets(), row.flags):
                self._grid.removeWidget(widget)
                widget.deleteLater()
        self.rows = {}
        for number, data in enumerate(rows):
            row = _Row(data, self)
            line = 1 + 2 * number
            for column, widget in enumerate(row.widgets()):
                self._grid.addWidget(widget, line, column)
            self._grid.addWidget(row.flags, line + 1, 1, 1, len(COLUMNS) - 1)
            self.rows[data.key] = row
        previous: QWidget | None = None
        for row in self.rows.values():
            for edit in row.inputs.values():
                if previous is not None:
                    QWidget.setTabOrder(previous, edit)
                previous = edit

    def has_unsaved_input(self) -> bool:
        """True when a row not yet saved has a value typed in it."""
        return any(text.strip() for row in self.rows.values() for text in row.typed().values())

    def enter_row(self, key: str) -> None:
        """The nurse entered row ``key``: hand its values on (ignored once saved)."""
        row = self.rows[key]
        if row.inputs["systolic"].isReadOnly():
            return
        self.row_entered.emit(key, {f: e.text().strip() for f, e in row.inputs.items()})

    def show_error(self, key: str, field: str | None, message: str) -> None:
        """A refusal in row ``key`` (the field it names gets the focus)."""
        if key in self.rows:
            self.rows[key].show_error(field, message)

    def clear_new_row(self) -> None:
        """Empty the row for a new extra reading (after it was saved)."""
        row = self.rows.get(NEW_KEY)
        if row is not None:
            for edit in row.inputs.values():
                edit.clear()
            row.flags.clear()
            row.flags.hide()


def _value(entry: VitalsEntry, field: str) -> str:
    value = {"systolic": entry.systolic, "diastolic": entry.diastolic,
             "heart_rate": entry.heart_rate, "temperature": entry.temperature_c,
             "respiratory_rate": entry.respiratory_rate, "spo2": entry.spo2}[field]
    return "" if value is None else str(value)


def _flags_text(entry: VitalsEntry) -> str:
    return "⚠ " + " ".join(f.message for f in entry.flags) if entry.flags else ""
