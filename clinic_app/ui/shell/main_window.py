"""The main window: fixed Today and Patients tabs, a tab per opened record, menus, status bar.

It implements :class:`~clinic_app.ui.navigation.Navigator`, so any screen can open a chart, a
course, a visit or a PDF preview without knowing the window. Screens of other features are
imported lazily in the navigator methods: a missing feature fails only when it is used.
While nobody is signed in (start, sign-out, idle lock) the tabs are hidden behind a lock page.
After an idle lock only the same nurse gets her tabs and dialogs back: a different nurse must
not see them, nor save half-typed work under her own name, so they are closed for her.
Sign out and Quit ask before discarding unsaved input (a typed form, typed vitals); the idle
lock does not ask, as it keeps everything.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QStackedWidget, QWidget

from clinic_app.domain.dates import date_text
from clinic_app.domain.look_alike import MAX_OPEN_TABS, NameKey, looks_alike
from clinic_app.domain.protocols import load_all_protocols
from clinic_app.services import accounts
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, show_error
from clinic_app.ui.layout_memory import LayoutMemory
from clinic_app.ui.live_updates import LiveUpdates
from clinic_app.ui.screen_fit import install_screen_fit
from clinic_app.ui.shell import commands
from clinic_app.ui.shell.daily_backup import (
    MADE_MESSAGE,
    BackupJob,
    DailyBackup,
    progress_message,
)
from clinic_app.ui.shell.first_run_dialog import FirstRunDialog
from clinic_app.ui.shell.idle_lock import IdleLock
from clinic_app.ui.shell.lock_page import LockPage
from clinic_app.ui.shell.menus import ShellActions, build_menus
from clinic_app.ui.shell.page_check import (
    CHECKED_MESSAGE,
    CHECKING_MESSAGE,
    PageCheck,
    PageCheckJob,
)
from clinic_app.ui.shell.sign_in_dialog import SignInDialog
from clinic_app.ui.shell.status_bar import ShellStatusBar
from clinic_app.ui.shell.tabs import ScreenTabs
from clinic_app.ui.today.today_screen import TodayScreen
from clinic_app.ui.unsaved import close_discarding, confirm_discard, has_unsaved

if TYPE_CHECKING:
    from clinic_app.ui.patients.chart_view import PatientChartWidget
    from clinic_app.ui.patients.search_view import PatientSearchWidget

DAMAGED_TITLE = "The clinic database is damaged"
GEOMETRY_KEY = "main_window/geometry"
STATE_KEY = "main_window/state"
TAB_KEY = "main_window/tab"
TODAY_TAB, PATIENTS_TAB = 0, 1


class MainWindow(QMainWindow):
    """The nurse's workstation window (implements the Navigator protocol)."""

    def __init__(self, state: AppState, *, settings: QSettings, database_label: str,
                 back_up: Callable[[], object] | None = None,
                 backup_problem: str | None = None,
                 daily_backup: BackupJob | None = None,
                 page_check: PageCheckJob | None = None,
                 live_poll_ms: int | None = None) -> None:
        super().__init__()
        install_screen_fit()  # this window and every dialog stay inside their screen
        self.state = state
        self._back_up = back_up
        self.backup_problem = backup_problem  # why the daily backup at start was not made
        self._backup_warned = False  # the dialog is shown once; later failures: status bar
        # The daily backup, made in the background once the window is up (issue 15).
        self.daily_backup = DailyBackup(daily_backup, self) if daily_backup else None
        # Every page of the database read in the background once the window is up (issue 15).
        self.page_check = PageCheck(page_check, self) if page_check else None
        self.damage: str | None = None  # the damaged-database message, once found
        # Set by the composition root: run by start_session instead of asking who is working
        # (the demo seeds its data, then signs the demo nurse in).
        self.startup: Callable[[], None] | None = None
        self.sign_in_hint = ""  # shown in the sign-in dialog (the demo's user name and PIN)
        self.settings = settings
        self.setAccessibleName("Infusion clinic")
        self._dialog: QDialog | None = None
        self._hidden_windows: list[QWidget] = []
        self._locked_by: tuple[str, str] | None = None  # (user name, name) at the idle lock
        # (user name, when) of the last sign-in with a password at this workstation
        self._password_at: tuple[str, datetime] | None = None
        self._last_username = ""
        self.no_account_box: QMessageBox | None = None  # after Cancel on the first-run dialog
        self.layout_memory = LayoutMemory(settings)
        self.tabs = ScreenTabs(memory=self.layout_memory)
        # Other workstations' changes, asked for about once a second (issue 14).
        every = live_poll_ms or state.ctx.settings.clinic.live_update_seconds * 1000
        self.live = LiveUpdates(state, interval_ms=every, parent=self)
        self.today = TodayScreen(state, self)
        self.tabs.add_fixed(self.today, "Today")
        self.patients = self._make_patient_search()
        self.tabs.add_fixed(self.patients, "Patients")
        self.lock_page = LockPage()
        self.stack = QStackedWidget()
        self.stack.addWidget(self.tabs)
        self.stack.addWidget(self.lock_page)
        self.setCentralWidget(self.stack)
        self.status = ShellStatusBar(database_label, demo=state.demo)
        self.status.show_backup_problem(backup_problem)
        self.setStatusBar(self.status)
        self.actions_ = build_menus(self, load_all_protocols())
        self.idle_lock = IdleLock(state.ctx.settings.clinic.idle_lock_minutes, self)
        self._connect(self.actions_)
        if self.daily_backup is not None:
            self.daily_backup.progressed.connect(
                lambda done, total: self.status.showMessage(progress_message(done, total)))
            self.daily_backup.made.connect(self._daily_backup_made)
            self.daily_backup.failed.connect(self._daily_backup_failed)
        if self.page_check is not None:
            self.page_check.passed.connect(self._pages_checked)
            self.page_check.damaged.connect(self.stop_for_damaged_database)
            self.page_check.not_checked.connect(self._pages_not_checked)
        self._set_title()
        self._restore_layout()
        if state.nurse is not None:
            self._on_signed_in(state.nurse)
        else:
            self._on_signed_out()

    def _make_patient_search(self) -> PatientSearchWidget:
        from clinic_app.ui.patients.search_view import PatientSearchWidget

        return PatientSearchWidget(self.state, self)

    def _connect(self, actions: ShellActions) -> None:
        for protocol_id, action in actions.blank_checklists.items():
            action.triggered.connect(lambda _checked=False, pid=protocol_id:
                                     commands.print_blank_checklist(self, self.state, self, pid))
        actions.back_up.triggered.connect(self.back_up_now)
        actions.nurse_accounts.triggered.connect(self.show_nurse_accounts)
        actions.chairs.triggered.connect(self.show_chairs)
        actions.access_log.triggered.connect(self.show_access_log)
        actions.export_fhir.triggered.connect(self.show_fhir_export)
        actions.import_patients.triggered.connect(self.show_patient_import)
        actions.sign_out.triggered.connect(self.sign_out)
        actions.quit.triggered.connect(self.close)
        actions.register_patient.triggered.connect(self.register_patient)
        actions.find_patient.triggered.connect(self.find_patient)
        actions.show_today.triggered.connect(lambda: self.tabs.setCurrentIndex(TODAY_TAB))
        actions.show_patients.triggered.connect(lambda: self.tabs.setCurrentIndex(PATIENTS_TAB))
        actions.close_tab.triggered.connect(self.tabs.close_current)
        actions.shortcuts.triggered.connect(lambda: commands.show_shortcuts(
            self, actions, self.tabs.currentWidget()))
        actions.about.triggered.connect(lambda: commands.show_about(self))
        self.lock_page.sign_in_button.clicked.connect(self.ask_who_is_working)
        self.idle_lock.timed_out.connect(self.lock_idle)
        self.state.signed_in.connect(self._on_signed_in)
        self.state.signed_out.connect(self._on_signed_out)

    def _set_title(self) -> None:
        """The title, and the accessible name a screen reader announces for the window, both
        carry the "DEMO DATA" marker on a demo database (no one mistakes it for real records)."""
        title = f"{self.state.ctx.clinic_name} — clinic_app"
        demo = " — DEMO DATA" if self.state.demo else ""
        self.setWindowTitle(title + demo)
        self.setAccessibleName(f"Infusion clinic{demo}")

    # -- sign-in, sign-out and the idle lock ---------------------------------------------

    def start_session(self) -> None:
        """At start: the first-run dialog on an empty database, else the sign-in dialog; and a
        warning when the daily backup could not be made (work goes on)."""
        if self.backup_problem is not None and not self._backup_warned:
            self._backup_warned = True
            commands.warn_backup_not_made(self, self.backup_problem)
        if self.state.nurse is not None:
            return
        if self.startup is not None:
            startup, self.startup = self.startup, None
            startup()
            return
        self.ask_who_is_working()

    def ask_who_is_working(self) -> None:
        """The first-run dialog while the database has no account, else the sign-in dialog
        (neither once the database is found damaged)."""
        if self.damage is not None:
            return
        try:
            first_run = not accounts.has_nurses(self.state.ctx)
        except EXPECTED_ERRORS as exc:
            show_error(self, exc, title="Database not available")
            return
        if first_run:
            self.ask_first_account()
        else:
            self.ask_sign_in()

    def ask_first_account(self) -> FirstRunDialog:
        """Open the first-run dialog; cancelling it asks whether to create the account or
        quit (the program cannot be used without one)."""
        dialog = FirstRunDialog(self.state, self)
        dialog.rejected.connect(self._first_account_cancelled)
        dialog.signed_in.connect(
            lambda nurse: self.remember_password_sign_in(getattr(nurse, "username", "")))
        self._open_dialog(dialog)
        return dialog

    def _first_account_cancelled(self) -> None:
        if self.state.nurse is None and self.damage is None:
            self.no_account_box = commands.ask_create_or_quit(
                self, create=self.ask_first_account, quit_=self.close)

    def ask_sign_in(self, *, reason: str = "") -> SignInDialog:
        """Open the sign-in dialog (window-modal, non-blocking). After the idle lock the nurse
        who signed in with her password here may use her PIN (the service checks how long
        ago); anyone else, and everyone after a sign-out, uses a password."""
        username = getattr(self.state.nurse, "username", "") or self._last_username
        prompt = " ".join(part for part in (reason, self.sign_in_hint) if part)
        pin_for = self._password_at if self._locked_by is not None else None
        dialog = SignInDialog(self.state, self, username=username, reason=prompt,
                              pin_for=pin_for)
        dialog.signed_in.connect(lambda nurse: self._remember_password(dialog, nurse))
        self._open_dialog(dialog)
        return dialog

    def _remember_password(self, dialog: SignInDialog, nurse: object) -> None:
        if dialog.with_password:
            self.remember_password_sign_in(getattr(nurse, "username", ""))

    def remember_password_sign_in(self, username: str) -> None:
        """``username`` signed in with her password now: her PIN may unlock the idle lock."""
        self._password_at = (username, self.state.ctx.now())

    def _open_dialog(self, dialog: QDialog) -> None:
        if self._dialog is not None:
            self._dialog.close()
        self._dialog = dialog
        dialog.finished.connect(lambda _result: self._forget_dialog(dialog))
        dialog.open()

    def _forget_dialog(self, dialog: QDialog) -> None:
        if self._dialog is dialog:
            self._dialog = None
        dialog.deleteLater()

    @property
    def active_dialog(self) -> QDialog | None:
        """The sign-in or first-run dialog currently open (None when none is)."""
        return self._dialog

    def _other_windows(self) -> list[QWidget]:
        """Dialogs and previews open over the window (not the sign-in dialog)."""
        return [w for w in self.findChildren(QWidget)
                if w.isWindow() and w.isVisible() and w is not self._dialog]

    def _unsaved_work(self) -> list[str]:
        """What holds unsaved input: open dialogs (by title) and record tabs."""
        dialogs = [w.windowTitle() for w in self._other_windows() if has_unsaved(w)]
        return [*dialogs, *self.tabs.unsaved_titles()]

    def _may_discard_all(self) -> bool:
        """Ask once, listing what is unsaved; True when nothing is or the nurse discards."""
        unsaved = self._unsaved_work()
        return not unsaved or confirm_discard(self, "input in " + ", ".join(unsaved))

    def sign_out(self) -> None:
        """End the nurse's session: close the records, dialogs and previews, and lock
        (asking first when something typed is unsaved)."""
        if not self._may_discard_all():
            return
        close_discarding(self._other_windows())
        self.tabs.close_records()
        self.lock_page.set_reason("Signed out. Patient records are hidden. Sign in to continue.")
        self._password_at = None  # a sign-out ends the shift: the password is needed again
        self.state.sign_out()
        self.ask_sign_in()

    def lock_idle(self) -> None:
        """Lock after the idle time: records, dialogs and previews are hidden, not closed, so
        nothing typed is lost; they come back when the same nurse signs in again."""
        if self.state.nurse is None:
            return
        self._locked_by = (self._last_username, self.state.nurse_name)
        self._hidden_windows = self._other_windows()
        for window in self._hidden_windows:
            window.hide()
        minutes = self.state.ctx.settings.clinic.idle_lock_minutes
        reason = f"Locked after {minutes} minutes without activity. Sign in to continue."
        self.lock_page.set_reason(reason)
        self.state.sign_out()
        self.ask_sign_in(reason=reason)

    @property
    def is_locked(self) -> bool:
        """True while the records are hidden behind the lock page."""
        return self.stack.currentWidget() is self.lock_page

    def _on_signed_in(self, nurse: object) -> None:
        self._last_username = getattr(nurse, "username", "")
        self.status.show_nurse(self.state.nurse_name)
        self._set_actions_enabled(True)
        # Only administrators read the access log (the service refuses anyone else).
        self.actions_.access_log.setVisible(bool(getattr(nurse, "is_admin", False)))
        if self._dialog is not None:
            self._dialog.close()
        self._restore_after_lock(self._last_username)
        self.stack.setCurrentWidget(self.tabs)
        self.idle_lock.arm()

    def _restore_after_lock(self, username: str) -> None:
        """Show the hidden records again to the nurse who was locked out; close them for
        anyone else (her unsaved typing is discarded, and the new nurse is told so)."""
        hidden = [w for w in self._hidden_windows if shiboken6.isValid(w)]
        locked_by, self._hidden_windows, self._locked_by = self._locked_by, [], None
        if locked_by is None or locked_by[0] == username:
            for window in hidden:
                window.show()
            return
        close_discarding(hidden)
        for window in hidden:
            window.deleteLater()
        had_records = self.tabs.count() > PATIENTS_TAB + 1
        self.tabs.close_records()
        self.tabs.setCurrentIndex(TODAY_TAB)
        if hidden or had_records:
            commands.notice(self, "Unsaved work closed",
                            f"{locked_by[1]}'s unsaved work was closed.")

    def _on_signed_out(self) -> None:
        self.idle_lock.disarm()
        self.stack.setCurrentWidget(self.lock_page)
        self.status.show_nurse("")
        self._set_actions_enabled(False)

    def _set_actions_enabled(self, enabled: bool) -> None:
        for action in self.actions_.needing_sign_in():
            action.setEnabled(enabled)
        self.actions_.back_up.setEnabled(enabled and self._back_up is not None)

    def back_up_now(self) -> None:
        """File > Back up now (only when the database is a file this program backs up)."""
        if self._back_up is not None and self.state.nurse is not None:
            commands.back_up_now(self, self._back_up, made=self._backup_made)

    def start_daily_backup(self) -> None:
        """Start the daily backup in the background (the window stays usable meanwhile)."""
        if self.daily_backup is not None:
            self.daily_backup.start()

    def start_background_work(self) -> None:
        """Once the window is built: read every page of the database in the background, then
        make the daily backup (a damaged database is not backed up); without a page check,
        the backup at once."""
        if self.page_check is None:
            self.start_daily_backup()
            return
        self.status.showMessage(CHECKING_MESSAGE)
        self.page_check.start()

    def _pages_checked(self) -> None:
        self.status.showMessage(CHECKED_MESSAGE, 10_000)
        self.start_daily_backup()

    def _pages_not_checked(self, why: str) -> None:
        self.status.showMessage(why, 30_000)
        self.start_daily_backup()

    def stop_for_damaged_database(self, problem: str) -> None:
        """The background check found the database damaged: nothing more may be entered.
        Records, dialogs and previews are hidden, the nurse is signed out, and the lock page
        says why, with no way to sign in; the composition root then tells the nurse as it
        does for damage found at start and ends the program."""
        self.damage = problem
        for window in self._other_windows():
            window.hide()
        if self._dialog is not None:
            self._dialog.close()
        self.lock_page.set_reason(f"{problem}\n\nDo not enter anything on this computer until "
                                  "the administrator has restored the backup.")
        self.lock_page.title.setText(DAMAGED_TITLE)
        self.lock_page.sign_in_button.setEnabled(False)
        self.status.clearMessage()
        if self.state.nurse is not None:
            self.state.sign_out()
        else:
            self._on_signed_out()

    def _daily_backup_made(self) -> None:
        self.status.showMessage(MADE_MESSAGE, 10_000)
        self._backup_made()

    def _daily_backup_failed(self, problem: str) -> None:
        self.status.clearMessage()
        self.backup_problem = problem
        self.status.show_backup_problem(problem)
        if self.isVisible() and not self._backup_warned:
            self._backup_warned = True
            commands.warn_backup_not_made(self, problem)

    def _backup_made(self) -> None:
        self.backup_problem = None
        self.status.show_backup_problem(None)

    def show_access_log(self) -> QDialog | None:
        """File › Access log…: who looked at which patient (the service lets administrators
        only; anyone else reads why on the dialog)."""
        from clinic_app.ui.shell.access_log_dialog import AccessLogDialog

        if self.state.nurse is None:
            return None
        dialog = AccessLogDialog(self.state, self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def show_fhir_export(self) -> QDialog | None:
        """File › Export FHIR…: one patient, one day or since a day, to a JSON file."""
        from clinic_app.ui.shell.exchange_dialogs import FhirExportDialog

        return self._open_shell_dialog(FhirExportDialog)

    def show_patient_import(self) -> QDialog | None:
        """File › Import patients…: a CSV patient list, checked and previewed first."""
        from clinic_app.ui.shell.exchange_dialogs import PatientImportDialog

        return self._open_shell_dialog(PatientImportDialog)

    def _open_shell_dialog(self, kind: Callable[[AppState, QWidget], QDialog]) -> QDialog | None:
        if self.state.nurse is None:
            return None
        dialog = kind(self.state, self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def show_nurse_accounts(self) -> QDialog | None:
        """File › Nurse accounts…: the accounts; an administrator adds and changes them."""
        from clinic_app.ui.shell.nurse_accounts_dialog import NurseAccountsDialog

        if self.state.nurse is None:
            return None
        dialog = NurseAccountsDialog(self.state, self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    def show_chairs(self) -> QDialog | None:
        """File › Chairs…: the clinic's chairs; an administrator adds and changes them."""
        from clinic_app.ui.shell.chairs_dialog import ChairsDialog

        if self.state.nurse is None:
            return None
        dialog = ChairsDialog(self.state, self)
        dialog.finished.connect(lambda _result: dialog.deleteLater())
        dialog.open()
        return dialog

    # -- Navigator -----------------------------------------------------------------------

    def open_chart(self, patient_id: int) -> None:
        """Show the chart of ``patient_id`` in its own tab."""
        from clinic_app.ui.patients.chart_view import PatientChartWidget

        key = ("chart", patient_id)
        if self.tabs.keyed(key) is None and not self._room_for_another_tab():
            return
        self._open_record(key, "Chart", lambda: PatientChartWidget(self.state, self, patient_id))
        opened = self.tabs.keyed(key)
        if isinstance(opened, PatientChartWidget):
            self._warn_look_alikes(opened)

    def _room_for_another_tab(self) -> bool:
        """Opening a record tab when :data:`MAX_OPEN_TABS` - 1 are open asks first (issue 12)."""
        open_records = self.tabs.count() - len((TODAY_TAB, PATIENTS_TAB))
        if open_records < MAX_OPEN_TABS - 1:
            return True
        return self.confirm_many_tabs(open_records)

    def confirm_many_tabs(self, open_records: int) -> bool:
        """Ask whether to open one more record while ``open_records`` are open."""
        answer = QMessageBox.question(
            self, "Many records open",
            f"{open_records} records are open. Close some before opening another, so the "
            "wrong patient's tab is not picked by mistake.\n\nOpen it anyway?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

    def _warn_look_alikes(self, opened: PatientChartWidget) -> None:
        """Say on the chart just opened when another open chart's name looks like it
        (:mod:`clinic_app.domain.look_alike`)."""
        from clinic_app.ui.patients.chart_view import PatientChartWidget

        new = _name_key(opened)
        if new is None:
            return
        charts = [self.tabs.widget(n) for n in range(self.tabs.count())]
        others = [_name_key(w) for w in charts if isinstance(w, PatientChartWidget)]
        similar = [k for k in others if k is not None and looks_alike(new, k)]
        if similar:
            names = "; ".join(f"{k.family_name.upper()}, {k.given_names} "
                              f"(born {date_text(k.date_of_birth)})" for k in similar)
            opened.notice.setText(f"Another open chart has a similar name: {names}. "
                                  "Check the MRN and date of birth.")

    def open_course(self, course_id: int) -> None:
        """Show a treatment course with its planned schedule."""
        from clinic_app.ui.course.course_view import CourseWidget

        self._open_record(("course", course_id), "Course",
                          lambda: CourseWidget(self.state, self, course_id))

    def open_visit(self, visit_id: int) -> None:
        """Show an infusion visit."""
        from clinic_app.ui.visit.visit_view import VisitWidget

        self._open_record(("visit", visit_id), "Visit",
                          lambda: VisitWidget(self.state, self, visit_id))

    def show_pdf(self, title: str, data: bytes, suggested_name: str) -> None:
        """Preview a sheet (non-modal), with Save as PDF and Print."""
        from clinic_app.ui.printing.pdf_preview import PdfPreviewDialog

        try:
            dialog = PdfPreviewDialog(title, data, suggested_name, self)
        except RuntimeError as exc:
            show_error(self, exc, title="Sheet not shown")
            return
        dialog.show()

    def _open_record(self, key: tuple[str, int], fallback_title: str,
                     make: Callable[[], QWidget]) -> None:
        def create() -> QWidget:
            widget = make()
            widget.windowTitleChanged.connect(lambda text: self._retitle(widget, text))
            return widget

        try:
            widget = self.tabs.show_keyed(key, fallback_title, create)
        except EXPECTED_ERRORS as exc:
            show_error(self, exc, title=f"{fallback_title} not opened")
            return
        self._retitle(widget, widget.windowTitle() or fallback_title)

    def _retitle(self, widget: QWidget, title: str) -> None:
        self.tabs.set_title(widget, title)

    # -- Patient menu --------------------------------------------------------------------

    def register_patient(self) -> None:
        """Open the registration form (from the Patients screen)."""
        self.tabs.setCurrentIndex(PATIENTS_TAB)
        self.patients.register_patient()

    def find_patient(self) -> None:
        """Show the Patients tab with the cursor in the search box."""
        self.tabs.setCurrentIndex(PATIENTS_TAB)
        self.patients.focus_search()

    # -- window layout -------------------------------------------------------------------

    def _restore_layout(self) -> None:
        tab = self.settings.value(TAB_KEY)
        if str(tab).isdigit() and self.tabs.is_fixed(int(tab)):
            self.tabs.setCurrentIndex(int(tab))
        geometry = self.settings.value(GEOMETRY_KEY)
        if isinstance(geometry, QByteArray) and self.restoreGeometry(geometry):
            state = self.settings.value(STATE_KEY)
            if isinstance(state, QByteArray):
                self.restoreState(state)
            return
        screen = QGuiApplication.primaryScreen()
        available = screen.availableGeometry() if screen is not None else None
        width = min(1366, available.width()) if available is not None else 1366
        height = min(768, available.height()) if available is not None else 768
        self.resize(width, height)

    def save_layout(self) -> None:
        """Remember the window's size, position and state, the splitters and column widths of
        the open screens, and Today or Patients as the tab to start on (record tabs are not
        reopened: the next nurse to sign in may be someone else)."""
        self.settings.setValue(GEOMETRY_KEY, self.saveGeometry())
        self.settings.setValue(STATE_KEY, self.saveState())
        self.layout_memory.save(self.tabs)
        current = self.tabs.currentIndex()
        self.settings.setValue(TAB_KEY, current if self.tabs.is_fixed(current) else TODAY_TAB)
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Qt override (Quit, the title bar): ask when something typed is unsaved, then
        remember the layout, close dialogs and previews, and close."""
        if self.state.nurse is not None and not self._may_discard_all():
            event.ignore()
            return
        self.save_layout()
        close_discarding([child for child in self.findChildren(QWidget)
                          if child.isWindow() and child.isVisible()])
        self.idle_lock.disarm()
        self.live.stop()
        super().closeEvent(event)


def _name_key(chart: PatientChartWidget) -> NameKey | None:
    if chart.chart is None:
        return None
    patient = chart.chart.patient.summary
    return NameKey(patient.id, patient.family_name, patient.given_names, patient.date_of_birth)
