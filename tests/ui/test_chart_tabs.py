"""Patient tabs carry name and MRN, warn about a look-alike open chart and ask before a tenth
record tab opens (issue 12; pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from clinic_app.domain.look_alike import MAX_OPEN_TABS
from clinic_app.services import patients
from clinic_app.services.patients.dto import PatientForm

pytestmark = pytest.mark.gui


def register(ctx, mrn: str, family: str, given: str, born: str = "1980-02-29") -> int:
    form = PatientForm(mrn=mrn, family_name=family, given_names=given, date_of_birth=born,
                       sex="female")
    return patients.register_patient(ctx, form=form).id


def test_a_chart_tab_reads_name_and_mrn_and_elides_with_the_whole_title_in_its_tip(
        main_window, ui_ctx):
    main_window.open_chart(register(ui_ctx, "MRN-7", "Kowalska-Wiśniewska", "Anna Maria"))
    tabs = main_window.tabs
    index = tabs.currentIndex()
    assert tabs.tabText(index) == "KOWALSKA-WIŚNIEWSKA, Anna Maria (MRN-7)"
    assert tabs.tabToolTip(index) == tabs.tabText(index)
    assert tabs.elideMode() == Qt.TextElideMode.ElideRight


def test_opening_a_chart_like_an_open_one_warns_on_the_new_chart(main_window, ui_ctx):
    first = register(ui_ctx, "MRN-1", "Nowak", "Anna", "1970-01-01")
    other = register(ui_ctx, "MRN-2", "NOWAK", "Ewa", "1991-05-05")
    unrelated = register(ui_ctx, "MRN-3", "García", "José", "1960-03-03")
    main_window.open_chart(first)
    main_window.open_chart(unrelated)
    assert main_window.tabs.currentWidget().notice.text() == ""
    main_window.open_chart(other)
    notice = main_window.tabs.currentWidget().notice.text()
    assert notice.startswith("Another open chart has a similar name: NOWAK, Anna")
    assert "García" not in notice


def test_opening_a_tenth_record_tab_asks_first(main_window, ui_ctx, monkeypatch):
    asked: list[int] = []
    answer = [False]

    def confirm(open_records: int) -> bool:
        asked.append(open_records)
        return answer[0]

    monkeypatch.setattr(main_window, "confirm_many_tabs", confirm)
    ids = [register(ui_ctx, f"MRN-{n}", f"Family{chr(65 + n)}", "Given", f"19{50 + n}-01-01")
           for n in range(MAX_OPEN_TABS)]
    for patient_id in ids[:MAX_OPEN_TABS - 1]:
        main_window.open_chart(patient_id)
    assert asked == [] and main_window.tabs.count() == 2 + MAX_OPEN_TABS - 1
    main_window.open_chart(ids[-1])
    assert asked == [MAX_OPEN_TABS - 1] and main_window.tabs.count() == 2 + MAX_OPEN_TABS - 1
    main_window.open_chart(ids[0])  # an open chart is only shown again: nothing to ask
    assert len(asked) == 1
    answer[0] = True
    main_window.open_chart(ids[-1])
    assert main_window.tabs.count() == 2 + MAX_OPEN_TABS
