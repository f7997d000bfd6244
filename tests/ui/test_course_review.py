"""The course screen's response review (issue 13): "Response review due at dose 4 (week 14)",
"Record review decision…" and "Void review decision…", and the booking refusal shown where the
nurse books."""

from __future__ import annotations

from typing import Any

import pytest
import test_course
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QPushButton
from test_course import (
    FakeNavigator,
    choose,
    course_screen,
    named,
    open_booking,
    retype,
    start_infliximab,
    type_text,
)
from ui_testing import shot

from clinic_app.services import courses
from clinic_app.ui.course.course_view import CourseWidget
from clinic_app.ui.course.review_dialog import ReviewDialog
from clinic_app.ui.patients.record_dialog import RecordDialog

pytestmark = pytest.mark.gui

HEADLINE = "Response review due at dose 4 (week 14)"


# The course screen's fixtures, shared with test_course.
navigator = test_course.navigator
patient_id = test_course.patient_id
screened = test_course.screened


def _screen(qtbot: Any, app_state: Any, navigator: FakeNavigator, patient: int) -> CourseWidget:
    return course_screen(qtbot, app_state, navigator, start_infliximab(app_state.ctx, patient))


def _open(widget: CourseWidget, cls: type) -> Any:
    children: list[Any] = widget.findChildren(cls)
    found = [d for d in children if d.isVisible()]
    assert len(found) == 1
    return found[0]


def test_the_course_shows_the_review_due_and_its_buttons_with_their_names(
    qtbot, app_state, navigator, screened
):
    widget = _screen(qtbot, app_state, navigator, screened)
    review = named(widget, type(widget.review), "Response review")
    assert review.isVisible()
    assert HEADLINE in review.text() and "not recorded yet" in review.text()
    assert "due 8 Jun 2026" in review.text()  # dose 4, 14 weeks after 2 Mar 2026
    record = named(widget, QPushButton, "Record review decision…")
    void = named(widget, QPushButton, "Void review decision…")
    assert record.isEnabled() and not void.isEnabled()


def test_a_course_without_a_checkpoint_shows_no_review(qtbot, app_state, navigator, screened):
    course = courses.start_course(
        app_state.ctx,
        patient_id=screened,
        protocol_id="infliximab",
        indication_id="rheumatoid_arthritis",
        mg_per_kg="3",
        prescriber="Dr Ewa Nowak",
        first_dose="2026-03-02",
    )
    widget = course_screen(qtbot, app_state, navigator, course.id)
    assert not widget.review.isVisible() and not widget.review_button.isVisible()


def test_booking_after_the_review_is_refused_naming_it_until_the_decision_is_recorded(
    qtbot, app_state, navigator, screened
):
    widget = _screen(qtbot, app_state, navigator, screened)
    dialog = open_booking(qtbot, widget, 5)
    dialog.resize(1024, 600)
    assert dialog.refusal.isVisible()
    assert HEADLINE in dialog.refusal.text() and "Record review decision" in dialog.refusal.text()
    type_text(named(dialog, QLineEdit, "Time"), "09:00")
    choose(named(dialog, QComboBox, "Chair"), "Chair 1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()  # refused, shown under the day; nothing booked
    assert HEADLINE in dialog.refusal.text()
    assert dialog.size().width() <= 1024 and dialog.size().height() <= 600
    shot(dialog, "booking_review_refused")
    dialog.reject()

    qtbot.mouseClick(widget.review_button, Qt.MouseButton.LeftButton)
    form = _open(widget, ReviewDialog)
    assert HEADLINE in form.intro.text()
    choose(named(form, QComboBox, "Decision"), "continue")
    type_text(named(form, QLineEdit, "Prescriber"), "Dr Jan Kowalski")
    assert named(form, QLineEdit, "Decided on").text() == "2026-03-02"
    form.note.setFocus()
    type_text(named(form, QPlainTextEdit, "Note"), "Responding; continue")
    shot(form, "review_decision")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert "Continue (Dr Jan Kowalski, 2 Mar 2026) — Responding; continue" in widget.review.text()
    assert not widget.review_button.isEnabled() and widget.void_review_button.isEnabled()

    dialog = open_booking(qtbot, widget, 5)
    assert not dialog.refusal.isVisible()
    type_text(named(dialog, QLineEdit, "Time"), "09:00")
    choose(named(dialog, QComboBox, "Chair"), "Chair 1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_other_without_a_note_is_refused_beside_the_note(qtbot, app_state, navigator, screened):
    widget = _screen(qtbot, app_state, navigator, screened)
    qtbot.mouseClick(widget.review_button, Qt.MouseButton.LeftButton)
    form = _open(widget, ReviewDialog)
    choose(named(form, QComboBox, "Decision"), "other")
    retype(named(form, QLineEdit, "Decided on"), "2030-01-01")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert form.isVisible()
    assert "Say what the prescriber decided" in form.rows.error_text("note")
    assert "future" in form.rows.error_text("decided_on")


def test_a_decision_is_voided_with_a_reason_and_the_review_is_due_again(
    qtbot, app_state, navigator, screened
):
    widget = _screen(qtbot, app_state, navigator, screened)
    courses.record_review_decision(
        app_state.ctx,
        course_id=widget.course_id,
        decision="stop",
        decided_on="2026-03-02",
        note="No response",
    )
    widget.refresh()
    assert "Stop (Dr Ewa Nowak, 2 Mar 2026) — No response" in widget.review.text()
    qtbot.mouseClick(widget.void_review_button, Qt.MouseButton.LeftButton)
    form = _open(widget, RecordDialog)
    assert form.windowTitle() == "Void review decision"
    type_text(named(form, QLineEdit, "Reason"), "Recorded on the wrong course")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert not form.isVisible()
    assert "not recorded yet" in widget.review.text() and widget.review_button.isEnabled()


def test_the_course_screen_with_its_review_fits_1024x600(qtbot, app_state, navigator, screened):
    widget = _screen(qtbot, app_state, navigator, screened)
    widget.resize(1024, 600)
    qtbot.wait(10)
    assert widget.minimumSizeHint().width() <= 1024
    assert widget.minimumSizeHint().height() <= 600
    assert widget.review.isVisible() and widget.review_button.isVisible()
    shot(widget, "course_review_1024x600")
