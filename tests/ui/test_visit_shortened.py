"""The shortened infusion chosen in the "Open visit" step (issue 10): the choice appears only
where the clinic uses it and the dose may be shortened, and choosing it plans 60 minutes."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import QPoint, Qt
from test_visit import type_weight
from ui_testing import shot
from visit_fixtures import book, book_first_dose, infuse

from clinic_app.services import visits
from clinic_app.ui.app_state import AppState
from clinic_app.ui.visit.open_visit_dialog import OpenVisitDialog

pytestmark = pytest.mark.gui


def _dose_4_after_three_tolerated(ctx, clock, patient_id: int) -> int:
    booking = book_first_dose(ctx, patient_id)
    infuse(ctx, clock, booking.appointment_id)
    for day, appointment_id in zip(("2026-03-16", "2026-04-13", "2026-06-08"),
                                   booking.appointment_ids[1:4], strict=True):
        clock.set(clock.now.replace(month=int(day[5:7]), day=int(day[8:]), hour=8, minute=0))
        book(ctx, appointment_id, day=day)
        if day != "2026-06-08":
            infuse(ctx, clock, appointment_id)
    return booking.appointment_ids[3]


@pytest.mark.parametrize("clinic_uses_it", [True, False])
def test_the_shortened_infusion_is_chosen_in_the_open_visit_step_only_where_allowed(
        qtbot, ui_ctx, ui_nurse, fake_clock, clinic_uses_it):
    from clinic_testing import patient_form

    from clinic_app.services.patients import register_patient

    patient = register_patient(ui_ctx, form=patient_form(mrn="MRN-SHORT"))
    appointment_id = _dose_4_after_three_tolerated(ui_ctx, fake_clock, patient.id)
    dosing = replace(ui_ctx.settings.dosing, allow_shortened_infusion=clinic_uses_it)
    state = AppState(replace(ui_ctx, settings=replace(ui_ctx.settings, dosing=dosing)))
    state.sign_in(None, nurse_id=ui_nurse.id, display_name=ui_nurse.display_name)
    dialog = OpenVisitDialog(state, appointment_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    opened: list[int] = []
    dialog.visit_opened.connect(opened.append)
    type_weight(qtbot, dialog, "72.5")
    box = dialog.view.shortened
    assert box.isVisible() == clinic_uses_it
    if not clinic_uses_it:
        return
    assert "over 60 min" in box.text() and box.isEnabled()
    reasons = dialog.view.shortened_reasons
    assert reasons.isVisible() and reasons.accessibleName().startswith(
        "Shortened infusion conditions: ✓ Clinic setting")
    assert "✓ Adult: 46 years old on the dose day." in reasons.text()
    assert "✗" not in reasons.text()
    assert dialog.view.plan.value_text("rate").endswith("over 2 h")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    qtbot.waitUntil(lambda: "over 1 h" in dialog.view.plan.value_text("rate"))
    shot(dialog, "open_visit_shortened")
    for warning in dialog.view.warnings.warnings:
        if warning.requires_ack:
            box_ack = dialog.view.warnings.ack_box(warning.code)
            qtbot.mouseClick(box_ack, Qt.MouseButton.LeftButton,
                             pos=QPoint(6, box_ack.height() // 2))
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1
    detail = visits.get_visit(ui_ctx, visit_id=opened[0])
    assert detail.dose_plan.shortened and detail.dose_plan.duration_min == 60


def test_an_induction_dose_shows_the_choice_disabled_with_the_conditions_not_met(
        qtbot, ui_ctx, ui_nurse, fake_clock):
    from clinic_testing import patient_form

    from clinic_app.services.patients import register_patient

    patient = register_patient(ui_ctx, form=patient_form(mrn="MRN-INDUCT"))
    booking = book_first_dose(ui_ctx, patient.id)
    infuse(ui_ctx, fake_clock, booking.appointment_id)
    fake_clock.set(fake_clock.now.replace(month=3, day=16, hour=8, minute=0))
    book(ui_ctx, booking.appointment_ids[1], day="2026-03-16")
    dosing = replace(ui_ctx.settings.dosing, allow_shortened_infusion=True)
    state = AppState(replace(ui_ctx, settings=replace(ui_ctx.settings, dosing=dosing)))
    state.sign_in(None, nurse_id=ui_nurse.id, display_name=ui_nurse.display_name)
    dialog = OpenVisitDialog(state, booking.appointment_ids[1])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_weight(qtbot, dialog, "72.5")
    box, reasons = dialog.view.shortened, dialog.view.shortened_reasons
    qtbot.waitUntil(reasons.isVisible)
    assert box.isVisible() and not box.isEnabled() and "not eligible" in box.text()
    assert "✗ Induction dose: dose 2 is one of the initial infusions (doses 1-3)" in reasons.text()
    assert ("✗ Too few tolerated infusions: it needs 3 tolerated standard infusions first "
            "(1 so far).") in reasons.text()
    shot(dialog, "open_visit_shortened_not_eligible")
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(6, box.height() // 2))
    assert not box.isChecked()
    assert dialog.view.plan.value_text("rate").endswith("over 2 h")
