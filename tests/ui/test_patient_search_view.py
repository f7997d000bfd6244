"""Patient search: type-ahead, a lazy paged model, opening the chart, registering a patient."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QLineEdit, QPushButton, QTableView
from ui_testing import called, shot

from clinic_app.services import patients
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientForm, PatientSummary
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients.patient_form import PatientFormDialog
from clinic_app.ui.patients.search_model import PatientSearchModel
from clinic_app.ui.patients.search_view import PatientSearchWidget

pytestmark = pytest.mark.gui


class FakeNavigator:
    """Records what the widget asked the main window to open."""

    def __init__(self) -> None:
        self.charts: list[int] = []

    def open_chart(self, patient_id: int) -> None:
        self.charts.append(patient_id)

    def open_course(self, course_id: int) -> None:
        raise AssertionError("search never opens a course")

    def open_visit(self, visit_id: int) -> None:
        raise AssertionError("search never opens a visit")

    def show_pdf(self, title: str, data: bytes, suggested_name: str) -> None:
        raise AssertionError("search prints nothing")


def register(ctx: ServiceContext, mrn: str, family: str, given: str,
             born: str = "1980-02-29", sex: str = "female") -> int:
    form = PatientForm(mrn=mrn, family_name=family, given_names=given, date_of_birth=born,
                       sex=sex)
    return patients.register_patient(ctx, form=form).id


@pytest.fixture
def known_patients(ui_ctx: ServiceContext) -> dict[str, int]:
    return {
        "zolc": register(ui_ctx, "MRN-100", "Żółć", "Łukasz", "1975-06-01", "male"),
        "zola": register(ui_ctx, "MRN-101", "Zola", "Émile", "1990-04-02", "male"),
        "ivanova": register(ui_ctx, "MRN-102", "Иванова", "Анна", "1988-12-24"),
        "garcia": register(ui_ctx, "ABC-7", "García", "José", "1980-02-29", "male"),
    }


@pytest.fixture
def navigator() -> FakeNavigator:
    return FakeNavigator()


@pytest.fixture
def search(qtbot: Any, app_state: AppState, navigator: FakeNavigator,
           known_patients: dict[str, int]) -> PatientSearchWidget:
    widget = PatientSearchWidget(app_state, navigator)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def box_of(widget: PatientSearchWidget) -> QLineEdit:
    box = widget.findChild(QLineEdit)
    assert box is not None and box.accessibleName() == "Patient search"
    return box


def by_name(widget: PatientSearchWidget, kind: type, name: str) -> Any:
    found = [w for w in widget.findChildren(kind) if called(w, name)]
    assert len(found) == 1, f"no single {kind.__name__} named {name!r}"
    return found[0]


def shown_names(widget: PatientSearchWidget) -> list[str]:
    model = widget.model
    return [model.index(row, 1).data() for row in range(model.rowCount())]


def type_chars(widget: QLineEdit, text: str) -> None:
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def test_typing_a_polish_name_char_by_char_narrows_the_results(qtbot, search):
    box = box_of(search)
    box.setFocus()
    type_chars(box, "Żó")
    qtbot.waitUntil(lambda: search.model.text == "Żó", timeout=2000)
    assert shown_names(search) == ["ZOLA, Émile", "ŻÓŁĆ, Łukasz"]  # accents are ignored
    type_chars(box, "łć")
    qtbot.waitUntil(lambda: search.model.text == "Żółć", timeout=2000)
    assert shown_names(search) == ["ŻÓŁĆ, Łukasz"]
    assert "1 patient found" in by_name(search, type(search.count_label), "Patients found").text()


def test_the_search_waits_for_a_pause_in_typing(qtbot, search):
    box = box_of(search)
    qtbot.keyClicks(box, "Z")
    assert search.model.text == ""  # the timer has not fired yet
    qtbot.waitUntil(lambda: search.model.text == "Z", timeout=2000)
    assert shown_names(search) == ["ZOLA, Émile", "ŻÓŁĆ, Łukasz"]
    box.clear()
    qtbot.waitUntil(lambda: search.model.text == "", timeout=2000)
    shot(search, "search")


def test_cyrillic_mrn_and_date_of_birth_find_their_patient(qtbot, search):
    box = box_of(search)
    for text, expected in (("Анна", ["ИВАНОВА, Анна"]), ("abc-", ["GARCÍA, José"]),
                           ("24.12.1988", ["ИВАНОВА, Анна"]),
                           ("1975-06-01", ["ŻÓŁĆ, Łukasz"])):
        box.clear()
        type_chars(box, text)
        qtbot.waitUntil(lambda t=text: search.model.text == t, timeout=2000)
        assert shown_names(search) == expected, text


def test_a_whole_mrn_with_a_hyphen_finds_its_patients(qtbot, search):
    box = box_of(search)
    type_chars(box, "MRN-10")
    qtbot.waitUntil(lambda: search.model.text == "MRN-10", timeout=2000)
    assert sorted(search.model.index(r, 0).data() for r in range(search.model.rowCount())) \
        == ["MRN-100", "MRN-101", "MRN-102"]


def test_enter_in_the_search_box_opens_the_first_match(qtbot, search, navigator,
                                                       known_patients):
    box = box_of(search)
    type_chars(box, "garc")
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert navigator.charts == [known_patients["garcia"]]


def test_down_then_enter_opens_the_highlighted_row(qtbot, search, navigator, known_patients):
    box = box_of(search)
    qtbot.keyClicks(box, "zo")
    qtbot.waitUntil(lambda: search.model.text == "zo", timeout=2000)
    qtbot.keyClick(box, Qt.Key.Key_Down)
    table = by_name(search, QTableView, "Search results")
    assert table.hasFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert navigator.charts == [known_patients["zolc"]]


def test_double_clicking_a_row_opens_that_chart(qtbot, search, navigator, known_patients):
    table = by_name(search, QTableView, "Search results")
    row = shown_names(search).index("ИВАНОВА, Анна")
    rect = table.visualRect(search.model.index(row, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert known_patients["ivanova"] in navigator.charts


def test_the_register_button_opens_the_form_and_the_new_chart_after_saving(
        qtbot, search, navigator, app_state):
    button = by_name(search, QPushButton, "Register new patient")
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    form = search.findChild(PatientFormDialog)
    assert form is not None and form.isVisible()
    form.rows.input("mrn").setText("NEW-1")
    form.rows.input("family_name").setText("Nowak")
    form.rows.input("given_names").setText("Ewa")
    form.rows.input("date_of_birth").setText("01.02.1970")
    form.rows.input("sex").setCurrentIndex(1)
    assert QTest.qWaitForWindowActive(form)
    qtbot.keyClick(form.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not form.isVisible(), timeout=2000)  # a shortcut animates the click
    found = patients.search_patients(app_state.ctx, text="nowak")
    assert [p.mrn for p in found] == ["NEW-1"]
    new_id = found[0].id
    assert navigator.charts == [new_id]
    assert "NOWAK, Ewa" in shown_names(search)  # the list refreshed on the change notice


@pytest.fixture
def many_patients(ui_ctx: ServiceContext) -> int:
    for n in range(300):
        suffix = "".join(chr(ord("a") + (n // 26 ** k) % 26) for k in (2, 1, 0))
        register(ui_ctx, f"BULK-{n:04d}", f"Kowalski-{suffix}", "Jan", "1960-01-01", "male")
    return 300


def test_the_results_model_fetches_more_rows_only_when_scrolled(qtbot, app_state, navigator,
                                                                many_patients):
    widget = PatientSearchWidget(app_state, navigator)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    table = by_name(widget, QTableView, "Search results")
    assert widget.model.rowCount() == 50
    assert "300 patients on file" in widget.count_label.text()
    table.scrollToBottom()
    qtbot.waitUntil(lambda: widget.model.rowCount() > 50, timeout=2000)
    assert widget.model.rowCount() < 300
    for _ in range(20):
        table.scrollToBottom()
        qtbot.wait(10)
    assert widget.model.rowCount() == 300
    assert widget.model.index(299, 0).data() == "BULK-0299"


def test_the_lazy_model_passes_the_qt_model_tester(qtmodeltester):
    people = [
        PatientSummary(id=n, mrn=f"M{n}", family_name="Nowak", given_names=f"Ewa {n}",
                       display_name=f"NOWAK, Ewa {n}", date_of_birth=date(1970, 1, 1),
                       sex="female", version=1)
        for n in range(23)
    ]

    def fetch(text: str, limit: int, offset: int) -> list[PatientSummary]:
        return [p for p in people if text.lower() in p.display_name.lower()][
            offset:offset + limit]

    model = PatientSearchModel(fetch, page_size=10)
    model.search("")
    qtmodeltester.check(model)
    while model.canFetchMore(model.index(-1, -1)):
        model.fetchMore(model.index(-1, -1))
    assert model.rowCount() == 23
    qtmodeltester.check(model)
    model.search("ewa 1")
    assert model.index(0, 1).data() == "NOWAK, Ewa 1"
    qtmodeltester.check(model)


def test_the_open_chart_button_follows_the_selection_and_is_pressed_through_accessibility(
        qtbot, search, navigator, known_patients):
    from PySide6.QtGui import QAccessible, QAccessibleActionInterface

    qtbot.keyClicks(box_of(search), "zo")
    qtbot.waitUntil(lambda: search.model.text == "zo", timeout=2000)
    button = by_name(search, QPushButton, "Open chart")
    table = by_name(search, QTableView, "Search results")
    row = shown_names(search).index("ŻÓŁĆ, Łukasz")
    table.selectRow(row)
    assert button.isEnabled()
    assert "ŻÓŁĆ, Łukasz" in button.accessibleDescription()
    action = QAccessible.queryAccessibleInterface(button).actionInterface()
    assert QAccessibleActionInterface.pressAction() in action.actionNames()
    action.doAction(QAccessibleActionInterface.pressAction())  # Qt animates the click
    qtbot.waitUntil(lambda: navigator.charts == [known_patients["zolc"]], timeout=2000)
    type_chars(box_of(search), "nobody-here")
    qtbot.waitUntil(lambda: search.model.rowCount() == 0, timeout=2000)
    assert not button.isEnabled()
