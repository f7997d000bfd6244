"""The main window: first start, sign-in, the idle lock, tabs and shortcuts, the status bar."""

from __future__ import annotations

import os

import pytest
from clinic_testing import file_mode
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QTabBar, QWidget
from ui_testing import called

from clinic_app.config import sqlite_url_for
from clinic_app.services import accounts
from clinic_app.services.demo import DEMO_NURSES, DEMO_PASSWORD, DEMO_PIN
from clinic_app.storage import ensure_database
from clinic_app.ui.app_state import AppState
from clinic_app.ui.shell.first_run_dialog import FirstRunDialog
from clinic_app.ui.shell.main_window import MainWindow
from clinic_app.ui.shell.sign_in_dialog import SignInDialog

pytestmark = pytest.mark.gui
CTRL = Qt.KeyboardModifier.ControlModifier


def named(parent: QWidget, kind: type, name: str):
    """The child of ``parent`` with this accessible name (as a screen reader finds it)."""
    found = [w for w in parent.findChildren(kind) if called(w, name)]
    assert found, f"no {kind.__name__} named {name!r}"
    return found[0]


def open_window(qtbot, state: AppState, ui_settings, ui_db_path) -> MainWindow:
    window = MainWindow(state, settings=ui_settings, database_label=str(ui_db_path))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.start_session()
    return window


def type_into(qtbot, dialog: QWidget, name: str, text: str) -> None:
    field = named(dialog, QLineEdit, name)
    field.setFocus()
    qtbot.keyClicks(field, text)


def test_on_an_empty_database_the_first_nurse_account_is_created_and_signed_in(
        qtbot, blank_ui_ctx, ui_settings, ui_db_path):
    state = AppState(blank_ui_ctx)
    window = open_window(qtbot, state, ui_settings, ui_db_path)
    dialog = window.active_dialog
    assert isinstance(dialog, FirstRunDialog)
    assert window.is_locked
    type_into(qtbot, dialog, "Full name", "Anna Keller")
    type_into(qtbot, dialog, "User name", "akeller")
    type_into(qtbot, dialog, "Password", "correct horse battery")
    type_into(qtbot, dialog, "Repeat password", "correct horse battery")
    type_into(qtbot, dialog, "PIN (optional)", "2468")
    qtbot.mouseClick(named(dialog, QPushButton, "Create account"), Qt.MouseButton.LeftButton)
    assert state.nurse_name == "Anna Keller"
    assert not window.is_locked
    assert window.status.nurse.text() == "Nurse: Anna Keller"
    assert accounts.sign_in(blank_ui_ctx, username="akeller",
                            secret="correct horse battery").display_name == "Anna Keller"
    window.lock_idle()  # she signed in with her password: her PIN opens the idle lock
    secret = named(window.active_dialog, QLineEdit, "PIN or password")
    qtbot.keyClicks(secret, "2468")
    qtbot.keyClick(secret, Qt.Key.Key_Return)
    assert not window.is_locked


def test_the_first_run_dialog_says_when_the_two_passwords_differ(
        qtbot, blank_ui_ctx, ui_settings, ui_db_path):
    window = open_window(qtbot, AppState(blank_ui_ctx), ui_settings, ui_db_path)
    dialog = window.active_dialog
    type_into(qtbot, dialog, "Full name", "Anna Keller")
    type_into(qtbot, dialog, "User name", "akeller")
    type_into(qtbot, dialog, "Password", "correct horse battery")
    type_into(qtbot, dialog, "Repeat password", "correct horse batery")
    qtbot.keyClick(named(dialog, QLineEdit, "Repeat password"), Qt.Key.Key_Return)
    assert "differ" in dialog.rows.error_text("repeat")
    assert window.is_locked
    assert not accounts.has_nurses(blank_ui_ctx)


def test_a_short_password_gets_the_services_message_beside_the_field(
        qtbot, blank_ui_ctx, ui_settings, ui_db_path):
    window = open_window(qtbot, AppState(blank_ui_ctx), ui_settings, ui_db_path)
    dialog = window.active_dialog
    type_into(qtbot, dialog, "Full name", "Anna Keller")
    type_into(qtbot, dialog, "User name", "akeller")
    type_into(qtbot, dialog, "Password", "short")
    type_into(qtbot, dialog, "Repeat password", "short")
    qtbot.mouseClick(named(dialog, QPushButton, "Create account"), Qt.MouseButton.LeftButton)
    assert dialog.rows.error_text("secret")
    assert window.is_locked


def test_a_wrong_password_shows_the_message_and_the_window_stays_locked(
        qtbot, blank_ui_ctx, ui_nurse, ui_settings, ui_db_path):
    state = AppState(blank_ui_ctx)
    window = open_window(qtbot, state, ui_settings, ui_db_path)
    dialog = window.active_dialog
    assert isinstance(dialog, SignInDialog)
    type_into(qtbot, dialog, "User name", "akeller")
    type_into(qtbot, dialog, "Password", "9999")
    qtbot.keyClick(named(dialog, QLineEdit, "Password"), Qt.Key.Key_Return)
    message = named(dialog, QLabel, "Sign-in message")
    assert message.isVisible()
    assert "wrong password" in message.text()
    assert window.is_locked
    assert not window.tabs.isVisible()
    assert state.nurse is None
    assert named(dialog, QLineEdit, "Password").text() == ""
    type_into(qtbot, dialog, "Password", ui_nurse.pin)  # a PIN does not start a shift
    qtbot.keyClick(named(dialog, QLineEdit, "Password"), Qt.Key.Key_Return)
    assert window.is_locked and "wrong password" in message.text()
    type_into(qtbot, dialog, "Password", ui_nurse.password)
    qtbot.keyClick(named(dialog, QLineEdit, "Password"), Qt.Key.Key_Return)
    assert not window.is_locked
    assert window.status.nurse.text() == "Nurse: Anna Keller"


def test_the_status_bar_shows_the_nurse_and_the_database(main_window, ui_db_path):
    assert main_window.status.nurse.text() == "Nurse: Anna Keller"
    assert str(ui_db_path) in main_window.status.database.text()
    assert not main_window.status.demo.isVisible()
    assert "DEMO" not in main_window.windowTitle()


def test_after_the_idle_time_the_window_hides_patient_data_and_asks_for_sign_in(
        qtbot, main_window, app_state, ui_nurse):
    main_window.idle_lock.set_interval_ms(50)
    main_window.idle_lock.arm()
    qtbot.waitUntil(lambda: main_window.is_locked, timeout=2000)
    assert not main_window.tabs.isVisible()
    assert not main_window.today.table.isVisible()
    assert app_state.nurse is None
    assert main_window.status.nurse.text().startswith("Locked")
    assert not main_window.actions_.register_patient.isEnabled()
    dialog = main_window.active_dialog
    assert isinstance(dialog, SignInDialog)
    assert named(dialog, QLineEdit, "User name").text() == "akeller"
    qtbot.keyClicks(named(dialog, QLineEdit, "PIN or password"), ui_nurse.pin)
    qtbot.keyClick(named(dialog, QLineEdit, "PIN or password"), Qt.Key.Key_Return)
    assert not main_window.is_locked
    assert main_window.tabs.isVisible()
    assert app_state.nurse_name == "Anna Keller"


def test_typing_keeps_the_workstation_unlocked(qtbot, main_window):
    main_window.idle_lock.set_interval_ms(400)
    main_window.idle_lock.arm()
    for _ in range(4):
        qtbot.wait(150)
        qtbot.keyClick(main_window.today.table, Qt.Key.Key_Down)
    assert not main_window.is_locked


def test_ctrl_1_and_ctrl_2_switch_between_today_and_patients(qtbot, main_window):
    main_window.activateWindow()
    qtbot.keyClick(main_window, Qt.Key.Key_2, modifier=CTRL)
    assert main_window.tabs.currentWidget() is main_window.patients
    qtbot.keyClick(main_window, Qt.Key.Key_1, modifier=CTRL)
    assert main_window.tabs.currentWidget() is main_window.today


def test_ctrl_f_puts_the_cursor_in_the_patient_search(qtbot, main_window):
    main_window.activateWindow()
    qtbot.keyClick(main_window, Qt.Key.Key_F, modifier=CTRL)
    assert main_window.tabs.currentWidget() is main_window.patients
    search = named(main_window.patients, QLineEdit, "Patient search")
    qtbot.waitUntil(search.hasFocus, timeout=1000)


def test_today_and_patients_tabs_cannot_be_closed(main_window):
    bar = main_window.tabs.tabBar()
    for index in (0, 1):
        assert bar.tabButton(index, QTabBar.ButtonPosition.RightSide) is None
    main_window.tabs.close_tab(0)
    assert main_window.tabs.count() == 2


def test_signing_out_locks_and_asks_who_is_working(qtbot, main_window, app_state):
    main_window.actions_.sign_out.trigger()
    assert main_window.is_locked
    assert app_state.nurse is None
    assert isinstance(main_window.active_dialog, SignInDialog)


def test_the_window_size_is_remembered_for_the_next_start(qtbot, app_state, ui_settings,
                                                          ui_db_path):
    first = MainWindow(app_state, settings=ui_settings, database_label=str(ui_db_path))
    qtbot.addWidget(first)
    first.resize(800, 540)
    first.show()
    qtbot.waitExposed(first)
    first.close()
    second = MainWindow(app_state, settings=ui_settings, database_label=str(ui_db_path))
    qtbot.addWidget(second)
    assert second.height() == 540  # not the default 768


def test_help_lists_the_keyboard_shortcuts(qtbot, main_window):
    main_window.actions_.shortcuts.trigger()
    boxes = [w for w in main_window.findChildren(QWidget)
             if w.accessibleName() == "Keyboard shortcuts" and w.isVisible()]
    assert boxes
    assert "Ctrl+2" in boxes[0].text()


def test_the_app_opens_a_new_database_and_asks_for_the_first_account(qtbot, tmp_path,
                                                                     ui_settings):
    from clinic_app.app import build_main_window

    db = tmp_path / "new-clinic.sqlite3"
    state, window = build_main_window(["--db", str(db)], settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    window.start_session()
    assert db.exists()
    assert state.nurse is None and not state.demo
    assert window.is_locked
    assert isinstance(window.active_dialog, FirstRunDialog)
    assert str(db) in window.status.database.text()
    assert not window.status.demo.isVisible()


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.usefixtures("permissive_umask")
def test_the_app_start_takes_the_others_permissions_off_the_clinic_files(
        qtbot, tmp_path, ui_settings, monkeypatch):
    from clinic_app import config
    from clinic_app.app import build_main_window
    from clinic_app.bootstrap import close_clinic

    data = tmp_path / "clinic_app"
    monkeypatch.setattr(config, "default_data_dir", lambda: data)
    data.mkdir(mode=0o755)  # as an older version left the data folder and its files
    ensure_database(sqlite_url_for(data / "clinic.sqlite3"))
    (data / "errors.log").write_text("an old entry\n", encoding="utf-8")
    for path in data.iterdir():
        path.chmod(0o644)
    state, window = build_main_window([], settings=ui_settings)  # the user's own clinic
    qtbot.addWidget(window)
    assert window.daily_backup is not None
    with qtbot.waitSignal(window.daily_backup.made, timeout=10_000):  # made in the background
        pass
    close_clinic(state.ctx)
    daily_backup, = (data / "backups").iterdir()
    assert {path.name: oct(file_mode(path)) for path in (
        data, data / "clinic.sqlite3", data / "errors.log", data / "backups", daily_backup)
    } == {"clinic_app": "0o700", "clinic.sqlite3": "0o600", "errors.log": "0o600",
          "backups": "0o700", daily_backup.name: "0o600"}


def test_demo_mode_opens_a_scratch_database_signed_in_with_a_demo_marker(
        qtbot, tmp_path, ui_settings, monkeypatch):
    import tempfile

    from clinic_app.app import build_main_window

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    state, window = build_main_window(["--demo"], settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.start_session()  # seeds off the GUI thread, then signs the demo nurse in
    assert window.is_locked
    qtbot.waitUntil(lambda: state.nurse is not None, timeout=60_000)
    assert state.demo
    assert "DEMO DATA" in window.windowTitle()
    assert window.status.demo.isVisible()
    assert window.status.demo.text() == "DEMO DATA"
    assert window.status.nurse.text() == f"Nurse: {state.nurse_name}"
    assert str(tmp_path) in window.status.database.text()
    assert not window.is_locked
    assert window.today.model.rowCount() > 0
    assert window.patients.model.rowCount() > 0  # the search list shows the demo patients


def row_named(window, name: str) -> int:
    model = window.today.model
    for n in range(model.rowCount()):
        if model.row_at(n).patient.display_name == name:
            return n
    raise AssertionError(name)


def test_enter_on_today_opens_the_visit_in_its_own_closable_tab(qtbot, demo_window):
    today = demo_window.today
    today.table.setFocus()
    today.table.selectRow(row_named(demo_window, "ИВАНОВА, Анна"))
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    assert demo_window.tabs.count() == 3
    assert demo_window.tabs.tabText(2) == "Visit — ИВАНОВА, Анна"
    assert demo_window.tabs.currentIndex() == 2
    qtbot.keyClick(today.table, Qt.Key.Key_Return)  # the same visit again: no second tab
    assert demo_window.tabs.count() == 3
    demo_window.actions_.close_tab.trigger()
    assert demo_window.tabs.count() == 2


def test_the_navigator_opens_charts_and_courses_once_each(qtbot, demo_window):
    row = demo_window.today.model.row_at(row_named(demo_window, "ŻÓŁĆ, Łukasz"))
    demo_window.open_chart(row.patient.id)
    demo_window.open_course(row.course_id)
    demo_window.open_chart(row.patient.id)
    titles = [demo_window.tabs.tabText(n) for n in range(demo_window.tabs.count())]
    assert titles[:2] == ["Today", "Patients"]
    chart_title = f"ŻÓŁĆ, Łukasz ({row.patient.mrn})"  # tabs carry name and MRN (issue 12)
    assert titles.count(chart_title) == 1
    assert any("ŻÓŁĆ, Łukasz" in t and "infliximab" in t.lower() for t in titles[2:])
    assert demo_window.tabs.currentWidget().windowTitle() == chart_title


def test_signing_out_closes_the_record_tabs_but_an_idle_lock_keeps_them(qtbot, demo_window):
    row = demo_window.today.model.row_at(row_named(demo_window, "ŻÓŁĆ, Łukasz"))
    demo_window.open_chart(row.patient.id)
    demo_window.lock_idle()
    assert demo_window.is_locked and demo_window.tabs.count() == 3
    pin = named(demo_window.active_dialog, QLineEdit, "PIN or password")
    qtbot.keyClicks(pin, DEMO_PIN)
    qtbot.keyClick(pin, Qt.Key.Key_Return)
    assert not demo_window.is_locked and demo_window.tabs.count() == 3
    demo_window.sign_out()
    assert demo_window.tabs.count() == 2


def test_the_demo_window_says_demo_data_in_the_title_and_status_bar(demo_window):
    assert demo_window.windowTitle().endswith("DEMO DATA")
    assert demo_window.status.demo.isVisible()


def test_back_up_now_copies_the_database_and_says_where(qtbot, tmp_path, ui_settings):
    from clinic_app.app import build_main_window

    db = tmp_path / "clinic.sqlite3"
    state, window = build_main_window(["--db", str(db)], settings=ui_settings)
    qtbot.addWidget(window)
    window.show()
    assert not window.actions_.back_up.isEnabled()  # locked: nobody signed in
    nurse = accounts.create_nurse(state.ctx, username="akeller", display_name="Anna Keller",
                              secret="correct horse battery")
    state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
    window.actions_.back_up.trigger()

    def notice_shown() -> bool:
        return any(w.accessibleName() == "Backup made" and w.isVisible()
                   for w in window.findChildren(QWidget))

    qtbot.waitUntil(notice_shown, timeout=10_000)
    backups = list((tmp_path / "backups").glob("clinic-*.sqlite3"))
    assert any("manual" in b.name for b in backups)


def test_cancelling_the_sign_in_leaves_the_lock_page_with_a_way_back(
        qtbot, blank_ui_ctx, ui_nurse, ui_settings, ui_db_path):
    window = open_window(qtbot, AppState(blank_ui_ctx), ui_settings, ui_db_path)
    qtbot.keyClick(window.active_dialog, Qt.Key.Key_Escape)
    assert window.active_dialog is None
    assert window.is_locked
    qtbot.mouseClick(named(window.lock_page, QPushButton, "Sign in"), Qt.MouseButton.LeftButton)
    assert isinstance(window.active_dialog, SignInDialog)


def test_the_idle_lock_hides_open_previews_and_brings_them_back_after_sign_in(
        qtbot, demo_window):
    from clinic_app.ui.printing.pdf_preview import PdfPreviewDialog

    qtbot.mouseClick(demo_window.today.print_day_list, Qt.MouseButton.LeftButton)
    preview = demo_window.findChild(PdfPreviewDialog)
    assert preview.isVisible()
    demo_window.lock_idle()
    assert not preview.isVisible()
    pin = named(demo_window.active_dialog, QLineEdit, "PIN or password")
    qtbot.keyClicks(pin, DEMO_PIN)
    qtbot.keyClick(pin, Qt.Key.Key_Return)
    assert preview.isVisible()


def sign_in_as(qtbot, window, username: str) -> None:
    """Another nurse at the idle lock: her password (her PIN only opens her own lock)."""
    dialog = window.active_dialog
    user = named(dialog, QLineEdit, "User name")
    user.clear()
    qtbot.keyClicks(user, username)
    secret = named(dialog, QLineEdit, "PIN or password")
    qtbot.keyClicks(secret, DEMO_PASSWORD)
    qtbot.keyClick(secret, Qt.Key.Key_Return)


def test_after_a_sign_out_the_pin_is_not_enough_and_another_nurse_needs_her_password(
        qtbot, demo_window):
    demo_window.lock_idle()
    dialog = demo_window.active_dialog
    user = named(dialog, QLineEdit, "User name")
    user.clear()
    qtbot.keyClicks(user, "mkowalska")
    secret = named(dialog, QLineEdit, "PIN or password")
    qtbot.keyClicks(secret, DEMO_PIN)  # her PIN: she did not sign in with her password here
    qtbot.keyClick(secret, Qt.Key.Key_Return)
    assert demo_window.is_locked
    assert "wrong password" in named(dialog, QLabel, "Sign-in message").text()
    user.clear()
    qtbot.keyClicks(user, DEMO_NURSES[0][0])
    qtbot.keyClicks(secret, DEMO_PIN)  # the locked nurse's own PIN opens her lock
    qtbot.keyClick(secret, Qt.Key.Key_Return)
    assert not demo_window.is_locked
    demo_window.sign_out()
    password = named(demo_window.active_dialog, QLineEdit, "Password")  # not "PIN or password"
    qtbot.keyClicks(password, DEMO_PIN)
    qtbot.keyClick(password, Qt.Key.Key_Return)
    assert demo_window.is_locked  # after a sign-out the shift starts again with the password


def test_a_different_nurse_after_the_idle_lock_gets_the_previous_records_closed(
        qtbot, demo_window):
    from clinic_app.ui.printing.pdf_preview import PdfPreviewDialog

    row = demo_window.today.model.row_at(row_named(demo_window, "ŻÓŁĆ, Łukasz"))
    demo_window.open_chart(row.patient.id)
    qtbot.mouseClick(demo_window.today.print_day_list, Qt.MouseButton.LeftButton)
    preview = demo_window.findChild(PdfPreviewDialog)
    demo_window.lock_idle()
    sign_in_as(qtbot, demo_window, "mkowalska")
    assert demo_window.state.nurse_name == "Magdalena Kowalska"
    assert demo_window.tabs.count() == 2
    assert not preview.isVisible()
    notices = [w for w in demo_window.findChildren(QWidget)
               if w.accessibleName() == "Unsaved work closed" and w.isVisible()]
    assert notices and "Demo Nurse's unsaved work was closed" in notices[0].text()


def test_the_same_nurse_after_the_idle_lock_gets_her_records_back_without_a_notice(
        qtbot, demo_window):
    row = demo_window.today.model.row_at(row_named(demo_window, "ŻÓŁĆ, Łukasz"))
    demo_window.open_chart(row.patient.id)
    demo_window.lock_idle()
    sign_in_as(qtbot, demo_window, "demo")
    assert demo_window.tabs.count() == 3
    assert not any(w.accessibleName() == "Unsaved work closed"
                   for w in demo_window.findChildren(QWidget))


def test_tab_close_buttons_and_the_days_date_field_are_named_for_screen_readers(
        qtbot, demo_window):
    row = demo_window.today.model.row_at(row_named(demo_window, "ŻÓŁĆ, Łukasz"))
    demo_window.open_chart(row.patient.id)
    bar = demo_window.tabs.tabBar()
    closers = [bar.tabButton(2, side) for side in (QTabBar.ButtonPosition.RightSide,
                                                   QTabBar.ButtonPosition.LeftSide)]
    assert [b.accessibleName() for b in closers if b is not None] == [
        f"Close ŻÓŁĆ, Łukasz ({row.patient.mrn})"]
    today = demo_window.today
    assert named(today, QPushButton, "Today").text() == "&Today"
    assert named(today, QLineEdit, "Day (date)").parentWidget() is today.day
