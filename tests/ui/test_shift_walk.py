"""A nurse's whole shift through the main window, with the keyboard and the mouse.

Sign in; register a patient; record her screening; start an infliximab course and book the first
dose for today; weigh her from the Today screen and check the dose; do the pre-check; start;
enter vitals; end; run the observation (the fake clock moves); log an acute reaction; print the
monitoring checklist and the reaction report and read the PDFs.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QTableView,
    QWidget,
)
from ui_testing import called

from clinic_app.domain.ctcae import CtcaeTerm
from clinic_app.services import catalogue
from clinic_app.services.chart import get_chart
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.booking_dialog import BookingDialog
from clinic_app.ui.course.course_view import CourseWidget
from clinic_app.ui.course.start_dialog import StartCourseDialog
from clinic_app.ui.patients.chart_view import PatientChartWidget
from clinic_app.ui.patients.patient_form import PatientFormDialog
from clinic_app.ui.patients.record_dialog import RecordDialog
from clinic_app.ui.reaction.reaction_dialog import ReactionDialog
from clinic_app.ui.shell.main_window import MainWindow
from clinic_app.ui.shell.sign_in_dialog import SignInDialog
from clinic_app.ui.visit.open_visit_dialog import OpenVisitDialog
from clinic_app.ui.visit.visit_view import VisitWidget

pytestmark = [pytest.mark.gui, pytest.mark.slow]
CTRL = Qt.KeyboardModifier.ControlModifier
LEFT = Qt.MouseButton.LeftButton


def shot(widget, name: str) -> None:
    """Save a screenshot when CLINIC_UI_SHOTS names a folder (e.g. /tmp/ui)."""
    folder = os.environ.get("CLINIC_UI_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        QTest.qWait(50)  # let the layouts settle before the picture
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def named(parent: QWidget, kind: type, name: str) -> Any:
    """The visible child with this accessible name (as a screen reader finds it)."""
    found = [w for w in parent.findChildren(kind)
             if called(w, name) and w.isVisibleTo(parent)]
    assert len(found) == 1, f"no single {kind.__name__} named {name!r}: {found}"
    return found[0]


def type_text(widget: QWidget, text: str) -> None:
    """Type like a nurse, character by character (non-ASCII included)."""
    widget.setFocus()
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def click(qtbot: Any, widget: QWidget) -> None:
    """Tick boxes and radio buttons on their box, buttons in the middle."""
    if isinstance(widget, QCheckBox | QRadioButton):
        qtbot.mouseClick(widget, LEFT, pos=QPoint(6, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, LEFT)


def open_dialog(window: QWidget, kind: type) -> Any:
    found = [d for d in window.findChildren(kind) if d.isVisible()]
    assert len(found) == 1, f"expected one open {kind.__name__}, got {found}"
    return found[0]


def current_tab(window: MainWindow, kind: type) -> Any:
    widget = window.tabs.currentWidget()
    assert isinstance(widget, kind), f"the current tab is {widget!r}, not a {kind.__name__}"
    return widget


def go_to_tab(chart: PatientChartWidget, title: str) -> None:
    titles = [chart.tabs.tabText(n).replace("&&", "&") for n in range(chart.tabs.count())]
    chart.tabs.setCurrentIndex(titles.index(title))


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def choose(box: QComboBox, value: str) -> None:
    index = box.findData(value)
    assert index >= 0, value
    box.setCurrentIndex(index)


@pytest.fixture
def window(qtbot, blank_ui_ctx, ui_nurse, ui_settings, ui_db_path, monkeypatch):
    """The main window on a database with one nurse account, nobody signed in yet; every
    sheet it previews is also kept in ``window.printed`` (title, bytes, file name)."""
    state = AppState(blank_ui_ctx)
    main = MainWindow(state, settings=ui_settings, database_label=str(ui_db_path))
    qtbot.addWidget(main)
    main.resize(1366, 768)
    main.show()
    qtbot.waitExposed(main)
    with qtbot.waitActive(main):
        main.activateWindow()
    printed: list[tuple[str, bytes, str]] = []
    preview = main.show_pdf

    def show_pdf(title: str, data: bytes, suggested_name: str) -> None:
        printed.append((title, data, suggested_name))
        preview(title, data, suggested_name)

    monkeypatch.setattr(main, "show_pdf", show_pdf)
    main.printed = printed  # type: ignore[attr-defined]
    main.start_session()
    return main


def back_to(qtbot, window: QWidget) -> None:
    """Focus returns to the window once a dialog closes (a window manager's job; offscreen
    there is none, so the test hands it back)."""
    if QApplication.activeWindow() is not window:
        with qtbot.waitActive(window):
            window.activateWindow()


def sign_in(qtbot, window: MainWindow, ui_nurse) -> None:
    dialog = window.active_dialog
    assert isinstance(dialog, SignInDialog)
    type_text(named(dialog, QLineEdit, "User name"), ui_nurse.username)
    type_text(named(dialog, QLineEdit, "Password"), ui_nurse.password)
    qtbot.keyClick(named(dialog, QLineEdit, "Password"), Qt.Key.Key_Return)
    assert not window.is_locked
    assert window.status.nurse.text() == "Nurse: Anna Keller"
    back_to(qtbot, window)


def register_patient(qtbot, window: MainWindow) -> PatientChartWidget:
    qtbot.keyClick(window, Qt.Key.Key_N, CTRL)
    form = open_dialog(window, PatientFormDialog)
    for field, text in (("mrn", "MRN-7001"), ("family_name", "Żółć"),
                        ("given_names", "Łukasz"), ("date_of_birth", "29.02.1980")):
        type_text(form.rows.input(field), text)
    choose(form.rows.input("sex"), "male")
    click(qtbot, form.save_button)
    assert not form.isVisible()
    chart = current_tab(window, PatientChartWidget)
    assert "ŻÓŁĆ, Łukasz" in window.tabs.tabText(window.tabs.currentIndex())
    return chart


def add_allergy(qtbot, chart: PatientChartWidget) -> None:
    click(qtbot, named(chart, QPushButton, "Add allergy…"))
    dialog = open_dialog(chart, RecordDialog)
    type_text(named(dialog, QLineEdit, "Substance"), "Penicillin")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()


def record_screening(qtbot, chart: PatientChartWidget) -> None:
    go_to_tab(chart, "Screening")
    for kind in catalogue.screening_kinds():
        click(qtbot, named(chart, QPushButton, "Record screening…"))
        dialog = open_dialog(chart, RecordDialog)
        choose(named(dialog, QComboBox, "Test"), kind)
        type_text(named(dialog, QLineEdit, "Date taken"), "20.02.2026")
        choose(named(dialog, QComboBox, "Result"), "negative")
        click(qtbot, dialog.save_button)
        assert not dialog.isVisible()


def start_course(qtbot, window: MainWindow, chart: PatientChartWidget) -> CourseWidget:
    go_to_tab(chart, "Courses & schedule")
    click(qtbot, named(chart, QPushButton, "Start course…"))
    dialog = open_dialog(chart, StartCourseDialog)
    choose(named(dialog, QComboBox, "Protocol"), "infliximab")
    choose(named(dialog, QComboBox, "Indication"), "crohns")
    assert dialog.mg_per_kg.text() == ""  # typed from the prescription, never pre-filled
    type_text(named(dialog, QLineEdit, "Dose (mg/kg)"), "5")
    type_text(named(dialog, QLineEdit, "Prescriber"), "Dr Ewa Nowak")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()
    return current_tab(window, CourseWidget)


def book_first_dose(qtbot, course: CourseWidget) -> None:
    table = named(course, QTableView, "Planned schedule")
    table.selectRow(0)
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Return)
    dialog = open_dialog(course, BookingDialog)
    type_text(named(dialog, QLineEdit, "Time"), "10:00")
    choose(named(dialog, QComboBox, "Chair"), "Chair 3")
    click(qtbot, dialog.save_button)
    assert not dialog.isVisible()


def weigh_from_today(qtbot, window: MainWindow) -> VisitWidget:
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    today = window.today
    today.table.selectRow(0)
    click(qtbot, named(today, QPushButton, "Weigh and open visit"))
    dialog = open_dialog(window, OpenVisitDialog)
    assert "ŻÓŁĆ, Łukasz" in dialog.view.header.text()
    assert "Penicillin" in dialog.view.header.text()
    weight = named(dialog, QLineEdit, "Weight (kg)")
    qtbot.keyClicks(weight, "72.4")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=3000)
    assert dialog.view.plan.value_text("dose") == "362 mg"
    assert dialog.view.plan.value_text("vials").startswith("4 x 100 mg")
    qtbot.keyClick(weight, Qt.Key.Key_Return)
    assert not dialog.isVisible()
    back_to(qtbot, window)
    return current_tab(window, VisitWidget)


def pre_check(qtbot, visit: VisitWidget) -> None:
    for row in visit.view.pre_checks.rows.values():
        if row.tick is not None and row.tick.isEnabled():
            click(qtbot, row.tick)
        if row.choices:
            item = visit.detail.checklist.of(row.key).item
            click(qtbot, row.choices["yes" if item.blocking_answer == "no" else "no"])
    enter_vitals(qtbot, visit, "pre.baseline_vitals", ("124", "78", "70", "36.6", "14", "98"))


def enter_vitals(qtbot, visit: VisitWidget, key: str, values: tuple[str, ...]) -> None:
    row = visit.view.vitals.rows[key]
    click(qtbot, row.inputs["systolic"])
    for field, text in zip(row.inputs, values, strict=True):
        focused = QApplication.focusWidget()
        assert focused is row.inputs[field], field
        qtbot.keyClicks(focused, text)
        qtbot.keyClick(focused, Qt.Key.Key_Tab if field != "spo2" else Qt.Key.Key_Return)


def log_acute_reaction(qtbot, window: MainWindow, visit: VisitWidget) -> ReactionDialog:
    qtbot.keyClick(visit, Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in visit.findChildren(ReactionDialog)))
    dialog = open_dialog(visit, ReactionDialog)
    assert "acute" in dialog.view.heading.text()
    for code in ("itching", "urticaria"):
        click(qtbot, dialog.view.signs.box(code))
    picker = dialog.view.grade
    click(qtbot, picker.term_button(CtcaeTerm.ANAPHYLAXIS))
    assert not picker.grade_button(2).isEnabled()
    click(qtbot, picker.term_button(CtcaeTerm.INFUSION_RELATED_REACTION))
    click(qtbot, picker.grade_button(2))
    assert "Therapy or infusion interruption indicated" in picker.definition_text(2)
    assert "Stop the infusion." in dialog.view.guidance.text()
    click(qtbot, dialog.view.action_boxes["Prescriber called"])
    click(qtbot, dialog.view.medications.add)
    qtbot.waitUntil(lambda: dialog.view.medications.rows[0].name.isVisible())
    type_text(named(dialog, QLineEdit, "Medication 1"), "Cetirizine")
    type_text(named(dialog, QLineEdit, "Dose 1"), "10")
    type_text(named(dialog, QLineEdit, "Unit 1"), "mg")
    dialog.view.outcome.setCurrentText("Resolved with treatment")
    qtbot.keyClick(dialog, Qt.Key.Key_S, CTRL)
    assert dialog.saved is not None
    assert dialog.saved.onset_class == "acute_after"
    return dialog


def test_a_whole_shift_from_sign_in_to_the_reaction_report(qtbot, window, ui_nurse,
                                                           fake_clock):
    sign_in(qtbot, window, ui_nurse)
    chart = register_patient(qtbot, window)
    add_allergy(qtbot, chart)
    record_screening(qtbot, chart)
    course = start_course(qtbot, window, chart)
    book_first_dose(qtbot, course)

    visit = weigh_from_today(qtbot, window)  # 09:30
    assert visit.view.plan.value_text("dose") == "362 mg"
    assert "Penicillin" in visit.view.header.text()
    click(qtbot, named(visit, QPushButton, "Start infusion"))
    assert "Not done yet" in visit.view.infusion.blockers.text()
    pre_check(qtbot, visit)
    click(qtbot, named(visit, QPushButton, "Start infusion"))
    assert visit.detail.status == "infusing"
    enter_vitals(qtbot, visit, "vitals.t0", ("122", "76", "72", "36.7", "14", "98"))
    fake_clock.advance(minutes=15)
    enter_vitals(qtbot, visit, "vitals.t15", ("120", "75", "126", "36.8", "16", "97"))
    assert "Heart rate 126" in visit.view.vitals.rows["vitals.t15"].flags.text()

    fake_clock.advance(minutes=105)  # 11:30: the bag is empty
    click(qtbot, named(visit, QPushButton, "End infusion"))
    assert "Infused 250 mL of 250 mL" in visit.end_dialog.volumes.text()
    click(qtbot, visit.end_dialog.confirm)
    assert visit.detail.status == "observation"
    countdown = visit.observation_panel.countdown
    assert countdown.text() == "Observation ends 13:30 — 2 h left"
    fake_clock.advance(minutes=40)
    visit.tick()
    assert countdown.text() == "Observation ends 13:30 — 1 h 20 min left"
    shot(window, "shift_walk_observation")

    reaction = log_acute_reaction(qtbot, window, visit)  # 12:10, during the observation
    click(qtbot, named(reaction, QPushButton, "Print reaction report"))
    reaction.accept()
    back_to(qtbot, window)
    assert "infusion related reaction grade 2" in visit.view.reactions.text()

    fake_clock.advance(minutes=80)  # 13:30
    visit.tick()
    qtbot.keyClick(visit, Qt.Key.Key_P, CTRL)
    qtbot.waitUntil(lambda: len(window.printed) == 2)
    (report_title, report, _), (checklist_title, checklist, _) = window.printed
    assert report_title.startswith("Reaction report")
    report_text = pdf_text(report)
    assert "ŻÓŁĆ" in report_text or "Żółć" in report_text
    assert "Cetirizine" in report_text
    assert "Penicillin" in report_text
    assert checklist_title.startswith("Monitoring checklist")
    checklist_text = pdf_text(checklist)
    assert "362 mg" in checklist_text
    assert "Penicillin" in checklist_text
    assert "MRN-7001" in checklist_text

    chart_reactions = get_chart(window.state.ctx, patient_id=visit.detail.patient.id)
    assert [(r.term, r.grade) for r in chart_reactions.reactions] == \
        [("infusion_related_reaction", 2)]
    assert isinstance(window.tabs.currentWidget(), VisitWidget)
    assert all(not d.isVisible() for d in window.findChildren(QDialog)
               if isinstance(d, OpenVisitDialog))
