"""Register and edit a patient: every bad input gets its message beside its field, nothing typed
is lost, nothing is saved; a conflict from another workstation is shown, not swallowed."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QComboBox, QLineEdit, QMessageBox, QPlainTextEdit

from clinic_app.config import sqlite_url_for
from clinic_app.domain.errors import InvalidInput
from clinic_app.services import accounts, patients
from clinic_app.services.chart import get_chart
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import InvalidInputs
from clinic_app.services.patients.dto import PatientForm
from clinic_app.storage import make_engine, make_session_factory
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients.chart_dialogs import weight_dialog
from clinic_app.ui.patients.patient_form import DATE_HINT, PatientFormDialog
from clinic_app.ui.patients.record_dialog import RecordDialog

pytestmark = pytest.mark.gui

GOOD = {"mrn": "MRN-200", "family_name": "Iwanowa", "given_names": "Anna",
        "date_of_birth": "1988-12-24", "phone": "+48 22 555 01 02", "email": "anna@example.org",
        "address": "ul. Polna 1\nWarszawa", "notes": "Prefers the window chair."}


def shot(widget: Any, name: str) -> None:
    """Save a screenshot when CLINIC_UI_SHOTS names a folder (e.g. /tmp/ui)."""
    folder = os.environ.get("CLINIC_UI_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()  # let word-wrapped labels settle their height
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def type_text(widget: Any, text: str) -> None:
    """Type like a nurse: each character as a key press (non-ASCII included)."""
    widget.setFocus()
    for ch in text:
        if ch == "\n":
            QTest.keyClick(widget, Qt.Key.Key_Return)
        else:
            QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, ch,
                               Qt.KeyboardModifier.NoModifier)


def field(dialog: PatientFormDialog, name: str) -> Any:
    widget = dialog.rows.input(name)
    assert widget.accessibleName(), name
    return widget


def fill(dialog: PatientFormDialog, values: dict[str, str], sex: str = "female") -> None:
    for name, text in values.items():
        widget = field(dialog, name)
        if isinstance(widget, (QLineEdit, QPlainTextEdit)):
            widget.clear()
        type_text(widget, text)
    box = field(dialog, "sex")
    assert isinstance(box, QComboBox)
    box.setCurrentIndex(box.findData(sex))


def typed(dialog: PatientFormDialog, name: str) -> str:
    widget = field(dialog, name)
    return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()


@pytest.fixture
def dialog(qtbot: Any, app_state: AppState) -> PatientFormDialog:
    form = PatientFormDialog(app_state)
    qtbot.addWidget(form)
    form.show()
    return form


@pytest.fixture
def existing(ui_ctx: ServiceContext) -> int:
    form = PatientForm(mrn="MRN-100", family_name="Żółć", given_names="Łukasz",
                       date_of_birth="1975-06-01", sex="male")
    return patients.register_patient(ui_ctx, form=form).id


def test_every_field_is_named_after_its_visible_label(dialog):
    names = [field(dialog, f).accessibleName() for f in
             ("mrn", "family_name", "given_names", "date_of_birth", "sex", "phone", "email",
              "address", "notes")]
    assert names == ["MRN", "Family name", "Given names", "Date of birth", "Sex", "Phone",
                     "E-mail", "Address", "Notes"]
    assert field(dialog, "date_of_birth").accessibleDescription() == DATE_HINT


def test_a_valid_form_typed_in_polish_registers_the_patient(qtbot, dialog, app_state):
    saved = []
    dialog.patient_saved.connect(saved.append)
    fill(dialog, {**GOOD, "family_name": "Żółć", "given_names": "Łukasz Ósmy"})
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert saved[0].display_name == "ŻÓŁĆ, Łukasz Ósmy"
    details = patients.get_patient(app_state.ctx, patient_id=saved[0].id)
    assert details.address == "ul. Polna 1\nWarszawa"


BAD_INPUT = [
    ("mrn", "", "MRN is required."),
    ("mrn", "mrn-100", "already used by ŻÓŁĆ, Łukasz"),
    ("mrn", "A/B", "may hold only letters"),
    ("family_name", "", "Family name is required."),
    ("given_names", "   ", "Given names is required."),
    ("family_name", "N" * 121, "too long: 121 characters, at most 120"),
    ("given_names", "1234", "must contain at least one letter"),
    ("date_of_birth", "31.02.2020", "not a real calendar date"),
    ("date_of_birth", "2026-03-03", "in the future"),
    ("date_of_birth", "03/04/80", "type it as YYYY-MM-DD"),
    ("date_of_birth", "1890-01-01", "more than 120 years ago"),
    ("phone", "call me", "Phone 'call me' may hold only digits"),
    ("email", "anna@", "is not an address"),
]


def test_bad_input_in_every_field_is_shown_beside_it_and_nothing_is_saved(
        qtbot, dialog, app_state, existing):
    before = patients.count_patients(app_state.ctx, text="")
    fields = ("mrn", "family_name", "given_names", "date_of_birth", "sex", "phone", "email",
              "address", "notes")
    for name, bad, message in BAD_INPUT:
        values = {**GOOD, name: bad}
        fill(dialog, values)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert dialog.isVisible(), name
        assert message in dialog.rows.error_text(name), (name, bad)
        assert [f for f in fields if f != name and dialog.rows.error_text(f)] == [], name
        assert {f: typed(dialog, f) for f in values} == values, "what was typed is kept"
    assert patients.count_patients(app_state.ctx, text="") == before


def test_sex_must_be_chosen(qtbot, dialog, app_state):
    fill(dialog, GOOD, sex="")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Sex must be one of" in dialog.rows.error_text("sex")
    assert patients.count_patients(app_state.ctx, text="") == 0


def test_invisible_characters_in_the_address_and_notes_are_refused(qtbot, dialog, app_state):
    for name in ("address", "notes"):
        fill(dialog, GOOD)
        field(dialog, name).setPlainText("ul. Polna\u200b 1")  # pasted zero-width space
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "invisible or control character" in dialog.rows.error_text(name)
    assert patients.count_patients(app_state.ctx, text="") == 0


def test_fixing_the_field_clears_its_message_and_saves(qtbot, dialog, app_state):
    fill(dialog, {**GOOD, "family_name": "Иванова", "given_names": "Анна",
                  "date_of_birth": "31.02.2020"})
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.rows.error_text("date_of_birth")
    shot(dialog, "register_dialog_error")
    field(dialog, "date_of_birth").clear()
    type_text(field(dialog, "date_of_birth"), "29.02.2020")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert patients.search_patients(app_state.ctx, text="29.02.2020")[0].mrn == "MRN-200"


def test_three_bad_fields_show_three_messages_at_once_and_the_first_is_focused(
        qtbot, dialog, app_state):
    fields = ("mrn", "family_name", "given_names", "date_of_birth", "sex", "phone", "email",
              "address", "notes")
    fill(dialog, {**GOOD, "family_name": "", "date_of_birth": "2030-01-01", "email": "abc"})
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert {f: dialog.rows.error_text(f) for f in fields if dialog.rows.error_text(f)} == {
        "family_name": "Family name is required.",
        "date_of_birth": "Date of birth 1 Jan 2030 is in the future.",
        "email": "E-mail 'abc' is not an address like name@example.org.",
    }
    assert dialog.focusWidget() is field(dialog, "family_name")
    assert typed(dialog, "email") == "abc" and typed(dialog, "date_of_birth") == "2030-01-01"
    assert patients.count_patients(app_state.ctx, text="") == 0
    shot(dialog, "register_dialog_three_errors")
    type_text(field(dialog, "family_name"), "Иванова")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.rows.error_text("family_name")
    assert dialog.rows.error_text("email") and dialog.rows.error_text("date_of_birth")
    assert dialog.focusWidget() is field(dialog, "date_of_birth")


def test_an_mrn_in_use_is_shown_with_the_other_bad_fields(qtbot, dialog, app_state, existing):
    fill(dialog, {**GOOD, "mrn": "MRN-100", "phone": "call me"})
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "already used by ŻÓŁĆ, Łukasz" in dialog.rows.error_text("mrn")
    assert "may hold only digits" in dialog.rows.error_text("phone")
    assert dialog.focusWidget() is field(dialog, "mrn")


def test_a_weight_of_abc_and_a_bad_time_are_both_shown(qtbot, app_state, existing):
    dialog = weight_dialog(app_state, existing, None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.rows.input("weight"), "abc")
    type_text(dialog.rows.input("measured_at"), "25:00")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "Weight 'abc' is not a number." in dialog.rows.error_text("weight")
    assert "not a time of day" in dialog.rows.error_text("measured_at")
    assert dialog.focusWidget() is dialog.rows.input("weight")
    assert get_chart(app_state.ctx, patient_id=existing).weights == ()


def test_a_message_about_a_field_the_form_lacks_goes_to_a_dialog_the_rest_beside_fields(
        qtbot, monkeypatch):
    shown: list[str] = []

    def capture(box: QMessageBox) -> int:
        shown.append(box.text())
        return int(QMessageBox.StandardButton.Ok)

    def submit(_values: object) -> object:
        raise InvalidInputs([InvalidInput("kind", "Kind is unknown."),
                             InvalidInput("substance", "Substance is required."),
                             InvalidInput("noted_on", "Noted on is in the future.")])

    monkeypatch.setattr(QMessageBox, "exec", capture)
    dialog = RecordDialog("Add allergy", submit)
    qtbot.addWidget(dialog)
    dialog.add_line("substance", "&Substance")
    dialog.show()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.rows.error_text("substance") == "Substance is required."
    assert shown == ["Kind is unknown.\nNoted on is in the future."]


@pytest.mark.parametrize(("weight", "message"), [
    ("seventy", "is not a number"), ("0", "Weight"), ("900", "Weight"), ("", "missing")])
def test_bad_weights_are_shown_beside_the_weight(qtbot, app_state, existing, weight, message):
    dialog = weight_dialog(app_state, existing, None)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.rows.input("weight"), weight)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert message in dialog.rows.error_text("weight")
    assert dialog.rows.input("weight").text() == weight
    assert get_chart(app_state.ctx, patient_id=existing).weights == ()


@pytest.fixture
def second_workstation(ui_db_path: Path, ui_ctx: ServiceContext) -> Iterator[ServiceContext]:
    """Another computer on the same database file, signed in as Beat Meier."""
    nurse = accounts.create_nurse(ui_ctx, username="bmeier", display_name="Beat Meier",
                              secret="another secret")
    engine = make_engine(sqlite_url_for(ui_db_path))
    yield ServiceContext(session_factory=make_session_factory(engine), settings=ui_ctx.settings,
                         tz=ui_ctx.tz, clock=ui_ctx.clock, nurse_id=nurse.id)
    engine.dispose()


def test_an_edit_saved_meanwhile_on_another_workstation_is_shown_as_a_conflict(
        qtbot, app_state, existing, second_workstation, monkeypatch):
    shown: list[tuple[str, str]] = []

    def capture(box: QMessageBox) -> int:
        shown.append((box.text(), box.informativeText()))
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", capture)
    details = patients.get_patient(app_state.ctx, patient_id=existing)
    dialog = PatientFormDialog(app_state, details=details)
    qtbot.addWidget(dialog)
    dialog.show()
    assert typed(dialog, "family_name") == "Żółć"
    phone = field(dialog, "phone")
    type_text(phone, "+48 600 000 001")
    other = details.to_form()
    patients.edit_patient(second_workstation, patient_id=existing,
                          expected_version=details.summary.version,
                          form=PatientForm(**{**other.__dict__, "phone": "+41 44 000 00 00"}))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert len(shown) == 1
    assert "changed this record on another workstation" in shown[0][0]
    assert "Nothing you typed was saved" in shown[0][1]
    assert phone.text() == "+48 600 000 001"
    stored = patients.get_patient(app_state.ctx, patient_id=existing)
    assert stored.phone == "+41 44 000 00 00"


def _answer_conflict(monkeypatch, choice: str) -> list[str]:
    """Answer the conflict question with the button ``choice``; record the questions."""
    asked: list[str] = []

    def answer(box: QMessageBox) -> int:
        asked.append(box.informativeText())
        (button,) = [b for b in box.buttons() if b.text() == choice]
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", answer)
    return asked


def test_a_conflict_offers_to_reload_keeping_the_nurse_s_changes(
        qtbot, app_state, existing, second_workstation, monkeypatch):
    details = patients.get_patient(app_state.ctx, patient_id=existing)
    dialog = PatientFormDialog(app_state, details=details)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(field(dialog, "phone"), "+48 600 000 001")
    other = details.to_form()
    patients.edit_patient(second_workstation, patient_id=existing,
                          expected_version=details.summary.version,
                          form=PatientForm(**{**other.__dict__, "email": "new@example.org"}))
    asked = _answer_conflict(monkeypatch, "&Reload keeping my changes")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert len(asked) == 1 and "Beat Meier" in asked[0] and "UTC" not in asked[0]
    assert dialog.isVisible()
    assert field(dialog, "email").text() == "new@example.org"  # their change, reloaded
    assert field(dialog, "phone").text() == "+48 600 000 001"  # mine, kept
    assert dialog.has_unsaved_input()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    stored = patients.get_patient(app_state.ctx, patient_id=existing)
    assert (stored.email, stored.phone) == ("new@example.org", "+48 600 000 001")


def test_a_conflict_can_discard_the_nurse_s_changes(
        qtbot, app_state, existing, second_workstation, monkeypatch):
    details = patients.get_patient(app_state.ctx, patient_id=existing)
    dialog = PatientFormDialog(app_state, details=details)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(field(dialog, "phone"), "+48 600 000 001")
    patients.edit_patient(second_workstation, patient_id=existing,
                          expected_version=details.summary.version,
                          form=PatientForm(**{**details.to_form().__dict__, "email": "x@y.org"}))
    _answer_conflict(monkeypatch, "&Discard my changes")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert patients.get_patient(app_state.ctx, patient_id=existing).phone != "+48 600 000 001"
