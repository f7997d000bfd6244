"""A patient's chart and a course follow another workstation's changes (issue 14): on screen
within 2 seconds, or, for one in a hidden tab, as soon as it is shown again.

Workstation A is this process's chart or course of a demo patient (SQLite) with its
:class:`LiveUpdates` timer; workstation B is another engine on the same file, Magdalena
Kowalska signed in, weighing the patient or recording that he did not attend.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from live_workstation import workstation_b as other_workstation

from clinic_app.services import clinic_day, courses
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients import record_weight
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.course_view import CourseWidget
from clinic_app.ui.live_updates import LiveUpdates
from clinic_app.ui.patients.chart_view import PatientChartWidget

pytestmark = pytest.mark.gui

WITHIN_MS = 2000


class _NoNavigation:
    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"nothing should be opened ({name})")


@pytest.fixture
def workstation_b(demo_state: AppState, fake_clock) -> Iterator[ServiceContext]:
    with other_workstation(str(demo_state.ctx.session_factory.kw["bind"].url), fake_clock) as ctx:
        yield ctx


@pytest.fixture
def chart(qtbot, demo_state: AppState) -> Iterator[PatientChartWidget]:
    """The chart of the first patient on the demo day, listening every 200 ms."""
    day = demo_state.ctx.local_now().date()
    patient_id = clinic_day.clinic_day(demo_state.ctx, day=day)[0].patient.id
    widget = PatientChartWidget(demo_state, _NoNavigation(), patient_id)  # type: ignore[arg-type]
    live = LiveUpdates(demo_state, interval_ms=200, parent=widget)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    live.stop()


def _weights(chart: PatientChartWidget) -> int:
    assert chart.chart is not None
    return len(chart.chart.weights)


def test_a_weight_recorded_on_another_workstation_appears_on_the_open_chart(
    qtbot, chart: PatientChartWidget, workstation_b: ServiceContext
) -> None:
    before = _weights(chart)
    record_weight(workstation_b, patient_id=chart.patient_id, weight="70.5")
    qtbot.waitUntil(lambda: _weights(chart) == before + 1, timeout=WITHIN_MS)
    assert chart.pages.weights.table.table.model().rowCount() == before + 1


def test_a_hidden_chart_reads_the_change_only_when_shown_again(
    qtbot, chart: PatientChartWidget, workstation_b: ServiceContext
) -> None:
    before = _weights(chart)
    chart.hide()
    record_weight(workstation_b, patient_id=chart.patient_id, weight="70.5")
    qtbot.wait(600)  # three polls
    assert _weights(chart) == before
    chart.show()
    assert _weights(chart) == before + 1


def test_a_did_not_attend_recorded_elsewhere_appears_on_the_open_course(
    qtbot, demo_state: AppState, workstation_b: ServiceContext
) -> None:
    day = demo_state.ctx.local_now().date()
    row = next(
        r
        for r in clinic_day.clinic_day(demo_state.ctx, day=day)
        if r.patient.display_name == "ŻÓŁĆ, Łukasz"
    )
    widget = CourseWidget(demo_state, _NoNavigation(), row.course_id)  # type: ignore[arg-type]
    live = LiveUpdates(demo_state, interval_ms=200, parent=widget)
    qtbot.addWidget(widget)
    widget.show()

    def status() -> str:
        assert widget.detail is not None
        dose = next(a for a in widget.detail.appointments if a.id == row.appointment_id)
        return str(dose.status)

    assert status() == "booked"
    courses.mark_did_not_attend(workstation_b, appointment_id=row.appointment_id)
    qtbot.waitUntil(lambda: status() == "missed", timeout=WITHIN_MS)
    live.stop()
