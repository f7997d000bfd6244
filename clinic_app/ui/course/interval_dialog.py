"""Change the maintenance interval of a course from a dose on, as the prescriber ordered.

The weeks offered are the protocol's allowed intervals (e.g. infliximab 4, 6 or 8); the services
check the dose number and re-plan the open appointments.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_app.services import courses
from clinic_app.services.courses.dto import CourseDetail
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients.record_dialog import RecordDialog, Values


def first_dose_offered(detail: CourseDetail) -> int:
    """The dose pre-filled: the next dose to give, not before the first maintenance dose."""
    first_maintenance = len(detail.plan.schedule.induction_offsets_weeks) + 1
    next_dose = detail.plan.next_dose
    return max(next_dose.number if next_dose else first_maintenance, first_maintenance)


class IntervalDialog(RecordDialog):
    """``saved`` carries the re-planned CourseDetail."""

    def __init__(self, state: AppState, detail: CourseDetail,
                 parent: QWidget | None = None) -> None:
        course = detail.course
        intro = (f"{course.drug}, {course.indication}: now every {course.interval_weeks} weeks. "
                 "Record the prescriber's new interval.")
        super().__init__("Change interval", self._change, save_text="&Change interval",
                         intro=intro, parent=parent)
        self._state = state
        self._course_id = course.id
        self.from_dose = self.add_line("from_dose", "&From dose",
                                       text=str(first_dose_offered(detail)))
        allowed = detail.plan.schedule.allowed_intervals_weeks
        self.weeks = self.add_choice("weeks", "&Every", [(str(w), f"{w} weeks") for w in allowed],
                                     current=str(course.interval_weeks))
        self.ordered_by = self.add_line("ordered_by", "&Ordered by",
                                        hint=f"Leave empty for {course.prescriber}")
        self.reason = self.add_text("reason", "&Reason", height=56)

    def _change(self, v: Values) -> object:
        return courses.change_interval(
            self._state.ctx, course_id=self._course_id, from_dose=v["from_dose"],
            weeks=v["weeks"], reason=v["reason"], ordered_by=v["ordered_by"])
