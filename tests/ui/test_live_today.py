"""Several workstations, one database: the Today board follows the others live (issue 14).

Workstation A is this process's offscreen Today screen over a copy of the demo day (SQLite),
with its :class:`LiveUpdates` timer; workstation B is another engine on the same file, in this
process or (the real case) a separate program, ``live_workstation.py``, acting through the
services. Each change must appear on A within 2 seconds, without anyone pressing anything.
The same with two programs on PostgreSQL (LISTEN/NOTIFY) when ``CLINIC_APP_TEST_PG_URL`` names
a scratch database (wiped by the test). The measured times are printed (``pytest -s``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clinic_testing import WARSAW, patient_form
from live_workstation import open_visit_acknowledging
from live_workstation import workstation_b as other_workstation
from sqlalchemy import text

from clinic_app.config import normalise_database_url
from clinic_app.domain.settings import load_settings
from clinic_app.services import accounts
from clinic_app.services.context import ServiceContext
from clinic_app.services.demo import DEMO_PASSWORD
from clinic_app.services.patients import register_patient
from clinic_app.storage import ensure_database, make_engine, make_session_factory
from clinic_app.ui.app_state import AppState
from clinic_app.ui.live_updates import LiveUpdates
from clinic_app.ui.today.today_model import NEXT_DUE_COLUMN, STATUS_COLUMN
from clinic_app.ui.today.today_screen import TodayScreen

pytestmark = pytest.mark.gui

TESTS = Path(__file__).resolve().parent.parent
PG_URL = os.environ.get("CLINIC_APP_TEST_PG_URL", "")
needs_postgres = pytest.mark.skipif(not PG_URL, reason="CLINIC_APP_TEST_PG_URL is not set")
PROPAGATION_LIMIT_S = 2.0


def _database(state: AppState) -> Path:
    return Path(state.ctx.session_factory.kw["bind"].url.database)


@pytest.fixture
def today(qtbot, demo_state: AppState) -> Iterator[TodayScreen]:
    """Workstation A: the Today screen, listening every 200 ms (the window: every second)."""
    screen = TodayScreen(demo_state, _NoNavigation())  # type: ignore[arg-type]
    live = LiveUpdates(demo_state, interval_ms=200, parent=screen)
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    yield screen
    live.stop()


class _NoNavigation:
    def __getattr__(self, name: str) -> object:
        raise AssertionError(f"nothing should be opened ({name})")


@pytest.fixture
def workstation_b(demo_state: AppState, fake_clock) -> Iterator[ServiceContext]:
    """Workstation B in this process: its own engine, Magdalena Kowalska signed in."""
    with other_workstation(f"sqlite:///{_database(demo_state)}", fake_clock) as ctx:
        yield ctx


def _row(screen: TodayScreen, name: str) -> int:
    model = screen.model
    for n in range(model.rowCount()):
        if model.data(model.index(n, 2)) == name:
            return n
    raise AssertionError(f"{name} is not on the day list")


def _cell(screen: TodayScreen, name: str, column: int) -> str:
    return str(screen.model.data(screen.model.index(_row(screen, name), column)))


def test_a_visit_opened_on_another_workstation_shows_without_losing_the_selection_or_scroll(
    qtbot, today: TodayScreen, workstation_b: ServiceContext
) -> None:
    today.resize(1366, 260)  # a short window: the list scrolls
    qtbot.waitUntil(lambda: today.table.verticalScrollBar().maximum() > 0)
    lukasz = _row(today, "ŻÓŁĆ, Łukasz")
    today.table.selectRow(lukasz)
    today.table.verticalScrollBar().setValue(today.table.verticalScrollBar().maximum())
    scrolled = today.table.verticalScrollBar().value()
    zoe = today.model.row_at(_row(today, "BRONTË, Zoë")).appointment_id
    open_visit_acknowledging(workstation_b, zoe)
    qtbot.waitUntil(
        lambda: _cell(today, "BRONTË, Zoë", STATUS_COLUMN) != "Booked",
        timeout=int(PROPAGATION_LIMIT_S * 1000),
    )
    selected = today.selected_row()
    assert selected is not None and selected.patient.display_name == "ŻÓŁĆ, Łukasz"
    assert today.table.verticalScrollBar().value() == scrolled


def test_this_workstations_own_change_is_not_read_twice(
    qtbot, today: TodayScreen, demo_state: AppState, monkeypatch
) -> None:
    zoe = today.model.row_at(_row(today, "BRONTË, Zoë")).appointment_id
    open_visit_acknowledging(demo_state.ctx, zoe)
    demo_state.announce("appointment", zoe)  # as the screen that opened it does
    reads: list[object] = []
    monkeypatch.setattr(today, "refresh", lambda: reads.append(1))
    qtbot.wait(600)  # three polls
    assert reads == []


def test_the_window_listens_every_second_while_a_nurse_is_signed_in(main_window) -> None:
    live = main_window.live
    assert live.timer.isActive() and live.timer.interval() == 1000  # live_update_seconds
    main_window.state.sign_out()
    assert not live.timer.isActive()


def test_the_interval_is_a_clinic_setting_of_at_least_one_second(tmp_path: Path) -> None:
    override = tmp_path / "settings.toml"
    override.write_text("[clinic]\nlive_update_seconds = 3\n", encoding="utf-8")
    assert load_settings(override).clinic.live_update_seconds == 3
    override.write_text("[clinic]\nlive_update_seconds = 0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="live_update_seconds"):
        load_settings(override)


# --- two programs -------------------------------------------------------------------------


def _start_workstation_b(url: str, *actions: str) -> subprocess.Popen[str]:
    """``live_workstation.py`` on ``url`` in a program of its own."""
    paths = [TESTS.parent, TESTS, TESTS / "services"]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(str(p) for p in paths)}
    return subprocess.Popen(
        [sys.executable, str(TESTS / "ui" / "live_workstation.py"), url, *actions],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _go_on(process: subprocess.Popen[str], line: str = "go") -> None:
    assert process.stdin is not None
    process.stdin.write(f"{line}\n")
    process.stdin.flush()


def _committed_at(process: subprocess.Popen[str]) -> float:
    line = process.stdout.readline() if process.stdout else ""
    assert line.startswith("committed "), line + (process.stderr.read() if process.stderr else "")
    return float(line.split()[1])


def _propagation(qtbot, process: subprocess.Popen[str], condition) -> float:
    """Seconds from workstation B's commit to the change on workstation A's screen, the
    condition asked as often as the event loop runs (B prints the time just after its commit
    returns, so a change seen at once may read a few milliseconds below zero)."""
    seen: list[float] = []

    def check() -> bool:
        if not seen and condition():
            seen.append(time.time())
        failed = process.poll() not in (None, 0)
        assert not failed, process.stderr.read() if process.stderr else "workstation B failed"
        return bool(seen)

    qtbot.waitUntil(check, timeout=15_000)  # the other program takes a while to start
    return seen[0] - _committed_at(process)


def test_another_program_opening_a_visit_and_recording_vitals_shows_within_two_seconds(
    qtbot, today: TodayScreen, demo_state: AppState
) -> None:
    zoe = today.model.row_at(_row(today, "BRONTË, Zoë")).appointment_id
    chloe = today.model.row_at(_row(today, "LEFÈVRE, Chloé"))
    assert chloe.status == "observation"
    assert _cell(today, "LEFÈVRE, Chloé", NEXT_DUE_COLUMN).startswith("09:50 Vitals")
    url = str(demo_state.ctx.session_factory.kw["bind"].url)
    process = _start_workstation_b(
        url, "open-visit", str(zoe), "vitals", str(chloe.visit_id), "obs.end"
    )
    try:
        opened = _propagation(
            qtbot, process, lambda: _cell(today, "BRONTË, Zoë", STATUS_COLUMN) != "Booked"
        )
        _go_on(process)
        vitals = _propagation(
            qtbot,
            process,
            lambda: not _cell(today, "LEFÈVRE, Chloé", NEXT_DUE_COLUMN).startswith("09:50 Vitals"),
        )
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        process.wait()
    print(f"SQLite propagation: visit opened {opened:.2f} s, vitals {vitals:.2f} s")
    assert opened < PROPAGATION_LIMIT_S
    assert vitals < PROPAGATION_LIMIT_S


# --- two programs on PostgreSQL -------------------------------------------------------------


@pytest.fixture
def pg_state(fake_clock) -> Iterator[tuple[str, AppState, int]]:
    """Workstation A on the wiped scratch PostgreSQL database: Anna Keller signed in, a
    patient registered, Magdalena Kowalska's account for workstation B; (url, state, patient)."""
    url = normalise_database_url(PG_URL)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    ensure_database(url)
    factory = make_session_factory(engine)
    ctx = ServiceContext(
        session_factory=factory, settings=load_settings(), tz=WARSAW, clock=fake_clock
    )
    anna = accounts.create_nurse(
        ctx,
        username="akeller",
        display_name="Anna Keller",
        secret="correct horse battery",
        pin="2468",
    )
    signed = ctx.as_nurse(anna.id)
    accounts.create_nurse(
        signed,
        username="mkowalska",
        display_name="Magdalena Kowalska",
        secret=DEMO_PASSWORD,
        pin="1357",
    )
    patient = register_patient(signed, form=patient_form())
    state = AppState(ctx)
    state.sign_in(anna, nurse_id=anna.id, display_name=anna.display_name)
    yield url, state, patient.id
    engine.dispose()


@needs_postgres
def test_on_postgresql_another_program_booking_opening_and_recording_shows_within_two_seconds(
    qtbot, pg_state: tuple[str, AppState, int]
) -> None:
    url, state, patient_id = pg_state
    screen = TodayScreen(state, _NoNavigation())  # type: ignore[arg-type]
    live = LiveUpdates(state, parent=screen)  # every second, as in the window
    qtbot.addWidget(screen)
    screen.show()
    assert screen.model.rowCount() == 0
    name = "GARCÍA, José"
    process = _start_workstation_b(
        url, "book", str(patient_id), "open-visit", "-", "vitals", "-", "pre.baseline_vitals"
    )
    try:
        booked = _propagation(qtbot, process, lambda: screen.model.rowCount() == 1)
        row = screen.model.row_at(0)
        assert (row.patient.display_name, row.status) == (name, "booked")
        _go_on(process, str(row.appointment_id))
        opened = _propagation(qtbot, process, lambda: screen.model.row_at(0).status != "booked")
        assert _cell(screen, name, STATUS_COLUMN) == "Arrived"
        _go_on(process, str(screen.model.row_at(0).visit_id))
        vitals = _propagation(  # the baseline vitals start the pre-infusion check
            qtbot, process, lambda: _cell(screen, name, STATUS_COLUMN) == "Pre-check"
        )
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        process.wait()
        live.stop()
    print(
        f"PostgreSQL propagation: booked {booked:.2f} s, visit opened {opened:.2f} s, "
        f"vitals {vitals:.2f} s"
    )
    assert all(s < PROPAGATION_LIMIT_S for s in (booked, opened, vitals))
