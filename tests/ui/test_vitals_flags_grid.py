"""High blood pressure and a low respiratory rate in the visit's vitals grid (issue 10): the
service's flags show in the row and point at their cells; nothing is restyled."""

from __future__ import annotations

import pytest
from test_visit import Booking, book_infliximab, enter_vitals, open_visit_widget, started
from ui_testing import shot

pytestmark = pytest.mark.gui
FLAGGED = "B00020"


@pytest.fixture
def booking(ui_ctx) -> Booking:
    return book_infliximab(ui_ctx)


def test_200_over_120_and_8_breaths_are_flagged_in_their_row_and_cells(
        qtbot, app_state, booking):
    widget = open_visit_widget(qtbot, app_state, booking)
    started(qtbot, widget)
    enter_vitals(qtbot, widget, "vitals.t0", ("200", "120", "80", "36.7", "8", "97"))
    row = widget.view.vitals.rows["vitals.t0"]
    text = row.flags.text()
    assert "Systolic blood pressure 200 mmHg is at or above 180 mmHg" in text
    assert "Diastolic blood pressure 120 mmHg is at or above 110 mmHg" in text
    assert "Respiratory rate 8/min is under 10/min" in text
    for field in ("systolic", "diastolic", "respiratory_rate"):
        assert FLAGGED in row.inputs[field].styleSheet(), field
    for field in ("heart_rate", "temperature", "spo2"):
        assert FLAGGED not in row.inputs[field].styleSheet(), field
    shot(widget, "visit_vitals_high_bp_low_rr")
