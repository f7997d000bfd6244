"""Issue 15: every page of the database is read in the background once the window is shown,
not before it; damage found there stops the clinic as damage found at start does (issue 11)."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from clinic_testing import copy_database, damage_deep_page
from PySide6.QtCore import QSettings

from clinic_app import app as gui_app
from clinic_app.bootstrap import close_clinic
from clinic_app.services import accounts
from clinic_app.storage.errors import DatabaseLocked
from clinic_app.ui.app_state import AppState
from clinic_app.ui.shell.main_window import DAMAGED_TITLE, MainWindow
from clinic_app.ui.shell.page_check import CHECKED_MESSAGE, CHECKING_MESSAGE
from clinic_app.ui.workers import Progress

pytestmark = pytest.mark.gui


@pytest.fixture
def clinic_db(nurse_db_template, tmp_path: Path) -> Path:
    """A copy of a clinic's database holding Anna Keller's account."""
    template, _nurse = nurse_db_template
    return copy_database(template, tmp_path / "clinic")


@pytest.fixture
def stops(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    """The damaged-database dialogs shown and the exit asked for, recorded instead."""
    seen: list[tuple[str, str]] = []
    monkeypatch.setattr(
        gui_app.QMessageBox, "critical", lambda _parent, title, text: seen.append((title, text))
    )
    monkeypatch.setattr(
        gui_app.QApplication, "exit", lambda code=0: seen.append(("exit", str(code)))
    )
    return seen


def _no_backup(_progress: Progress) -> str | None:
    return None


def test_damage_deep_in_the_file_opens_the_window_then_stops_the_clinic_loudly(
    qtbot, clinic_db, ui_settings, ui_nurse, stops
):
    state, window = gui_app.build_main_window(["--db", str(clinic_db)], settings=ui_settings)
    qtbot.addWidget(window)
    assert window.daily_backup is not None
    with qtbot.waitSignal(window.daily_backup.made, timeout=10_000):
        pass
    close_clinic(state.ctx)
    (good,) = (clinic_db.parent / "backups").glob("clinic-*.sqlite3")
    damage_deep_page(clinic_db)  # the start check (the roots) passes; every page does not

    state, window = gui_app.build_main_window(["--db", str(clinic_db)], settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    nurse = accounts.sign_in(state.ctx, username=ui_nurse.username, secret=ui_nurse.password)
    state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
    assert not window.is_locked  # the window opened and the nurse signed in
    qtbot.waitUntil(lambda: len(stops) == 2, timeout=10_000)
    (title, text), exit_ = stops
    assert title == DAMAGED_TITLE
    assert f"The database {clinic_db} is damaged" in text
    assert f"clinic-app --db {clinic_db} db restore {good}" in text
    assert "Do not enter anything on this computer" in text
    assert exit_ == ("exit", "1")
    assert window.is_locked and state.nurse is None  # nothing more can be entered
    assert not window.lock_page.sign_in_button.isEnabled()
    assert window.lock_page.title.text() == DAMAGED_TITLE
    assert window.daily_backup is not None and window.daily_backup.attempts == 0  # no backup
    window.ask_who_is_working()
    assert window.active_dialog is None
    close_clinic(state.ctx)


def test_a_whole_database_is_checked_in_the_background_then_backed_up(
    qtbot, clinic_db, ui_settings, stops
):
    state, window = gui_app.build_main_window(["--db", str(clinic_db)], settings=ui_settings)
    qtbot.addWidget(window)
    assert window.page_check is not None and window.daily_backup is not None
    assert window.status.currentMessage() == CHECKING_MESSAGE
    with qtbot.waitSignal(window.daily_backup.made, timeout=10_000):  # after the check
        window.show()
    assert window.page_check.done
    assert list((clinic_db.parent / "backups").glob("clinic-*.sqlite3"))
    assert stops == []
    close_clinic(state.ctx)


def test_the_window_is_painted_and_usable_before_the_check_finishes(
    qtbot: Any, app_state: AppState, ui_settings: QSettings
) -> None:
    release = threading.Event()

    def slow_check() -> str | None:  # a large database, read slowly
        assert release.wait(10), "the test never let the check finish"
        return None

    window = MainWindow(
        app_state,
        settings=ui_settings,
        database_label="clinic.sqlite3",
        daily_backup=_no_backup,
        page_check=slow_check,
    )
    qtbot.addWidget(window)
    assert window.page_check is not None and window.daily_backup is not None
    window.show()
    window.start_background_work()
    qtbot.waitExposed(window)
    assert window.page_check.running and not window.grab().isNull()
    assert not window.is_locked
    assert window.daily_backup.attempts == 0  # the backup waits for the check
    with qtbot.waitSignal(window.daily_backup.made, timeout=5_000):
        release.set()
    assert window.status.currentMessage() in (CHECKED_MESSAGE, "Daily backup made.")


def test_a_check_that_cannot_run_is_not_damage_and_work_goes_on(
    qtbot: Any, app_state: AppState, ui_settings: QSettings
) -> None:
    def locked() -> str | None:
        raise DatabaseLocked("The database is locked by another program or workstation.")

    window = MainWindow(
        app_state,
        settings=ui_settings,
        database_label="clinic.sqlite3",
        daily_backup=_no_backup,
        page_check=locked,
    )
    qtbot.addWidget(window)
    assert window.page_check is not None and window.daily_backup is not None
    with qtbot.waitSignal(window.page_check.not_checked, timeout=5_000) as blocker:
        window.start_background_work()
    assert "could not be checked" in blocker.args[0]
    assert "locked" in blocker.args[0]
    qtbot.waitUntil(lambda: window.daily_backup.attempts == 1)
    assert window.damage is None and not window.is_locked
