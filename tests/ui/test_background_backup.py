"""Issue 15: the daily backup runs in the background, never on the path to the window."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

from clinic_app.storage import make_engine
from clinic_app.storage.backup import BACKUP_PAGES_PER_STEP, backup_database
from clinic_app.ui.app_state import AppState
from clinic_app.ui.shell.daily_backup import MADE_MESSAGE, DailyBackup
from clinic_app.ui.shell.main_window import MainWindow
from clinic_app.ui.workers import Progress


def _window(
    qtbot: Any, state: AppState, settings: QSettings, job: Callable[[Progress], str | None]
) -> MainWindow:
    window = MainWindow(state, settings=settings, database_label="clinic.sqlite3", daily_backup=job)
    qtbot.addWidget(window)
    return window


def test_the_window_is_painted_and_usable_before_the_backup_finishes(
    qtbot: Any, app_state: AppState, ui_settings: QSettings
) -> None:
    release = threading.Event()
    reported: list[tuple[int, int]] = []

    def slow_backup(progress: Progress) -> str | None:  # a large database, copied slowly
        progress(1, 4)
        assert release.wait(10), "the test never let the backup finish"
        progress(4, 4)
        return None

    window = _window(qtbot, app_state, ui_settings, slow_backup)
    assert window.daily_backup is not None
    window.daily_backup.progressed.connect(lambda done, total: reported.append((done, total)))
    window.show()
    window.start_daily_backup()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.status.currentMessage() == "Daily backup: 25 %")
    assert window.daily_backup.running  # painted and showing progress, the copy still going
    assert not window.grab().isNull()
    release.set()
    qtbot.waitUntil(lambda: window.status.currentMessage() == MADE_MESSAGE)
    assert reported == [(1, 4), (4, 4)]
    assert not window.status.backup_problem.isVisible()


def test_a_failing_backup_warns_in_the_status_bar_and_is_tried_again(
    qtbot: Any, app_state: AppState, ui_settings: QSettings, monkeypatch: Any
) -> None:
    from clinic_app.ui.shell import commands

    warned: list[str] = []
    monkeypatch.setattr(
        commands, "warn_backup_not_made", lambda _window, problem: warned.append(problem)
    )
    outcomes = iter(["The disk is full.", "The disk is still full.", None])
    calls: list[int] = []

    def flaky_backup(_progress: Progress) -> str | None:
        calls.append(1)
        return next(outcomes)

    window = _window(qtbot, app_state, ui_settings, flaky_backup)
    window.daily_backup = DailyBackup(flaky_backup, window, retry_ms=(10, 10))
    window.daily_backup.failed.connect(window._daily_backup_failed)
    window.daily_backup.made.connect(window._daily_backup_made)
    window.show()
    with qtbot.waitSignal(window.daily_backup.failed, timeout=5_000):
        window.start_daily_backup()
    assert window.status.backup_problem.isVisible()
    assert window.status.backup_problem.toolTip() == "The disk is full."
    with qtbot.waitSignal(window.daily_backup.made, timeout=5_000):  # retried twice
        pass
    assert len(calls) == 3
    assert warned == ["The disk is full."]  # one dialog; the later failure: status bar only
    assert not window.status.backup_problem.isVisible()


def test_the_retries_are_bounded(qtbot: Any, app_state: AppState) -> None:
    def failing(_progress: Progress) -> str | None:
        return "The folder may not be written."

    backup = DailyBackup(failing, app_state, retry_ms=(10,))
    failures: list[str] = []
    backup.failed.connect(failures.append)
    backup.start()
    qtbot.waitUntil(lambda: len(failures) == 2)
    qtbot.wait(100)
    assert backup.attempts == 2 and len(failures) == 2


def test_the_stepwise_copy_reports_its_pages_and_passes_integrity_check(
    ui_db_path: Path, tmp_path: Path
) -> None:
    with closing(sqlite3.connect(ui_db_path)) as db:  # enough pages for several steps
        db.execute("CREATE TABLE filler (x BLOB)")
        db.executemany(
            "INSERT INTO filler VALUES (?)",
            [(b"x" * 3000,) for _ in range(BACKUP_PAGES_PER_STEP * 2)],
        )
        db.commit()
    engine = make_engine(f"sqlite:///{ui_db_path}")
    steps: list[tuple[int, int]] = []
    try:
        copy = backup_database(
            engine,
            tmp_path / "backups",
            now=datetime.now(UTC),
            progress=lambda done, total: steps.append((done, total)),
        )
    finally:
        engine.dispose()
    assert len(steps) >= 3
    assert steps[-1][0] == steps[-1][1]
    assert [done for done, _ in steps] == sorted(done for done, _ in steps)
    with closing(sqlite3.connect(copy)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
