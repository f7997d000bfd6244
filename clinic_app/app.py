"""The GUI's composition root: settings, database, clock, services and the main window.

``clinic-app`` (no command) opens the clinic's own database (``--db PATH``, else
``CLINIC_APP_DB_URL``, else the user's data folder), creating and migrating it on first start,
and asks which nurse is working. ``clinic-app --demo`` opens a fresh demo database in a scratch
folder instead, seeded with made-up patients and signed in as a demo nurse, with "DEMO DATA" in
the title and the status bar: a newcomer can try everything without touching real records.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from clinic_app import APP_NAME
from clinic_app.bootstrap import (
    background_daily_backup,
    background_page_check,
    clinic_config,
    clinic_engine,
    clinic_is_demo,
    close_clinic,
    daily_backup_problem,
    open_clinic,
)
from clinic_app.config import ConfigError
from clinic_app.error_log import append_to_log, describe_error
from clinic_app.services import accounts
from clinic_app.services.context import ServiceContext, system_clock
from clinic_app.services.errors import ServiceError, StorageError
from clinic_app.storage.errors import DatabaseDamaged
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import show_error
from clinic_app.ui.shell.main_window import MainWindow
from clinic_app.ui.shell.starting_window import make_application
from clinic_app.ui.workers import Progress, run_with_progress

DEMO_FOLDER_PREFIX = "clinic_app_demo_"


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """``--db PATH`` and ``--demo`` (the GUI's only options)."""
    parser = argparse.ArgumentParser(prog="clinic-app", description="Start the nurse's window.")
    parser.add_argument("--db", type=Path, help="the SQLite database file to open")
    parser.add_argument("--demo", action="store_true",
                        help="a fresh demo database in a scratch folder, signed in as a demo nurse")
    return parser.parse_args(list(argv))


def _scratch_database() -> Path:
    """A new, empty folder for the demo database (the system's temporary folder)."""
    return Path(tempfile.mkdtemp(prefix=DEMO_FOLDER_PREFIX)) / "demo.sqlite3"


def _open_demo_clinic() -> ServiceContext:
    """A new scratch database under the demo clinic's settings (open every day), on the demo's
    clock (:func:`clinic_app.services.demo.demo_clock`)."""
    from clinic_app.domain.settings import load_settings
    from clinic_app.services.demo import demo_clinic_settings, demo_clock

    ctx = open_clinic(_scratch_database(), settings=demo_clinic_settings(load_settings()))
    return replace(ctx, clock=demo_clock(ctx))


def _seed_demo_then_sign_in(window: MainWindow, state: AppState) -> None:
    """Fill the demo database off the GUI thread (progress shown), then sign the demo nurse in."""
    from clinic_app.services.demo import DemoSummary, seed_demo

    ctx = state.ctx
    window.lock_page.set_reason("Preparing the demo data…")

    def seed(progress: Progress) -> object:
        return seed_demo(ctx, today=ctx.local_now().date(),
                         progress=lambda done, total, _stage: progress(done, total))

    def seeded(summary: object) -> None:
        assert isinstance(summary, DemoSummary)
        nurse = accounts.sign_in(ctx, username=summary.username, secret=summary.password)
        window.sign_in_hint = (f"Demo data: sign in as “{summary.username}” with the password "
                               f"“{summary.password}” (after the idle lock, the PIN "
                               f"{summary.pin}).")
        state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
        window.remember_password_sign_in(nurse.username)
        state.announce("patient")  # the demo patients are new: lists showing patients refresh

    def failed(exc: BaseException) -> None:
        window.lock_page.set_reason("The demo data could not be prepared.")
        show_error(window, exc, title="Demo not ready")

    run_with_progress(window, "Preparing the demo data…", seed, on_done=seeded, on_error=failed)


def _database_label(ctx: ServiceContext) -> str:
    from clinic_app.storage.db import sqlite_file

    config = clinic_config(ctx)
    path = sqlite_file(config.database_url)
    return str(path) if path is not None else config.database_url.split("@")[-1]


def _backup(ctx: ServiceContext) -> Callable[[], object] | None:
    """File > Back up now: an online copy into the backup folder (SQLite only)."""
    from clinic_app.storage import backup_database

    config = clinic_config(ctx)
    if not config.is_sqlite:
        return None
    engine = clinic_engine(ctx)
    return lambda: backup_database(engine, config.backup_dir, now=ctx.now(), note="manual")


def build_main_window(argv: Sequence[str], *,
                      settings: QSettings | None = None) -> tuple[AppState, MainWindow]:
    """Open the clinic (or a new demo database) and build the window, not shown.

    A QApplication must exist. Nothing is signed in yet: ``window.start_session()`` asks who is
    working, or (demo) seeds the demo data with progress and signs the demo nurse in. A
    database holding demo data is shown as a demo even when opened with ``--db``. When the
    daily backup is made in the background once the window is built (``window.daily_backup``,
    progress in the status bar); when it cannot be made the window warns and it is tried again
    later (issue 15). Before the window only the schema and the root of every b-tree of the
    database are checked; every page is read in the background first (``window.page_check``),
    and damage found there stops the program as damage found at start does
    (:func:`stop_for_damage`).

    Raises :class:`ConfigError` or the store's errors when the database cannot be opened.
    """
    args = parse_args(argv)
    ctx = _open_demo_clinic() if args.demo else open_clinic(args.db, every_page=False)
    state = AppState(ctx, demo=args.demo or clinic_is_demo(ctx))
    window = MainWindow(state, settings=settings or QSettings(APP_NAME, APP_NAME),
                        database_label=_database_label(ctx), back_up=_backup(ctx),
                        backup_problem=daily_backup_problem(ctx),
                        daily_backup=None if args.demo else (
                            lambda progress: background_daily_backup(ctx, progress)),
                        page_check=None if args.demo else (lambda: background_page_check(ctx)))
    if window.page_check is not None:
        window.page_check.damaged.connect(lambda problem: stop_for_damage(window, problem))
    window.start_background_work()
    if args.demo:
        window.startup = lambda: _seed_demo_then_sign_in(window, state)
    return state, window


DAMAGED_TITLE = "The clinic database is damaged"


def tell_damaged(parent: QWidget | None, problem: str) -> None:
    """Tell the nurse (and standard error) that the database is damaged and how to go on."""
    print(f"clinic-app: error: {problem}", file=sys.stderr)
    QMessageBox.critical(parent, DAMAGED_TITLE,
                         f"{problem}\n\nDo not enter anything on this computer until the "
                         "administrator has restored the backup; use the paper forms meanwhile.")


def stop_for_damage(window: MainWindow, problem: str) -> None:
    """Damage found by the background check once the window is up: the window is locked
    (:meth:`MainWindow.stop_for_damaged_database`), the nurse told as at start, and the
    program ends with status 1."""
    window.stop_for_damaged_database(problem)
    tell_damaged(window, problem)
    QApplication.exit(1)


def install_error_dialog(log_file: Path, *,
                         clock: Callable[[], datetime] = system_clock) -> None:
    """Unexpected errors in a slot become a dialog (and an entry in ``log_file``) instead of
    vanishing: the nurse is told her last action may not have been saved and what to do.

    The log entry, also written to standard error, holds the error's type and code location,
    never its message (:mod:`clinic_app.error_log`); the dialog shows the message on screen.
    The log is readable by its owner only, in a private folder when it has to be made.
    """

    def show(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        entry = describe_error(exc, tb, when=clock())
        print(entry, file=sys.stderr)
        with contextlib.suppress(OSError):  # a full disk must not hide the dialog
            append_to_log(log_file, entry)
        QMessageBox.critical(
            None, "Something unexpected went wrong",
            f"{exc or kind.__name__}\n\nYour last action may not have been saved: check the "
            f"record on screen before carrying on. If it happens again, restart the app and "
            f"tell the administrator (details are in {log_file}).")

    sys.excepthook = show


def run_gui(argv: Sequence[str], *, starting: QWidget | None = None) -> int:
    """Start the GUI and run until the window closes; returns the exit status. ``starting``
    (the window painted before the clinic was opened) is closed once the main window is shown,
    or before a start-up problem is told."""
    app = make_application(sys.argv[0] if sys.argv else "")
    try:
        state, window = build_main_window(argv)
    except DatabaseDamaged as exc:
        _close(starting)
        tell_damaged(None, str(exc))
        return 1
    except (ConfigError, StorageError, ServiceError, OSError) as exc:
        _close(starting)
        print(f"clinic-app: error: {exc}", file=sys.stderr)
        QMessageBox.critical(None, "The clinic database could not be opened",
                             f"{exc}\n\nCheck the --db path or the CLINIC_APP_DB_URL setting, "
                             "then start again.")
        return 1
    install_error_dialog(clinic_config(state.ctx).error_log, clock=state.ctx.clock)
    window.show()
    _close(starting)
    window.start_session()
    try:
        return int(app.exec())
    finally:
        close_clinic(state.ctx)


def _close(window: QWidget | None) -> None:
    if window is not None:
        window.close()
        window.deleteLater()
