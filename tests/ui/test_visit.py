"""The infusion visit as a nurse works it: weight and dose, pre-check, infusion, vitals,
observation, discharge and the printed sheets (pytest-qt, keyboard and mouse)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QLineEdit, QPushButton, QTableWidget
from ui_testing import called

from clinic_app.services import catalogue, courses, patients, reactions, visits
from clinic_app.services.chart import get_chart
from clinic_app.services.courses import book_appointment
from clinic_app.services.patients import add_allergy, record_weight
from clinic_app.services.patients.dto import PatientForm
from clinic_app.services.visits.dto import MedicationForm
from clinic_app.ui.visit.dose_plan_view import DosePlanPanel
from clinic_app.ui.visit.open_visit_dialog import OpenVisitDialog
from clinic_app.ui.visit.visit_view import VisitWidget

pytestmark = pytest.mark.gui


def shot(widget, name: str) -> None:
    """Save a screenshot when CLINIC_UI_SHOTS names a folder (e.g. /tmp/ui)."""
    folder = os.environ.get("CLINIC_UI_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        QTest.qWait(50)  # let the layouts settle before the picture
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@dataclass(frozen=True)
class Booking:
    patient_id: int
    course_id: int
    appointment_id: int


def book_infliximab(ctx, *, mg_per_kg: str = "5", mrn: str = "MRN-ZZ1",
                    override_reason: str | None = None) -> Booking:
    """Łukasz Żółć (allergic to penicillin, screened negative on 2026-02-20), infliximab for
    Crohn's, dose 1 today at 10:00 (an order above the label with the prescriber's reason)."""
    patient = patients.register_patient(ctx, form=PatientForm(
        mrn=mrn, family_name="Żółć", given_names="Łukasz", date_of_birth="1980-02-29",
        sex="male"))
    add_allergy(ctx, patient_id=patient.id, substance="Penicillin", reaction="rash")
    for kind in catalogue.screening_kinds():
        patients.record_screening(ctx, patient_id=patient.id, kind=kind, taken_on="2026-02-20",
                                  outcome="negative")
    course = courses.start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                                  indication_id="crohns", mg_per_kg=mg_per_kg,
                                  prescriber="Dr Anna Nowak", first_dose="2026-03-02",
                                  override_reason=override_reason)
    first = courses.get_course(ctx, course_id=course.id).appointments[0]
    book_appointment(ctx, appointment_id=first.id, day="2026-03-02", time="10:00", chair="Chair 3")
    return Booking(patient.id, course.id, first.id)


@pytest.fixture
def booking(ui_ctx) -> Booking:
    return book_infliximab(ui_ctx)


def open_dialog(qtbot, app_state, booking: Booking) -> OpenVisitDialog:
    dialog = OpenVisitDialog(app_state, booking.appointment_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def named(parent, cls, name: str):
    """The child widget whose accessible name is ``name``."""
    found = [w for w in parent.findChildren(cls) if called(w, name)]
    assert found, f"no {cls.__name__} named {name!r}"
    return found[0]


def type_weight(qtbot, dialog: OpenVisitDialog, text: str, unit: str = "kg") -> None:
    field = named(dialog, QLineEdit, f"Weight ({unit})")
    field.clear()
    qtbot.keyClicks(field, text)
    qtbot.waitUntil(lambda: not dialog._timer.isActive())


class TestOpeningTheVisit:
    def test_the_weight_typed_shows_the_dose_and_the_vials(self, qtbot, app_state, booking):
        dialog = open_dialog(qtbot, app_state, booking)
        type_weight(qtbot, dialog, "72.4")
        plan = dialog.view.plan.text()
        assert "362 mg" in plan
        assert "4 x 100 mg" in plan
        assert "ŻÓŁĆ" in dialog.view.header.text() or "Żółć" in dialog.view.header.text()
        assert "Penicillin" in dialog.view.header.text()


class FakeNavigator:
    """Records what the screens ask the main window to do."""

    def __init__(self) -> None:
        self.pdfs: list[tuple[str, bytes, str]] = []
        self.visits: list[int] = []

    def open_chart(self, patient_id: int) -> None:
        pass

    def open_course(self, course_id: int) -> None:
        pass

    def open_visit(self, visit_id: int) -> None:
        self.visits.append(visit_id)

    def show_pdf(self, title: str, data: bytes, suggested_name: str) -> None:
        self.pdfs.append((title, data, suggested_name))


def pdf_text(data: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def nothing_saved(ctx, patient_id: int) -> bool:
    chart = get_chart(ctx, patient_id=patient_id)
    return not chart.weights and not chart.visits


class TestWeightInput:
    def test_pounds_follow_the_unit_chosen_in_the_label_and_the_plan(self, qtbot, app_state,
                                                                     booking):
        dialog = open_dialog(qtbot, app_state, booking)
        unit = named(dialog, QComboBox, "Weight unit")
        unit.setFocus()
        qtbot.keyClick(unit, Qt.Key.Key_Down)
        assert unit.currentText() == "lb"
        assert dialog.view.weight_caption.text() == "&Weight (lb)"
        type_weight(qtbot, dialog, "159.6", unit="lb")
        assert "159.6 lb" in dialog.view.plan.value_text("order")
        assert dialog.view.plan.value_text("dose") == "362 mg"

    @pytest.mark.parametrize(("typed", "message"), [
        ("abc", "is not a number"),
        ("0", "more than 0"),
        ("400", "above the maximum"),
    ])
    def test_a_bad_weight_is_refused_beside_the_field_and_nothing_is_saved(
            self, qtbot, app_state, booking, typed, message):
        dialog = open_dialog(qtbot, app_state, booking)
        type_weight(qtbot, dialog, typed)
        assert message in dialog.view.weight_error.text()
        assert dialog.view.weight_error.isVisible()
        assert dialog.view.plan.value_text("dose") == "—"
        qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
        assert message in dialog.view.weight_error.text()
        assert dialog.isVisible()
        assert nothing_saved(app_state.ctx, booking.patient_id)

    def test_correcting_the_weight_clears_the_message(self, qtbot, app_state, booking):
        dialog = open_dialog(qtbot, app_state, booking)
        type_weight(qtbot, dialog, "0")
        type_weight(qtbot, dialog, "72.4")
        assert not dialog.view.weight_error.isVisible()
        assert dialog.view.plan.value_text("dose") == "362 mg"


class TestOverride:
    @pytest.fixture
    def high_dose(self, ui_ctx) -> Booking:
        return book_infliximab(ui_ctx, mg_per_kg="12", mrn="MRN-HIGH",
                               override_reason="Dr Nowak: loss of response, 12 mg/kg")

    def test_a_dose_above_the_label_maximum_needs_a_reason_before_the_visit_opens(
            self, qtbot, app_state, high_dose):
        dialog = open_dialog(qtbot, app_state, high_dose)
        opened: list[int] = []
        dialog.visit_opened.connect(opened.append)
        type_weight(qtbot, dialog, "72.4")
        warnings = dialog.view.warnings
        assert "above the label maximum" in " ".join(w.message for w in warnings.warnings)
        reason = named(dialog, QLineEdit, "Override reason")
        assert reason.isVisible()
        shot(dialog, "open_visit_dose_preview_warning")
        qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
        assert "reason" in warnings.reason_error.text().lower()
        assert reason.hasFocus()
        assert nothing_saved(app_state.ctx, high_dose.patient_id)
        qtbot.keyClicks(reason, "Prescriber confirmed 12 mg/kg by phone")
        qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        assert len(opened) == 1
        detail = visits.get_visit(app_state.ctx, visit_id=opened[0])
        assert detail.dose_plan.override_reason == "Prescriber confirmed 12 mg/kg by phone"


def open_visit_widget(qtbot, app_state, booking: Booking, navigator=None):
    detail = visits.open_visit(app_state.ctx, appointment_id=booking.appointment_id,
                               weight="72.4")
    widget = VisitWidget(app_state, navigator or FakeNavigator(), detail.id)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    return widget


def answer_pre_checks(qtbot, widget) -> None:
    """Tick every tick item and answer every question with its safe answer, by mouse."""
    for row in widget.view.pre_checks.rows.values():
        if row.tick is not None and row.tick.isEnabled():
            qtbot.mouseClick(row.tick, Qt.MouseButton.LeftButton)
        if row.choices:
            item = widget.detail.checklist.of(row.key).item
            safe = "yes" if item.blocking_answer == "no" else "no"
            qtbot.mouseClick(row.choices[safe], Qt.MouseButton.LeftButton)


def enter_vitals(qtbot, widget, key: str, values: tuple[str, ...]) -> None:
    """Type a row of vitals with the keyboard (Tab between fields, Enter saves)."""
    row = widget.view.vitals.rows[key]
    qtbot.waitUntil(row.inputs["systolic"].isVisible)  # rows added later show on the next loop
    qtbot.mouseClick(row.inputs["systolic"], Qt.MouseButton.LeftButton)
    for field, text in zip(row.inputs, values, strict=True):
        edit = row.inputs[field]
        assert edit.hasFocus(), field
        qtbot.keyClicks(edit, text)
        if field != "spo2":
            qtbot.keyClick(edit, Qt.Key.Key_Tab)
    qtbot.keyClick(row.inputs["spo2"], Qt.Key.Key_Return)


BASELINE = ("120", "80", "72", "36.6", "14", "98")


def answer_discharge_checks(qtbot, widget) -> None:
    """Tick every observation and discharge tick, and answer "yes" to every question."""
    for row in widget.view.observation.checks.rows.values():
        if row.tick is not None:
            qtbot.mouseClick(row.tick, Qt.MouseButton.LeftButton)
        if row.choices:
            qtbot.mouseClick(row.choices["yes"], Qt.MouseButton.LeftButton)


def started(qtbot, widget) -> None:
    answer_pre_checks(qtbot, widget)
    enter_vitals(qtbot, widget, "pre.baseline_vitals", BASELINE)
    qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
    assert widget.detail.status == "infusing"


class TestPreCheck:
    def test_a_tick_is_saved_the_moment_it_is_made(self, qtbot, app_state, booking):
        widget = open_visit_widget(qtbot, app_state, booking)
        row = widget.view.pre_checks.rows["pre.identity"]
        qtbot.mouseClick(row.tick, Qt.MouseButton.LeftButton)
        detail = visits.get_visit(app_state.ctx, visit_id=widget.visit_id)
        assert "pre.identity" in {e.item_key for e in detail.entries}
        assert "Anna Keller" in row.done.text()
        assert not row.tick.isEnabled()

    def test_a_blocking_answer_shows_what_to_do(self, qtbot, app_state, booking):
        widget = open_visit_widget(qtbot, app_state, booking)
        row = widget.view.pre_checks.rows["pre.fever_infection"]
        qtbot.mouseClick(row.choices["yes"], Qt.MouseButton.LeftButton)
        assert "Do not start" in row.action.text()
        assert row.action.isVisible()

    def test_the_start_is_refused_with_the_blockers_until_the_pre_check_is_done(
            self, qtbot, app_state, booking):
        widget = open_visit_widget(qtbot, app_state, booking)
        panel = widget.view.infusion
        assert named(widget, QPushButton, "Start infusion") is panel.start
        qtbot.mouseClick(panel.start, Qt.MouseButton.LeftButton)
        assert panel.blockers.isVisible()
        assert "Patient identity confirmed" in panel.blockers.text()
        assert "Anaphylaxis kit" in panel.blockers.text()
        assert widget.detail.status == "checked_in"
        started(qtbot, widget)
        assert not panel.blockers.isVisible()
        assert not panel.start.isEnabled()
        assert panel.pause.isEnabled() and panel.end.isEnabled()
        assert "Running at 125" in panel.status.text()


class TestVitalsAndTheRunningInfusion:
    def test_a_heart_rate_of_130_is_flagged_in_its_row(self, qtbot, app_state, booking):
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        enter_vitals(qtbot, widget, "vitals.t0", ("118", "78", "130", "36.7", "16", "97"))
        row = widget.view.vitals.rows["vitals.t0"]
        assert "Heart rate 130" in row.flags.text()
        assert "B00020" in row.inputs["heart_rate"].styleSheet()
        assert "B00020" not in row.inputs["systolic"].styleSheet()
        assert row.inputs["heart_rate"].isReadOnly()
        shot(widget, "visit_infusing_vitals_flagged")

    def test_a_refused_reading_is_shown_in_its_row_and_kept(self, qtbot, app_state, booking):
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        enter_vitals(qtbot, widget, "vitals.t0", ("118", "78", "abc", "36.7", "16", "97"))
        row = widget.view.vitals.rows["vitals.t0"]
        assert "Heart rate" in row.flags.text()
        assert row.inputs["heart_rate"].text() == "abc"
        assert row.inputs["heart_rate"].hasFocus()

    def test_pause_resume_and_a_rate_change_move_the_due_times(self, qtbot, app_state,
                                                               booking, fake_clock):
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)  # 09:30 local
        rows = widget.view.vitals.rows
        assert rows["vitals.t30"].due.text().startswith("10:00")
        fake_clock.advance(minutes=10)
        qtbot.mouseClick(widget.view.infusion.pause, Qt.MouseButton.LeftButton)
        qtbot.keyClick(widget.pause_dialog.reason, Qt.Key.Key_Return)  # no reason: at once
        assert widget.view.infusion.resume.isEnabled()
        assert "Paused since 09:40" in widget.view.infusion.status.text()
        fake_clock.advance(minutes=10)
        qtbot.mouseClick(widget.view.infusion.resume, Qt.MouseButton.LeftButton)
        assert rows["vitals.t30"].due.text().startswith("10:10")
        fake_clock.advance(minutes=1)
        panel = widget.view.infusion
        qtbot.mouseClick(panel.change_rate, Qt.MouseButton.LeftButton)
        assert panel.rate.isVisible() and panel.rate.hasFocus()
        qtbot.keyClicks(panel.rate, "100")
        qtbot.keyClick(panel.rate, Qt.Key.Key_Return)
        assert "Running at 100" in panel.status.text()
        rows = widget.view.vitals.rows
        assert rows["vitals.rate_change.1"].due.text().startswith("10:06")
        assert "rate change 1 (to 100 mL/h)" in rows["vitals.rate_change.1"].label.text()
        assert rows["vitals.end"].due.text() > "11:50"


class TestObservationAndDischarge:
    def test_end_observation_countdown_and_discharge(self, qtbot, app_state, booking,
                                                     fake_clock):
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)
        fake_clock.advance(minutes=120)  # 11:30
        qtbot.mouseClick(widget.view.infusion.end, Qt.MouseButton.LeftButton)
        assert widget.detail.status == "infusing"  # not before the nurse confirms
        qtbot.mouseClick(widget.end_dialog.confirm, Qt.MouseButton.LeftButton)
        countdown = widget.observation_panel.countdown
        assert countdown.text() == "Observation ends 13:30 — 2 h left"
        fake_clock.advance(minutes=48)
        widget.tick()
        assert countdown.text() == "Observation ends 13:30 — 1 h 12 min left"
        discharge = named(widget, QPushButton, "Discharge")
        qtbot.mouseClick(discharge, Qt.MouseButton.LeftButton)
        assert "Observation is not over" in widget.observation_panel.message.text()
        fake_clock.advance(minutes=72)  # 13:30
        widget.refresh()
        assert countdown.text().startswith("Observation ended 13:30")
        enter_vitals(qtbot, widget, "obs.end", BASELINE)
        answer_discharge_checks(qtbot, widget)
        qtbot.mouseClick(discharge, Qt.MouseButton.LeftButton)
        # the vitals due during the infusion were never recorded: listed, and a reason asked
        dialog = widget.missed_vitals_dialog
        assert dialog is not None and dialog.isVisible()
        assert widget.detail.status == "observation"
        assert "15 min into the infusion (09:45)" in dialog.missed.text()
        assert not dialog.confirm.isEnabled()
        shot(dialog, "discharge_missed_vitals")
        qtbot.keyClicks(dialog.reason, "Monitor failed; vitals on paper, prescriber aware")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        assert not dialog.isVisible()
        assert widget.detail.status == "completed"
        assert countdown.text().startswith("Discharged")
        assert not discharge.isEnabled()
        why = next(e for e in widget.detail.entries if e.item_key == "discharge.missed_vitals")
        assert why.answer.startswith("Monitor failed; vitals on paper, prescriber aware")

    def test_after_anaphylaxis_the_observation_is_extended_and_needs_the_prescribers_clearance(
            self, qtbot, app_state, booking, fake_clock):
        widget = open_visit_widget(qtbot, app_state, booking)
        started(qtbot, widget)  # 09:30
        fake_clock.advance(minutes=10)
        onset = app_state.ctx.now()
        reactions.log_reaction(
            app_state.ctx, patient_id=booking.patient_id, visit_id=widget.visit_id,
            onset=onset, signs=["anaphylaxis", "hypotension"], term="anaphylaxis", grade=3,
            medications=[MedicationForm("Epinephrine 1 mg/mL", "0.5", "mg", "IM", onset)],
            infusion_action="stopped")
        widget.refresh()
        countdown = widget.observation_panel.countdown
        assert countdown.text() == (
            "Observation ends 13:40 — 4 h left (extended after the reaction: anaphylaxis "
            "grade 3 and epinephrine given; the prescriber's clearance is needed to go home)")
        clearance = widget.view.observation.checks.rows["obs.prescriber_clearance"]
        assert clearance.value is not None and clearance.value.isEnabled()
        shot(widget, "visit_extended_observation")
        fake_clock.advance(hours=4)  # 13:40
        widget.refresh()
        enter_vitals(qtbot, widget, "obs.end", BASELINE)
        answer_discharge_checks(qtbot, widget)
        discharge = named(widget, QPushButton, "Discharge")
        qtbot.mouseClick(discharge, Qt.MouseButton.LeftButton)
        assert widget.detail.status == "observation"
        assert "Prescriber's clearance" in widget.observation_panel.message.text()
        row = widget.view.observation.checks.rows["obs.prescriber_clearance"]
        qtbot.mouseClick(row.value, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(row.value, "Dr Nowak: fit to go home")
        qtbot.keyClick(row.value, Qt.Key.Key_Return)
        qtbot.mouseClick(discharge, Qt.MouseButton.LeftButton)
        dialog = widget.missed_vitals_dialog  # the hourly vitals of the extension were skipped
        assert dialog is not None and dialog.isVisible()
        assert "2 h after the reaction (extended observation) (11:40)" in dialog.missed.text()
        qtbot.keyClicks(dialog.reason, "Taken on paper during the emergency")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        assert widget.detail.status == "completed"


class TestPrinting:
    def test_the_monitoring_checklist_names_the_patient_the_dose_and_the_allergies(
            self, qtbot, app_state, booking):
        navigator = FakeNavigator()
        widget = open_visit_widget(qtbot, app_state, booking, navigator)
        qtbot.keyClick(widget, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
        qtbot.waitUntil(lambda: len(navigator.pdfs) == 1)  # a button's shortcut animates
        _title, data, name = navigator.pdfs[0]
        text = pdf_text(data)
        assert "Żółć" in text or "ŻÓŁĆ" in text
        assert "362 mg" in text
        assert "Penicillin" in text
        assert name.endswith(".pdf")

    def test_the_infusion_record_prints_from_its_button(self, qtbot, app_state, booking):
        navigator = FakeNavigator()
        widget = open_visit_widget(qtbot, app_state, booking, navigator)
        qtbot.mouseClick(named(widget, QPushButton, "Print infusion record"),
                         Qt.MouseButton.LeftButton)
        assert "362 mg" in pdf_text(navigator.pdfs[0][1])


class TestAcknowledgement:
    def test_a_weight_change_over_10_percent_is_ticked_before_the_visit_opens(
            self, qtbot, app_state, booking):
        record_weight(app_state.ctx, patient_id=booking.patient_id, weight="60")
        dialog = open_dialog(qtbot, app_state, booking)
        type_weight(qtbot, dialog, "72.4")
        box = dialog.view.warnings.ack_box("WEIGHT_CHANGE")
        assert "I have checked this" in box.accessibleName()
        assert "Last weight on file: 60" in dialog.view.previous_weight.text()
        qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible()
        assert "Acknowledge" in dialog.view.warnings.reason_error.text()
        assert box.hasFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
        qtbot.mouseClick(dialog.view.open_button, Qt.MouseButton.LeftButton)
        assert not dialog.isVisible()
        visit = get_chart(app_state.ctx, patient_id=booking.patient_id).visits[0]
        assert visits.get_visit(app_state.ctx, visit_id=visit.id).acknowledged == (
            "WEIGHT_CHANGE",)


    def test_a_tick_does_not_survive_a_retyped_weight_with_a_different_message(
            self, qtbot, app_state, booking):
        record_weight(app_state.ctx, patient_id=booking.patient_id, weight="60")
        dialog = open_dialog(qtbot, app_state, booking)
        type_weight(qtbot, dialog, "72.4")
        qtbot.keyClick(dialog.view.warnings.ack_box("WEIGHT_CHANGE"), Qt.Key.Key_Space)
        assert dialog.view.warnings.acknowledged() == ("WEIGHT_CHANGE",)
        type_weight(qtbot, dialog, "80")
        box = dialog.view.warnings.ack_box("WEIGHT_CHANGE")
        assert "80" in box.accessibleName()
        assert not box.isChecked()
        assert dialog.view.warnings.acknowledged() == ()

    def test_the_warning_and_the_graduated_table_fit_the_dialog_at_1366x768(
            self, qtbot, app_state, booking):
        record_weight(app_state.ctx, patient_id=booking.patient_id, weight="60")
        dialog = open_dialog(qtbot, app_state, booking)
        dialog.resize(1366, 768)
        type_weight(qtbot, dialog, "72.4")
        dialog._show_preview(visits.preview_dose(
            app_state.ctx, appointment_id=booking.appointment_id, weight="72.4",
            graduated=True))
        QTest.qWait(50)
        shot(dialog, "open_visit_fixed")
        right = dialog.width()
        box = dialog.view.warnings.ack_box("WEIGHT_CHANGE")
        table = named(dialog, QTableWidget, "Graduated infusion steps")
        for widget in (box.parentWidget(), table):
            edge = widget.mapTo(dialog, widget.rect().topRight()).x()
            assert edge <= right
        header = table.horizontalHeader()
        assert header.sectionViewportPosition(4) + header.sectionSize(4) \
            <= table.viewport().width()


class TestModels:
    def test_the_lots_table_passes_the_qt_model_tester(self, qtbot, qtmodeltester, app_state,
                                                       booking):
        widget = open_visit_widget(qtbot, app_state, booking)
        lots = widget.view.lots
        lots.lot.setFocus()
        qtbot.keyClicks(lots.lot, "AB12345")
        qtbot.keyClicks(lots.expiry, "2027-01-31")
        qtbot.keyClick(lots.expiry, Qt.Key.Key_Return)
        assert lots.table.rowCount() == 1
        assert lots.table.item(0, 1).text() == "AB12345"
        qtmodeltester.check(lots.table.model())

    def test_an_expired_lot_is_refused_beside_the_expiry(self, qtbot, app_state, booking):
        widget = open_visit_widget(qtbot, app_state, booking)
        lots = widget.view.lots
        qtbot.keyClicks(lots.lot, "AB12345")
        qtbot.keyClicks(lots.expiry, "2026-01-31")
        qtbot.mouseClick(lots.add, Qt.MouseButton.LeftButton)
        assert "expired" in lots.form.error_text("expiry")
        assert lots.table.rowCount() == 0
        assert lots.lot.text() == "AB12345"

    def test_the_graduated_steps_table_passes_the_qt_model_tester(self, qtmodeltester, ui_ctx,
                                                                  booking):
        preview = visits.preview_dose(ui_ctx, appointment_id=booking.appointment_id,
                                      weight="72.4", graduated=True)
        panel = DosePlanPanel()
        panel.show_plan(preview.plan)
        assert panel._steps.rowCount() == len(preview.plan.titration) > 1
        assert "Graduated" in panel.value_text("rate")
        qtmodeltester.check(panel._steps.model())


def wedge_scan(qtbot, field, scan: str) -> None:
    """Type ``scan`` as a keyboard-wedge scanner does: the group separator as Ctrl+], then Enter."""
    parts = scan.split("\x1d")
    for i, part in enumerate(parts):
        qtbot.keyClicks(field, part)
        if i < len(parts) - 1:
            qtbot.keyClick(field, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field, Qt.Key.Key_Return)


class TestVialScan:
    """A keyboard-wedge scanner types the carton's GS1 DataMatrix into the lot field."""

    GTIN = "00614141999996"  # example code in infliximab.toml (GS1 example prefix)

    def test_a_scan_fills_product_lot_and_expiry(self, qtbot, app_state, booking):
        widget = open_visit_widget(qtbot, app_state, booking)
        lots = widget.view.lots
        lots.lot.setFocus()
        wedge_scan(qtbot, lots.lot, f"]d201{self.GTIN}10IFX2291\x1d17270600")
        assert (lots.lot.text(), lots.expiry.text()) == ("IFX2291", "2027-06-30")
        assert lots.product.currentText().startswith("Infliximab 100 mg")
        assert lots.table.rowCount() == 0  # the nurse checks the fields, then adds the lot
        qtbot.mouseClick(lots.add, Qt.MouseButton.LeftButton)
        assert lots.table.rowCount() == 1
        assert lots.table.item(0, 1).text() == "IFX2291"

    def test_a_scan_of_another_drug_is_refused_beside_the_lot(self, qtbot, app_state, booking):
        widget = open_visit_widget(qtbot, app_state, booking)
        lots = widget.view.lots
        wedge_scan(qtbot, lots.lot, "]d20100614141999989" "10V1\x1d17270630")
        assert "may be another drug" in lots.form.error_text("lot")
        assert lots.expiry.text() == "" and lots.table.rowCount() == 0

    def test_an_expired_scanned_lot_is_refused(self, qtbot, app_state, booking):
        widget = open_visit_widget(qtbot, app_state, booking)
        lots = widget.view.lots
        wedge_scan(qtbot, lots.lot, f"]d201{self.GTIN}10OLD1\x1d17200131")
        assert "Lot OLD1 expired on" in lots.form.error_text("lot")
        assert lots.table.rowCount() == 0
