"""Nothing a nurse types is lost: closing typed work asks "Discard the unsaved ...?" first
(pytest-qt; the question is answered by the test, never shown)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton
from test_course import FakeNavigator, type_text
from test_reaction import open_reaction, visit  # noqa: F401  (the fixture)
from test_shell import row_named

from clinic_app.services import courses, patients
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui import unsaved
from clinic_app.ui.course.course_view import CourseWidget
from clinic_app.ui.course.start_dialog import StartCourseDialog
from clinic_app.ui.shell import main_window as main_window_module
from clinic_app.ui.shell import tabs as tabs_module
from clinic_app.ui.unsaved import confirm_discard as real_confirm_discard
from clinic_app.ui.visit.vitals_grid import VitalsGrid

pytestmark = pytest.mark.gui


class Answers:
    """Stands in for :func:`confirm_discard`: records each question, gives ``discard``."""

    def __init__(self) -> None:
        self.discard = False
        self.asked: list[str] = []

    def __call__(self, _parent: object, what: str) -> bool:
        self.asked.append(what)
        return self.discard


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    answer = Answers()
    for module in (unsaved, tabs_module, main_window_module):
        monkeypatch.setattr(module, "confirm_discard", answer)
    return answer


def test_the_question_keeps_editing_by_default_and_on_escape(qtbot, monkeypatch):
    shown: list[QMessageBox] = []

    def no_choice(box: QMessageBox) -> int:
        shown.append(box)
        return 0

    monkeypatch.setattr(QMessageBox, "exec", no_choice)
    assert real_confirm_discard(None, "reaction") is False
    box = shown[0]
    assert box.text() == "Discard the unsaved reaction?"
    assert box.defaultButton().text() == "&Keep editing"
    assert box.escapeButton() is box.defaultButton()


def test_esc_after_typing_a_reaction_asks_and_keep_editing_keeps_the_text(
        qtbot, app_state, visit, answers):  # noqa: F811
    dialog = open_reaction(qtbot, app_state, visit)
    qtbot.keyClicks(dialog.view.notes, "Flushing and chest tightness")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == ["reaction"]
    assert dialog.isVisible()
    assert dialog.view.notes.toPlainText() == "Flushing and chest tightness"


def test_esc_after_typing_a_reaction_closes_it_when_the_nurse_discards(
        qtbot, app_state, visit, answers):  # noqa: F811
    dialog = open_reaction(qtbot, app_state, visit)
    qtbot.keyClicks(dialog.view.notes, "Flushing")
    answers.discard = True
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == ["reaction"]
    assert not dialog.isVisible()


def test_esc_on_an_untouched_reaction_closes_it_without_asking(
        qtbot, app_state, visit, answers):  # noqa: F811
    dialog = open_reaction(qtbot, app_state, visit)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == []
    assert not dialog.isVisible()


def open_visit_with_typed_vitals(qtbot, demo_window) -> VitalsGrid:
    today = demo_window.today
    today.table.setFocus()
    today.table.selectRow(row_named(demo_window, "ИВАНОВА, Анна"))
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    grid = demo_window.tabs.currentWidget().findChild(VitalsGrid)
    edit = next(e for e in grid.findChildren(QLineEdit) if e.isEnabled() and not e.isReadOnly())
    qtbot.keyClicks(edit, "118")
    return grid


def test_ctrl_w_on_a_visit_with_typed_vitals_asks_and_keeps_the_tab(
        qtbot, demo_window, answers):
    grid = open_visit_with_typed_vitals(qtbot, demo_window)
    assert grid.has_unsaved_input()
    demo_window.actions_.close_tab.trigger()
    assert answers.asked == ["input in “Visit — ИВАНОВА, Анна”"]
    assert demo_window.tabs.count() == 3
    answers.discard = True
    demo_window.actions_.close_tab.trigger()
    assert demo_window.tabs.count() == 2


def test_signing_out_with_an_unsaved_patient_form_asks_once(qtbot, main_window, app_state,
                                                            answers):
    form = main_window.patients.register_patient()
    qtbot.keyClicks(form.rows.input("mrn"), "MRN-77")
    main_window.sign_out()
    assert answers.asked == ["input in Register new patient"]
    assert app_state.nurse is not None and form.isVisible()
    answers.discard = True
    main_window.sign_out()
    assert len(answers.asked) == 2  # closing the form after the answer does not ask again
    assert app_state.nurse is None and not form.isVisible()


def test_the_idle_lock_does_not_ask_and_keeps_the_typed_form(qtbot, main_window, answers):
    form = main_window.patients.register_patient()
    qtbot.keyClicks(form.rows.input("mrn"), "MRN-78")
    main_window.lock_idle()
    assert answers.asked == []
    assert form.form().mrn == "MRN-78"


# --- the course dialogs: booking, interval change, start course -----------------------------


def course_dialog(qtbot, app_state, kind: str):
    """The dialog ``kind`` opened as the course screen and the chart open it."""
    ctx = app_state.ctx
    form = PatientForm(mrn="MRN-300", family_name="Żółć", given_names="Łukasz",
                       date_of_birth="1980-02-29", sex="male")
    patient_id = patients.register_patient(ctx, form=form).id
    if kind == "start":
        dialog = StartCourseDialog(app_state, patient_id)
        qtbot.addWidget(dialog)
        dialog.open()
        return dialog, dialog.prescriber
    course_id = courses.start_course(ctx, patient_id=patient_id, protocol_id="infliximab",
                                     indication_id="crohns", mg_per_kg="5",
                                     prescriber="Dr Ewa Nowak", first_dose="2026-03-02").id
    widget = CourseWidget(app_state, FakeNavigator(), course_id)
    qtbot.addWidget(widget)
    widget.show()
    if kind == "booking":
        dialog = widget.book_selected()
        return dialog, dialog.time  # the chair is a choice now: the time is typed
    dialog = widget.change_interval()
    return dialog, dialog.ordered_by


def cancel_button(dialog) -> QPushButton:
    return next(b for b in dialog.findChildren(QPushButton) if b.accessibleName() == "Cancel")


COURSE_DIALOGS = ("booking", "interval", "start")
WAYS_TO_CLOSE = {
    "escape": lambda qtbot, dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape),
    "cancel": lambda qtbot, dialog: qtbot.mouseClick(cancel_button(dialog),
                                                     Qt.MouseButton.LeftButton),
    "window close": lambda _qtbot, dialog: dialog.close(),
}


@pytest.mark.parametrize("kind", COURSE_DIALOGS)
@pytest.mark.parametrize("way", WAYS_TO_CLOSE)
def test_closing_a_course_dialog_with_typed_text_asks_and_keep_editing_keeps_it(
        qtbot, app_state, answers, kind, way):
    dialog, line = course_dialog(qtbot, app_state, kind)
    type_text(line, "Dr Łucja Wiśniewska" if kind != "booking" else "10:30")
    WAYS_TO_CLOSE[way](qtbot, dialog)
    assert answers.asked == ["input"]
    assert dialog.isVisible()
    assert line.text() in ("Dr Łucja Wiśniewska", "10:30")


@pytest.mark.parametrize("kind", COURSE_DIALOGS)
def test_a_course_dialog_closes_after_discard(qtbot, app_state, answers, kind):
    dialog, line = course_dialog(qtbot, app_state, kind)
    qtbot.keyClicks(line, "x")
    answers.discard = True
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == ["input"]
    assert not dialog.isVisible()


@pytest.mark.parametrize("kind", COURSE_DIALOGS)
def test_an_untouched_course_dialog_closes_without_asking(qtbot, app_state, answers, kind):
    dialog, _line = course_dialog(qtbot, app_state, kind)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == []
    assert not dialog.isVisible()


def test_a_reason_typed_for_a_day_too_early_is_guarded_too(qtbot, app_state, answers):
    dialog, _time = course_dialog(qtbot, app_state, "booking")
    dialog.close()  # dose 1 highlighted; open dose 2 instead
    widget = dialog.parentWidget()
    widget.table.selectRow(1)
    dialog = widget.book_selected()
    dialog.day.selectAll()
    qtbot.keyClicks(dialog.day, "13.03.2026")
    qtbot.keyClicks(dialog.reason, "Travels abroad")
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert answers.asked == ["input"]
    assert dialog.reason.text() == "Travels abroad"
