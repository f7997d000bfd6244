"""Under 18 (issue 10): the caution the patient's age brings shows where the nurse decides: on
the course screen once the course is started, and as a tick before the visit opens."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_course import FakeNavigator, course_screen
from test_visit import Booking, open_dialog, type_weight

from clinic_app.services import catalogue, courses, patients, visits
from clinic_app.services.chart import get_chart
from clinic_app.services.courses import book_appointment
from clinic_app.services.patients.dto import PatientForm

pytestmark = pytest.mark.gui


@pytest.fixture
def child(ui_ctx) -> Booking:
    """Maja, 15, infliximab for Crohn's disease, dose 1 today at 10:00."""
    patient = patients.register_patient(ui_ctx, form=PatientForm(
        mrn="MRN-KID", family_name="Kowalska", given_names="Maja",
        date_of_birth="2010-11-20", sex="female"))
    for kind in catalogue.screening_kinds():
        patients.record_screening(ui_ctx, patient_id=patient.id, kind=kind,
                                  taken_on="2026-02-20", outcome="negative")
    course = courses.start_course(ui_ctx, patient_id=patient.id, protocol_id="infliximab",
                                  indication_id="crohns", mg_per_kg="5",
                                  prescriber="Dr Anna Nowak", first_dose="2026-03-02")
    first = courses.get_course(ui_ctx, course_id=course.id).appointments[0]
    book_appointment(ui_ctx, appointment_id=first.id, day="2026-03-02", time="10:00",
                     chair="Chair 3")
    return Booking(patient.id, course.id, first.id)


def test_the_course_screen_shows_the_under_18_caution(qtbot, app_state, child):
    widget = course_screen(qtbot, app_state, FakeNavigator(), child.course_id)
    assert "Age under 18" in widget.course_warnings.text()


def test_the_under_18_caution_is_ticked_before_the_visit_opens(qtbot, app_state, child):
    dialog = open_dialog(qtbot, app_state, child)
    type_weight(qtbot, dialog, "48")
    box = dialog.view.warnings.ack_box("CONTRAINDICATION_CAUTION")
    assert "Age under 18" in box.accessibleName()
    qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    visit = get_chart(app_state.ctx, patient_id=child.patient_id).visits[0]
    assert visits.get_visit(app_state.ctx, visit_id=visit.id).acknowledged == (
        "CONTRAINDICATION_CAUTION",)
