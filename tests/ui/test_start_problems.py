"""What the nurse sees at start when the database is damaged, the daily backup cannot be made,
another workstation is writing, or the database is a demo (issue 11, items 2, 3, 5 and 6)."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from clinic_testing import copy_database, damage_table
from PySide6.QtWidgets import QMessageBox, QWidget

from clinic_app import app as gui_app
from clinic_app.services import accounts
from clinic_app.ui.shell.starting_window import StartingWindow

pytestmark = pytest.mark.gui


def shown(window: QWidget, name: str) -> QMessageBox | None:
    """The visible message box named ``name`` over ``window``, if any."""
    for box in window.findChildren(QMessageBox):
        if box.accessibleName() == name and box.isVisible():
            return box
    return None


@pytest.fixture
def clinic_db(nurse_db_template, tmp_path: Path) -> Path:
    """A copy of a clinic's database holding Anna Keller's account."""
    template, _nurse = nurse_db_template
    return copy_database(template, tmp_path / "clinic")


@pytest.fixture
def full_disk_for_backups(monkeypatch: pytest.MonkeyPatch) -> Callable[[], None]:
    """Every backup copy (a ``.part`` file) runs out of space after its first page, until the
    returned function makes room."""
    connect = sqlite3.connect

    def connect_to_a_full_disk(database: object, *args: object, **kwargs: object) -> object:
        connection = connect(database, *args, **kwargs)  # type: ignore[arg-type]
        if str(database).endswith(".part"):
            connection.execute("PRAGMA max_page_count = 1")
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect_to_a_full_disk)
    return lambda: monkeypatch.setattr(sqlite3, "connect", connect)


def test_a_damaged_database_stops_the_start_with_a_dialog_naming_the_backup_to_restore(
        qtbot, clinic_db, monkeypatch):
    from clinic_app.bootstrap import close_clinic

    state, window = gui_app.build_main_window(["--db", str(clinic_db)])  # the daily backup
    qtbot.addWidget(window)
    assert window.daily_backup is not None
    with qtbot.waitSignal(window.daily_backup.made, timeout=10_000):  # made in the background
        pass
    close_clinic(state.ctx)
    good, = (clinic_db.parent / "backups").glob("clinic-*.sqlite3")
    damage_table(clinic_db, "nurses")
    dialogs: list[tuple[str, str]] = []
    monkeypatch.setattr(gui_app.QMessageBox, "critical",
                        lambda _parent, title, text: dialogs.append((title, text)))
    # Had the window opened anyway: no event loop, and no modal box waiting for a click.
    monkeypatch.setattr(gui_app.QApplication, "exec", lambda _app: 0)
    monkeypatch.setattr(QMessageBox, "exec",
                        lambda box: dialogs.append((box.windowTitle(), box.text())) or 0)
    starting = StartingWindow()
    qtbot.addWidget(starting)
    starting.show()
    assert gui_app.run_gui(["--db", str(clinic_db)], starting=starting) == 1
    assert not starting.isVisible()  # closed before the nurse is told
    (title, text), = dialogs
    assert title == "The clinic database is damaged"
    assert "is damaged" in text
    assert f"clinic-app --db {clinic_db} db restore {good}" in text
    assert "--db path" not in text  # not the advice for a wrong path


@pytest.mark.usefixtures("full_disk_for_backups")
def test_a_full_disk_for_the_daily_backup_is_a_warning_and_work_goes_on(
        qtbot, clinic_db, ui_settings, ui_nurse):
    state, window = gui_app.build_main_window(["--db", str(clinic_db)], settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    window.start_session()
    qtbot.waitUntil(lambda: shown(window, "Daily backup not made") is not None)
    box = shown(window, "Daily backup not made")
    assert box is not None
    assert "disk is full" in box.text()
    assert "next start" in box.informativeText()
    assert window.status.backup_problem.isVisible()
    assert "Daily backup not made" in window.status.backup_problem.text()
    assert not list((clinic_db.parent / "backups").glob("*.part"))
    nurse = accounts.sign_in(state.ctx, username=ui_nurse.username, secret=ui_nurse.password)
    state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
    assert not window.is_locked  # the nurse works on


def test_a_backup_made_after_a_failed_daily_backup_clears_the_warning(
        qtbot, clinic_db, ui_settings, ui_nurse, full_disk_for_backups):
    state, window = gui_app.build_main_window(["--db", str(clinic_db)], settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.status.backup_problem.isVisible)  # the background backup failed
    full_disk_for_backups()  # the administrator made room
    nurse = accounts.sign_in(state.ctx, username=ui_nurse.username, secret=ui_nurse.password)
    state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
    assert window.status.backup_problem.isVisible()
    window.actions_.back_up.trigger()
    qtbot.waitUntil(lambda: shown(window, "Backup made") is not None, timeout=10_000)
    assert not window.status.backup_problem.isVisible()


def test_the_window_opens_while_another_workstation_holds_the_write_lock(
        qtbot, clinic_db, ui_settings):
    with closing(sqlite3.connect(clinic_db, isolation_level=None)) as holder:
        holder.execute("PRAGMA journal_mode = WAL")
        holder.execute("BEGIN IMMEDIATE")
        holder.execute("UPDATE nurses SET display_name = 'Writing'")
        state, window = gui_app.build_main_window(["--db", str(clinic_db)],
                                                  settings=ui_settings)
        holder.execute("ROLLBACK")
    qtbot.addWidget(window)
    assert accounts.has_nurses(state.ctx)


def test_a_demo_database_opened_as_a_clinic_still_says_demo_data(
        qtbot, demo_db_template, tmp_path, ui_settings):
    demo = copy_database(demo_db_template, tmp_path / "opened-as-clinic")
    state, window = gui_app.build_main_window(["--db", str(demo)], settings=ui_settings)
    qtbot.addWidget(window)
    assert state.demo
    assert window.windowTitle().endswith("DEMO DATA")
    assert not window.status.demo.isHidden()
