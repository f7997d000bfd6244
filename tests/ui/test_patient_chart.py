"""The patient chart as a nurse uses it: the header and its alerts, weights in kg or lb, voiding
with a reason, the treatment tabs opening their screens, refresh on change notices."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
)
from shiboken6 import isValid
from ui_testing import called, shot

from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.services import catalogue, courses, patients, reactions, visits
from clinic_app.services.chart import get_chart
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.start_dialog import StartCourseDialog
from clinic_app.ui.patients.chart_view import PatientChartWidget
from clinic_app.ui.patients.patient_form import PatientFormDialog
from clinic_app.ui.patients.record_dialog import RecordDialog
from clinic_app.ui.patients.record_table import RecordRow, RecordsModel
from clinic_app.ui.reaction.reaction_dialog import ReactionDialog
from clinic_app.ui.visit.open_visit_dialog import OpenVisitDialog

pytestmark = pytest.mark.gui


class FakeNavigator:
    """Records what the chart asked the main window to open."""

    def __init__(self) -> None:
        self.opened: list[tuple[str, int]] = []
        self.pdfs: list[tuple[str, bytes, str]] = []

    def open_chart(self, patient_id: int) -> None:
        self.opened.append(("chart", patient_id))

    def open_course(self, course_id: int) -> None:
        self.opened.append(("course", course_id))

    def open_visit(self, visit_id: int) -> None:
        self.opened.append(("visit", visit_id))

    def show_pdf(self, title: str, data: bytes, suggested_name: str) -> None:
        self.pdfs.append((title, data, suggested_name))


def register(ctx: ServiceContext, mrn: str = "MRN-100", family: str = "Żółć",
             given: str = "Łukasz") -> int:
    form = PatientForm(mrn=mrn, family_name=family, given_names=given,
                       date_of_birth="1980-02-29", sex="male", phone="+48 600 100 200",
                       address="ul. Polna 1, Warszawa")
    return patients.register_patient(ctx, form=form).id


def screen_negative(ctx: ServiceContext, patient_id: int) -> None:
    for kind in catalogue.screening_kinds():
        patients.record_screening(ctx, patient_id=patient_id, kind=kind, taken_on="2026-02-20",
                                  outcome="negative")


def book_today(ctx: ServiceContext, patient_id: int) -> int:
    """An infliximab course whose first dose is booked today at 10:00; the appointment id."""
    course = courses.start_course(ctx, patient_id=patient_id, protocol_id="infliximab",
                                  indication_id="crohns", mg_per_kg="5",
                                  prescriber="Dr Ewa Nowak", first_dose="2026-03-02")
    first = courses.get_course(ctx, course_id=course.id).appointments[0]
    courses.book_appointment(ctx, appointment_id=first.id, day="2026-03-02", time="10:00",
                             chair="Chair 3", acknowledged=[w.code for w in first.warnings])
    return first.id


def infuse_with_reaction(ctx: ServiceContext, patient_id: int, appointment_id: int) -> None:
    """Open the visit, answer the pre-checks, start, and log a grade 2 reaction."""
    visit = visits.open_visit(ctx, appointment_id=appointment_id, weight="72.5")
    for status in visits.get_visit(ctx, visit_id=visit.id).checklist.items:
        item = status.item
        if item.phase.value != "pre" or status.state.value == "done":
            continue
        if item.kind is ItemKind.VITALS:
            visits.record_vitals(ctx, visit_id=visit.id, item_key=item.key, systolic="128",
                                 diastolic="78", heart_rate="72", temperature="36.8",
                                 respiratory_rate="14", spo2="98")
        elif item.kind is ItemKind.YES_NO:
            answer = "yes" if item.blocking_answer == "no" else "no"
            visits.record_check(ctx, visit_id=visit.id, item_key=item.key, answer=answer)
        else:
            visits.record_check(ctx, visit_id=visit.id, item_key=item.key)
    visits.start_infusion(ctx, visit_id=visit.id)
    ctx.clock.advance(minutes=40)  # type: ignore[attr-defined]
    reactions.log_reaction(ctx, patient_id=patient_id, visit_id=visit.id,
                           onset=ctx.local_now().strftime("%H:%M"), signs=["itching", "flushing"],
                           term="infusion_related_reaction", grade=2, actions="Infusion slowed")


@pytest.fixture
def navigator() -> FakeNavigator:
    return FakeNavigator()


@pytest.fixture
def patient_id(ui_ctx: ServiceContext) -> int:
    return register(ui_ctx)


def open_chart(qtbot: Any, state: AppState, navigator: FakeNavigator,
               patient_id: int) -> PatientChartWidget:
    chart = PatientChartWidget(state, navigator, patient_id)
    qtbot.addWidget(chart)
    chart.resize(1366, 768)
    chart.show()
    qtbot.waitExposed(chart)
    return chart


@pytest.fixture
def chart(qtbot, app_state, navigator, patient_id) -> PatientChartWidget:
    return open_chart(qtbot, app_state, navigator, patient_id)


def named(parent: Any, cls: type, name: str) -> Any:
    found = [w for w in parent.findChildren(cls) if called(w, name)]
    assert len(found) == 1, f"no single {cls.__name__} named {name!r}"
    return found[0]


def go_to_tab(chart: PatientChartWidget, title: str) -> None:
    titles = [chart.tabs.tabText(n).replace("&&", "&") for n in range(chart.tabs.count())]
    chart.tabs.setCurrentIndex(titles.index(title))


def table_texts(table: QTableView, column: int = 0) -> list[str]:
    model = table.model()
    return [model.index(row, column).data() for row in range(model.rowCount())]


def dialog_of(chart: PatientChartWidget, cls: type = RecordDialog) -> Any:
    found = [d for d in chart.findChildren(cls) if d.isVisible()]
    assert len(found) == 1, f"expected one open {cls.__name__}"
    return found[0]


def type_text(widget: Any, text: str) -> None:
    widget.setFocus()
    for ch in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                           Qt.KeyboardModifier.NoModifier)


def test_the_header_names_the_patient_and_shows_the_services_alerts(
        qtbot, app_state, ui_ctx, navigator, patient_id):
    patients.add_allergy(ui_ctx, patient_id=patient_id, substance="Penicillin",
                         reaction="rash", severity="moderate")
    patients.add_contraindication(ui_ctx, patient_id=patient_id, code="live_vaccine",
                                  note="Yellow fever vaccine planned")
    patients.record_screening(ui_ctx, patient_id=patient_id, kind="tb", taken_on="2026-02-20",
                              outcome="positive", note="IGRA positive; chest X-ray pending")
    chart = open_chart(qtbot, app_state, navigator, patient_id)
    header = chart.header
    assert header.name_label.text() == "ŻÓŁĆ, Łukasz"
    identity = header.identity_label.text()
    assert "MRN-100" in identity and "29 Feb 1980 (46 y)" in identity and "Male" in identity
    expected = [a.text for a in get_chart(ui_ctx, patient_id=patient_id).alerts]
    assert header.badge_texts() == expected
    assert any("Penicillin" in t for t in expected)
    assert any("live vaccine" in t.lower() for t in expected)
    contra = named(chart, QTableView, "Contraindications")
    assert contra.model().index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None


def test_a_patient_without_alerts_says_so(chart):
    assert chart.header.badge_texts() == ["No alerts on file"]


def test_the_tabs_are_the_charts_sections(chart):
    titles = [chart.tabs.tabText(n).replace("&&", "&") for n in range(chart.tabs.count())]
    assert titles == ["Overview", "Weights", "Screening", "Labs", "Courses & schedule",
                      "Infusions", "Drug levels", "Reactions", "Audit history"]
    assert chart.tabs.accessibleName() == "Chart sections"


def test_alt_and_a_number_switch_tabs_and_ctrl_e_edits(qtbot, chart):
    assert QTest.qWaitForWindowActive(chart)
    qtbot.keyClick(chart.tabs, Qt.Key.Key_2, Qt.KeyboardModifier.AltModifier)
    assert chart.tabs.tabText(chart.tabs.currentIndex()) == "Weights"
    qtbot.keyClick(chart.tabs, Qt.Key.Key_4, Qt.KeyboardModifier.AltModifier)
    assert chart.tabs.tabText(chart.tabs.currentIndex()) == "Labs"
    qtbot.keyClick(chart.tabs, Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier)
    assert chart.tabs.tabText(chart.tabs.currentIndex()) == "Drug levels"
    qtbot.keyClick(chart.tabs, Qt.Key.Key_9, Qt.KeyboardModifier.AltModifier)
    assert chart.tabs.tabText(chart.tabs.currentIndex()) == "Audit history"
    qtbot.keyClick(chart.tabs, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert dialog_of(chart, PatientFormDialog).windowTitle() == "Edit patient"


def test_a_weight_typed_in_pounds_is_recorded_in_kilograms(qtbot, chart):
    go_to_tab(chart, "Weights")
    qtbot.mouseClick(named(chart, QPushButton, "Record weight…"), Qt.MouseButton.LeftButton)
    dialog = dialog_of(chart)
    type_text(named(dialog, QLineEdit, "Weight"), "165.5")
    unit = named(dialog, QComboBox, "Unit")
    unit.setCurrentIndex(unit.findData("lb"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    weights = named(chart, QTableView, "Weights")
    assert table_texts(weights, 1) == ["75.1 kg"]
    assert table_texts(weights, 3) == ["Anna Keller"]


def test_voiding_a_weight_asks_for_a_reason_and_keeps_the_row_struck_through(
        qtbot, chart, ui_ctx, patient_id, app_state):
    patients.record_weight(ui_ctx, patient_id=patient_id, weight="7.25")
    patients.record_weight(ui_ctx, patient_id=patient_id, weight="72.5")
    app_state.announce("weight", patient_id=patient_id)
    go_to_tab(chart, "Weights")
    weights = named(chart, QTableView, "Weights")
    assert table_texts(weights, 1) == ["72.5 kg", "7.3 kg"]
    qtbot.mouseClick(named(chart, QPushButton, "Void weight…"), Qt.MouseButton.LeftButton)
    assert named(chart, QLabel, "Chart message").text() == "Highlight the weight to void first."
    weights.selectRow(1)
    qtbot.mouseClick(named(chart, QPushButton, "Void weight…"), Qt.MouseButton.LeftButton)
    dialog = dialog_of(chart)
    assert any("7.3 kg" in label.text() for label in dialog.findChildren(QLabel))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Reason is required" in dialog.rows.error_text("reason")
    type_text(named(dialog, QLineEdit, "Reason"), "Decimal point in the wrong place")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert weights.model().rowCount() == 2
    voided = weights.model().index(1, 0)
    assert "Voided" in voided.data() and "Decimal point in the wrong place" in voided.data()
    assert voided.data(Qt.ItemDataRole.FontRole).strikeOut()
    assert not weights.model().index(0, 0).data(Qt.ItemDataRole.FontRole)
    qtbot.mouseClick(named(chart, QPushButton, "Void weight…"), Qt.MouseButton.LeftButton)
    assert named(chart, QLabel, "Chart message").text() == "This weight is already voided."


def test_the_delete_key_on_a_list_opens_the_void_form(qtbot, chart, ui_ctx, patient_id,
                                                      app_state):
    patients.add_allergy(ui_ctx, patient_id=patient_id, substance="Latex")
    app_state.announce("allergy", patient_id=patient_id)
    allergies = named(chart, QTableView, "Allergies")
    allergies.selectRow(0)
    qtbot.keyClick(allergies, Qt.Key.Key_Delete)
    assert dialog_of(chart).windowTitle() == "Void allergy"


def test_an_allergy_added_from_the_chart_appears_as_a_badge(qtbot, chart):
    qtbot.mouseClick(named(chart, QPushButton, "Add allergy…"), Qt.MouseButton.LeftButton)
    dialog = dialog_of(chart)
    type_text(named(dialog, QLineEdit, "Substance"), "Amoksycylina")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert table_texts(named(chart, QTableView, "Allergies")) == ["Amoksycylina"]
    assert chart.header.badge_texts() == ["Allergy: Amoksycylina"]


def test_a_screening_result_and_a_contraindication_are_recorded_from_the_chart(qtbot, chart):
    go_to_tab(chart, "Screening")
    qtbot.mouseClick(named(chart, QPushButton, "Record screening…"), Qt.MouseButton.LeftButton)
    dialog = dialog_of(chart)
    type_text(named(dialog, QLineEdit, "Date taken"), "2026-03-05")
    outcome = named(dialog, QComboBox, "Result")
    outcome.setCurrentIndex(outcome.findData("negative"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "in the future" in dialog.rows.error_text("taken_on")
    named(dialog, QLineEdit, "Date taken").clear()
    type_text(named(dialog, QLineEdit, "Date taken"), "20.02.2026")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert table_texts(named(chart, QTableView, "Screening results"), 1) == ["20 Feb 2026"]
    go_to_tab(chart, "Overview")
    qtbot.mouseClick(named(chart, QPushButton, "Add contraindication…"),
                     Qt.MouseButton.LeftButton)
    dialog = dialog_of(chart)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Unknown contraindication" in dialog.rows.error_text("code")
    code = named(dialog, QComboBox, "Contraindication")
    code.setCurrentIndex(code.findData("pregnancy"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(table_texts(named(chart, QTableView, "Contraindications"))) == 1


def test_the_chart_redraws_when_another_screen_announces_a_change(chart, ui_ctx, patient_id,
                                                                  app_state):
    patients.record_weight(ui_ctx, patient_id=patient_id, weight="80")
    weights = named(chart, QTableView, "Weights")
    assert weights.model().rowCount() == 0  # no polling
    app_state.announce("weight", patient_id=patient_id + 1)
    assert weights.model().rowCount() == 0  # someone else's change
    app_state.announce("weight", patient_id=patient_id)
    assert table_texts(weights, 1) == ["80 kg"]


def test_edit_patient_opens_the_form_filled_from_the_record(qtbot, chart):
    qtbot.mouseClick(named(chart, QPushButton, "Edit patient…"), Qt.MouseButton.LeftButton)
    form = dialog_of(chart, PatientFormDialog)
    assert form.rows.input("family_name").text() == "Żółć"
    form.rows.input("given_names").setText("Łukasz Jan")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert chart.header.name_label.text() == "ŻÓŁĆ, Łukasz Jan"


def test_the_audit_history_lists_changes_newest_first(qtbot, chart, ui_ctx, patient_id,
                                                      app_state):
    patients.record_weight(ui_ctx, patient_id=patient_id, weight="80")
    app_state.announce("weight", patient_id=patient_id)
    go_to_tab(chart, "Audit history")
    audit = named(chart, QTableView, "Audit history")
    records = table_texts(audit, 2)
    assert records[0].startswith("weight #")
    assert records[-1].startswith("patient record #")
    assert all(n == "Anna Keller" for n in table_texts(audit, 1))
    words = table_texts(audit, 7)  # what changed, in words (issue 12)
    assert any(w.startswith("Weight set to 80 kg by Anna Keller at ") for w in words)


def test_start_course_from_the_chart_opens_the_new_course(qtbot, chart, navigator, ui_ctx,
                                                          patient_id):
    screen_negative(ui_ctx, patient_id)
    go_to_tab(chart, "Courses & schedule")
    qtbot.mouseClick(named(chart, QPushButton, "Start course…"), Qt.MouseButton.LeftButton)
    dialog = dialog_of(chart, StartCourseDialog)
    protocol = named(dialog, QComboBox, "Protocol")
    protocol.setCurrentIndex(protocol.findData("infliximab"))
    type_text(named(dialog, QLineEdit, "Dose (mg/kg)"), "5")
    type_text(named(dialog, QLineEdit, "Prescriber"), "Dr Ewa Nowak")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    course_id = get_chart(ui_ctx, patient_id=patient_id).courses[0].id
    assert navigator.opened == [("course", course_id)]
    assert table_texts(named(chart, QTableView, "Courses")) == ["Infliximab"]


def test_the_schedule_handout_is_previewed_from_the_chart(qtbot, chart, navigator, ui_ctx,
                                                          patient_id, app_state):
    screen_negative(ui_ctx, patient_id)
    book_today(ui_ctx, patient_id)
    app_state.announce("course", patient_id=patient_id)
    go_to_tab(chart, "Courses & schedule")
    qtbot.mouseClick(named(chart, QPushButton, "Print schedule handout…"),
                     Qt.MouseButton.LeftButton)
    assert len(navigator.pdfs) == 1
    title, data, name = navigator.pdfs[0]
    assert title == "Schedule handout" and data.startswith(b"%PDF") and name.endswith(".pdf")


def test_todays_appointment_opens_the_weighing_dialog_then_the_visit(
        qtbot, chart, ui_ctx, patient_id, app_state, navigator):
    screen_negative(ui_ctx, patient_id)
    book_today(ui_ctx, patient_id)
    app_state.announce("appointment", patient_id=patient_id)
    go_to_tab(chart, "Infusions")
    assert "10:00" in chart.pages.today.text()
    qtbot.mouseClick(named(chart, QPushButton, "Open infusion visit…"),
                     Qt.MouseButton.LeftButton)
    dialog = dialog_of(chart, OpenVisitDialog)
    qtbot.keyClicks(dialog.view.weight, "72.5")
    qtbot.waitUntil(lambda: dialog.preview is not None, timeout=3000)
    dialog.open_visit()
    assert not dialog.isVisible()
    visit_id = get_chart(ui_ctx, patient_id=patient_id).visits[0].id
    assert navigator.opened == [("visit", visit_id)]
    assert len(table_texts(named(chart, QTableView, "Infusion visits"))) == 1
    visits_table = named(chart, QTableView, "Infusion visits")
    visits_table.selectRow(0)
    qtbot.keyClick(visits_table, Qt.Key.Key_Return)
    assert navigator.opened[-1] == ("visit", visit_id)


def test_log_delayed_reaction_opens_the_reaction_dialog_for_this_patient(qtbot, chart):
    go_to_tab(chart, "Reactions")
    qtbot.mouseClick(named(chart, QPushButton, "Log delayed reaction…"),
                     Qt.MouseButton.LeftButton)
    dialog = dialog_of(chart, ReactionDialog)
    assert "delayed" in dialog.view.heading.text()
    dialog.reject()
    assert isinstance(dialog, QDialog)


def test_screenshot_of_a_chart_with_alerts(qtbot, app_state, ui_ctx, navigator, fake_clock):
    patient_id = register(ui_ctx)
    register(ui_ctx, "MRN-101", "Иванова", "Анна")
    patients.add_allergy(ui_ctx, patient_id=patient_id, substance="Penicillin",
                         reaction="Urticaria", severity="moderate")
    patients.add_diagnosis(ui_ctx, patient_id=patient_id, description="Crohn's disease",
                           code="K50.9", diagnosed_on="2019-05-14")
    screen_negative(ui_ctx, patient_id)
    patients.record_weight(ui_ctx, patient_id=patient_id, weight="160", unit="lb")
    infuse_with_reaction(ui_ctx, patient_id, book_today(ui_ctx, patient_id))
    patients.add_contraindication(ui_ctx, patient_id=patient_id, code="live_vaccine",
                                  note="Yellow fever vaccine planned for travel")
    chart = open_chart(qtbot, app_state, navigator, patient_id)
    kinds = {a.kind for a in get_chart(ui_ctx, patient_id=patient_id).alerts}
    assert {"allergy", "contraindication", "reaction"} <= kinds
    assert len(chart.header.badge_texts()) == len(
        get_chart(ui_ctx, patient_id=patient_id).alerts)
    shot(chart, "chart")
    go_to_tab(chart, "Reactions")
    reactions = named(chart, QTableView, "Reactions")
    assert table_texts(reactions, 1) == ["Infliximab"]  # the drug column (issue 12)
    assert table_texts(reactions, 2) == ["Infusion related reaction"]
    shot(chart, "chart_reactions")
    for tab, name in (("Courses & schedule", "chart_courses"), ("Infusions", "chart_infusions"),
                      ("Weights", "chart_weights"), ("Audit history", "chart_audit")):
        go_to_tab(chart, tab)
        shot(chart, name)


def test_the_records_model_passes_the_qt_model_tester(qtmodeltester):
    model = RecordsModel(("Measured", "Weight"))
    model.set_rows([RecordRow(1, ("2026-03-02 09:30", "72.50 kg")),
                    RecordRow(2, ("2026-03-01 09:30", "7.25 kg"), voided="Voided: typo")])
    qtmodeltester.check(model)
    assert model.index(1, 0).data().endswith("Voided: typo")


def test_a_closed_chart_no_longer_listens_to_change_notices(qtbot, app_state, navigator,
                                                            patient_id, ui_nurse):
    chart = PatientChartWidget(app_state, navigator, patient_id)
    chart.deleteLater()
    qtbot.waitUntil(lambda: not isValid(chart), timeout=2000)
    app_state.announce("weight", patient_id=patient_id)
    app_state.sign_in(ui_nurse, nurse_id=ui_nurse.id, display_name=ui_nurse.display_name)
