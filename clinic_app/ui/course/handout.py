"""Print the patient's schedule handout of a course: the services build the PDF, the main
window previews it (Save as PDF, Print)."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_app.services import sheets
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, show_error
from clinic_app.ui.navigation import Navigator


def print_schedule_handout(state: AppState, navigator: Navigator, course_id: int, *,
                           parent: QWidget) -> bool:
    """Preview the handout of ``course_id``; a refusal is shown as a dialog (False)."""
    try:
        data = sheets.schedule_handout(state.ctx, course_id=course_id)
    except EXPECTED_ERRORS as exc:
        show_error(parent, exc, title="Cannot print")
        return False
    navigator.show_pdf("Schedule handout", data, f"schedule-handout-course-{course_id}.pdf")
    return True
