"""The chart records "No known allergies"; the chart and the visit header show the same allergy
state (issue 12, "Allergies"; pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit
from test_patient_chart import FakeNavigator, book_today, open_chart, register, screen_negative
from test_reaction import click
from test_visit_infusion_safety import visit_screen

from clinic_app.services import patients, visits
from clinic_app.ui.visit.identity_header import ALLERGY_STYLE, NONE_KNOWN_STYLE

pytestmark = pytest.mark.gui


@pytest.fixture
def navigator() -> FakeNavigator:
    return FakeNavigator()


def test_the_chart_records_no_known_allergies_and_shows_it(qtbot, app_state, ui_ctx, navigator):
    patient_id = register(ui_ctx)
    chart = open_chart(qtbot, app_state, navigator, patient_id)
    state = chart.pages.allergy_state
    assert "ALLERGIES NOT RECORDED" in state.text() and state.styleSheet() == ALLERGY_STYLE
    button = chart.pages.no_known_allergies
    assert button.isEnabled() and button.accessibleName() == "No known allergies"
    click(qtbot, button)
    qtbot.waitUntil(lambda: state.text() == "No known allergies")
    assert state.styleSheet() == NONE_KNOWN_STYLE and not button.isEnabled()


def test_an_allergy_added_on_the_chart_replaces_no_known_allergies(
        qtbot, app_state, ui_ctx, navigator):
    patient_id = register(ui_ctx)
    patients.record_no_known_allergies(ui_ctx, patient_id=patient_id)
    chart = open_chart(qtbot, app_state, navigator, patient_id)
    assert chart.pages.allergy_state.text() == "No known allergies"
    patients.add_allergy(ui_ctx, patient_id=patient_id, substance="Penicillin")
    app_state.announce("allergy", None, patient_id=patient_id)
    qtbot.waitUntil(lambda: chart.pages.allergy_state.text() == "⚠ Allergies: Penicillin")


def test_a_refused_no_known_allergies_says_why_on_the_chart(qtbot, app_state, ui_ctx, navigator):
    patient_id = register(ui_ctx)
    patients.add_allergy(ui_ctx, patient_id=patient_id, substance="Latex")
    chart = open_chart(qtbot, app_state, navigator, patient_id)
    assert not chart.pages.no_known_allergies.isEnabled()
    chart.record_no_known_allergies()  # as if the button were pressed anyway
    assert "void the allergy first" in chart.notice.text()


def test_the_visit_header_shows_no_known_allergies_like_the_chart(qtbot, app_state, ui_ctx):
    patient_id = register(ui_ctx)
    screen_negative(ui_ctx, patient_id)
    patients.record_no_known_allergies(ui_ctx, patient_id=patient_id)
    visit = visits.open_visit(ui_ctx, appointment_id=book_today(ui_ctx, patient_id),
                              weight="72.5")
    widget = visit_screen(qtbot, app_state, visit.id)
    label = widget.view.header.allergy_label
    assert label.text() == "No known allergies" and label.styleSheet() == NONE_KNOWN_STYLE
    assert "NOT RECORDED" not in widget.view.header.text()


def test_no_known_allergies_is_voided_from_the_chart_with_a_reason(
        qtbot, app_state, ui_ctx, navigator):
    from test_patient_chart import dialog_of

    from clinic_app.services.chart import get_chart

    patient_id = register(ui_ctx)
    chart = open_chart(qtbot, app_state, navigator, patient_id)
    button = chart.pages.void_no_known_allergies
    assert button.accessibleName() == "Void No known allergies…" and not button.isEnabled()
    click(qtbot, chart.pages.no_known_allergies)
    qtbot.waitUntil(lambda: chart.pages.allergy_state.text() == "No known allergies")
    assert button.isEnabled()
    click(qtbot, button)
    dialog = dialog_of(chart)
    click(qtbot, dialog.save_button)
    assert "Reason is required" in dialog.rows.error_text("reason")
    dialog.findChild(QLineEdit).setText("Recorded on the wrong patient")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: "NOT RECORDED" in chart.pages.allergy_state.text())
    assert not button.isEnabled() and chart.pages.no_known_allergies.isEnabled()
    statement, = get_chart(ui_ctx, patient_id=patient_id).no_known_allergies
    assert statement.voided is not None
    assert statement.voided.reason == "Recorded on the wrong patient"
