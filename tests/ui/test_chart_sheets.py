"""Every sheet from the chart, as a nurse prints it: highlight a reaction and print its report,
highlight a visit and print its infusion record, Ctrl+P on the tab shown; voided records are
refused with a message; a dose not given reads "Not given". Screenshots of the chart's tabs with
the demo data."""

from __future__ import annotations

import io
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLabel, QPushButton, QTableView
from test_patient_chart import (
    FakeNavigator,
    book_today,
    go_to_tab,
    infuse_with_reaction,
    named,
    open_chart,
    register,
    screen_negative,
    table_texts,
)
from ui_testing import shot

from clinic_app.services import patients, reactions, visits
from clinic_app.services.chart import get_chart
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import VisitSummary
from clinic_app.services.visits import hold_dose
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients import chart_treatment
from clinic_app.ui.patients.chart_rows import visit_rows
from clinic_app.ui.patients.chart_view import PatientChartWidget

pytestmark = pytest.mark.gui


def pdf_text(data: bytes) -> str:
    """The sheet's text with its line breaks folded into spaces."""
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def row_of(table: QTableView, column: int, text: str) -> int:
    """The row whose ``column`` reads ``text``."""
    return table_texts(table, column).index(text)


def click(qtbot: Any, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def refusals(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The error dialogs the chart would show (their messages), without blocking the test."""
    shown: list[str] = []
    monkeypatch.setattr(chart_treatment, "show_error",
                        lambda _parent, exc, title="": shown.append(f"{title}: {exc}"))
    return shown


@pytest.fixture
def treated(ui_ctx: ServiceContext, fake_clock: Any) -> int:
    """Łukasz: dose 1 given today with an acute grade 2 reaction, then a delayed rash logged
    eight days later (not graded); the clock is then on day 8."""
    patient_id = register(ui_ctx)
    screen_negative(ui_ctx, patient_id)
    infuse_with_reaction(ui_ctx, patient_id, book_today(ui_ctx, patient_id))
    visit_id = get_chart(ui_ctx, patient_id=patient_id).visits[0].id
    visits.end_infusion(ui_ctx, visit_id=visit_id, reason="Reaction: stopped early")
    fake_clock.advance(days=8)
    reactions.log_reaction(ui_ctx, patient_id=patient_id, onset="2026-03-09 18:00",
                           signs=["psoriasiform_rash"], notes="Plaques on both palms")
    return patient_id


@pytest.fixture
def chart(qtbot: Any, app_state: AppState, treated: int) -> PatientChartWidget:
    chart = open_chart(qtbot, app_state, FakeNavigator(), treated)
    assert QTest.qWaitForWindowActive(chart)
    return chart


def navigator_of(chart: PatientChartWidget) -> FakeNavigator:
    return chart._navigator  # type: ignore[return-value]


def test_the_highlighted_reactions_report_is_printed_from_the_reactions_tab(qtbot, chart):
    go_to_tab(chart, "Reactions")
    table = named(chart, QTableView, "Reactions")
    table.selectRow(row_of(table, 2, "Infusion related reaction"))
    click(qtbot, named(chart, QPushButton, "Print reaction report…"))
    [(title, data, file_name)] = navigator_of(chart).pdfs
    assert title == "Reaction report — ŻÓŁĆ, Łukasz"
    reaction_id = table.model().row(table.currentIndex().row()).record_id
    assert file_name == f"reaction-report-{reaction_id}.pdf"
    text = pdf_text(data)
    assert "ŻÓŁĆ, Łukasz" in text
    assert "Infusion related reaction, grade 2 (CTCAE v5.0)" in text
    assert "Therapy or infusion interruption indicated" in text
    assert "Not graded" not in text  # the highlighted reaction, not the other one
    assert "Page 1 of" in text


def test_ctrl_p_on_the_reactions_tab_prints_the_delayed_rash_not_graded(qtbot, chart):
    go_to_tab(chart, "Reactions")
    table = named(chart, QTableView, "Reactions")
    table.selectRow(row_of(table, 2, "Delayed, not graded"))
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    [(_title, data, _name)] = navigator_of(chart).pdfs
    text = pdf_text(data)
    assert "Not graded (delayed reaction)" in text and "Plaques on both palms" in text
    assert "Page 1 of" in text


def test_with_two_reactions_and_none_highlighted_the_chart_says_what_to_do(qtbot, chart):
    go_to_tab(chart, "Reactions")
    click(qtbot, named(chart, QPushButton, "Print reaction report…"))
    assert named(chart, QLabel, "Chart message").text() == "Highlight the reaction first."
    assert navigator_of(chart).pdfs == []
    assert chart.focusWidget() is named(chart, QTableView, "Reactions")


def test_the_infusion_record_of_the_highlighted_visit_is_printed_from_the_infusions_tab(
        qtbot, chart):
    go_to_tab(chart, "Infusions")
    table = named(chart, QTableView, "Infusion visits")
    table.selectRow(0)
    button = named(chart, QPushButton, "Print infusion record…")
    assert "Ctrl+P" in button.toolTip()
    click(qtbot, button)
    [(title, data, file_name)] = navigator_of(chart).pdfs
    visit_id = table.model().row(0).record_id
    assert (title, file_name) == ("Infusion record — ŻÓŁĆ, Łukasz",
                                  f"infusion-record-visit-{visit_id}.pdf")
    text = pdf_text(data)
    assert "ŻÓŁĆ, Łukasz" in text and "Reaction: stopped early" in text
    assert "grade 2" in text and "Page 1 of" in text


def test_ctrl_p_on_the_courses_tab_prints_the_schedule_handout(qtbot, chart):
    go_to_tab(chart, "Courses & schedule")
    table = named(chart, QTableView, "Courses")
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    [(title, data, _name)] = navigator_of(chart).pdfs
    assert title == "Schedule handout" and "Page 1 of" in pdf_text(data)


def test_a_voided_reaction_is_not_printed_and_the_nurse_is_told_why(
        qtbot, chart, ui_ctx, app_state, treated, refusals):
    rash = next(r for r in get_chart(ui_ctx, patient_id=treated).reactions
                if r.term is None)
    patients.void_record(ui_ctx, kind="reaction", record_id=rash.id, reason="Wrong patient")
    app_state.announce("reaction", rash.id, patient_id=treated)
    go_to_tab(chart, "Reactions")
    assert chart.pages.reactions.table.select_record(rash.id)
    click(qtbot, named(chart, QPushButton, "Print reaction report…"))
    assert navigator_of(chart).pdfs == []
    assert refusals == ["Cannot print: This reaction was voided (Wrong patient): a voided "
                        "record is not printed."]


def test_a_dose_held_at_the_chair_reads_not_given_and_its_record_says_why(
        qtbot, app_state, ui_ctx):
    patient_id = register(ui_ctx, "MRN-NG", "Иванова", "Анна")
    screen_negative(ui_ctx, patient_id)
    visit = visits.open_visit(ui_ctx, appointment_id=book_today(ui_ctx, patient_id),
                              weight="61")
    hold_dose(ui_ctx, visit_id=visit.id, reason="Temp 38.4 °C; Dr Nowak: postpone 1 week")
    chart = open_chart(qtbot, app_state, FakeNavigator(), patient_id)
    go_to_tab(chart, "Infusions")
    table = named(chart, QTableView, "Infusion visits")
    assert table_texts(table, 0) == ["not started"]
    assert table_texts(table, 2) == ["Not given: Temp 38.4 °C; Dr Nowak: postpone 1 week"]
    assert chart.pages.today.text().endswith(
        "— not given: Temp 38.4 °C; Dr Nowak: postpone 1 week")
    assert not named(chart, QPushButton, "Open infusion visit…").isEnabled()
    shot(chart, "chart_infusions_not_given")
    click(qtbot, named(chart, QPushButton, "Print infusion record…"))
    [(_title, data, _name)] = navigator_of(chart).pdfs
    assert "not given: Temp 38.4 °C; Dr Nowak: postpone 1 week" in pdf_text(data)


def test_a_dose_not_given_reads_not_given_in_the_infusions_list(app_state):
    held = VisitSummary(id=7, course_id=1, appointment_id=3, protocol_id="infliximab",
                        status="cancelled", weight_kg_used=None, started_at=None,
                        ended_at=None, nurse="Anna Keller")
    [row] = visit_rows([held], {"infliximab": "Infliximab"}, app_state.ctx.tz)
    assert row.cells[:3] == ("not started", "Infliximab", "Not given")
    pre_check = visit_rows([VisitSummary(**{**held.__dict__, "status": "checked_in"})],
                           {}, app_state.ctx.tz)[0]
    assert pre_check.cells[2] == "Pre-check (not started)"


DEMO_PATIENTS = ("ŻÓŁĆ, Łukasz", "MUÑOZ, José", "СМИРНОВА, Мария")


def demo_patient(state: AppState, name: str) -> int:
    found = patients.search_patients(state.ctx, text=name.split(",")[0])
    return next(p.id for p in found if p.display_name == name)


@pytest.mark.parametrize("name", DEMO_PATIENTS)
def test_screenshots_of_the_chart_tabs_with_the_demo_data(qtbot, demo_window, name):
    state = demo_window.state
    demo_window.open_chart(demo_patient(state, name))
    chart = demo_window.tabs.currentWidget()
    assert isinstance(chart, PatientChartWidget)
    stem = name.split(",")[0].lower()
    for title in ("Overview", "Courses & schedule", "Infusions", "Reactions"):
        go_to_tab(chart, title)
        shot(demo_window, f"demo_chart_{stem}_{title.split()[0].lower()}")
    assert table_texts(named(chart, QTableView, "Reactions"))
