"""The Patients screen: name words with a date of birth, a bad date said so, Tab leaves the
results."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QTableView
from test_patient_search_view import (  # noqa: F401  (fixtures)
    box_of,
    by_name,
    known_patients,
    navigator,
    search,
    shown_names,
    type_chars,
)
from ui_testing import shot

from clinic_app.services import patients
from clinic_app.services.patients import SEARCH_MAX_LENGTH, SEARCH_MAX_WORDS
from clinic_app.services.patients.dto import PatientForm

pytestmark = pytest.mark.gui


def type_search(qtbot, search, text: str) -> None:  # noqa: F811
    box = box_of(search)
    box.clear()
    box.setFocus()
    type_chars(box, text)
    qtbot.waitUntil(lambda: search.model.text == text or search.count_label.text().startswith(
        text.split()[-1]), timeout=2000)


def test_a_name_and_a_date_of_birth_together_find_only_that_patient(
        qtbot, search, ui_ctx):  # noqa: F811
    patients.register_patient(ui_ctx, form=PatientForm(
        mrn="MRN-103", family_name="Żółć", given_names="Ewa", date_of_birth="1986-04-12",
        sex="female"))
    type_search(qtbot, search, "zolc 01.06.1975")
    assert shown_names(search) == ["ŻÓŁĆ, Łukasz"]
    assert "1 patient found" in by_name(search, QLabel, "Patients found").text()
    shot(search, "search_name_date")


def test_a_date_that_is_not_a_date_says_so_in_the_count_line(qtbot, search):  # noqa: F811
    type_search(qtbot, search, "zolc")
    assert shown_names(search)
    type_search(qtbot, search, "31.02.1980")
    label = by_name(search, QLabel, "Patients found").text()
    assert label.startswith("31.02.1980 is not a date")
    assert shown_names(search) == []
    shot(search, "search_bad_date")


def test_a_search_too_long_says_why_in_the_count_line(qtbot, search):  # noqa: F811
    type_search(qtbot, search, "zolc")
    assert shown_names(search)
    box, label = box_of(search), by_name(search, QLabel, "Patients found")
    box.clear()
    type_chars(box, " ".join(["ab"] * (SEARCH_MAX_WORDS + 1)))
    qtbot.waitUntil(lambda: label.text().startswith("Search with"), timeout=2000)
    assert label.text() == (f"Search with at most {SEARCH_MAX_WORDS} words of a name or an MRN: "
                            f"this search has {SEARCH_MAX_WORDS + 1}.")
    assert shown_names(search) == [] and label.isVisible() and label.wordWrap()
    box.setText("a" * 1_000_000)  # pasted: the box keeps what fits, 32767
    qtbot.waitUntil(lambda: "too long" in label.text(), timeout=2000)
    assert label.text() == (f"Search is too long: {box.maxLength()} characters, "
                            f"at most {SEARCH_MAX_LENGTH}.")
    assert label.fontMetrics().boundingRect(label.rect(), Qt.TextFlag.TextWordWrap,
                                            label.text()).width() <= label.width()
    shot(search, "search_too_long")


def test_tab_leaves_the_results_table(search):  # noqa: F811
    table = by_name(search, QTableView, "Search results")
    assert not table.tabKeyNavigation()
