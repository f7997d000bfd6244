"""Booking suggests slots (issue 14) in the booking dialog at 1024x600: the typed day's free
chair-times are listed under the chair, and choosing one fills the time and the chair."""

from __future__ import annotations

from typing import Any

import pytest
import test_course
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget
from test_course import column, course_screen, named, open_booking, retype, start_infliximab
from test_course_booking import _book_another_patient
from ui_testing import shot

from clinic_app.services import courses
from clinic_app.ui.course.booking_dialog import NO_SUGGESTION

pytestmark = pytest.mark.gui

navigator = test_course.navigator
patient_id = test_course.patient_id
screened = test_course.screened


def suggestions(dialog: Any) -> QListWidget:
    return named(dialog, QListWidget, "Suggested times")


def texts(box: QListWidget) -> list[str]:
    return [box.item(i).text() for i in range(box.count())]


def test_choosing_a_suggested_time_fills_time_and_chair_and_books_at_1024x600(
    qtbot, app_state, navigator, screened
):
    _book_another_patient(app_state.ctx, day="2026-03-16", time="09:00", chair="Chair 1")
    course_id = start_infliximab(app_state.ctx, screened)
    widget = course_screen(qtbot, app_state, navigator, course_id)
    dialog = open_booking(qtbot, widget, 2)
    dialog.resize(1024, 600)
    retype(named(dialog, QLineEdit, "Day"), "16.03.2026")
    box = suggestions(dialog)
    shown = texts(box)
    assert len(shown) == 8, shown
    # 09:00-09:29 has the other patient's start; Chair 1 is held 09:00-13:30.
    assert all(not (t.startswith(("09:00", "09:15")) and "Chair 1" in t) for t in shown)
    assert "no other start in that half hour" in shown[0]
    first = box.item(0)
    box.scrollToItem(first)
    qtbot.mouseClick(
        box.viewport(), Qt.MouseButton.LeftButton, pos=box.visualItemRect(first).center()
    )
    offer = first.data(Qt.ItemDataRole.UserRole)
    assert named(dialog, QLineEdit, "Time").text() == offer.starts.strftime("%H:%M")
    assert named(dialog, QComboBox, "Chair").currentData() == offer.chair
    assert dialog.size().width() <= 1024 and dialog.size().height() <= 600
    shot(dialog, "booking_suggested_times")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert column(widget.model, "Booked")[1].startswith("Mon 16 Mar 2026")
    dose2 = courses.get_course(app_state.ctx, course_id=course_id).appointments[1]
    assert (dose2.time, dose2.chair) == (offer.starts, offer.chair)


def test_a_closed_day_says_no_chair_fits(qtbot, app_state, navigator, screened):
    widget = course_screen(qtbot, app_state, navigator, start_infliximab(app_state.ctx, screened))
    dialog = open_booking(qtbot, widget, 2)
    retype(named(dialog, QLineEdit, "Day"), "14.03.2026")  # a Saturday
    assert texts(suggestions(dialog)) == [NO_SUGGESTION]
