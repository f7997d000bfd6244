"""Logging a reaction: onset, signs, CTCAE grade with its definitions in view, the protocol's
guidance, medications, outcome; what it changes; the printed report (pytest-qt)."""

from __future__ import annotations

import io
import os
from dataclasses import dataclass
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QCheckBox, QLineEdit, QPlainTextEdit, QPushButton, QRadioButton

from clinic_app.domain.ctcae import CtcaeTerm
from clinic_app.domain.reactions import SignKind
from clinic_app.services import catalogue, courses, patients, visits
from clinic_app.services.chart import get_chart
from clinic_app.services.courses import book_appointment
from clinic_app.services.patients import add_allergy
from clinic_app.services.patients.dto import PatientForm
from clinic_app.ui.reaction.reaction_dialog import ReactionDialog

pytestmark = pytest.mark.gui


def shot(widget, name: str) -> None:
    """Save a screenshot when CLINIC_UI_SHOTS names a folder (e.g. /tmp/ui)."""
    folder = os.environ.get("CLINIC_UI_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        QTest.qWait(50)  # let the layouts settle before the picture
        widget.grab().save(str(Path(folder) / f"{name}.png"))


@dataclass(frozen=True)
class Infusing:
    patient_id: int
    visit_id: int


def infusing(ctx, *, protocol_id: str = "infliximab", indication_id: str = "crohns",
             mrn: str = "MRN-R1", family: str = "Иванова", given: str = "Анна") -> Infusing:
    """A patient (screened negative) whose first infusion of ``protocol_id`` started at 09:30
    today."""
    patient = patients.register_patient(ctx, form=PatientForm(
        mrn=mrn, family_name=family, given_names=given, date_of_birth="1975-06-01",
        sex="female"))
    add_allergy(ctx, patient_id=patient.id, substance="Latex")
    for kind in catalogue.screening_kinds():
        patients.record_screening(ctx, patient_id=patient.id, kind=kind, taken_on="2026-02-20",
                                  outcome="negative")
    order = {"mg_per_kg": "5"} if protocol_id == "infliximab" else {"fixed_mg": "300"}
    course = courses.start_course(ctx, patient_id=patient.id, protocol_id=protocol_id,
                                  indication_id=indication_id, prescriber="Dr Nowak",
                                  first_dose="2026-03-02", **order)
    first = courses.get_course(ctx, course_id=course.id).appointments[0]
    book_appointment(ctx, appointment_id=first.id, day="2026-03-02", time="09:30", chair="Chair 1")
    visit = visits.open_visit(ctx, appointment_id=first.id, weight="64",
                              acknowledged=("ROUNDED_TO_VIAL", "WEIGHT_CHANGE"))
    for status in visit.checklist.items:
        item = status.item
        if item.phase.value != "pre" or status.state.value == "done":
            continue
        if item.kind.value == "tick":
            visits.record_check(ctx, visit_id=visit.id, item_key=item.key)
        elif item.kind.value == "yes_no":
            safe = "yes" if item.blocking_answer == "no" else "no"
            visits.record_check(ctx, visit_id=visit.id, item_key=item.key, answer=safe)
    visits.record_vitals(ctx, visit_id=visit.id, item_key="pre.baseline_vitals",
                         systolic="120", diastolic="80", heart_rate="70")
    visits.start_infusion(ctx, visit_id=visit.id)
    return Infusing(patient.id, visit.id)


class FakeNavigator:
    def __init__(self) -> None:
        self.pdfs: list[tuple[str, bytes, str]] = []

    def open_chart(self, patient_id: int) -> None:
        pass

    def open_course(self, course_id: int) -> None:
        pass

    def open_visit(self, visit_id: int) -> None:
        pass

    def show_pdf(self, title: str, data: bytes, suggested_name: str) -> None:
        self.pdfs.append((title, data, suggested_name))


@pytest.fixture
def visit(ui_ctx, fake_clock) -> Infusing:
    found = infusing(ui_ctx)
    fake_clock.advance(minutes=20)  # 09:50: the reaction starts during the infusion
    return found


def open_reaction(qtbot, app_state, visit: Infusing, navigator=None) -> ReactionDialog:
    dialog = ReactionDialog(app_state, visit.patient_id, visit.visit_id,
                            navigator=navigator or FakeNavigator())
    qtbot.addWidget(dialog)
    dialog.resize(1366, 768)
    dialog.show()
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def click(qtbot, widget) -> None:
    """Click like a nurse: tick boxes and radio buttons on their box, buttons in the middle."""
    if isinstance(widget, QCheckBox | QRadioButton):
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton, pos=QPoint(6, widget.height() // 2))
    else:
        qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def fill_acute_grade_2(qtbot, dialog: ReactionDialog) -> None:
    view = dialog.view
    for code in ("urticaria", "flushing", "tachycardia"):
        click(qtbot, view.signs.box(code))
    click(qtbot, view.grade.grade_button(2))
    click(qtbot, dialog.pump.buttons["paused"])
    click(qtbot, view.action_boxes["Infusion stopped"])
    click(qtbot, view.action_boxes["Prescriber called"])
    click(qtbot, view.medications.add)
    qtbot.keyClicks(view.medications.rows[0].name, "Cetirizine")
    qtbot.keyClick(view.medications.rows[0].name, Qt.Key.Key_Tab)
    qtbot.keyClicks(view.medications.rows[0].dose, "10")
    qtbot.keyClick(view.medications.rows[0].dose, Qt.Key.Key_Tab)
    qtbot.keyClicks(view.medications.rows[0].unit, "mg")
    view.medications.rows[0].route.setCurrentText("PO")
    view.outcome.setCurrentText("Resolved with treatment")


class TestGrading:
    def test_every_grade_definition_is_in_view_while_choosing(self, qtbot, app_state, visit):
        dialog = open_reaction(qtbot, app_state, visit)
        picker = dialog.view.grade
        for grade in range(1, 6):
            assert picker._definitions[grade].isVisible()
        assert picker.definition_text(2).startswith("Therapy or infusion interruption")
        click(qtbot, picker.grade_button(2))
        assert picker.grade() == 2
        assert "Therapy or infusion interruption indicated" in picker.definition_text(2)
        assert "E8F0FE" in picker._definitions[2].styleSheet()

    def test_anaphylaxis_grades_1_and_2_cannot_be_chosen(self, qtbot, app_state, visit):
        dialog = open_reaction(qtbot, app_state, visit)
        picker = dialog.view.grade
        click(qtbot, picker.grade_button(2))
        anaphylaxis = next(b for b in dialog.findChildren(QRadioButton)
                       if b.accessibleName() == "Anaphylaxis")
        click(qtbot, anaphylaxis)
        assert picker.term() == "anaphylaxis"
        assert picker.grade() is None
        for grade in (1, 2):
            assert not picker.grade_button(grade).isEnabled()
            assert "Not defined" in picker.definition_text(grade)
            click(qtbot, picker.grade_button(grade))
            assert picker.grade() is None
        click(qtbot, picker.grade_button(3))
        assert picker.grade() == 3
        assert "bronchospasm" in picker.definition_text(3)

    def test_the_protocol_guidance_follows_the_grade_chosen(self, qtbot, app_state, visit):
        dialog = open_reaction(qtbot, app_state, visit)
        guidance = dialog.view.guidance
        assert "Choose the grade" in guidance.text()
        click(qtbot, dialog.view.grade.grade_button(1))
        assert "Slow the infusion" in guidance.text()
        click(qtbot, dialog.view.grade.grade_button(2))
        assert "Stop the infusion." in guidance.text()
        assert "Infliximab:" in guidance.text()

    def test_signs_are_grouped_acute_and_delayed(self, qtbot, app_state, visit):
        dialog = open_reaction(qtbot, app_state, visit)
        signs = dialog.view.signs
        acute = signs.group(SignKind.ACUTE)
        assert signs.box("urticaria").parentWidget() is acute
        assert signs.box("arthralgia").parentWidget() is signs.group(SignKind.DELAYED)


class TestSaving:
    def test_an_acute_grade_2_reaction_is_saved_and_announced(self, qtbot, app_state, visit):
        dialog = open_reaction(qtbot, app_state, visit)
        changes = []
        app_state.data_changed.connect(changes.append)
        fill_acute_grade_2(qtbot, dialog)
        shot(dialog, "reaction_dialog_grade_2")
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
        assert dialog.saved is not None
        assert {c.kind for c in changes} >= {"reaction", "patient"}
        reaction = get_chart(app_state.ctx, patient_id=visit.patient_id).reactions[0]
        assert (reaction.term, reaction.grade) == ("infusion_related_reaction", 2)
        assert reaction.signs == ("urticaria", "flushing", "tachycardia")
        assert "Infusion stopped" in reaction.actions
        assert dialog.saved.medications[0].drug == "Cetirizine"
        assert "grade 2" in dialog.view.result.text()
        assert "during infusion" in dialog.view.result.text()
        assert not dialog.view.save.isEnabled()
        assert dialog.view.print_report.isEnabled()

    def test_without_a_sign_the_message_is_beside_the_signs(self, qtbot, app_state, visit):
        dialog = open_reaction(qtbot, app_state, visit)
        click(qtbot, dialog.view.grade.grade_button(1))
        click(qtbot, dialog.view.save)
        assert "sign" in dialog.view.signs_error.text()
        assert dialog.saved is None
        assert not get_chart(app_state.ctx, patient_id=visit.patient_id).reactions

    def test_a_medication_without_a_number_dose_is_refused_in_the_medications(
            self, qtbot, app_state, visit):
        dialog = open_reaction(qtbot, app_state, visit)
        fill_acute_grade_2(qtbot, dialog)
        row = dialog.view.medications.rows[0]
        row.dose.clear()
        qtbot.keyClicks(row.dose, "ten")
        click(qtbot, dialog.view.save)
        assert "ten" in dialog.view.medications.error.text()
        assert dialog.saved is None

    def test_anaphylaxis_to_anifrolumab_tells_the_nurse_it_is_now_contraindicated(
            self, qtbot, app_state, ui_ctx, fake_clock):
        found = infusing(ui_ctx, protocol_id="anifrolumab", indication_id="sle",
                         mrn="MRN-ANI", family="Żółć", given="Łukasz")
        fake_clock.advance(minutes=10)
        dialog = open_reaction(qtbot, app_state, found)
        click(qtbot, dialog.view.signs.box("anaphylaxis"))
        click(qtbot, dialog.view.grade.term_button(CtcaeTerm.ANAPHYLAXIS))
        click(qtbot, dialog.view.grade.grade_button(3))
        assert "Epinephrine" in dialog.view.guidance.text()
        click(qtbot, dialog.pump.buttons["stopped"])
        click(qtbot, dialog.view.save)
        assert dialog.notice is not None and dialog.notice.isVisible()
        assert "contraindicated" in dialog.notice.text()
        assert "contraindicated" in dialog.view.result.text()
        assert "C62828" in dialog.view.result.styleSheet()
        chart = get_chart(app_state.ctx, patient_id=found.patient_id)
        assert "anaphylaxis_anifrolumab" in {c.code for c in chart.contraindications}


    def test_an_acute_reaction_without_a_grade_is_refused_beside_the_grade(
            self, qtbot, app_state, visit):
        dialog = open_reaction(qtbot, app_state, visit)
        assert not dialog.view.grade.not_graded_button().isVisible()
        click(qtbot, dialog.view.signs.box("urticaria"))
        click(qtbot, dialog.view.save)
        assert dialog.view.grade_error.isVisible()
        assert "must be graded" in dialog.view.grade_error.text()
        assert dialog.saved is None
        assert not get_chart(app_state.ctx, patient_id=visit.patient_id).reactions


def open_from_chart(qtbot, app_state, patient_id: int) -> ReactionDialog:
    dialog = ReactionDialog(app_state, patient_id)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


class TestDelayedFromTheChart:
    def test_a_delayed_reaction_days_later_is_linked_and_graded(self, qtbot, app_state, visit,
                                                               fake_clock):
        visits.end_infusion(app_state.ctx, visit_id=visit.visit_id, reason="Reaction")
        fake_clock.advance(days=5)
        dialog = open_from_chart(qtbot, app_state, visit.patient_id)
        assert "delayed" in dialog.view.heading.text()
        assert dialog.view.link.text() == ("Linked to the Infliximab infusion of 2 Mar 2026 "
                                           "(dose 1); onset after Infliximab's acute-reaction "
                                           "window (2 hours after the end): delayed.")
        click(qtbot, dialog.view.signs.box("arthralgia"))
        click(qtbot, dialog.view.grade.grade_button(1))
        assert "Infliximab:" in dialog.view.guidance.text()
        click(qtbot, dialog.view.save)
        assert dialog.saved is not None
        assert dialog.saved.onset_class == "delayed"

    def test_a_sign_of_an_immediate_reaction_makes_a_late_onset_acute_and_gradable_only(
            self, qtbot, app_state, visit, fake_clock):
        visits.end_infusion(app_state.ctx, visit_id=visit.visit_id, reason="Reaction")
        fake_clock.advance(days=2)
        dialog = open_from_chart(qtbot, app_state, visit.patient_id)
        view = dialog.view
        assert "delayed" in view.heading.text()
        assert view.grade.not_graded_button().isVisible()
        click(qtbot, view.signs.box("angioedema"))
        assert "acute, after an infusion" in view.heading.text()
        assert view.link.text().endswith("handled as acute (grade it).")
        assert not view.grade.not_graded_button().isVisible()
        click(qtbot, view.signs.box("angioedema"))  # untick: delayed again
        assert "delayed" in view.heading.text()
        assert view.grade.not_graded_button().isVisible()

    def test_allergic_reaction_is_offered_beside_the_other_terms(self, qtbot, app_state, visit):
        dialog = open_from_chart(qtbot, app_state, visit.patient_id)
        grade = dialog.view.grade
        click(qtbot, grade.term_button("allergic_reaction"))
        click(qtbot, grade.grade_button(2))
        assert grade.term() == "allergic_reaction" and grade.grade() == 2

    def test_a_delayed_rash_may_be_left_not_graded_and_described_in_the_notes(
            self, qtbot, app_state, visit, fake_clock):
        visits.end_infusion(app_state.ctx, visit_id=visit.visit_id, reason="Reaction")
        fake_clock.advance(days=14)
        dialog = open_from_chart(qtbot, app_state, visit.patient_id)
        view = dialog.view
        click(qtbot, view.signs.box("psoriasiform_rash"))
        not_graded = view.grade.not_graded_button()
        assert not_graded.isVisible() and "Not graded" in not_graded.text()
        click(qtbot, not_graded)
        assert view.grade.not_graded() and view.grade.grade() is None
        assert "not graded" in view.guidance_title.text()
        assert "Describe the reaction in the notes" in view.guidance.text()
        view.notes.setFocus()
        qtbot.keyClicks(view.notes, "Scaly plaques on the palms")
        shot(dialog, "reaction_dialog_not_graded")
        click(qtbot, view.save)
        assert dialog.saved is not None
        summary = dialog.saved.summary
        assert (summary.term, summary.grade) == (None, None)
        assert summary.notes == "Scaly plaques on the palms"
        assert "not graded, delayed" in view.result.text()
        assert "Delayed reaction to Infliximab" in view.result.text()
        badges = {b.text for b in get_chart(app_state.ctx, patient_id=visit.patient_id).alerts}
        assert any(t.startswith("Reaction: delayed psoriasiform rash (not graded)")
                   for t in badges)

    def test_not_graded_is_refused_beside_the_grade_when_the_onset_was_acute(
            self, qtbot, app_state, visit):
        dialog = open_from_chart(qtbot, app_state, visit.patient_id)  # onset now: infusing
        assert dialog.view.link.text().endswith("onset during the infusion.")
        click(qtbot, dialog.view.signs.box("flushing"))
        click(qtbot, dialog.view.grade.not_graded_button())
        click(qtbot, dialog.view.save)
        assert "acute reaction" in dialog.view.grade_error.text()
        assert dialog.view.grade_error.isVisible()
        assert dialog.saved is None


class TestReport:
    def test_the_reaction_report_prints_after_saving(self, qtbot, app_state, visit):
        navigator = FakeNavigator()
        dialog = open_reaction(qtbot, app_state, visit, navigator)
        fill_acute_grade_2(qtbot, dialog)
        click(qtbot, dialog.view.save)
        print_button = next(b for b in dialog.findChildren(QPushButton)
                        if b.accessibleName() == "Print reaction report")
        click(qtbot, print_button)
        _title, data, name = navigator.pdfs[0]
        text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
        assert "Иванова" in text or "ИВАНОВА" in text
        assert "Cetirizine" in text
        assert "Latex" in text
        assert name.endswith(".pdf")


def test_the_notes_field_is_multi_line_and_named_for_screen_readers(qtbot, app_state, visit):
    dialog = open_reaction(qtbot, app_state, visit)
    notes = next(w for w in dialog.findChildren(QPlainTextEdit) if w.accessibleName() == "Notes")
    assert notes is dialog.view.notes
    fill_acute_grade_2(qtbot, dialog)
    notes.setPlainText("Hives on the chest\nfacial flushing")
    click(qtbot, dialog.view.save)
    assert dialog.saved is not None
    assert dialog.saved.summary.notes == "Hives on the chest\nfacial flushing"


def test_the_medication_fields_are_named_for_screen_readers(qtbot, app_state, visit):
    dialog = open_reaction(qtbot, app_state, visit)
    click(qtbot, dialog.view.medications.add)
    click(qtbot, dialog.view.medications.add)
    names = {w.accessibleName() for w in dialog.findChildren(QLineEdit)}
    assert {"Medication 1", "Dose 2", "Time 1"} <= names


def test_ticking_anaphylaxis_shows_what_to_do_at_once_without_the_dialog_jumping(
        qtbot, app_state, visit):
    dialog = open_reaction(qtbot, app_state, visit)
    size = dialog.size()
    title_height = dialog.view.guidance_title.height()
    click(qtbot, dialog.view.signs.box("anaphylaxis"))
    text = dialog.view.guidance.text()
    first_steps = text.splitlines()[:3]  # stop the trigger, call for help, epinephrine
    assert text.startswith("• ") and any("Epinephrine" in line for line in first_steps)
    assert "anaphylaxis" in dialog.view.guidance_title.text().lower()
    assert dialog.size() == size and dialog.view.guidance_title.height() == title_height
    click(qtbot, dialog.view.signs.box("anaphylaxis"))
    assert "Choose the grade" in dialog.view.guidance.text()


def test_the_infusion_choice_sits_under_the_title(qtbot, app_state, visit):
    dialog = open_reaction(qtbot, app_state, visit)
    heading, pump = dialog.view.heading, dialog.pump
    assert pump.isVisible()
    heading_bottom = heading.mapTo(dialog, heading.rect().bottomLeft()).y()
    pump_top = pump.mapTo(dialog, pump.rect().topLeft()).y()
    onset_top = dialog.view.onset.mapTo(dialog, dialog.view.onset.rect().topLeft()).y()
    assert heading_bottom <= pump_top < onset_top
