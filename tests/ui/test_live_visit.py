"""A visit screen follows another workstation's changes, but never redraws under the nurse's
hands: with something typed and unsaved it says "Changed by <nurse> at <time>. Reload" (issue 14).

Workstation A is this process's visit screen (Chloé Lefèvre in observation on the demo day,
SQLite) with its :class:`LiveUpdates` timer; workstation B is another engine on the same file,
Magdalena Kowalska signed in, recording the end-of-observation vitals at 09:50 (when due).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from clinic_testing import T0, WARSAW, FakeClock
from live_workstation import open_visit_acknowledging
from live_workstation import workstation_b as other_workstation
from PySide6.QtCore import Qt

from clinic_app.services import clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.visits import record_vitals
from clinic_app.ui.app_state import AppState
from clinic_app.ui.live_updates import LiveUpdates
from clinic_app.ui.visit.visit_view import VisitWidget
from clinic_app.ui.visit.vitals_grid import NEW_KEY

pytestmark = pytest.mark.gui

VITALS = {
    "systolic": "120",
    "diastolic": "80",
    "heart_rate": "70",
    "temperature": "36.6",
    "respiratory_rate": "14",
    "spo2": "98",
}
WITHIN_MS = 2000


class _NoNavigation:
    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"nothing should be opened ({name})")


def _day(state: AppState) -> dict[str, tuple[int, int | None]]:
    """Patient name -> (appointment id, visit id) on the demo day."""
    rows = clinic_day.clinic_day(state.ctx, day=T0.astimezone(WARSAW).date())
    return {r.patient.display_name: (r.appointment_id, r.visit_id) for r in rows}


@pytest.fixture
def workstation_b(demo_state: AppState) -> Iterator[ServiceContext]:
    """Workstation B: its own engine on the same file, its clock at 09:50 in Warsaw."""
    url = str(demo_state.ctx.session_factory.kw["bind"].url)
    with other_workstation(url, FakeClock(T0 + timedelta(minutes=20))) as ctx:
        yield ctx


@pytest.fixture
def visit(qtbot, demo_state: AppState) -> Iterator[VisitWidget]:
    """Chloé Lefèvre's visit on workstation A, listening every 200 ms."""
    visit_id = _day(demo_state)["LEFÈVRE, Chloé"][1]
    assert visit_id is not None
    widget = VisitWidget(demo_state, _NoNavigation(), visit_id)  # type: ignore[arg-type]
    live = LiveUpdates(demo_state, interval_ms=200, parent=widget)
    qtbot.addWidget(widget)
    widget.resize(1366, 768)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    live.stop()


def _end_vitals_done(widget: VisitWidget) -> bool:
    assert widget.detail is not None
    return widget.detail.checklist.of("obs.end").state.value == "done"


def _record_end_vitals(ctx: ServiceContext, widget: VisitWidget) -> None:
    record_vitals(ctx, visit_id=widget.visit_id, item_key="obs.end", **VITALS)


def test_with_nothing_typed_the_other_workstations_vitals_appear_on_their_own(
    qtbot, visit: VisitWidget, workstation_b: ServiceContext
) -> None:
    assert not _end_vitals_done(visit)
    _record_end_vitals(workstation_b, visit)
    qtbot.waitUntil(lambda: _end_vitals_done(visit), timeout=WITHIN_MS)
    assert not visit.changed_banner.isVisible()


def test_with_vitals_typed_and_unsaved_a_banner_names_the_nurse_and_time_instead(
    qtbot, visit: VisitWidget, workstation_b: ServiceContext
) -> None:
    typed = visit.view.vitals.rows[NEW_KEY].inputs["systolic"]
    qtbot.keyClicks(typed, "118")
    _record_end_vitals(workstation_b, visit)
    banner = visit.changed_banner
    qtbot.waitUntil(banner.isVisible, timeout=WITHIN_MS)
    assert banner.text.text().startswith("Changed by Magdalena Kowalska at 09:50.")
    assert banner.text.accessibleName().startswith("Changed on another workstation: Changed by")
    assert not _end_vitals_done(visit)  # not redrawn under her hands
    assert typed.text() == "118"
    qtbot.mouseClick(banner.reload, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    assert _end_vitals_done(visit)
    assert visit.view.vitals.rows[NEW_KEY].inputs["systolic"].text() == "118"  # still there


def test_a_change_to_another_patient_leaves_the_visit_alone(
    qtbot, visit: VisitWidget, workstation_b: ServiceContext, demo_state: AppState
) -> None:
    qtbot.keyClicks(visit.view.vitals.rows[NEW_KEY].inputs["systolic"], "118")
    shown = visit.detail
    zoe = _day(demo_state)["BRONTË, Zoë"][0]
    open_visit_acknowledging(workstation_b, zoe)
    qtbot.wait(800)  # several polls
    assert not visit.changed_banner.isVisible()
    assert visit.detail is shown
