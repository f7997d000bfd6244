"""A course's planned schedule as a Qt table: one row per appointment, with the plan's dose
(phase, window, suggested day) beside what is booked, and the domain's warnings.

Rows are prepared once from the :class:`CourseDetail` (no I/O in ``data()``). Warnings are shown
by their domain code in the row with the reason a booking was made anyway (full text in the
tooltip and the decision panel); a row with warnings is red, a voided one struck through and grey.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dates import date_text, time_text, weekday_date_text
from clinic_app.domain.schedule_model import PlannedDose
from clinic_app.services.courses.dto import AppointmentSummary, CourseDetail
from clinic_app.ui.patients.display import (
    ALERT_COLOUR,
    VOIDED_COLOUR,
    struck_font,
)

Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Dose", "Phase", "Due", "Window", "Suggested day", "Booked", "Time", "Chair",
           "Status", "Warnings")
WARNINGS_COLUMN = COLUMNS.index("Warnings")


@dataclass(frozen=True)
class ScheduleRow:
    """An appointment and the plan's dose of the same number (None when the plan lacks it)."""

    appointment: AppointmentSummary
    dose: PlannedDose | None

    @property
    def warnings(self) -> tuple[ClinicalWarning, ...]:
        """The appointment's warnings (booking or plan warnings, from the services)."""
        return self.appointment.warnings


def warning_label(warning: ClinicalWarning) -> str:
    """``SCREENING_DUE`` -> "Screening due"."""
    return warning.code.replace("_", " ").capitalize()


def schedule_rows(detail: CourseDetail) -> list[ScheduleRow]:
    """Every appointment of the course in dose order, paired with its planned dose."""
    doses = {d.number: d for d in detail.plan.doses}
    ordered = sorted(detail.appointments, key=lambda a: (a.dose_number, a.voided, a.id))
    return [ScheduleRow(a, doses.get(a.dose_number)) for a in ordered]


def _window(dose: PlannedDose | None) -> str:
    if dose is None or dose.given is not None:
        return ""
    return f"{date_text(dose.earliest)} – {date_text(dose.latest)}"


def _status(appointment: AppointmentSummary) -> str:
    return "Voided" if appointment.voided else appointment.status.replace("_", " ").capitalize()


def warnings_text(row: ScheduleRow) -> str:
    """The warnings by name ("Too early, Closed day"), with the reason a booking was made
    anyway ("Too early — booked anyway: travels abroad")."""
    names = ", ".join(dict.fromkeys(warning_label(w) for w in row.warnings))
    reason = row.appointment.override_reason
    return f"{names} — booked anyway: {reason}" if names and reason else names


def tooltip_text(row: ScheduleRow) -> str:
    """Each warning's full message, and the reason a booking was made anyway."""
    lines = [w.message for w in row.warnings]
    if row.appointment.override_reason:
        lines.append(f"Booked anyway: {row.appointment.override_reason}")
    return "\n".join(lines)


def cell_text(row: ScheduleRow, column: int) -> str:
    """What column ``column`` shows for ``row``."""
    a, dose = row.appointment, row.dose
    cells = (
        str(a.dose_number),
        dose.phase.value.capitalize() if dose else "",
        weekday_date_text(a.due_date),
        _window(dose),
        weekday_date_text(a.suggested),
        weekday_date_text(a.day),
        time_text(a.time),
        a.chair,
        _status(a),
        warnings_text(row),
    )
    return cells[column] if 0 <= column < len(cells) else ""


class ScheduleModel(QAbstractTableModel):
    """The rows of one course's schedule."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ScheduleRow] = []

    def set_detail(self, detail: CourseDetail) -> None:
        """Show the course's appointments."""
        self.beginResetModel()
        self._rows = schedule_rows(detail)
        self.endResetModel()

    def row(self, number: int) -> ScheduleRow:
        """The row shown at ``number``."""
        return self._rows[number]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return cell_text(row, column)
        if role == Qt.ItemDataRole.ToolTipRole and (row.warnings
                                                    or row.appointment.override_reason):
            return tooltip_text(row)
        if role == Qt.ItemDataRole.FontRole and row.appointment.voided:
            return struck_font()
        if role == Qt.ItemDataRole.ForegroundRole:
            if row.appointment.voided:
                return VOIDED_COLOUR
            if column == WARNINGS_COLUMN and row.warnings:
                return ALERT_COLOUR
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if (orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole
                and 0 <= section < len(COLUMNS)):
            return COLUMNS[section]
        return None
