"""Patient search: type-ahead by name, MRN or date of birth over a lazy, paged results table.

Typing restarts a short timer (150 ms); when it fires, the first page of matches and their count
are fetched from :func:`clinic_app.services.patients.search_patients` off the GUI thread (typing
never waits for the database), and a result for a text the nurse has since changed is dropped
(issue 15); the rest come page by page as the nurse scrolls. Enter, a double-click or the "Open
chart" button (which follows the selection and names the patient it opens, so a screen reader can
press it) opens the chart; Down moves from the box to the results.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services import patients
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.ui.a11y import ValueLabel, name_clear_button
from clinic_app.ui.app_state import AppState, Change
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.layout_memory import remember_layout
from clinic_app.ui.navigation import Navigator
from clinic_app.ui.patients.display import compact_rows
from clinic_app.ui.patients.patient_form import PatientFormDialog
from clinic_app.ui.patients.search_model import PatientSearchModel
from clinic_app.ui.workers import run_in_background

DEBOUNCE_MS = 150
SEARCH_HINT = "Name, MRN or date of birth (YYYY-MM-DD or DD.MM.YYYY)"
_OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class PatientSearchWidget(QWidget):
    """Find a patient and open the chart, or register a new one."""

    def __init__(self, state: AppState, navigator: Navigator,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._navigator = navigator
        self.model = PatientSearchModel(self._fetch_page, parent=self)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_in_background)
        self._generation = 0  # the newest search; older results arriving late are dropped
        self._build()
        state.data_changed.connect(self._on_data_changed)
        self.run_search()

    def _build(self) -> None:
        self.box = QLineEdit()
        self.box.setPlaceholderText(SEARCH_HINT)
        self.box.setAccessibleName("Patient search")
        self.box.setAccessibleDescription(SEARCH_HINT)
        self.box.setClearButtonEnabled(True)
        name_clear_button(self.box, "Clear search")
        self.box.textChanged.connect(lambda _text: self._timer.start())
        self.box.installEventFilter(self)
        caption = QLabel("Patient &search")
        caption.setBuddy(self.box)
        self.register_button = QPushButton("&Register new patient")
        self.register_button.setAccessibleName("Register new patient")
        self.register_button.clicked.connect(self.register_patient)
        top = QHBoxLayout()
        top.addWidget(caption)
        top.addWidget(self.box, 1)
        top.addWidget(self.register_button)
        self.count_label = ValueLabel("Patients found")
        self.count_label.setWordWrap(True)  # a refused search's reason is read in full
        self.table = self._build_table()
        self.open_button = QPushButton("&Open chart")
        self.open_button.setAccessibleName("Open chart")
        self.open_button.clicked.connect(self.open_selected)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._follow_selection())
        self.model.modelReset.connect(self._follow_selection)
        self._follow_selection()
        result_row = QHBoxLayout()
        result_row.addWidget(self.count_label, 1)
        result_row.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(result_row)
        layout.addWidget(self.table, 1)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName("Search results")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        table.verticalHeader().hide()
        compact_rows(table)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        remember_layout(table, "patients.search_results")
        for column, width in enumerate((140, 420, 140)):
            table.setColumnWidth(column, width)
        table.doubleClicked.connect(self._open_index)
        table.installEventFilter(self)
        return table

    def _fetch_page(self, text: str, limit: int, offset: int) -> Sequence[PatientSummary]:
        return patients.search_patients(self._state.ctx, text=text, limit=limit, offset=offset)

    def focus_search(self) -> None:
        """Put the cursor in the search box, its text selected for retyping (the main window's
        Find patient, Ctrl+F)."""
        self.box.setFocus()
        self.box.selectAll()

    def _first_page(self, text: str) -> tuple[Sequence[PatientSummary], int]:
        page = self._fetch_page(text, self.model.page_size, 0)
        return page, patients.count_patients(self._state.ctx, text=text)

    def search_in_background(self) -> None:
        """Fetch the first page for the box's text off the GUI thread (the debounce timer);
        shown only if no newer search started meanwhile."""
        self._timer.stop()
        self._generation += 1
        generation, text = self._generation, self.box.text().strip()

        def done(result: object) -> None:
            if generation == self._generation:
                assert isinstance(result, tuple)
                self._show(text, *result)

        def failed(exc: BaseException) -> None:
            if generation != self._generation:
                return
            if isinstance(exc, EXPECTED_ERRORS):
                self._refused(exc)
            else:  # searched again here, so the error dialog and log see it as before
                self.run_search()

        run_in_background(self, lambda _progress: self._first_page(text),
                          on_progress=lambda _done, _total: None, on_done=done, on_error=failed)

    def run_search(self) -> None:
        """Show the first page for the box's text now (Enter before the timer fired, a change
        to the patients); a search still running in the background is dropped."""
        self._timer.stop()
        self._generation += 1
        text = self.box.text().strip()
        try:
            page, total = self._first_page(text)
        except EXPECTED_ERRORS as exc:
            self._refused(exc)
            return
        self._show(text, page, total)

    def _refused(self, exc: BaseException) -> None:
        self.model.clear()
        self.count_label.setText(str(exc))

    def _show(self, text: str, page: Sequence[PatientSummary], total: int) -> None:
        self.model.show_first_page(text, page)
        self.count_label.setText(_count_text(total, text))
        if self.model.rowCount() and not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def selected_patient(self) -> PatientSummary | None:
        """The highlighted result (the first one when none is highlighted)."""
        index = self.table.currentIndex()
        row = index.row() if index.isValid() else 0
        return self.model.patient(row) if self.model.rowCount() > row else None

    def _follow_selection(self) -> None:
        """Enable "Open chart" only with a result to open, and say whose chart it opens."""
        chosen = self.selected_patient()
        self.open_button.setEnabled(chosen is not None)
        self.open_button.setAccessibleDescription(
            f"Opens the chart of {chosen.display_name} ({chosen.mrn})" if chosen is not None
            else "No result to open")

    def open_selected(self) -> None:
        """Open the chart of the highlighted result."""
        if self._timer.isActive():
            self.run_search()
        chosen = self.selected_patient()
        if chosen is not None:
            self._navigator.open_chart(chosen.id)

    def _open_index(self, index: QModelIndex) -> None:
        if index.isValid():
            self._navigator.open_chart(self.model.patient(index.row()).id)

    def register_patient(self) -> PatientFormDialog:
        """Open the empty register form; the new patient's chart opens once saved."""
        dialog = PatientFormDialog(self._state, parent=self)
        dialog.patient_saved.connect(lambda saved: self._navigator.open_chart(saved.id))
        dialog.open()
        return dialog

    def _on_data_changed(self, change: Change) -> None:
        if change.kind == "patient":
            self.run_search()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        key = event.key()
        if watched is self.box and key in _OPEN_KEYS:
            self.open_selected()
            return True
        if watched is self.box and key == Qt.Key.Key_Down and self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(max(self.table.currentIndex().row(), 0))
            return True
        if watched is self.table and key in _OPEN_KEYS:
            self.open_selected()
            return True
        return super().eventFilter(watched, event)


def _count_text(total: int, text: str) -> str:
    noun = "patient" if total == 1 else "patients"
    if not text:
        return f"{total} {noun} on file"
    return f"{total} {noun} found for “{text}”"
