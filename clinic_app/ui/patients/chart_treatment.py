"""The chart's treatment tabs wired: courses (start, open, print the handout), infusion visits
(open one; weigh and open today's; print its infusion record), and reactions (log a delayed one
from the chart; print the report of one on file).

Today's appointment comes from :func:`clinic_app.services.clinic_day.clinic_day` (the same rows
the Today screen shows); the weighing dialog is the visit screen's own
(:class:`~clinic_app.ui.visit.open_visit_dialog.OpenVisitDialog`), and the reaction dialog is
the reaction screen's (:mod:`clinic_app.ui.reaction`). The sheets are built by
:mod:`clinic_app.services.sheets` and previewed by the navigator (save as PDF, print); a refusal
(e.g. a voided record) is shown as a dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QDialog, QWidget

from clinic_app.domain.dates import time_text
from clinic_app.services import clinic_day as day_service
from clinic_app.services import sheets
from clinic_app.services.chart.dto import PatientChart
from clinic_app.services.visits.dto import ClinicDayRow
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.handout import print_schedule_handout
from clinic_app.ui.course.start_dialog import StartCourseDialog
from clinic_app.ui.errors import EXPECTED_ERRORS, show_error
from clinic_app.ui.navigation import Navigator
from clinic_app.ui.patients import chart_rows as rows
from clinic_app.ui.patients.chart_pages import ChartPages, ListSection
from clinic_app.ui.patients.display import chair_text, rich
from clinic_app.ui.patients.record_table import RecordRow
from clinic_app.ui.reaction.reaction_dialog import ReactionDialog
from clinic_app.ui.visit.open_visit_dialog import OpenVisitDialog

_OPEN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


class ChartTreatment(QObject):
    """Slots of the Courses, Infusions and Reactions tabs of one chart."""

    def __init__(self, state: AppState, navigator: Navigator, pages: ChartPages,
                 owner: QWidget, say: Callable[[str], None]) -> None:
        super().__init__(owner)
        self._state = state
        self._navigator = navigator
        self._pages = pages
        self._owner = owner
        self._say = say
        self._patient_id: int | None = None
        self._patient_name = ""
        self.today: list[ClinicDayRow] = []
        pages.start_course.clicked.connect(self.start_course)
        pages.open_course.clicked.connect(self.open_course)
        pages.print_handout.clicked.connect(self.print_handout)
        pages.open_visit.clicked.connect(self.open_visit)
        pages.open_today.clicked.connect(self.open_todays_visit)
        pages.print_record.clicked.connect(self.print_infusion_record)
        pages.log_delayed.clicked.connect(self.log_delayed_reaction)
        pages.print_report.clicked.connect(self.print_reaction_report)
        for table in (pages.courses.table, pages.visits.table):
            table.table.doubleClicked.connect(lambda _i, t=table: self._open_from(t))
            table.table.installEventFilter(self)

    def show_chart(self, chart: PatientChart) -> None:
        """Redraw the courses and visits lists and today's appointment."""
        self._patient_id = chart.patient.summary.id
        self._patient_name = chart.patient.summary.display_name
        self._pages.courses.table.set_rows(rows.course_rows(chart.courses))
        drugs = {c.protocol_id: c.drug for c in chart.courses}
        self._pages.visits.table.set_rows(rows.visit_rows(chart.visits, drugs,
                                                          self._state.ctx.tz))
        self._show_today()

    def _show_today(self) -> None:
        ctx = self._state.ctx
        try:
            day = day_service.clinic_day(ctx, day=ctx.local_now().date(),
                                         patient_id=self._patient_id)
        except EXPECTED_ERRORS as exc:
            self._pages.today.setText(f"Today's appointments could not be read: {exc}")
            self.today = []
            return
        self.today = [r for r in day if r.patient.id == self._patient_id]
        self._pages.today.setText(_today_text(self.today))
        self._pages.open_today.setEnabled(self._openable() is not None)

    def _openable(self) -> ClinicDayRow | None:
        """Today's appointment with a visit to show, or booked and waiting to be weighed (as
        on the Today screen); none once not attended or not given."""
        return next((r for r in self.today if r.visit_id is not None or r.status == "booked"),
                    None)

    # --- courses ---------------------------------------------------------------------------

    def start_course(self) -> StartCourseDialog | None:
        """Open the start-course form; the new course opens once saved."""
        if self._patient_id is None:
            return None
        dialog = StartCourseDialog(self._state, self._patient_id, parent=self._owner)
        dialog.saved.connect(self._course_started)
        dialog.open()
        return dialog

    def _course_started(self, course: object) -> None:
        course_id = int(getattr(course, "id", 0))
        self._state.announce("course", course_id, patient_id=self._patient_id)
        self._navigator.open_course(course_id)

    def _chosen(self, section: ListSection) -> RecordRow | None:
        """The highlighted row (the only one when there is one); else say what to do."""
        table = section.table
        chosen = table.selected()
        if chosen is None and table.model.rowCount() == 1:
            chosen = table.model.row(0)
        if chosen is None:
            self._say(f"Highlight the {section.kind} first." if table.model.rowCount()
                      else f"No {section.kind} on file.")
            table.table.setFocus()
        return chosen

    def _selected_id(self, which: str) -> int | None:
        section = self._pages.courses if which == "course" else self._pages.visits
        chosen = self._chosen(section)
        return None if chosen is None else chosen.record_id

    def _preview(self, title: str, make: Callable[[], bytes], file_name: str) -> bool:
        """Build a sheet through the services and preview it; a refusal is a dialog."""
        try:
            data = make()
        except EXPECTED_ERRORS as exc:
            show_error(self._owner, exc, title="Cannot print")
            return False
        self._say("")
        self._navigator.show_pdf(f"{title} — {self._patient_name}", data, file_name)
        return True

    def open_course(self) -> None:
        """Show the highlighted course (the only one when there is one)."""
        course_id = self._selected_id("course")
        if course_id is not None:
            self._navigator.open_course(course_id)

    def print_handout(self) -> None:
        """Preview the schedule handout of the highlighted course."""
        course_id = self._selected_id("course")
        if course_id is not None:
            print_schedule_handout(self._state, self._navigator, course_id, parent=self._owner)

    # --- visits ----------------------------------------------------------------------------

    def open_visit(self) -> None:
        """Show the highlighted infusion visit."""
        visit_id = self._selected_id("visit")
        if visit_id is not None:
            self._navigator.open_visit(visit_id)

    def print_infusion_record(self) -> None:
        """Preview the infusion record of the highlighted visit."""
        visit_id = self._selected_id("visit")
        if visit_id is not None:
            self._preview("Infusion record", lambda: sheets.infusion_record(
                self._state.ctx, visit_id=visit_id), f"infusion-record-visit-{visit_id}.pdf")

    def open_todays_visit(self) -> QDialog | None:
        """Today's appointment: its visit when already open, else weigh and open it."""
        row = self._openable()
        if row is None:
            return None
        if row.visit_id is not None:
            self._navigator.open_visit(row.visit_id)
            return None
        dialog = OpenVisitDialog(self._state, row.appointment_id, navigator=self._navigator,
                                 parent=self._owner)
        dialog.open()
        return dialog

    # --- reactions -------------------------------------------------------------------------

    def log_delayed_reaction(self) -> QDialog | None:
        """Log a reaction that began days after an infusion (linked by the services)."""
        if self._patient_id is None:
            return None
        dialog = ReactionDialog(self._state, self._patient_id, None, navigator=self._navigator,
                                parent=self._owner)
        dialog.open()
        return dialog

    def print_reaction_report(self) -> None:
        """Preview the report of the highlighted reaction (for the prescriber or the
        pharmacovigilance contact)."""
        chosen = self._chosen(self._pages.reactions)
        if chosen is not None:
            reaction_id = chosen.record_id
            self._preview("Reaction report", lambda: sheets.reaction_report(
                self._state.ctx, reaction_id=reaction_id),
                f"reaction-report-{reaction_id}.pdf")

    def _open_from(self, table: object) -> None:
        if table is self._pages.courses.table:
            self.open_course()
        else:
            self.open_visit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent)
                and event.key() in _OPEN_KEYS):
            for table in (self._pages.courses.table, self._pages.visits.table):
                if watched is table.table:
                    self._open_from(table)
                    return True
        return super().eventFilter(watched, event)


def _today_text(today: list[ClinicDayRow]) -> str:
    """Each appointment today with its status as the Today screen has it, and why a dose was
    not given when the reason is on file."""
    if not today:
        return "No infusion booked for this patient today."
    parts = [f"<b>Today {time_text(r.local_time)}</b>, {rich(chair_text(r.chair))}: {r.drug} dose "
             f"{r.dose_number} ({rich(r.dose_text)}) — {rows.day_status_text(r.status)}"
             + (f": {rich(r.status_note)}" if r.status_note else "")
             for r in today]
    return "<br>".join(parts)
