"""The chart's Drug levels tab as a nurse uses it (issue 13, therapeutic drug monitoring): enter
a trough from the lab's letter, meet a clear message for each bad entry, see the result in the
plot's words, void it with a reason; the screen says the prescriber decides."""

from __future__ import annotations

import os
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QTableView
from ui_testing import called

from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.domain.drug_levels import NO_MODEL_NOTE, GivenDose, tdm_series, tdm_summary
from clinic_app.services import catalogue, courses, patients, visits
from clinic_app.services.context import ServiceContext
from clinic_app.services.drug_levels.dto import TdmView
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients.chart_view import PatientChartWidget
from clinic_app.ui.patients.record_dialog import RecordDialog
from clinic_app.ui.patients.tdm_plot import describe

pytestmark = pytest.mark.gui


class _Navigator:
    def open_chart(self, patient_id: int) -> None: ...
    def open_course(self, course_id: int) -> None: ...
    def open_visit(self, visit_id: int) -> None: ...
    def show_pdf(self, title: str, data: bytes, suggested_name: str) -> None: ...


def _given_first_dose(ctx: ServiceContext) -> int:
    """A patient on infliximab 5 mg/kg whose first dose was given today; the patient's id."""
    form = PatientForm(
        mrn="MRN-TDM",
        family_name="Nowak",
        given_names="Jan",
        date_of_birth="1980-02-29",
        sex="male",
    )
    patient_id = patients.register_patient(ctx, form=form).id
    for kind in catalogue.screening_kinds():
        patients.record_screening(
            ctx, patient_id=patient_id, kind=kind, taken_on="2026-02-20", outcome="negative"
        )
    course = courses.start_course(
        ctx,
        patient_id=patient_id,
        protocol_id="infliximab",
        indication_id="crohns",
        mg_per_kg="5",
        prescriber="Dr Ewa Nowak",
        first_dose="2026-03-02",
    )
    first = courses.get_course(ctx, course_id=course.id).appointments[0]
    courses.book_appointment(
        ctx,
        appointment_id=first.id,
        day="2026-03-02",
        time="10:00",
        chair="Chair 3",
        acknowledged=[w.code for w in first.warnings],
    )
    visit = visits.open_visit(ctx, appointment_id=first.id, weight="72.5")
    for status in visits.get_visit(ctx, visit_id=visit.id).checklist.items:
        item = status.item
        if item.phase.value != "pre" or status.state.value == "done":
            continue
        if item.kind is ItemKind.VITALS:
            visits.record_vitals(
                ctx,
                visit_id=visit.id,
                item_key=item.key,
                systolic="128",
                diastolic="78",
                heart_rate="72",
                temperature="36.8",
                respiratory_rate="14",
                spo2="98",
            )
        elif item.kind is ItemKind.YES_NO:
            answer = "yes" if item.blocking_answer == "no" else "no"
            visits.record_check(ctx, visit_id=visit.id, item_key=item.key, answer=answer)
        else:
            visits.record_check(ctx, visit_id=visit.id, item_key=item.key)
    started = visits.start_infusion(ctx, visit_id=visit.id)
    ctx.clock.advance(minutes=started.dose_plan.duration_min + 1)  # type: ignore[attr-defined]
    visits.end_infusion(ctx, visit_id=visit.id)
    return patient_id


def _named(parent: Any, cls: type, name: str) -> Any:
    found = [w for w in parent.findChildren(cls) if called(w, name)]
    assert len(found) == 1, f"no single {cls.__name__} named {name!r}"
    return found[0]


def _type(widget: QLineEdit, text: str) -> None:
    widget.clear()
    widget.setFocus()
    QTest.keyClicks(widget, text)


def _open_dialog(qtbot: Any, chart: PatientChartWidget) -> RecordDialog:
    qtbot.mouseClick(_named(chart, QPushButton, "Record level…"), Qt.MouseButton.LeftButton)
    (dialog,) = [d for d in chart.findChildren(RecordDialog) if d.isVisible()]
    return dialog


@pytest.fixture
def chart(qtbot: Any, app_state: AppState, ui_ctx: ServiceContext) -> PatientChartWidget:
    patient_id = _given_first_dose(ui_ctx)
    widget = PatientChartWidget(app_state, _Navigator(), patient_id)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    qtbot.waitExposed(widget)
    titles = [widget.tabs.tabText(n) for n in range(widget.tabs.count())]
    widget.tabs.setCurrentIndex(titles.index("Drug levels"))
    return widget


def test_a_trough_entered_appears_in_the_plots_words_and_the_list(qtbot, chart):
    plot = _named(chart, type(chart.drug_levels.plot), "Drug levels plot")
    assert plot.accessibleDescription().startswith(
        "No trough level on file; no antibody result on file. 1 infusion plotted"
    )
    dialog = _open_dialog(qtbot, chart)
    _type(_named(dialog, QLineEdit, "Date drawn"), "02.03.2026")
    _type(_named(dialog, QLineEdit, "Value"), "2.1")
    _type(_named(dialog, QLineEdit, "Assay / laboratory"), "ELISA, central lab")
    _type(_named(dialog, QLineEdit, "Drawn before dose"), "2")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert plot.accessibleDescription().startswith(
        "Latest trough 2.1 µg/mL on 2 Mar 2026, before dose 2; no antibody result on file"
    )
    table = _named(chart, QTableView, "Drug levels and antibodies")
    assert table.model().index(0, 1).data() == "Trough: 2.1 µg/mL"
    shots = os.environ.get("CLINIC_UI_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        chart.grab().save(str(Path(shots) / "chart-drug-levels-1024x600.png"))


def test_an_antibody_result_is_read_against_the_labs_cutoff(qtbot, chart):
    dialog = _open_dialog(qtbot, chart)
    kind = _named(dialog, QComboBox, "Measured")
    kind.setCurrentIndex(kind.findData("antibody"))
    _type(_named(dialog, QLineEdit, "Date drawn"), "2026-03-02")
    _type(_named(dialog, QLineEdit, "Value"), "3.5")
    _type(_named(dialog, QLineEdit, "Unit (antibodies)"), "AU/mL")
    _type(_named(dialog, QLineEdit, "Cutoff (antibodies)"), "10")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert chart.drug_levels.plot.accessibleDescription().startswith(
        "No trough level on file; antibodies negative (3.5 AU/mL, cutoff 10) on 2 Mar 2026"
    )


@pytest.mark.parametrize(
    ("drawn", "value", "field", "words"),
    [
        ("2026-03-02", "", "value", "missing"),
        ("2026-03-02", "two", "value", "not a number"),
        ("2026-03-02", "-1", "value", "cannot be negative"),
        ("2026-03-03", "2", "drawn_on", "in the future"),
        ("2026-03-01", "2", "drawn_on", "before the course began"),
        ("", "2", "drawn_on", "required"),
    ],
)
def test_bad_input_gets_a_clear_message_beside_its_field_and_nothing_is_saved(
    qtbot, chart, drawn, value, field, words
):
    dialog = _open_dialog(qtbot, chart)
    _type(_named(dialog, QLineEdit, "Date drawn"), drawn)
    _type(_named(dialog, QLineEdit, "Value"), value)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and words in dialog.rows.error_text(field)
    assert chart.drug_levels.levels.model.rowCount() == 0


def test_the_screen_says_the_prescriber_decides_and_a_level_is_voided_with_a_reason(qtbot, chart):
    assert chart.drug_levels.note.text() == NO_MODEL_NOTE and chart.drug_levels.note.isVisible()
    dialog = _open_dialog(qtbot, chart)
    _type(_named(dialog, QLineEdit, "Date drawn"), "2026-03-02")
    _type(_named(dialog, QLineEdit, "Value"), "9")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    chart.drug_levels.levels.table.selectRow(0)
    qtbot.keyClick(chart.drug_levels.levels.table, Qt.Key.Key_Delete)
    (void,) = [d for d in chart.findChildren(RecordDialog) if d.isVisible()]
    _type(_named(void, QLineEdit, "Reason"), "Another patient's result")
    qtbot.mouseClick(void.save_button, Qt.MouseButton.LeftButton)
    row = chart.drug_levels.levels.model.row(0)
    assert "Another patient's result" in row.voided
    assert chart.drug_levels.plot.accessibleDescription().startswith("No trough level on file")


def test_the_plot_in_words_names_the_dose_changes_and_the_doses_stopped_early() -> None:
    doses = [
        GivenDose(1, date(2025, 6, 2), Decimal("5.02"), Decimal(5)),
        GivenDose(2, date(2025, 6, 16), Decimal("2.4"), Decimal(5), partial=True),
        GivenDose(3, date(2025, 7, 14), Decimal("10.01"), Decimal(10)),
    ]
    series = tdm_series(doses, [])
    view = TdmView(
        1, "Infliximab", date(2025, 6, 2), series, tdm_summary(series), (), NO_MODEL_NOTE
    )
    assert describe(view) == (
        "No trough level on file; no antibody result on file. 3 infusions plotted; dose "
        "changed at dose 3 on 14 Jul 2025: 10 mg/kg; stopped early (part of the dose given, "
        "dashed): dose 2."
    )


def test_the_demo_patient_s_levels_and_shortened_interval_at_1024x600(qtbot, demo_state):
    (found,) = patients.search_patients(demo_state.ctx, text="Wąsowicz")
    widget = PatientChartWidget(demo_state, _Navigator(), found.id)
    qtbot.addWidget(widget)
    widget.resize(1024, 600)
    widget.show()
    qtbot.waitExposed(widget)
    widget.tabs.setCurrentWidget(widget.drug_levels)
    words = widget.drug_levels.plot.accessibleDescription()
    assert words.startswith("Latest trough 3.6 µg/mL on ") and "before dose 5" in words
    assert "5 infusions plotted" in words
    assert widget.drug_levels.levels.model.rowCount() == 4
    assert widget.drug_levels.plot.height() >= 200
    shots = os.environ.get("CLINIC_UI_SHOTS")
    if shots:
        Path(shots).mkdir(parents=True, exist_ok=True)
        widget.grab().save(str(Path(shots) / "demo-drug-levels-1024x600.png"))
