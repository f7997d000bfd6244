"""Doses the label does not cover, where the dose is prepared (issue 10): the "Open visit" step
asks for the prescriber's reason or the nurse's tick as the domain says (a fixed-dose drug at
another dose, a capped dose, a drift from the plan's weight)."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from test_visit import named, open_dialog, type_weight
from ui_testing import shot

from clinic_app.services import catalogue, courses, patients, visits
from clinic_app.services.chart import get_chart
from clinic_app.services.courses import book_appointment
from clinic_app.services.patients.dto import PatientForm

pytestmark = pytest.mark.gui
TRIAL = "Dr Nowak: half dose, trial protocol 22-104"


@dataclass(frozen=True)
class Booking:
    patient_id: int
    course_id: int
    appointment_id: int


def book(ctx, protocol: str, indication: str, **order: str) -> Booking:
    """Zofia Nowak, screened, on ``protocol``; dose 1 today at 10:00."""
    patient = patients.register_patient(ctx, form=PatientForm(
        mrn=f"MRN-{protocol[:3]}", family_name="Nowak", given_names="Zofia",
        date_of_birth="1975-06-01", sex="female"))
    for kind in catalogue.screening_kinds():
        patients.record_screening(ctx, patient_id=patient.id, kind=kind, taken_on="2026-02-20",
                                  outcome="negative")
    course = courses.start_course(ctx, patient_id=patient.id, protocol_id=protocol,
                                  indication_id=indication, prescriber="Dr Anna Nowak",
                                  first_dose="2026-03-02", **order)  # type: ignore[arg-type]
    first = courses.get_course(ctx, course_id=course.id).appointments[0]
    book_appointment(ctx, appointment_id=first.id, day="2026-03-02", time="10:00", chair="Chair 3")
    return Booking(patient.id, course.id, first.id)


def _opened(app_state, booking: Booking) -> visits.dto.VisitDetail:
    visit = get_chart(app_state.ctx, patient_id=booking.patient_id).visits[0]
    return visits.get_visit(app_state.ctx, visit_id=visit.id)


def test_a_capped_dose_is_ticked_with_the_order_and_the_dose_in_view(qtbot, app_state, ui_ctx):
    booking = book(ui_ctx, "tocilizumab", "rheumatoid_arthritis", mg_per_kg="8")
    dialog = open_dialog(qtbot, app_state, booking)
    type_weight(qtbot, dialog, "175")
    box = dialog.view.warnings.ack_box("CAPPED")
    assert "Ordered 1400 mg (8 mg/kg × 175 kg) is above the label cap of 800 mg per " \
           "infusion" in box.accessibleName()
    assert "800 mg will be prepared" in box.accessibleName()
    shot(dialog, "open_visit_capped")
    qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    visit = _opened(app_state, booking)
    assert visit.acknowledged == ("CAPPED",) and visit.dose_plan.dose_mg == 800


def test_a_fixed_dose_drug_at_another_dose_needs_the_prescribers_reason(
        qtbot, app_state, ui_ctx):
    booking = book(ui_ctx, "vedolizumab", "crohns", fixed_mg="150", override_reason=TRIAL)
    dialog = open_dialog(qtbot, app_state, booking)
    type_weight(qtbot, dialog, "70")
    label = dialog.view.warnings._reason_label.text().replace("&", "")
    assert "a dose other than the labelled fixed dose" in label
    assert "150 mg is off-label" in dialog.view.warnings.warnings[0].message
    qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    qtbot.keyClicks(named(dialog, QLineEdit, "Override reason"), TRIAL)
    qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert _opened(app_state, booking).dose_plan.override_reason == TRIAL


def test_a_dose_above_the_indications_maximum_names_it_and_needs_a_reason(
        qtbot, app_state, ui_ctx):
    booking = book(ui_ctx, "infliximab", "ulcerative_colitis", mg_per_kg="7.5",
                   override_reason="Dr Nowak: acute severe colitis, rescue dose")
    dialog = open_dialog(qtbot, app_state, booking)
    type_weight(qtbot, dialog, "70")
    assert "5 mg/kg for Ulcerative colitis" in dialog.view.warnings.warnings[0].message
    assert dialog.view.warnings.is_stop("ABOVE_LABEL_MAX")
    assert "a dose above the label maximum" in dialog.view.warnings._reason_label.text()


def test_a_drift_from_the_first_doses_weight_is_a_stop_to_tick(qtbot, app_state, ui_ctx,
                                                                 fake_clock):
    booking = book(ui_ctx, "infliximab", "crohns", mg_per_kg="5")
    visits.open_visit(ui_ctx, appointment_id=booking.appointment_id, weight="70")
    patients.record_weight(ui_ctx, patient_id=booking.patient_id, weight="76")  # 2 weeks on
    second = courses.get_course(ui_ctx, course_id=booking.course_id).appointments[1]
    fake_clock.advance(days=14)
    book_appointment(ui_ctx, appointment_id=second.id,
                     day=ui_ctx.local_now().date().isoformat(), time="15:00", chair="Chair 3",
                     override_reason="Test: dose 1 is left open")
    dialog = open_dialog(qtbot, app_state, Booking(booking.patient_id, booking.course_id,
                                                   second.id))
    type_weight(qtbot, dialog, "82")
    warnings = dialog.view.warnings
    assert [w.code for w in warnings.warnings] == ["PLAN_WEIGHT_CHANGE"]
    assert warnings.is_stop("PLAN_WEIGHT_CHANGE")
    assert "from 70 kg to 82 kg (+17.1 %)" in warnings.ack_box(
        "PLAN_WEIGHT_CHANGE").accessibleName()
    shot(dialog, "open_visit_plan_weight_drift")
