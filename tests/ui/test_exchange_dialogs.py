"""File › Export FHIR… and File › Import patients…, clicked and typed as a nurse would."""

from __future__ import annotations

import pytest
from fhir.resources.R4B.bundle import Bundle
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QRadioButton, QTableWidget
from test_shell import named, type_into
from ui_testing import shot

from clinic_app.services.patients import search_patients
from clinic_app.ui.shell.exchange_dialogs import FhirExportDialog, PatientImportDialog

pytestmark = pytest.mark.gui
GOOD = (
    "MRN;Surname;First name;Date of birth;Sex;Allergies\n"
    "IMP-1;Łukasiewicz;Zoë;1980-05-17;F;Pénicilline\n"
    "IMP-2;Dvořák;Antonín;13/09/1941;M;NKA\n"
)


def _open(qtbot, window, action, kind):
    action.trigger()
    dialog = next(d for d in window.findChildren(kind) if d.isVisible())
    qtbot.waitExposed(dialog)
    return dialog


def test_a_day_of_the_demo_is_exported_as_a_bundle_the_library_reads(qtbot, demo_window, tmp_path):
    dialog = _open(qtbot, demo_window, demo_window.actions_.export_fhir, FhirExportDialog)
    qtbot.mouseClick(named(dialog, QRadioButton, "Everything since"), Qt.MouseButton.LeftButton)
    type_into(qtbot, dialog, "Since", "2026-01-01")
    out = tmp_path / "demo.json"
    type_into(qtbot, dialog, "File", str(out))
    qtbot.mouseClick(named(dialog, QPushButton, "Export"), Qt.MouseButton.LeftButton)
    summary = named(dialog, QLabel, "Export FHIR summary")
    qtbot.waitUntil(lambda: summary.text() == f"Exported to {out}.", timeout=20000)
    bundle = Bundle.model_validate_json(out.read_text(encoding="utf-8"))
    kinds = {e.resource.get_resource_type() for e in bundle.entry}
    assert {"Patient", "Practitioner", "Observation", "MedicationAdministration"} <= kinds
    shot(dialog, "export_fhir")


def test_a_bad_day_is_said_on_the_dialog(qtbot, demo_window, tmp_path):
    dialog = _open(qtbot, demo_window, demo_window.actions_.export_fhir, FhirExportDialog)
    qtbot.mouseClick(named(dialog, QRadioButton, "One day"), Qt.MouseButton.LeftButton)
    type_into(qtbot, dialog, "Day", "2/3/2026")
    type_into(qtbot, dialog, "File", str(tmp_path / "x.json"))
    qtbot.mouseClick(named(dialog, QPushButton, "Export"), Qt.MouseButton.LeftButton)
    summary = named(dialog, QLabel, "Export FHIR summary")
    assert "Day: type the day as YYYY-MM-DD." in summary.text()
    assert summary.accessibleName().startswith("Export FHIR summary")
    assert not (tmp_path / "x.json").exists()


def test_a_patient_list_is_checked_previewed_then_imported(qtbot, app_state, tmp_path):
    source = tmp_path / "list.csv"
    source.write_bytes(b"\xef\xbb\xbf" + GOOD.encode())
    dialog = PatientImportDialog(app_state)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog, "CSV file", str(source))
    import_button = named(dialog, QPushButton, "Import")
    assert not import_button.isEnabled()
    qtbot.mouseClick(named(dialog, QPushButton, "Check"), Qt.MouseButton.LeftButton)
    table = named(dialog, QTableWidget, "Patients to import")
    assert [table.item(r, 2).text() for r in range(table.rowCount())] == ["Łukasiewicz", "Dvořák"]
    assert table.item(1, 6).text() == "No known allergies"
    shot(dialog, "import_patients_preview")
    assert search_patients(app_state.ctx, text="IMP-1") == ()
    qtbot.mouseClick(import_button, Qt.MouseButton.LeftButton)
    summary = named(dialog, QLabel, "Import summary")
    qtbot.waitUntil(lambda: summary.text() == "Imported 2 patient(s).", timeout=10000)
    assert not import_button.isEnabled()
    assert len(search_patients(app_state.ctx, text="IMP-1")) == 1


def test_an_ambiguous_date_keeps_import_off_until_the_order_is_chosen(qtbot, app_state, tmp_path):
    source = tmp_path / "list.csv"
    source.write_text(GOOD + "IMP-3;Novak;Eva;03/04/1980;F;\n", encoding="utf-8")
    dialog = PatientImportDialog(app_state)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog, "CSV file", str(source))
    check = named(dialog, QPushButton, "Check")
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert (
        "line 4: Date of birth '03/04/1980' could be day first"
        in named(dialog, QLabel, "Import summary").text()
    )
    assert not named(dialog, QPushButton, "Import").isEnabled()
    assert "line 4" in (tmp_path / "list.csv.problems.txt").read_text(encoding="utf-8")
    named(dialog, QComboBox, "Date order").setCurrentIndex(1)  # day first
    qtbot.mouseClick(check, Qt.MouseButton.LeftButton)
    assert named(dialog, QPushButton, "Import").isEnabled()


def test_many_bad_rows_show_the_first_and_save_them_all(qtbot, app_state, tmp_path):
    source = tmp_path / "many.csv"
    rows = "".join(f"BAD {i}!;Name;Eva;1980-01-01;F;\n" for i in range(30))
    source.write_text("MRN;Surname;First name;DOB;Sex;Allergies\n" + rows, encoding="utf-8")
    dialog = PatientImportDialog(app_state)
    qtbot.addWidget(dialog)
    dialog.show()
    type_into(qtbot, dialog, "CSV file", str(source))
    qtbot.mouseClick(named(dialog, QPushButton, "Check"), Qt.MouseButton.LeftButton)
    text = named(dialog, QLabel, "Import summary").text()
    assert "… and 22 more." in text and "line 31" not in text
    saved = (tmp_path / "many.csv.problems.txt").read_text(encoding="utf-8")
    assert "line 31: MRN 'BAD29!'" in saved
