"""Issue 15: type-ahead runs its query off the GUI thread and drops results typed over."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import pytest
from PySide6.QtCore import QTimer

from clinic_app.services import patients
from clinic_app.services.patients.dto import PatientForm, PatientSummary
from clinic_app.ui.app_state import AppState
from clinic_app.ui.patients import search_view
from clinic_app.ui.patients.search_view import PatientSearchWidget

pytestmark = pytest.mark.gui


class _Navigator:
    def open_chart(self, patient_id: int) -> None:
        raise AssertionError("not opened here")


def test_typing_fast_shows_only_the_latest_result_and_the_gui_thread_stays_free(
    qtbot: Any, app_state: AppState, monkeypatch: pytest.MonkeyPatch
) -> None:
    for mrn, family in (("MRN-1", "Zola"), ("MRN-2", "Zorro"), ("MRN-3", "Adams")):
        patients.register_patient(
            app_state.ctx,
            form=PatientForm(
                mrn=mrn,
                family_name=family,
                given_names="Ann",
                date_of_birth="1980-01-01",
                sex="female",
            ),
        )
    slow_query = threading.Event()
    gui = threading.get_ident()
    threads: list[int] = []
    search = patients.search_patients

    def slow_for_z(ctx: Any, *, text: str, limit: int, offset: int) -> Sequence[PatientSummary]:
        threads.append(threading.get_ident())
        if text == "Z":  # a slow query on a large database
            assert slow_query.wait(10), "the test never let the slow query finish"
        return search(ctx, text=text, limit=limit, offset=offset)

    monkeypatch.setattr(search_view.patients, "search_patients", slow_for_z)
    widget = PatientSearchWidget(app_state, _Navigator())  # type: ignore[arg-type]  # the first list: on this thread
    qtbot.addWidget(widget)
    widget.show()
    threads.clear()
    widget.box.setText("Z")
    widget.search_in_background()  # "Z" now waits in the worker
    qtbot.waitUntil(lambda: len(threads) == 1)
    ticks: list[int] = []  # the event loop keeps running while the query waits
    timer = QTimer(widget)
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(5)
    widget.box.setText("Zor")
    widget.search_in_background()
    qtbot.waitUntil(lambda: widget.model.text == "Zor")
    assert [widget.model.index(r, 1).data() for r in range(widget.model.rowCount())] == [
        "ZORRO, Ann"
    ]
    assert len(ticks) >= 2
    slow_query.set()  # the stale "Z" result arrives late ...
    qtbot.wait(200)
    assert widget.model.text == "Zor"  # ... and is dropped
    assert "1 patient found for “Zor”" in widget.count_label.text()
    assert threads and gui not in threads  # both queries ran off the GUI thread
