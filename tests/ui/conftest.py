"""Shared fixtures for the GUI tests (pytest-qt, offscreen).

- ``fake_clock``: a :class:`FakeClock` at Monday 2026-03-02 08:30 UTC (09:30 in Warsaw); move it
  with ``fake_clock.advance(minutes=...)`` / ``fake_clock.set(when)``.
- ``ui_db_path``: the SQLite file (in ``tmp_path``) every context below works on: a copy of a
  migrated template made once per session (with Anna Keller's account when the test uses her).
- ``blank_ui_ctx``: a context over the migrated database with no nurse account, nobody signed in
  (for the first-run dialog).
- ``ui_nurse``: the nurse account Anna Keller (user ``akeller``, PIN ``2468``, password
  ``correct horse battery``).
- ``ui_ctx``: the context signed in as ``ui_nurse``.
- ``app_state``: an :class:`AppState` over ``ui_ctx`` with Anna Keller signed in.
- ``ui_settings``: a :class:`QSettings` in an INI file under ``tmp_path`` (never the user's own).
- ``main_window``: the shell's main window over ``app_state``, shown, 1366x768.
- ``demo_state``: an :class:`AppState` over a copy of the demo database (seeded once per test
  session at ``T0`` with ``services.demo.seed_demo``), the demo nurse signed in, ``demo=True``.
- ``demo_window``: the main window over ``demo_state``, shown, 1366x768.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from clinic_testing import (
    CLINIC_NAME,
    CLINIC_PHONE,
    T0,
    WARSAW,
    FakeClock,
    copy_database,
    open_context,
)
from PySide6.QtCore import QSettings
from sqlalchemy.orm import Session, sessionmaker

from clinic_app.config import sqlite_url_for
from clinic_app.domain.settings import load_settings
from clinic_app.services import accounts
from clinic_app.services.context import ServiceContext
from clinic_app.services.demo import DEMO_NURSES, DEMO_PASSWORD, seed_demo
from clinic_app.storage import ensure_database, make_engine, make_session_factory
from clinic_app.ui.app_state import AppState


@dataclass(frozen=True)
class UiNurse:
    """A nurse account made by the fixtures, with its secrets in clear for sign-in tests."""

    id: int
    username: str
    display_name: str
    pin: str
    password: str


@pytest.fixture
def fake_clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def blank_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated database with no account, made once per test session (copied per test)."""
    path = tmp_path_factory.mktemp("blank_template") / "clinic.sqlite3"
    ensure_database(sqlite_url_for(path))
    return path


@pytest.fixture(scope="session")
def nurse_db_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, UiNurse]:
    """A migrated database holding Anna Keller's account, made once per test session.

    The account goes through the auth service, as the first-run dialog makes it; copying the
    file per test saves migrating and hashing the secrets in every test.
    """
    path = tmp_path_factory.mktemp("nurse_template") / "clinic.sqlite3"
    ctx, engine = open_context(path, FakeClock())
    nurse = accounts.create_nurse(ctx, username="akeller", display_name="Anna Keller",
                              secret="correct horse battery", pin="2468")
    engine.dispose()
    return path, UiNurse(nurse.id, nurse.username, nurse.display_name, "2468",
                         "correct horse battery")


@pytest.fixture
def ui_db_path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A fresh copy of a template: with Anna Keller's account when the test asks for her."""
    if "ui_nurse" in request.fixturenames:
        template, _nurse = request.getfixturevalue("nurse_db_template")
    else:
        template = request.getfixturevalue("blank_db_template")
    return copy_database(template, tmp_path / "db")


@pytest.fixture
def ui_session_factory(ui_db_path: Path) -> Iterator[sessionmaker[Session]]:
    engine = make_engine(sqlite_url_for(ui_db_path))
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def blank_ui_ctx(
    ui_session_factory: sessionmaker[Session], fake_clock: FakeClock
) -> ServiceContext:
    """No nurse account yet (unless the test also asks for ``ui_nurse``), nobody signed in."""
    return ServiceContext(session_factory=ui_session_factory, settings=load_settings(),
                          tz=WARSAW, clock=fake_clock, clinic_name=CLINIC_NAME,
                          clinic_phone=CLINIC_PHONE)


@pytest.fixture
def ui_nurse(nurse_db_template: tuple[Path, UiNurse], blank_ui_ctx: ServiceContext) -> UiNurse:
    """Anna Keller's account, already in the copied database (see ``nurse_db_template``)."""
    return nurse_db_template[1]


@pytest.fixture
def ui_ctx(blank_ui_ctx: ServiceContext, ui_nurse: UiNurse) -> ServiceContext:
    """Signed in as Anna Keller."""
    return blank_ui_ctx.as_nurse(ui_nurse.id)


@pytest.fixture
def app_state(blank_ui_ctx: ServiceContext, ui_nurse: UiNurse) -> AppState:
    """Anna Keller signed in (``app_state.ctx`` is signed as her)."""
    state = AppState(blank_ui_ctx)
    nurse = accounts.sign_in(blank_ui_ctx, username=ui_nurse.username, secret=ui_nurse.password)
    state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
    return state


@pytest.fixture(scope="session")
def demo_db_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo database seeded once at ``T0`` (copied for each test that uses it)."""
    path = tmp_path_factory.mktemp("demo_template") / "demo.sqlite3"
    ctx, engine = open_context(path, FakeClock())
    seed_demo(ctx, today=T0.astimezone(WARSAW).date())
    engine.dispose()
    return path


@pytest.fixture
def demo_state(demo_db_template: Path, tmp_path: Path,
               fake_clock: FakeClock) -> Iterator[AppState]:
    """The demo day at ``T0`` with the demo nurse signed in (``fake_clock`` moves it on)."""
    ctx, engine = open_context(copy_database(demo_db_template, tmp_path / "demo"), fake_clock)
    state = AppState(ctx, demo=True)
    nurse = accounts.sign_in(ctx, username=DEMO_NURSES[0][0], secret=DEMO_PASSWORD)
    state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
    yield state
    engine.dispose()


@pytest.fixture
def ui_settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "clinic_app_ui.ini"), QSettings.Format.IniFormat)


def _shown_window(qtbot: Any, state: AppState, settings: QSettings, label: str) -> Any:
    from clinic_app.ui.shell.main_window import MainWindow

    window = MainWindow(state, settings=settings, database_label=label)
    if state.nurse is not None:  # the fixtures signed in with the password
        window.remember_password_sign_in(getattr(state.nurse, "username", ""))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def main_window(qtbot: Any, app_state: AppState, ui_settings: QSettings, ui_db_path: Path) -> Any:
    """The main window, signed in as Anna Keller, shown at 1366x768."""
    return _shown_window(qtbot, app_state, ui_settings, str(ui_db_path))


@pytest.fixture
def demo_window(qtbot: Any, demo_state: AppState, ui_settings: QSettings) -> Any:
    """The main window over the demo day, signed in as the demo nurse, shown at 1366x768."""
    return _shown_window(qtbot, demo_state, ui_settings, "demo.sqlite3")


@pytest.fixture(autouse=True)
def _discard_without_asking(monkeypatch: pytest.MonkeyPatch) -> None:
    """Closing typed work at a test's end (pytest-qt closes its widgets) must not block on the
    "Discard the unsaved ...?" question: answer Discard. Tests of the question patch it again."""
    from clinic_app.ui import unsaved
    from clinic_app.ui.shell import main_window, tabs

    for module in (unsaved, tabs, main_window):
        monkeypatch.setattr(module, "confirm_discard", lambda _parent, _what: True)
