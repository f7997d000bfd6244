"""Book or reschedule one dose: day, time and chair, with the dose's window and warnings in view.

When :func:`clinic_app.services.courses.book_appointment` answers
:class:`~clinic_app.services.errors.OverrideRequired` (a day too early after the previous dose,
a long gap, a day outside the window or a closed day), the dialog shows the service's message in
a red panel and asks for what it needs: a reason to book anyway and/or a tick that the warnings
were read. Which one is needed is the service's answer, not the dialog's.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from clinic_app.services import courses
from clinic_app.services.errors import OverrideRequired
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.schedule_model import ScheduleRow
from clinic_app.ui.course.warnings_panel import WarningsPanel
from clinic_app.ui.patients.display import time_text, weekday_day_text
from clinic_app.ui.patients.record_dialog import RecordDialog, Values

DAY_HINT = "YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY"
TIME_HINT = "HH:MM, 24-hour clinic time"


def _dose_text(row: ScheduleRow) -> str:
    a, dose = row.appointment, row.dose
    text = f"Dose {a.dose_number}"
    if dose is not None:
        text += f" ({dose.phase.value}), due {weekday_day_text(a.due_date)}"
        if dose.given is None:
            text += (f"; window {weekday_day_text(dose.earliest)} to "
                     f"{weekday_day_text(dose.latest)}")
    if a.suggested:
        text += f"; suggested {weekday_day_text(a.suggested)}"
    if a.day:
        text += f".\nNow booked {weekday_day_text(a.day)} {time_text(a.time)}, chair {a.chair}"
    return text + "."


class BookingDialog(RecordDialog):
    """Book (or move) the appointment of ``row``; ``saved`` carries the AppointmentSummary."""

    def __init__(self, state: AppState, row: ScheduleRow, parent: QWidget | None = None) -> None:
        a = row.appointment
        title = "Reschedule dose" if a.day else "Book dose"
        super().__init__(title, self._book, save_text="&Book", intro=_dose_text(row),
                         parent=parent)
        self._state = state
        self._row = row
        self._codes: tuple[str, ...] = ()
        self.panel = WarningsPanel("Warnings for this dose")
        self.panel.show_warnings(row.warnings)
        self.main_layout.insertWidget(1, self.panel)
        start = a.day or a.suggested or a.due_date
        self.day = self.add_line("day", "&Day", hint=DAY_HINT, text=start.isoformat())
        self.time = self.add_line("time", "&Time", hint=TIME_HINT, text=time_text(a.time))
        self.chair = self.add_line("chair", "&Chair", text=a.chair)
        self.refusal = QLabel("")
        self.refusal.setTextFormat(Qt.TextFormat.PlainText)
        self.refusal.setWordWrap(True)
        self.refusal.setAccessibleName("Booking warning")
        self.refusal.setStyleSheet(WarningsPanel.ALERT_STYLE)
        self.rows.layout.addRow(self.refusal)
        self.acknowledge = QCheckBox("I have read these warnings; book anyway")
        self.acknowledge.setAccessibleName("I have read these warnings; book anyway")
        self.rows.layout.addRow(self.acknowledge)
        self.reason = self.add_line("override_reason", "&Reason to book anyway")
        self._show_override(False)
        (self.time if a.day is None else self.day).setFocus()

    def _show_override(self, visible: bool) -> None:
        self.refusal.setVisible(visible)
        self.acknowledge.setVisible(visible)
        self.rows.layout.setRowVisible(self.reason.parentWidget(), visible)

    def _book(self, v: Values) -> object:
        acknowledged = self._codes if self.acknowledge.isChecked() else ()
        return courses.book_appointment(
            self._state.ctx, appointment_id=self._row.appointment.id, day=v["day"],
            time=v["time"], chair=v["chair"], override_reason=v["override_reason"] or None,
            acknowledged=acknowledged, expected_version=self._row.appointment.version)

    def show_refusal(self, exc: BaseException) -> None:
        """An override request opens the reason and acknowledgement in place."""
        if isinstance(exc, OverrideRequired):
            self._ask_override(exc)
        else:
            super().show_refusal(exc)

    def _ask_override(self, exc: OverrideRequired) -> None:
        if set(exc.codes) != set(self._codes):
            self.acknowledge.setChecked(False)
        self._codes = exc.codes
        self.refusal.setText(f"⚠ {exc}")
        self._show_override(True)
        self.adjustSize()  # the message and the reason field make the form taller
        self.reason.setFocus()
