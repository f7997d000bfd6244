"""Record the prescriber's decision at the course's response review, or void one with a reason.

The dialog shows where the review falls and the protocol's words; the services check every field
(:func:`clinic_app.services.courses.record_review_decision`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_app.services import courses
from clinic_app.services.courses.dto import CourseDetail, ResponseReviewState, ReviewDecisionEntry
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients.record_dialog import RecordDialog, Values

DECISIONS = (("continue", "Continue"), ("stop", "Stop"), ("other", "Other (say what in the note)"))


class ReviewDialog(RecordDialog):
    """``saved`` carries the CourseDetail with the decision recorded."""

    def __init__(
        self,
        state: AppState,
        detail: CourseDetail,
        review: ResponseReviewState,
        parent: QWidget | None = None,
    ) -> None:
        course = detail.course
        intro = f"{review.headline}: {review.when}.\n{review.rule}"
        super().__init__(
            "Record review decision",
            self._record,
            save_text="&Record decision",
            intro=intro,
            parent=parent,
        )
        self._state = state
        self._course_id = course.id
        self.decision = self.add_choice("decision", "&Decision", DECISIONS)
        self.prescriber = self.add_line(
            "prescriber", "&Prescriber", hint=f"Leave empty for {course.prescriber}"
        )
        today = state.ctx.local_now().date()
        self.decided_on = self.add_line("decided_on", "Decided &on", text=today.isoformat())
        self.note = self.add_text("note", "&Note", height=56)

    def _record(self, v: Values) -> object:
        return courses.record_review_decision(
            self._state.ctx,
            course_id=self._course_id,
            decision=v["decision"],
            decided_on=v["decided_on"],
            prescriber=v["prescriber"],
            note=v["note"],
        )


def void_review_dialog(
    state: AppState, decision: ReviewDecisionEntry, parent: QWidget | None = None
) -> RecordDialog:
    """Ask why the decision is voided; it stays on the course, marked voided, with the reason."""

    def submit(v: Values) -> object:
        return courses.void_review_decision(
            state.ctx, review_id=decision.id, reason=v["reason"], expected_version=decision.version
        )

    intro = (
        f'Void the review decision "{decision.decision_text}" ({decision.prescriber})?\n'
        "It stays on the course, marked voided, with your reason. Use this for a decision "
        "recorded in error; the next booking then needs a decision again."
    )
    dialog = RecordDialog(
        "Void review decision", submit, save_text="&Void", intro=intro, parent=parent
    )
    dialog.add_line("reason", "&Reason")
    return dialog
