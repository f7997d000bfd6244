"""Menu commands of the main window that are not navigation: print, back up, help.

Each is a thin slot: it calls one service and shows the result (a preview, a notice) or the
error. Backups run off the GUI thread with a progress dialog.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QProgressDialog, QWidget

from clinic_app import __version__
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, show_error
from clinic_app.ui.navigation import Navigator
from clinic_app.ui.shell.menus import ShellActions, screen_shortcut_lines, shortcut_lines
from clinic_app.ui.shell.status_bar import BACKUP_NOT_MADE
from clinic_app.ui.workers import run_with_progress


def notice(parent: QWidget, title: str, text: str, *, detail: str = "") -> QMessageBox:
    """A non-blocking information box (``open()``), named for screen readers."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(title)
    box.setAccessibleName(title)
    box.setText(text)
    if detail:
        box.setInformativeText(detail)
    box.open()
    return box


def print_blank_checklist(window: QWidget, state: AppState, navigator: Navigator,
                          protocol_id: str) -> None:
    """Preview the blank paper checklist of one protocol (for downtime or a new nurse)."""
    from clinic_app.services import sheets

    try:
        data = sheets.blank_checklist(state.ctx, protocol_id=protocol_id)
    except EXPECTED_ERRORS as exc:
        show_error(window, exc, title="Checklist not printed")
        return
    navigator.show_pdf(f"Blank checklist — {protocol_id}", data,
                       f"blank-checklist-{protocol_id}.pdf")


def back_up_now(window: QWidget, back_up: Callable[[], object], *,
                made: Callable[[], object]) -> QProgressDialog:
    """Copy the database to the backup folder now (off the GUI thread); say where it went, and
    call ``made`` when it was made.

    ``back_up`` is given by the composition root (it knows the engine and the backup folder)
    and returns the new backup file.
    """

    def done(result: object) -> None:
        made()
        notice(window, "Backup made", "The database was backed up to:", detail=str(result))

    def failed(exc: BaseException) -> None:
        show_error(window, exc, title="Backup failed")

    return run_with_progress(window, "Backing up the database…", lambda _progress: back_up(),
                             on_done=done, on_error=failed)


def warn_backup_not_made(window: QWidget, problem: str) -> QMessageBox:
    """The daily backup at start could not be made: say why, that work goes on, and when it is
    tried again (non-blocking: the sign-in is not held up)."""
    box = QMessageBox(QMessageBox.Icon.Warning, BACKUP_NOT_MADE, problem,
                      QMessageBox.StandardButton.Ok, window)
    box.setAccessibleName(BACKUP_NOT_MADE)
    box.setInformativeText(
        "You can keep working: everything is still saved in the database. Without today's "
        "backup, a failing disk could lose today's records. The daily backup is tried again "
        "at the next start; tell the administrator, who frees space (or makes the backup "
        "folder writable) and then uses File › Back up now.")
    box.open()
    return box


def ask_create_or_quit(window: QWidget, *, create: Callable[[], object],
                       quit_: Callable[[], object]) -> QMessageBox:
    """After Cancel on the first-run dialog: no account exists, so offer to create it or to
    quit (never a locked window nobody can open)."""
    box = QMessageBox(QMessageBox.Icon.Question, "No nurse account",
                      "No nurse account was created. The program needs one before it can "
                      "show any record.", QMessageBox.StandardButton.NoButton, window)
    box.setAccessibleName("No nurse account")
    again = box.addButton("&Create account", QMessageBox.ButtonRole.AcceptRole)
    leave = box.addButton("&Quit", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(again)
    box.setEscapeButton(again)
    again.clicked.connect(create)
    leave.clicked.connect(quit_)
    box.open()
    return box


def _rows(lines: list[tuple[str, str]]) -> str:
    return "".join(f"<tr><td>{name}</td><td>&nbsp;&nbsp;<b>{keys}</b></td></tr>"
                   for name, keys in lines)


def show_shortcuts(window: QWidget, actions: ShellActions,
                   screen: QWidget | None = None) -> QMessageBox:
    """The keyboard shortcuts of the main window, then those of the shown ``screen``."""
    text = f"<table>{_rows(shortcut_lines(actions))}</table>"
    on_screen = screen_shortcut_lines(screen)
    if on_screen:
        title = screen.accessibleName() or screen.windowTitle() if screen else ""
        text += f"<p><b>On this screen{f' ({title})' if title else ''}</b></p>"
        text += f"<table>{_rows(on_screen)}</table>"
    return notice(window, "Keyboard shortcuts", text,
                  detail="Tabs: Ctrl+Tab moves to the next one. Tables: Enter opens the row. "
                         "Alt+underlined letter: the button or field with that letter.")


def show_about(window: QWidget) -> QMessageBox:
    """Version and what the program is."""
    return notice(window, "About clinic_app",
                  f"clinic_app {__version__} — the infusion nurse's assistant.",
                  detail="Doses, schedules and checklists follow the shipped drug protocols; "
                         "always check them against the prescription and the product label.")
