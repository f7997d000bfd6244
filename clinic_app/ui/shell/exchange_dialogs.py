"""File › Export FHIR… and File › Import patients…: the command line's ``export fhir`` and
``import patients`` for the nurse at the window (:mod:`clinic_app.services.exchange`).

Export: one patient (MRN), one day or everything since a day, to a JSON file. Import: a CSV
file is checked first (a dry run) and shown in a preview table with every problem; "Import"
is enabled only when no row has a problem, and saves all rows in one transaction off the GUI
thread (:mod:`clinic_app.ui.workers`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from clinic_app.interop.patient_csv import DateOrder, PatientList, read_patient_list
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.workers import Progress, run_with_progress

if TYPE_CHECKING:
    from clinic_app.services.exchange import ExportSelection, ImportOutcome

CHECK_ERRORS: tuple[type[Exception], ...] = (*EXPECTED_ERRORS, OSError, ValueError)
PROBLEMS_SHOWN = 8
PREVIEW_COLUMNS = (
    "Line",
    "MRN",
    "Family name",
    "Given names",
    "Date of birth",
    "Sex",
    "Allergies",
    "Weight (kg)",
)


def _edit(name: str, placeholder: str = "") -> QLineEdit:
    edit = QLineEdit()
    edit.setAccessibleName(name)
    edit.setPlaceholderText(placeholder)
    return edit


def _button(text: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", "").rstrip("…"))
    return button


def _say(label: ValueLabel, text: str, *, error: bool) -> None:
    label.setStyleSheet(ERROR_STYLE if error else "")
    label.setText(text)


def _day(text: str, caption: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValueError(f"{caption}: type the day as YYYY-MM-DD.") from None


class FhirExportDialog(QDialog):
    """Choose what to export and the file; "Export" writes the FHIR bundle."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setWindowTitle("Export FHIR")
        self.setAccessibleName("Export FHIR")
        self.choice = QButtonGroup(self)
        form = QFormLayout()
        self.patient, self.day, self.since = (
            _edit("Patient MRN", "MRN"),
            _edit("Day", "YYYY-MM-DD"),
            _edit("Since", "YYYY-MM-DD"),
        )
        for number, (text, edit) in enumerate(
            (
                ("One &patient (MRN)", self.patient),
                ("One &day", self.day),
                ("Everything &since", self.since),
            )
        ):
            radio = QRadioButton(text)
            radio.setAccessibleName(text.replace("&", ""))
            self.choice.addButton(radio, number)
            form.addRow(radio, edit)
        self.choice.button(0).setChecked(True)
        self.file = _edit("File", "export.json")
        choose = _button("&Choose…")
        choose.clicked.connect(self._choose)
        row = QHBoxLayout()
        row.addWidget(self.file)
        row.addWidget(choose)
        file_label = QLabel("&File")
        file_label.setBuddy(self.file)
        form.addRow(file_label, row)
        self.summary = ValueLabel("Export FHIR summary", alert=True)
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        self.export_button = _button("&Export")
        self.export_button.setDefault(True)
        self.export_button.clicked.connect(self.export)
        buttons.addButton(self.export_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(560, self.sizeHint().height())

    def _choose(self) -> None:
        chosen, _used = QFileDialog.getSaveFileName(
            self, "Export FHIR", "export.json", "FHIR JSON (*.json)"
        )
        if chosen:
            self.file.setText(chosen)

    def _selection(self) -> ExportSelection:
        from clinic_app.services.exchange import ExportSelection

        which = self.choice.checkedId()
        if which == 0:
            if not self.patient.text().strip():
                raise ValueError("Type the patient's MRN.")
            return ExportSelection(mrn=self.patient.text())
        if which == 1:
            return ExportSelection(day=_day(self.day.text(), "Day"))
        return ExportSelection(since=_day(self.since.text(), "Since"))

    def export(self) -> None:
        """Write the bundle to the file typed, off the GUI thread; the reason on the summary
        line if refused."""
        from clinic_app.services import exchange

        try:
            selection = self._selection()
            if not self.file.text().strip():
                raise ValueError("Choose the file to write.")
        except ValueError as exc:
            self._failed(exc)
            return
        path = Path(self.file.text().strip())
        ctx = self.state.ctx

        def write(_progress: Progress) -> Path:
            path.write_text(exchange.export_fhir(ctx, selection=selection), encoding="utf-8")
            return path

        self.export_button.setEnabled(False)
        run_with_progress(
            self, "Exporting FHIR…", write, on_done=self._exported, on_error=self._failed
        )

    def _exported(self, path: Path) -> None:
        self.export_button.setEnabled(True)
        _say(self.summary, f"Exported to {path}.", error=False)

    def _failed(self, exc: BaseException) -> None:
        self.export_button.setEnabled(True)
        _say(self.summary, f"Not exported: {exc}", error=True)


class PatientImportDialog(QDialog):
    """Choose a CSV file, "Check" it (preview and problems), then "Import"."""

    def __init__(self, state: AppState, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.checked: PatientList | None = None
        self.setWindowTitle("Import patients")
        self.setAccessibleName("Import patients")
        self.file = _edit("CSV file", "patients.csv")
        choose = _button("&Choose…")
        choose.clicked.connect(self._choose)
        self.order = QComboBox()
        self.order.setAccessibleName("Date order")
        for text, order in (
            ("Refuse ambiguous dates", DateOrder.AUTO),
            ("Day first (31/12/1980)", DateOrder.DAY_FIRST),
            ("Month first (12/31/1980)", DateOrder.MONTH_FIRST),
        ):
            self.order.addItem(text, order.value)
        self.check_button = _button("C&heck")
        self.check_button.clicked.connect(self.check)
        top = QHBoxLayout()
        for widget in (self.file, choose, self.order, self.check_button):
            top.addWidget(widget)
        self.table = QTableWidget(0, len(PREVIEW_COLUMNS))
        self.table.setAccessibleName("Patients to import")
        self.table.setHorizontalHeaderLabels(list(PREVIEW_COLUMNS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.summary = ValueLabel("Import summary", alert=True)
        self.summary.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
        self.import_button = _button("&Import")
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.run_import)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        layout.addWidget(self.summary)
        layout.addWidget(buttons)
        self.resize(900, 480)

    def _choose(self) -> None:
        chosen, _used = QFileDialog.getOpenFileName(
            self, "Import patients", "", "CSV files (*.csv);;All files (*)"
        )
        if chosen:
            self.file.setText(chosen)

    def _show(self, patients: PatientList) -> None:
        self.table.setRowCount(len(patients.rows))
        for row, p in enumerate(patients.rows):
            allergies = "No known allergies" if p.no_known_allergies else ", ".join(p.allergies)
            cells = (
                str(p.line),
                p.mrn,
                p.family_name,
                p.given_names,
                p.date_of_birth,
                p.sex,
                allergies,
                p.weight_kg,
            )
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _report_problems(self, report: str) -> None:
        """The first problems on the summary line, all of them in a file beside the CSV."""
        lines = report.strip().splitlines()
        shown = "\n".join(lines[: PROBLEMS_SHOWN + 1])
        path = Path(f"{self.file.text().strip()}.problems.txt")
        try:
            path.write_text(report, encoding="utf-8")
            where = f"\nThe full list is in {path}."
        except OSError as exc:
            where = f"\nThe list could not be saved in {path}: {exc.strerror or exc}."
        more = len(lines) - 1 - PROBLEMS_SHOWN
        _say(
            self.summary, shown + (f"\n… and {more} more." if more > 0 else "") + where, error=True
        )

    def check(self) -> None:
        """Read the file and check every row without saving (a dry run)."""
        from clinic_app.services import exchange

        self.checked = None
        self.import_button.setEnabled(False)
        try:
            data = Path(self.file.text().strip()).read_bytes()
            patients = read_patient_list(data, order=DateOrder(self.order.currentData()))
            outcome = exchange.import_patients(self.state.ctx, patients=patients, dry_run=True)
        except CHECK_ERRORS as exc:
            self.table.setRowCount(0)
            _say(self.summary, f"Cannot import: {exc}", error=True)
            return
        self._show(patients)
        if outcome.problems:
            self._report_problems(exchange.problem_report(outcome))
            return
        self.checked = patients
        self.import_button.setEnabled(True)
        _say(
            self.summary,
            f"{outcome.rows} row(s) checked, no problem found. Import them?",
            error=False,
        )

    def run_import(self) -> None:
        """Save the rows checked, all in one transaction, off the GUI thread (nothing is saved
        when a row was refused meanwhile, e.g. an MRN registered at another workstation)."""
        from clinic_app.services import exchange

        if self.checked is None:
            return
        patients, self.checked = self.checked, None
        self.import_button.setEnabled(False)
        ctx = self.state.ctx
        _say(self.summary, f"Importing {len(patients.rows)} patient(s)…", error=False)
        run_with_progress(
            self,
            "Importing patients…",
            lambda _progress: exchange.import_patients(ctx, patients=patients),
            on_done=self._imported,
            on_error=self._failed,
        )

    def _imported(self, outcome: ImportOutcome) -> None:
        from clinic_app.services import exchange

        if outcome.problems:
            self._report_problems(exchange.problem_report(outcome))
            return
        _say(self.summary, f"Imported {outcome.imported} patient(s).", error=False)

    def _failed(self, exc: BaseException) -> None:
        _say(self.summary, f"Not imported: {exc}", error=True)
