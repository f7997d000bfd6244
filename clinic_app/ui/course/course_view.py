"""A treatment course and its planned schedule: book, reschedule, change the order or the
interval, print.

The screen names the patient first (the right patient), then the order, the course's warnings
(e.g. a contraindication or screening due) and one row per dose: number, phase, due date,
window, suggested day, what is booked, status and warnings. The highlighted dose's warnings are
repeated beside the Book button, where the decision is made. Redraws on change notices for the
course's patient, and when another workstation changed the course (issue 14). Keys: Enter or
Ctrl+B books, Ctrl+O changes the order, Ctrl+I changes the interval, Ctrl+P prints. The
prescriber's changes of the order (and a reason recorded for an order the label does not cover)
are listed with the interval changes.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.dates import date_text
from clinic_app.services import catalogue, courses, patients
from clinic_app.services.courses.dto import CourseDetail
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState, Change
from clinic_app.ui.course.booking_dialog import BookingDialog
from clinic_app.ui.course.handout import print_schedule_handout
from clinic_app.ui.course.interval_dialog import IntervalDialog
from clinic_app.ui.course.order_dialog import OrderDialog
from clinic_app.ui.course.schedule_model import ScheduleModel, ScheduleRow
from clinic_app.ui.course.warnings_panel import WarningsPanel
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.live_updates import follow_other_workstations
from clinic_app.ui.navigation import Navigator
from clinic_app.ui.patients.display import born_text, compact_rows, rich, sex_text
from clinic_app.ui.patients.record_dialog import RecordDialog

_OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
CLOSED_STATUSES = frozenset({"done", "cancelled"})



def _button(text: str, shortcut: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(text.replace("&", ""))
    button.setToolTip(shortcut)
    return button


# The statuses of a dose still owed (the first is highlighted when the screen opens).
_OWED = ("planned", "booked", "missed", "not_given")

class CourseWidget(QWidget):
    """One course's schedule (a tab of the main window)."""

    def __init__(self, state: AppState, navigator: Navigator, course_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._navigator = navigator
        self.course_id = course_id
        self.detail: CourseDetail | None = None
        self.model = ScheduleModel(self)
        self._build()
        state.data_changed.connect(self._on_data_changed)
        state.signed_in.connect(self._on_signed_in)
        follow_other_workstations(state, self, self._refresh_if_changed)
        self.refresh()

    def _build(self) -> None:
        self.title = ValueLabel("Course")
        self.title.setTextFormat(Qt.TextFormat.PlainText)
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.5)
        font.setBold(True)
        self.title.setFont(font)
        self.order = ValueLabel("Order")
        self.order.setWordWrap(True)
        self.course_warnings = WarningsPanel("Course warnings")
        self.table = self._build_table()
        self.dose_label = ValueLabel("Highlighted dose")
        self.dose_label.setWordWrap(True)
        self.dose_warnings = WarningsPanel("Warnings for this dose")
        self.book_button = _button("&Book…", "Enter or Ctrl+B")
        self.order_button = _button("Change &order…", "Ctrl+O")
        self.interval_button = _button("Change &interval…", "Ctrl+I")
        self.print_button = _button("Pri&nt schedule handout…", "Ctrl+P")
        self.chart_button = _button("Open &chart", "")
        self.changes = ValueLabel("Order and interval changes")
        self.changes.setWordWrap(True)
        self._lay_out()
        self.book_button.clicked.connect(self.book_selected)
        self.order_button.clicked.connect(self.change_order)
        self.interval_button.clicked.connect(self.change_interval)
        self.print_button.clicked.connect(self.print_handout)
        self.chart_button.clicked.connect(self._open_chart)
        for keys, slot in (("Ctrl+B", self.book_selected), ("Ctrl+O", self.change_order),
                           ("Ctrl+I", self.change_interval), ("Ctrl+P", self.print_handout)):
            QShortcut(QKeySequence(keys), self, slot)

    def _build_table(self) -> QTableView:
        table = QTableView()
        table.setModel(self.model)
        table.setAccessibleName("Planned schedule")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().hide()
        compact_rows(table)
        table.setWordWrap(False)
        table.setTabKeyNavigation(False)  # Tab leaves the table; arrows move between rows
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        table.selectionModel().currentRowChanged.connect(lambda *_: self._show_dose())
        table.doubleClicked.connect(lambda _i: self.book_selected())
        table.installEventFilter(self)
        return table

    def _lay_out(self) -> None:
        side = QVBoxLayout()
        side.addWidget(self.dose_label)
        side.addWidget(self.dose_warnings)
        for button in (self.book_button, self.order_button, self.interval_button,
                       self.print_button, self.chart_button):
            side.addWidget(button)
        side.addWidget(self.changes)
        side.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.table, 3)
        body.addLayout(side, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.order)
        layout.addWidget(self.course_warnings)
        layout.addLayout(body, 1)

    # --- reading ---------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the course again (a fresh plan as of today) and redraw."""
        try:
            detail = courses.get_course(self._state.ctx, course_id=self.course_id)
            patient = patients.get_patient(self._state.ctx, patient_id=detail.course.patient_id)
        except EXPECTED_ERRORS as exc:
            self.order.setText(f"The course could not be read: {exc}")
            return
        chosen = self.selected_row()
        self.detail = detail
        summary = patient.summary
        today = self._state.ctx.local_now().date()
        self.title.setText(f"{detail.course.drug} — {summary.display_name}")
        self.setWindowTitle(f"{detail.course.drug}: {summary.display_name}")
        self.order.setText(_order_html(detail, summary.mrn,
                                       born_text(summary.date_of_birth, today),
                                       sex_text(summary.sex)))
        self.course_warnings.show_warnings(detail.warnings)
        self.changes.setText(_changes_text(detail, self._state.ctx.tz))
        self.model.set_detail(detail)
        self.order_button.setEnabled(self._course_active())
        self.interval_button.setEnabled(self._course_active())
        self._reselect(chosen.appointment.dose_number if chosen else None)

    def _reselect(self, dose_number: int | None) -> None:
        rows = [self.model.row(n) for n in range(self.model.rowCount())]
        wanted = next((n for n, r in enumerate(rows) if dose_number is not None
                       and r.appointment.dose_number == dose_number), None)
        if wanted is None:
            wanted = next((n for n, r in enumerate(rows) if r.appointment.status in _OWED
                           and not r.appointment.voided), 0)
        if rows:
            self.table.selectRow(wanted)
        self._show_dose()

    def selected_row(self) -> ScheduleRow | None:
        """The highlighted dose."""
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= self.model.rowCount():
            return None
        return self.model.row(index.row())

    def _show_dose(self) -> None:
        row = self.selected_row()
        if row is None:
            self.dose_label.setText("")
            self.dose_warnings.show_warnings(())
            return
        a = row.appointment
        self.dose_label.setText(f"<b>Dose {a.dose_number}</b> — {a.status.capitalize()}"
                                + (f"<br>Booked anyway — reason: {rich(a.override_reason)}"
                                   if a.override_reason else ""))
        self.dose_warnings.show_warnings(row.warnings)
        self.book_button.setText("&Reschedule…" if a.day else "&Book…")
        self.book_button.setAccessibleName("Reschedule…" if a.day else "Book…")
        self.book_button.setEnabled(self._bookable(row))

    def _course_active(self) -> bool:
        return self.detail is not None and self.detail.course.status == "active"

    def _bookable(self, row: ScheduleRow) -> bool:
        """Given, cancelled and voided doses, and doses of a stopped course, are not booked
        (the services refuse them too; the button says so before the nurse tries)."""
        a = row.appointment
        return self._course_active() and not a.voided and a.status not in CLOSED_STATUSES

    def _on_signed_in(self, _nurse: object) -> None:
        self.refresh()  # records stay open behind the idle lock; read them again

    def _refresh_if_changed(self) -> None:
        """Another workstation committed (issue 14): redraw if this course changed."""
        try:
            detail = courses.get_course(self._state.ctx, course_id=self.course_id)
        except EXPECTED_ERRORS:
            return  # read at the next change or refresh
        if detail != self.detail:
            self.refresh()

    def _on_data_changed(self, change: Change) -> None:
        if self.detail is None or change.patient_id == self.detail.course.patient_id:
            self.refresh()

    # --- actions ---------------------------------------------------------------------------

    def book_selected(self) -> RecordDialog | None:
        """Book or reschedule the highlighted dose."""
        row = self.selected_row()
        if row is None or not self._bookable(row):
            return None
        dialog = BookingDialog(self._state, row, parent=self)
        dialog.saved.connect(lambda saved: self._announce("appointment", saved.id))
        dialog.open()
        return dialog

    def change_order(self) -> RecordDialog | None:
        """Record the prescriber's new (or re-confirmed) order for the next doses."""
        if self.detail is None or not self._course_active():
            return None
        dialog = OrderDialog(self._state, self.detail, parent=self)
        dialog.saved.connect(lambda _d: self._announce("course", self.course_id))
        dialog.open()
        return dialog

    def change_interval(self) -> RecordDialog | None:
        """Record a new maintenance interval from a dose on."""
        if self.detail is None or not self._course_active():
            return None
        dialog = IntervalDialog(self._state, self.detail, parent=self)
        dialog.saved.connect(lambda _d: self._announce("course", self.course_id))
        dialog.open()
        return dialog

    def print_handout(self) -> None:
        """Preview the patient's schedule handout."""
        print_schedule_handout(self._state, self._navigator, self.course_id, parent=self)

    def _open_chart(self) -> None:
        if self.detail is not None:
            self._navigator.open_chart(self.detail.course.patient_id)

    def _announce(self, kind: str, record_id: int | None) -> None:
        patient_id = self.detail.course.patient_id if self.detail else None
        self._state.announce(kind, record_id, patient_id=patient_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in _OPEN_KEYS):
            self.book_selected()
            return True
        return super().eventFilter(watched, event)


def _order_html(detail: CourseDetail, mrn: str, born: str, sex: str) -> str:
    c = detail.course
    return (f"MRN <b>{rich(mrn)}</b> · born {born} · {sex}<br>"
            f"<b>{rich(c.indication)}</b> · {rich(c.order_text)} · prescribed by "
            f"{rich(c.prescriber)} · started {date_text(c.start_date)} · every "
            f"{c.interval_weeks} weeks after induction · {rich(c.status.capitalize())}")


def _changes_text(detail: CourseDetail, tz: tzinfo) -> str:
    sections = []
    if detail.start_override_reason:
        sections.append("Order at the start, outside the label — reason: "
                        + detail.start_override_reason)
    if detail.order_changes:
        names = {i.id: i.name for i in catalogue.protocol(
            detail.course.protocol_id).dosing.indications}
        lines = [f"{date_text(c.at.astimezone(tz).date())}: {c.order_text}, "
                 f"{names.get(c.indication_id, c.indication_id)} ({c.ordered_by}: {c.reason})"
                 + (f" — outside the label, reason: {c.override_reason}"
                    if c.override_reason else "")
                 for c in detail.order_changes]
        sections.append("Order changes:\n" + "\n".join(lines))
    if detail.interval_changes:
        lines = [f"From dose {c.from_dose}: every {c.weeks} weeks ({c.ordered_by}: {c.reason})"
                 for c in detail.interval_changes]
        sections.append("Interval changes:\n" + "\n".join(lines))
    return "\n".join(sections)
