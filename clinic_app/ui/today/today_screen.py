"""The Today screen's behaviour: fetch the clinic day, keep it live, open and print from it.

The day is re-read from ``services.clinic_day.clinic_day`` on every change notice, on every
change another workstation commits (``AppState.remote_changed``, within about a second, issue
14) and every 30 seconds (the due times move with the clock, not only with the data), keeping
the nurse's selection and scroll position. The clock is the context's, never the system's.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QWidget

from clinic_app.domain.dates import date_text, long_weekday_date_text, time_text
from clinic_app.domain.overdue import total
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, show_error
from clinic_app.ui.navigation import Navigator
from clinic_app.ui.today.did_not_attend import DidNotAttendQuestion
from clinic_app.ui.today.today_model import TodayModel
from clinic_app.ui.today.today_view import LIST_HINT, TIMELINE_HINT, TodayView

if TYPE_CHECKING:
    from clinic_app.services.visits.dto import ClinicDayRow

REFRESH_MS = 30_000
_OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def _day_of(picked: QDate) -> date:
    """The calendar day of a date picker."""
    return date(picked.year(), picked.month(), picked.day())


class TodayScreen(TodayView):
    """The day's appointments with live status; Enter opens the visit (or the chart)."""

    def __init__(self, state: AppState, navigator: Navigator,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Today")
        self._state = state
        self._navigator = navigator
        self._follow_today = True
        self.model = TodayModel(self)
        self.table.setModel(self.model)
        self.size_columns()
        self.timer = QTimer(self)
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self.refresh)
        self._connect()
        self._set_picker(self._today())
        self._update_buttons()
        if state.nurse is not None:
            self._on_signed_in()

    def _connect(self) -> None:
        self.day.dateChanged.connect(self._on_day_picked)
        self.previous_day.clicked.connect(lambda: self.show_day(self.current_day() - timedelta(1)))
        self.next_day.clicked.connect(lambda: self.show_day(self.current_day() + timedelta(1)))
        self.back_to_today.clicked.connect(self.show_today)
        self.print_day_list.clicked.connect(self.print_day)
        self.open_selected.clicked.connect(self.open_current)
        self.open_chart.clicked.connect(self.open_current_chart)
        self.weigh_and_open.clicked.connect(self.weigh_and_open_visit)
        self.did_not_attend.clicked.connect(self.ask_did_not_attend)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.model.modelReset.connect(self._update_buttons)
        self.model.dataChanged.connect(self._update_buttons)
        self.table.doubleClicked.connect(self._open_index)
        self.timeline.booking_chosen.connect(self.move_or_open)
        self.tabs.currentChanged.connect(
            lambda index: self.hint.setText(TIMELINE_HINT if index else LIST_HINT)
        )
        self.table.installEventFilter(self)
        self._state.data_changed.connect(self._on_data_changed)
        self._state.remote_changed.connect(self._on_data_changed)
        self._state.signed_in.connect(self._on_signed_in)
        self._state.signed_out.connect(self._on_signed_out)

    def _today(self) -> date:
        return self._state.ctx.local_now().date()

    def current_day(self) -> date:
        """The day shown."""
        return _day_of(self.day.date())

    def _set_picker(self, day: date) -> None:
        self.day.blockSignals(True)
        self.day.setDate(QDate(day.year, day.month, day.day))
        self.day.blockSignals(False)

    def show_day(self, day: date) -> None:
        """Show another day (the screen stops following the calendar until "Today")."""
        self._follow_today = day == self._today()
        self._set_picker(day)
        self.refresh()

    def show_today(self) -> None:
        """Back to the current day."""
        self.show_day(self._today())

    def _on_day_picked(self, picked: QDate) -> None:
        self.show_day(_day_of(picked))

    def refresh(self) -> None:
        """Re-read the day from the service, keeping the selected appointment selected."""
        if self._follow_today and self.current_day() != self._today():
            self._set_picker(self._today())
        day = self.current_day()
        selected = self.selected_row()
        from clinic_app.services import clinic_day  # on first use: not before the first paint

        try:
            rows = clinic_day.clinic_day(self._state.ctx, day=day)
        except EXPECTED_ERRORS as exc:
            self.message.setText(f"The clinic day could not be read: {exc}")
            self.message.show()
            return
        self.message.hide()
        scrolled = self.table.verticalScrollBar().value()
        self.model.set_rows(rows)
        self._show_timeline(rows, day)
        self._update_heading(day)
        if selected is not None:
            again = self.model.row_of_appointment(selected.appointment_id)
            if again is not None and not self.table.selectionModel().isRowSelected(again):
                self.table.selectRow(again)
        self.table.verticalScrollBar().setValue(scrolled)

    def _show_timeline(self, rows: tuple[ClinicDayRow, ...], day: date) -> None:
        """The chair timeline of the same rows (its rules: ``clinic_day.chair_timeline``)."""
        from clinic_app.services import clinic_day

        ctx = self._state.ctx
        try:
            timeline = clinic_day.chair_timeline(ctx, rows=rows)
        except EXPECTED_ERRORS as exc:
            self.message.setText(f"The chair timeline could not be read: {exc}")
            self.message.show()
            return
        self.timeline.set_timeline(timeline, day=day, tz=ctx.tz, now=ctx.now())

    def _update_heading(self, day: date) -> None:
        today = self._today()
        label = {today: "Today", today - timedelta(1): "Yesterday",
                 today + timedelta(1): "Tomorrow"}.get(day)
        dated = long_weekday_date_text(day)
        self.heading.setText(f"{label} — {dated}" if label else dated)
        rows = self.model.rows
        in_chairs = sum(r.status in ("pre_check", "infusing", "observation") for r in rows)
        overdue = total(r.overdue_count for r in rows).text  # as the printed day list counts
        parts = [f"{len(rows)} appointment{'s' if len(rows) != 1 else ''}",
                 f"{in_chairs} in chairs"]
        if overdue:
            parts.append(overdue)
        now = self._state.ctx.local_now()
        parts.append(f"updated {time_text(now)}")
        self.summary.setText(" · ".join(parts))

    def _selected_index(self) -> QModelIndex:
        """The selected row's index: the keyboard cursor's row when it is selected, else the
        row selected otherwise (a screen reader or test robot selects through the selection
        model without moving the cursor); invalid when nothing is selected."""
        selection = self.table.selectionModel()
        index = self.table.currentIndex()
        if index.isValid() and selection.isRowSelected(index.row()):
            return index
        rows = selection.selectedRows()
        return rows[0] if rows else QModelIndex()

    def selected_row(self) -> ClinicDayRow | None:
        """The DTO of the selected appointment (None when nothing is selected)."""
        index = self._selected_index()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _open_index(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        row = self.model.row_at(index.row())
        if row.visit_id is not None:
            self._navigator.open_visit(row.visit_id)
        else:
            self._navigator.open_chart(row.patient.id)

    def open_current(self) -> None:
        """Open the selected appointment's visit, or its patient's chart before the visit."""
        index = self._selected_index()
        self._open_index(index if index.isValid() else self.table.currentIndex())

    def open_current_chart(self) -> None:
        """Open the selected patient's chart."""
        row = self.selected_row()
        if row is not None:
            self._navigator.open_chart(row.patient.id)

    def _arrival_row(self) -> ClinicDayRow | None:
        row = self.selected_row()
        if row is None or row.status != "booked" or self.current_day() != self._today():
            return None
        return row

    def _update_buttons(self) -> None:
        row = self.selected_row()
        self.open_selected.setEnabled(row is not None)
        self.open_chart.setEnabled(row is not None)
        self.weigh_and_open.setEnabled(self._arrival_row() is not None)
        self.did_not_attend.setEnabled(row is not None and row.can_mark_did_not_attend)

    def weigh_and_open_visit(self) -> QDialog | None:
        """The selected patient has arrived today: weigh, check the dose, open the visit."""
        from clinic_app.ui.visit.open_visit_dialog import OpenVisitDialog

        row = self._arrival_row()
        if row is None:
            return None
        dialog = OpenVisitDialog(self._state, row.appointment_id, navigator=self._navigator,
                                 parent=self)
        dialog.open()
        return dialog

    def ask_did_not_attend(self) -> DidNotAttendQuestion | None:
        """Ask, naming the patient, dose and booked time, then record the did-not-attend."""
        row = self.selected_row()
        if row is None or not row.can_mark_did_not_attend:
            return None
        question = DidNotAttendQuestion(row, self.current_day(), self)
        question.record.clicked.connect(lambda: self._record_did_not_attend(row))
        question.finished.connect(question.deleteLater)
        question.open()
        return question

    def _record_did_not_attend(self, row: ClinicDayRow) -> None:
        from clinic_app.services import courses

        try:
            courses.mark_did_not_attend(self._state.ctx, appointment_id=row.appointment_id,
                                             expected_version=row.appointment_version)
        except EXPECTED_ERRORS as exc:
            show_error(self, exc, title="Did not attend not recorded")
            self.refresh()
            return
        self._state.announce("appointment", row.appointment_id, patient_id=row.patient.id)

    def move_or_open(self, appointment_id: int) -> QDialog | None:
        """A bar of the chair timeline chosen: move a booking nobody has arrived for (the
        booking dialog, with the same checks as from the course), else open its visit."""
        at = self.model.row_of_appointment(appointment_id)
        if at is None:
            return None
        row = self.model.row_at(at)
        if row.status != "booked":
            self._open_index(self.model.index(at, 0))
            return None
        return self._move_booking(row)

    def _move_booking(self, row: ClinicDayRow) -> QDialog | None:
        from clinic_app.services import courses
        from clinic_app.ui.course.booking_dialog import BookingDialog
        from clinic_app.ui.course.schedule_model import schedule_rows

        try:
            detail = courses.get_course(self._state.ctx, course_id=row.course_id)
        except EXPECTED_ERRORS as exc:
            show_error(self, exc, title="Booking not moved")
            return None
        found = [r for r in schedule_rows(detail) if r.appointment.id == row.appointment_id]
        if not found or detail.course.status != "active":
            return None
        dialog = BookingDialog(self._state, found[0], parent=self)
        dialog.setWindowTitle(f"{dialog.windowTitle()}: {row.patient.display_name}")
        dialog.saved.connect(
            lambda saved: self._state.announce("appointment", saved.id, patient_id=row.patient.id)
        )
        dialog.open()
        return dialog

    def print_day(self) -> None:
        """Preview the day list of the day shown (save or print from the preview)."""
        from clinic_app.services import sheets

        day = self.current_day()
        try:
            data = sheets.day_list(self._state.ctx, day=day)
        except EXPECTED_ERRORS as exc:
            show_error(self, exc, title="Day list not printed")
            return
        self._navigator.show_pdf(f"Day list {date_text(day)}", data, f"day-list-{day}.pdf")

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter in the table opens the selected appointment."""
        if (watched is self.table and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in _OPEN_KEYS):
            self.open_current()
            return True
        return super().eventFilter(watched, event)

    def _on_data_changed(self, _change: object) -> None:
        if self._state.nurse is not None:
            self.refresh()

    def _on_signed_in(self, _nurse: object = None) -> None:
        self.refresh()
        self.timer.start()

    def _on_signed_out(self) -> None:
        self.timer.stop()
        self.model.set_rows(())
        self.timeline.clear()
