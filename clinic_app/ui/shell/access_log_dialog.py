"""File › Access log…: who opened which chart and printed which sheet (administrators).

The access-log service decides who may read it (:mod:`clinic_app.domain.permissions`); this
dialog shows the entries between two days, for one patient when an MRN is typed, and exports
them as a CSV file readable by its owner only.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
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

from clinic_app.domain.dates import date_text, time_text
from clinic_app.services import access_log
from clinic_app.services.access_log.dto import AccessLine
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.forms import ERROR_STYLE

EXPORT_ERRORS: tuple[type[Exception], ...] = (*EXPECTED_ERRORS, OSError)
COLUMNS = ("When", "Nurse", "MRN", "Patient", "What", "Detail", "Computer / user")


def _filter(caption: str, placeholder: str) -> tuple[QLabel, QLineEdit]:
    edit = QLineEdit()
    edit.setAccessibleName(caption.replace("&", ""))
    edit.setPlaceholderText(placeholder)
    label = QLabel(caption)
    label.setBuddy(edit)
    return label, edit


class AccessLogDialog(QDialog):
    """The access log with filters, "Show" and "Export CSV…"."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Access log")
        self.setAccessibleName("Access log")
        filters = QHBoxLayout()
        edits = []
        for caption, placeholder in (("&From", "YYYY-MM-DD"), ("&To", "YYYY-MM-DD"),
                                     ("&MRN", "all patients")):
            label, edit = _filter(caption, placeholder)
            filters.addWidget(label)
            filters.addWidget(edit)
            edits.append(edit)
        self.since, self.until, self.mrn = edits
        self.show_button = QPushButton("&Show")
        self.show_button.setAccessibleName("Show")
        self.show_button.setDefault(True)
        self.show_button.clicked.connect(self.refresh)
        filters.addWidget(self.show_button)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setAccessibleName("Access log entries")
        self.table.setHorizontalHeaderLabels(list(COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.summary = ValueLabel("Access log summary", alert=True)
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        self.export_button = QPushButton("&Export CSV…")
        self.export_button.setAccessibleName("Export CSV")
        self.export_button.clicked.connect(self.export)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(900, 460)
        self.refresh()

    def _scope(self) -> dict[str, str | None]:
        return {"since": self.since.text().strip() or None,
                "until": self.until.text().strip() or None,
                "mrn": self.mrn.text().strip() or None}

    def _say(self, text: str, *, error: bool) -> None:
        self.summary.setStyleSheet(ERROR_STYLE if error else "")
        self.summary.setText(text)  # an alert ValueLabel: read and announced with its caption

    def refresh(self) -> None:
        """Read the log with the filters typed; the reason on the summary line if refused."""
        try:
            lines = access_log.access_log(self.state.ctx, **self._scope())
        except EXPECTED_ERRORS as exc:
            self.table.setRowCount(0)
            self._say(str(exc), error=True)
            return
        self.table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            for column, text in enumerate(_cells(line)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self._say(f"{len(lines)} entr{'y' if len(lines) == 1 else 'ies'}", error=False)

    def export(self, *, path: Path | None = None) -> None:
        """Save the entries shown as CSV (``path`` skips the file dialog)."""
        if path is None:
            chosen, _filter_used = QFileDialog.getSaveFileName(
                self, "Export the access log", "access-log.csv", "CSV files (*.csv)")
            if not chosen:
                return
            path = Path(chosen)
        try:
            count = access_log.save_access_log(self.state.ctx, path, **self._scope())
        except EXPORT_ERRORS as exc:
            self._say(f"The access log was not exported: {exc}", error=True)
            return
        self.refresh()
        self._say(f"Exported {count} entries to {path}.", error=False)


def _cells(line: AccessLine) -> tuple[str, ...]:
    return (f"{date_text(line.at.date())} {time_text(line.at)}", line.nurse, line.mrn, line.patient,
            line.action, line.detail, line.via)
