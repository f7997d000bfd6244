"""A delayed reaction logged from the chart days later, end to end in the main window: the nurse
types the onset, grades it (or leaves a delayed rash not graded), saves; the chart's badges,
lists and the course update at once, and the report prints from the Reactions tab."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
)
from test_patient_chart import go_to_tab, named, table_texts
from test_reaction import Infusing, infusing
from test_visit import type_weight
from ui_testing import shot

from clinic_app.domain.dates import date_text, time_text
from clinic_app.services import courses, reactions, visits
from clinic_app.services.context import ServiceContext
from clinic_app.ui.patients.chart_view import PatientChartWidget
from clinic_app.ui.printing.pdf_preview import PdfPreviewDialog
from clinic_app.ui.reaction.reaction_dialog import ReactionDialog
from clinic_app.ui.visit.open_visit_dialog import OpenVisitDialog

pytestmark = pytest.mark.gui
NEXT_MORNING = datetime(2026, 3, 3, 8, 0, tzinfo=UTC)  # 09:00 in Warsaw


def given_today(ctx: ServiceContext, clock: Any, **patient: str) -> Infusing:
    """Dose 1 started at 09:30 today and run to its end; the patient went home."""
    found = infusing(ctx, **patient)
    plan = visits.get_visit(ctx, visit_id=found.visit_id).dose_plan
    clock.advance(minutes=plan.duration_min + 1)
    visits.end_infusion(ctx, visit_id=found.visit_id)
    return found


def click(qtbot: Any, widget: Any) -> None:
    """Tick boxes and radio buttons on their box, buttons in the middle (as in test_reaction)."""
    if isinstance(widget, QCheckBox | QRadioButton):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(6, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_chart(qtbot: Any, window: Any, patient_id: int) -> PatientChartWidget:
    window.open_chart(patient_id)
    chart = window.tabs.currentWidget()
    assert isinstance(chart, PatientChartWidget)
    return chart


def log_delayed(qtbot: Any, chart: PatientChartWidget, onset: str) -> ReactionDialog:
    """Reactions tab, "Log delayed reaction…", the onset ("2026-03-02 20:30") typed over the
    one shown, part by part as the picker shows it in the clinic format: "2", "Mar", "2026",
    "20", "30" (the nurse clicks each part and types it)."""
    go_to_tab(chart, "Reactions")
    click(qtbot, named(chart, QPushButton, "Log delayed reaction…"))
    [dialog] = [d for d in chart.findChildren(ReactionDialog) if d.isVisible()]
    onset_edit = dialog.view.onset
    onset_edit.setFocus()
    moment = datetime.strptime(onset, "%Y-%m-%d %H:%M")
    parts = f"{date_text(moment.date())} {time_text(moment)}".replace(":", " ").split()
    for index, part in enumerate(parts):
        onset_edit.setSelectedSection(onset_edit.sectionAt(index))
        qtbot.keyClicks(onset_edit, part)
    assert onset_edit.dateTime().toString("yyyy-MM-dd HH:mm") == onset
    return dialog


def test_anaphylaxis_at_home_logged_next_day_contraindicates_the_drug_on_chart_and_course(
        qtbot, main_window, ui_ctx, fake_clock):
    given = given_today(ui_ctx, fake_clock, protocol_id="anifrolumab", indication_id="sle",
                        mrn="MRN-D1", family="Петрова", given="Ольга")
    fake_clock.set(NEXT_MORNING)
    chart = open_chart(qtbot, main_window, given.patient_id)
    go_to_tab(chart, "Courses & schedule")
    assert table_texts(named(chart, QTableView, "Courses"), 6) != [""]  # a next dose is due
    dialog = log_delayed(qtbot, chart, "2026-03-02 20:30")
    view = dialog.view
    # 20:30 is past the 30-minute observation but within anifrolumab's 24-hour acute window:
    # the reaction is acute and must be graded
    assert "acute, after an infusion" in view.heading.text() and not dialog.pump.isVisible()
    assert "acute-reaction window (24 hours after the end): acute" in view.link.text()
    assert not view.grade.not_graded_button().isVisible()
    for code in ("anaphylaxis", "dyspnoea"):
        click(qtbot, view.signs.box(code))
    click(qtbot, view.grade.term_button("anaphylaxis"))
    click(qtbot, view.grade.grade_button(3))
    assert "Anifrolumab:" in view.guidance.text()
    view.notes.setFocus()
    qtbot.keyClicks(view.notes, "Wheeze and lip swelling at home; paramedics gave epinephrine")
    shot(dialog, "delayed_anaphylaxis_from_chart")
    click(qtbot, view.save)
    assert dialog.saved is not None and dialog.saved.onset_class == "acute_after"
    assert dialog.notice is not None and "contraindicated" in dialog.notice.text()
    dialog.notice.accept()
    dialog.accept()

    badges = chart.header.badge_texts()
    assert ("Contraindication: Previous anaphylactic reaction (or other life-threatening "
            "hypersensitivity reaction) to anifrolumab") in badges
    assert "Reaction: Anaphylaxis, grade 3 (2 Mar 2026)" in badges
    qtbot.waitUntil(lambda: all(label.width() >= label.sizeHint().width()
                                for label in chart.header.badge_labels))  # wrapped, not cut
    go_to_tab(chart, "Overview")
    assert table_texts(named(chart, QTableView, "Contraindications"), 2) == [
        "Reaction on 2 Mar 2026"]
    go_to_tab(chart, "Courses & schedule")
    assert table_texts(named(chart, QTableView, "Courses"), 6) == [""]  # no dose due any more
    shot(main_window, "delayed_anaphylaxis_chart_courses")
    click(qtbot, named(chart, QPushButton, "Open course"))
    course = main_window.tabs.currentWidget()
    assert course is not chart
    assert "contraindicated" in named(course, QLabel, "Course warnings").text()
    shot(main_window, "delayed_anaphylaxis_course")

    main_window.tabs.setCurrentWidget(chart)
    go_to_tab(chart, "Reactions")
    click(qtbot, named(chart, QPushButton, "Print reaction report…"))
    [preview] = [d for d in main_window.findChildren(PdfPreviewDialog) if d.isVisible()]
    assert preview.windowTitle() == "Print preview — Reaction report — ПЕТРОВА, Ольга"
    assert preview.document.pageCount() >= 1


def test_a_delayed_rash_left_not_graded_shows_on_the_chart_and_in_the_next_doses_warnings(
        qtbot, main_window, ui_ctx, fake_clock):
    given = given_today(ui_ctx, fake_clock, mrn="MRN-D2", family="Żółć", given="Łukasz")
    fake_clock.advance(days=9)
    chart = open_chart(qtbot, main_window, given.patient_id)
    dialog = log_delayed(qtbot, chart, "2026-03-09 18:00")
    view = dialog.view
    assert view.link.text().endswith(
        "onset after Infliximab's acute-reaction window (2 hours after the end): delayed.")
    click(qtbot, view.signs.box("psoriasiform_rash"))
    click(qtbot, view.grade.not_graded_button())
    view.notes.setFocus()
    qtbot.keyClicks(view.notes, "Scaly plaques on both palms")
    click(qtbot, view.save)
    assert dialog.saved is not None
    assert "Delayed reaction to Infliximab" in view.result.text()
    assert "the prescriber decides whether Infliximab is given again" in view.result.text()
    dialog.accept()

    assert "Reaction: delayed psoriasiform rash (not graded) (9 Mar 2026)" in \
        chart.header.badge_texts()
    reactions = named(chart, QTableView, "Reactions")
    rash = table_texts(reactions, 2).index("Delayed, not graded")
    assert table_texts(reactions, 1)[rash] == "Infliximab"  # the drug it followed (issue 12)
    assert table_texts(reactions, 5)[rash] == "Scaly plaques on both palms"
    assert reactions.model().index(rash, 5).data(Qt.ItemDataRole.ToolTipRole) == \
        "Scaly plaques on both palms"
    # not truncated: the notes wrap in a row tall enough for them
    assert reactions.wordWrap()
    notes_rect = reactions.visualRect(reactions.model().index(rash, 5))
    needed = reactions.fontMetrics().boundingRect(
        notes_rect.adjusted(0, 0, -8, 0), Qt.TextFlag.TextWordWrap,
        "Scaly plaques on both palms").height()
    assert notes_rect.height() >= needed
    shot(main_window, "delayed_rash_chart_reactions")
    reactions.selectRow(rash)
    reactions.setFocus()
    qtbot.keyClick(reactions, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    [preview] = [d for d in main_window.findChildren(PdfPreviewDialog) if d.isVisible()]
    assert preview.windowTitle() == "Print preview — Reaction report — ŻÓŁĆ, Łukasz"
    preview.close()
    next_dose = visits.preview_dose(ui_ctx, appointment_id=_next_appointment(ui_ctx, given),
                                    weight="64")
    decision = next(w for w in next_dose.warnings
                    if w.code == "PRESCRIBER_DECISION_AFTER_DELAYED_REACTION")
    assert decision.requires_override  # the prescriber's decision is typed as the reason


def _next_appointment(ctx: ServiceContext, given: Infusing) -> int:
    """Dose 2 of the course of the visit (the future plan the reaction now changes)."""
    course_id = visits.get_visit(ctx, visit_id=given.visit_id).course.id
    return courses.get_course(ctx, course_id=course_id).appointments[1].id


def test_the_next_dose_after_a_psoriasiform_rash_opens_only_with_the_prescribers_decision(
        qtbot, app_state, ui_ctx, fake_clock):
    """Seed 001: the rash is first treated by stopping the drug, so the nurse records the
    prescriber's decision as the reason; a tick is not enough."""
    given = given_today(ui_ctx, fake_clock, mrn="MRN-D3", family="Nowak", given="Ewa")
    fake_clock.advance(days=14)  # Monday 2026-03-16: dose 2 is due at week 2
    reactions.log_reaction(ui_ctx, patient_id=given.patient_id, onset="2026-03-09 18:00",
                           signs=["psoriasiform_rash"], notes="Scaly plaques on both palms")
    appointment_id = _next_appointment(ui_ctx, given)
    courses.book_appointment(ui_ctx, appointment_id=appointment_id, day="2026-03-16",
                             time="15:00", chair="Chair 1",
                             override_reason="Afternoon slot: the visit runs past closing")
    dialog = OpenVisitDialog(app_state, appointment_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    opened: list[int] = []
    dialog.visit_opened.connect(opened.append)
    type_weight(qtbot, dialog, "64")
    panel = dialog.view.warnings
    decision = "PRESCRIBER_DECISION_AFTER_DELAYED_REACTION"
    assert decision in {w.code for w in panel.warnings}
    for warning in panel.warnings:
        if warning.requires_ack:
            click(qtbot, panel.ack_box(warning.code))
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert opened == [] and "reason" in panel.reason_error.text().lower()
    reason = named(dialog, QLineEdit, "Override reason")
    qtbot.keyClicks(reason, "Dr Nowak: continue, topical steroid")
    shot(dialog, "open_visit_after_psoriasiform_rash")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert len(opened) == 1
    detail = visits.get_visit(ui_ctx, visit_id=opened[0])
    assert detail.dose_plan.override_reason == "Dr Nowak: continue, topical steroid"
