"""The patient chart: identity header with alert badges, and tabs for everything on file.

Reads :func:`clinic_app.services.patients.get_chart` and redraws when a change notice names this
patient (never polls), or when another workstation's change altered it (issue 14). Each list
has its add action and "Void…" (a reason is asked; the voided row stays, struck through).
Courses, visits and reactions open their own screens through the :class:`Navigator`, and each
prints its sheet (schedule handout, infusion record, reaction report). Keyboard: Alt+1..9
switch tabs, Delete voids the highlighted record, Enter opens the highlighted course or visit,
Ctrl+P prints the highlighted row's sheet on the Courses, Infusions and Reactions tabs, Ctrl+E
edits the patient.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.dates import date_text
from clinic_app.services import catalogue, patients
from clinic_app.services.chart import get_chart, patient_audit
from clinic_app.services.chart.dto import PatientChart
from clinic_app.services.patients.dto import NoKnownAllergiesEntry
from clinic_app.services.reactions import reaction_signs
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState, Change
from clinic_app.ui.errors import EXPECTED_ERRORS, show_error
from clinic_app.ui.live_updates import follow_other_workstations
from clinic_app.ui.navigation import Navigator
from clinic_app.ui.patients import chart_dialogs as dialogs
from clinic_app.ui.patients import chart_rows as rows
from clinic_app.ui.patients.chart_header import ChartHeader
from clinic_app.ui.patients.chart_pages import ChartPages, ListSection, build_pages, page
from clinic_app.ui.patients.chart_treatment import ChartTreatment
from clinic_app.ui.patients.display import rich
from clinic_app.ui.patients.lab_dialog import lab_dialog
from clinic_app.ui.patients.patient_form import PatientFormDialog
from clinic_app.ui.patients.record_dialog import RecordDialog
from clinic_app.ui.patients.record_table import RecordRow
from clinic_app.ui.patients.tdm_tab import DrugLevelsTab
from clinic_app.ui.visit.identity_header import ALLERGY_STYLE, NONE_KNOWN_STYLE

DialogFactory = Callable[[AppState, int, QWidget], RecordDialog]
ADD_DIALOGS: dict[str, DialogFactory] = {
    "allergy": dialogs.allergy_dialog, "diagnosis": dialogs.diagnosis_dialog,
    "contraindication": dialogs.contraindication_dialog, "weight": dialogs.weight_dialog,
    "screening": dialogs.screening_dialog, "lab_result": lab_dialog,
}
TAB_TITLES = ("Overview", "Weights", "Screening", "Labs", "Courses && schedule", "Infusions",
              "Drug levels", "Reactions", "Audit history")


class PatientChartWidget(QWidget):
    """One patient's chart (a tab of the main window)."""

    def __init__(self, state: AppState, navigator: Navigator, patient_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._navigator = navigator
        self.patient_id = patient_id
        self.chart: PatientChart | None = None
        self._audit_stale = True
        self.header = ChartHeader()
        self.edit_button = QPushButton("Edi&t patient…")
        self.edit_button.setAccessibleName("Edit patient…")
        self.edit_button.setToolTip("Ctrl+E")
        self.edit_button.clicked.connect(self.edit_patient)
        self.pages = build_pages()
        self.notice = ValueLabel("Chart message", alert=True)
        self.drug_levels = DrugLevelsTab(state, patient_id, self.notice.setText)
        self.tabs = self._build_tabs(self.pages)
        self.treatment = ChartTreatment(state, navigator, self.pages, self, self.notice.setText)
        self._layout()
        self._wire()
        state.data_changed.connect(self._on_data_changed)
        state.signed_in.connect(self._on_signed_in)
        follow_other_workstations(state, self, self._redraw_if_changed)
        self.refresh()

    def _build_tabs(self, pages: ChartPages) -> QTabWidget:
        tabs = QTabWidget()
        tabs.setAccessibleName("Chart sections")
        contents = (pages.overview, page(pages.weights.table), page(pages.screening.table),
                    page(pages.labs.table), page(pages.courses.table),
                    page(pages.today, pages.visits.table), self.drug_levels,
                    page(pages.reactions.table), page(pages.audit.table))
        for widget, title in zip(contents, TAB_TITLES, strict=True):
            tabs.addTab(widget, title)
        tabs.currentChanged.connect(lambda _index: self._load_audit_if_shown())
        return tabs

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.header, 1)
        top.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.notice)

    def _wire(self) -> None:
        for section in self.pages.sections():
            if section.add is not None:
                section.add.clicked.connect(lambda _c=False, s=section: self.add_record(s.kind))
            if section.void is not None:
                section.void.clicked.connect(lambda _c=False, s=section: self.void_selected(s))
            section.table.table.installEventFilter(self)
        self.pages.no_known_allergies.clicked.connect(self.record_no_known_allergies)
        self.pages.void_no_known_allergies.clicked.connect(self.void_no_known_allergies)
        QShortcut(QKeySequence("Ctrl+E"), self, self.edit_patient)
        for number in range(self.tabs.count()):
            QShortcut(QKeySequence(f"Alt+{number + 1}"), self,
                      lambda n=number: self.tabs.setCurrentIndex(n))

    # --- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the chart again and redraw every list (the selection is kept)."""
        try:
            chart = get_chart(self._state.ctx, patient_id=self.patient_id)
        except EXPECTED_ERRORS as exc:
            self.header.identity_label.setText(f"The chart could not be read: {exc}")
            return
        self.chart = chart
        self._show(chart)
        self._audit_stale = True
        self._load_audit_if_shown()

    def _show(self, chart: PatientChart) -> None:
        tz = self._state.ctx.tz
        self.header.show_patient(chart.patient, chart.alerts, self._state.ctx.local_now().date())
        self.pages.contact.setText(_contact_text(chart))
        p = self.pages
        p.allergies.table.set_rows(rows.allergy_rows(chart.allergies, tz))
        none_known = chart.allergy_state == "none_known"
        p.allergy_state.setText(chart.allergy_line if none_known else f"⚠ {chart.allergy_line}")
        p.allergy_state.setStyleSheet(NONE_KNOWN_STYLE if none_known else ALLERGY_STYLE)
        p.no_known_allergies.setEnabled(chart.allergy_state == "not_recorded")
        p.void_no_known_allergies.setEnabled(self._standing_statement() is not None)
        p.diagnoses.table.set_rows(rows.diagnosis_rows(chart.diagnoses, tz))
        p.contraindications.table.set_rows(rows.contraindication_rows(
            chart.contraindications, catalogue.contraindication_codes(), chart.reactions, tz))
        p.weights.table.set_rows(rows.weight_rows(chart.weights, tz))
        p.screening.table.set_rows(rows.screening_rows(chart.screenings,
                                                       catalogue.screening_kinds(), tz))
        p.labs.table.set_rows(rows.lab_rows(chart.lab_results, tz))
        labels = {sign.code: sign.label for sign in reaction_signs()}
        drugs = {v.id: catalogue.protocol(v.protocol_id).drug
                 for v in chart.visits if v.protocol_id}
        p.reactions.table.set_rows(rows.reaction_rows(chart.reactions, labels, tz, drugs))
        p.reactions.table.table.resizeRowsToContents()  # free text wraps, never cut (issue 12)
        self.treatment.show_chart(chart)
        self.drug_levels.show_courses(chart.courses)
        summary = chart.patient.summary  # the tab reads "SURNAME, Given (MRN)" (issue 12)
        self.setWindowTitle(f"{summary.display_name} ({summary.mrn})")

    def _load_audit_if_shown(self) -> None:
        if not self._audit_stale or self.tabs.currentWidget() is not self._audit_page():
            return
        try:
            lines = patient_audit(self._state.ctx, patient_id=self.patient_id)
        except EXPECTED_ERRORS as exc:
            self.pages.audit.table.set_rows([RecordRow(0, (str(exc),))])
            return
        self.pages.audit.table.set_rows(rows.audit_rows(lines, self._state.ctx.tz))
        self._audit_stale = False

    def _audit_page(self) -> QWidget:
        page = self.tabs.widget(self.tabs.count() - 1)
        assert page is not None  # the audit page is always the last tab
        return page

    def _on_signed_in(self, _nurse: object) -> None:
        self.refresh()  # records stay open behind the idle lock; read them again

    def _redraw_if_changed(self) -> None:
        """Another workstation committed (issue 14): read the chart, redraw if it changed."""
        try:
            chart = get_chart(self._state.ctx, patient_id=self.patient_id)
        except EXPECTED_ERRORS:
            return  # read at the next change or refresh
        if chart == self.chart:
            return
        self.chart = chart
        self._show(chart)
        self._audit_stale = True
        self._load_audit_if_shown()

    def _on_data_changed(self, change: Change) -> None:
        if change.patient_id == self.patient_id or (
                change.kind == "patient" and change.record_id == self.patient_id):
            self.refresh()

    # --- actions ---------------------------------------------------------------------------

    def add_record(self, kind: str) -> RecordDialog:
        """Open the add form for ``kind`` (weight, allergy, ...); the chart redraws on save."""
        dialog = ADD_DIALOGS[kind](self._state, self.patient_id, self)
        dialog.saved.connect(lambda saved: self._announce(kind, getattr(saved, "id", None)))
        dialog.open()
        return dialog

    def record_no_known_allergies(self) -> None:
        """Record that the patient was asked and has no known allergies; the service refuses
        it while an allergy stands (the message is shown on the chart)."""
        try:
            patients.record_no_known_allergies(self._state.ctx, patient_id=self.patient_id)
        except EXPECTED_ERRORS as exc:
            self.notice.setText(str(exc))
            return
        self.notice.clear()
        self._announce("allergy", None)

    def _standing_statement(self) -> NoKnownAllergiesEntry | None:
        if self.chart is None:
            return None
        return next((n for n in self.chart.no_known_allergies if n.voided is None), None)

    def void_no_known_allergies(self) -> RecordDialog | None:
        """Ask why the standing "No known allergies" statement is voided, then void it (audited,
        kept on file with the reason); the chart then reads "allergies not recorded"."""
        statement = self._standing_statement()
        if statement is None:
            self.notice.setText("No \"No known allergies\" statement stands to void.")
            return None
        self.notice.clear()
        what = f"“No known allergies” stated on {date_text(statement.stated_on)}"
        dialog = dialogs.void_dialog(self._state, kind="no_known_allergies",
                                     record_id=statement.id, what=what, parent=self)
        dialog.saved.connect(lambda _v: self._announce("allergy", None))
        dialog.open()
        return dialog

    def void_selected(self, section: ListSection) -> RecordDialog | None:
        """Ask why the highlighted record is voided, then void it."""
        chosen = section.table.selected()
        name = section.kind.replace("_", " ")
        if chosen is None or chosen.voided:
            self.notice.setText(f"This {name} is already voided." if chosen else
                                f"Highlight the {name} to void first.")
            section.table.table.setFocus()
            return None
        self.notice.clear()
        what = f"this {name} ({' · '.join(c for c in chosen.cells[:2] if c)})"
        dialog = dialogs.void_dialog(self._state, kind=section.kind, record_id=chosen.record_id,
                                     what=what, parent=self)
        dialog.saved.connect(lambda _v: self._announce(section.kind, chosen.record_id))
        dialog.open()
        return dialog

    def edit_patient(self) -> PatientFormDialog | None:
        """Open the edit form filled from the record as stored now."""
        try:
            details = patients.get_patient(self._state.ctx, patient_id=self.patient_id)
        except EXPECTED_ERRORS as exc:
            show_error(self, exc, title="Cannot edit")
            return None
        dialog = PatientFormDialog(self._state, details=details, parent=self)
        dialog.open()
        return dialog

    def _announce(self, kind: str, record_id: int | None) -> None:
        self._state.announce(kind, record_id, patient_id=self.patient_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() == Qt.Key.Key_Delete):
            for section in self.pages.sections():
                if watched is section.table.table and section.void is not None:
                    self.void_selected(section)
                    return True
        return super().eventFilter(watched, event)


def _contact_text(chart: PatientChart) -> str:
    details = chart.patient
    parts = [("Phone", details.phone), ("E-mail", details.email),
             ("Address", details.address.replace("\n", ", ")), ("Notes", details.notes)]
    shown = [f"<b>{label}:</b> {rich(value)}" for label, value in parts if value]
    return " &nbsp;·&nbsp; ".join(shown) or "No contact details on file."
