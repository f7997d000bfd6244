"""The error log names the kind of error and the code that failed, never patient data or
secrets: failures are provoked through the real services and widgets, handled by the GUI's
unexpected-error handler, and its log file and standard error are searched for what the nurse
typed or the database held."""

from __future__ import annotations

import sqlite3
import sys
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pytest
from clinic_testing import FakeClock, patient_form
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton
from sqlalchemy.exc import IntegrityError

from clinic_app import app as gui_app
from clinic_app.services import accounts, patients
from clinic_app.storage.repositories import NurseRepository
from clinic_app.ui.patients.search_view import PatientSearchWidget
from clinic_app.ui.shell.sign_in_dialog import SignInDialog

pytestmark = pytest.mark.gui

NAME = ("Brzęczyszczykiewicz", "Zdzisława")
NAME_FOLDED = ("brzeczyszczykiewicz", "zdzislawa")  # as the search keys store it
BORN = "1961-07-13"
MRN = "MRN-5150"
PASSWORD = "Tr0ub4dor&3-zebra"
PIN = "97531"


@dataclass
class ErrorLog:
    """The handler's log file, what it showed the nurse, and what it printed."""

    path: Path
    shown: list[str]
    capsys: pytest.CaptureFixture[str]

    def written(self) -> str:
        """The log file and standard error together (a desktop session may keep the latter)."""
        return self.path.read_text(encoding="utf-8") + self.capsys.readouterr().err


def install_handler(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                    capsys: pytest.CaptureFixture[str]) -> ErrorLog:
    """The app's handler, installed in the test itself (pytest-qt installs its own for each
    test's call, over one a fixture would install)."""
    shown: list[str] = []
    monkeypatch.setattr(gui_app.QMessageBox, "critical",
                        lambda _parent, _title, text: shown.append(text))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log = tmp_path / "data" / "errors.log"
    gui_app.install_error_dialog(log, clock=FakeClock())
    return ErrorLog(log, shown, capsys)


def report(exc: BaseException) -> None:
    """Hand an error raised by a service to the handler, as Qt does for a slot."""
    sys.excepthook(type(exc), exc, exc.__traceback__)


def assert_absent(text: str, *private: str) -> None:
    folded = text.casefold()
    found = [item for item in private if item.casefold() in folded]
    assert not found, f"{found} in the log:\n{text}"


def damage(db: Path, table: str) -> None:
    """The table is missing (a damaged or foreign database): every query on it fails."""
    with closing(sqlite3.connect(db)) as connection:
        connection.execute(f"ALTER TABLE {table} RENAME TO {table}_lost")
        connection.commit()


def test_an_integrity_error_while_registering_a_patient_logs_no_patient_data(
        qtbot, ui_ctx, tmp_path, monkeypatch, capsys):
    log = install_handler(tmp_path, monkeypatch, capsys)
    patients.register_patient(ui_ctx, form=patient_form(mrn=MRN))
    # the check before saving misses the MRN (another workstation took it a moment earlier)
    monkeypatch.setattr("clinic_app.services.patients._registration._refuse_used_mrn",
                        lambda *_args, **_kwargs: None)
    with pytest.raises(IntegrityError) as caught:
        patients.register_patient(ui_ctx, form=patient_form(
            mrn=MRN, family_name=NAME[0], given_names=NAME[1], date_of_birth=BORN,
            sex="female"))
    report(caught.value)
    written = log.written()
    assert "sqlalchemy.exc.IntegrityError (INSERT patients" in written
    assert "_registration.py" in written and "in register_patient" in written
    assert_absent(written, *NAME, *NAME_FOLDED, BORN, MRN)


def test_a_clash_while_adding_a_nurse_account_logs_no_password_or_hash(
        qtbot, ui_ctx, ui_nurse, tmp_path, monkeypatch, capsys):
    log = install_handler(tmp_path, monkeypatch, capsys)
    # the user name check misses the account (another workstation made it a moment earlier)
    monkeypatch.setattr(NurseRepository, "get_by_username", lambda _self, _name: None)
    with pytest.raises(IntegrityError) as caught:
        accounts.create_nurse(ui_ctx, username=ui_nurse.username, display_name=" ".join(NAME),
                              secret=PASSWORD, pin=PIN)
    report(caught.value)
    written = log.written()
    assert "sqlalchemy.exc.IntegrityError (INSERT nurses" in written
    assert "in create_nurse" in written
    assert_absent(written, "$argon2", PASSWORD, PIN, *NAME, *NAME_FOLDED)


def test_a_sign_in_failing_on_a_damaged_database_logs_no_typed_secret(
        qtbot, app_state, ui_db_path, tmp_path, monkeypatch, capsys):
    dialog = SignInDialog(app_state)
    qtbot.addWidget(dialog)
    log = install_handler(tmp_path, monkeypatch, capsys)
    damage(ui_db_path, "nurses")
    dialog.username.setText(PASSWORD)  # the password typed in the user name box
    dialog.secret.setText(PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert log.shown, "the slot's error reached the handler"
    written = log.written()
    assert "sqlalchemy.exc.OperationalError (SELECT nurses)" in written
    assert "raised from sqlite3.OperationalError (SQLITE_ERROR)" in written
    assert "sign_in_dialog.py" in written and "in submit" in written
    assert_absent(written, PASSWORD)


class NoNavigation:
    """The search widget's navigator; nothing is opened in this test."""

    def open_chart(self, patient_id: int) -> None:
        raise AssertionError("nothing is opened")


def test_a_search_failing_on_a_damaged_database_logs_no_search_text(
        qtbot, app_state, ui_db_path, tmp_path, monkeypatch, capsys):
    widget = PatientSearchWidget(app_state, NoNavigation())
    qtbot.addWidget(widget)
    log = install_handler(tmp_path, monkeypatch, capsys)
    damage(ui_db_path, "patients")
    widget.box.setText(f"{NAME[0]} {NAME[1][:4]}")  # searched when the typing pauses
    qtbot.waitUntil(lambda: bool(log.shown))
    written = log.written()
    assert "sqlalchemy.exc.OperationalError (SELECT patients" in written
    assert "search_view.py" in written and "in run_search" in written
    assert_absent(written, NAME[0], NAME_FOLDED[0], NAME[1][:4], NAME_FOLDED[1][:4])


def test_an_error_raised_in_a_slot_shows_the_patients_name_but_never_logs_it(
        qtbot, tmp_path, monkeypatch, capsys):
    button = QPushButton("Print the chart")
    qtbot.addWidget(button)

    def print_chart() -> None:
        raise RuntimeError(f"The chart of {NAME[1]} {NAME[0]} ({MRN}, born {BORN}) could not "
                           "be printed")

    button.clicked.connect(print_chart)
    log = install_handler(tmp_path, monkeypatch, capsys)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    shown, = log.shown
    assert NAME[0] in shown  # the nurse sees what failed
    written = log.written()
    assert "\nRuntimeError\n" in written
    assert "test_error_log_privacy.py" in written and "in print_chart" in written
    assert_absent(written, *NAME, MRN, BORN)
