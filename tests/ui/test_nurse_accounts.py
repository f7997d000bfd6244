"""Nurse accounts from the window: File › Nurse accounts › Add nurse, and first-run Cancel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
)
from test_shell import named, open_window, type_into
from ui_testing import shot

from clinic_app.domain.permissions import Role
from clinic_app.services import accounts
from clinic_app.ui.app_state import AppState
from clinic_app.ui.shell.access_log_dialog import AccessLogDialog
from clinic_app.ui.shell.first_run_dialog import FirstRunDialog
from clinic_app.ui.shell.nurse_accounts_dialog import AddNurseDialog, NurseAccountsDialog

pytestmark = pytest.mark.gui


def fill_account(qtbot, dialog, name: str, username: str, password: str, pin: str) -> None:
    type_into(qtbot, dialog, "Full name", name)
    type_into(qtbot, dialog, "User name", username)
    type_into(qtbot, dialog, "Password", password)
    type_into(qtbot, dialog, "Repeat password", password)
    type_into(qtbot, dialog, "PIN (optional)", pin)


def open_accounts(qtbot, main_window) -> NurseAccountsDialog:
    action = main_window.actions_.nurse_accounts
    assert action.text() == "&Nurse accounts…" and action.isEnabled()
    action.trigger()
    dialogs = [d for d in main_window.findChildren(NurseAccountsDialog) if d.isVisible()]
    assert dialogs
    return dialogs[0]


def test_a_signed_in_nurse_adds_a_colleague_who_can_then_sign_in(
        qtbot, main_window, app_state, ui_ctx):
    dialog = open_accounts(qtbot, main_window)
    table = named(dialog, QTableWidget, "Nurse accounts list")
    assert table.rowCount() == 1 and table.item(0, 0).text() == "Anna Keller"
    qtbot.mouseClick(named(dialog, QPushButton, "Add nurse"), Qt.MouseButton.LeftButton)
    add = dialog.add_dialog
    assert isinstance(add, AddNurseDialog) and add.isVisible()
    fill_account(qtbot, add, "Beat Meier", "bmeier", "long enough secret", "1357")
    shot(add, "add_nurse")
    qtbot.keyClick(named(add, QLineEdit, "PIN (optional)"), Qt.Key.Key_Return)
    assert not add.isVisible()
    assert table.rowCount() == 2
    shot(dialog, "nurse_accounts")
    assert accounts.sign_in(ui_ctx, username="bmeier",
                            secret="long enough secret").display_name == "Beat Meier"


def test_a_taken_user_name_is_shown_beside_the_field_and_nothing_is_added(
        qtbot, main_window, ui_ctx):
    dialog = open_accounts(qtbot, main_window)
    add = dialog.add_nurse()
    fill_account(qtbot, add, "Anna Other", "akeller", "long enough secret", "")
    qtbot.mouseClick(named(add, QPushButton, "Add account"), Qt.MouseButton.LeftButton)
    assert "already taken" in add.account.rows.error_text("username")
    assert add.isVisible()
    assert len(accounts.list_nurses(ui_ctx)) == 1


def test_cancelling_a_typed_account_asks_before_discarding(qtbot, main_window, monkeypatch):
    asked = []
    monkeypatch.setattr("clinic_app.ui.unsaved.confirm_discard",
                        lambda _parent, what: asked.append(what) or False)
    add = open_accounts(qtbot, main_window).add_nurse()
    type_into(qtbot, add, "Full name", "Beat Meier")
    qtbot.keyClick(add, Qt.Key.Key_Escape)
    assert asked == ["nurse account"] and add.isVisible()


def test_cancel_on_the_first_run_asks_to_create_the_account_or_quit(
        qtbot, blank_ui_ctx, ui_settings, ui_db_path):
    window = open_window(qtbot, AppState(blank_ui_ctx), ui_settings, ui_db_path)
    qtbot.keyClick(window.active_dialog, Qt.Key.Key_Escape)
    box = window.no_account_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    shot(box, "first_run_cancel")
    again = next(b for b in box.buttons() if b.text() == "&Create account")
    qtbot.mouseClick(again, Qt.MouseButton.LeftButton)
    assert isinstance(window.active_dialog, FirstRunDialog)
    qtbot.keyClick(window.active_dialog, Qt.Key.Key_Escape)
    leave = next(b for b in window.no_account_box.buttons() if b.text() == "&Quit")
    qtbot.mouseClick(leave, Qt.MouseButton.LeftButton)
    assert not window.isVisible()


def test_the_lock_pages_sign_in_button_offers_the_first_account_when_there_is_none(
        qtbot, blank_ui_ctx, ui_settings, ui_db_path):
    window = open_window(qtbot, AppState(blank_ui_ctx), ui_settings, ui_db_path)
    window.active_dialog.close()
    window.no_account_box.close()
    qtbot.mouseClick(named(window.lock_page, QPushButton, "Sign in"), Qt.MouseButton.LeftButton)
    assert isinstance(window.active_dialog, FirstRunDialog)


def test_f1_lists_the_shown_screens_keys_read_from_its_buttons(qtbot, demo_window):
    demo_window.open_visit(1)
    screen = demo_window.tabs.currentWidget()
    keyed = [b for b in screen.findChildren(QPushButton)
             if b.isVisibleTo(screen) and not b.shortcut().isEmpty()]
    assert keyed, "the visit screen has buttons with shortcuts"
    demo_window.actions_.shortcuts.trigger()
    boxes = [w for w in demo_window.findChildren(QMessageBox)
             if w.accessibleName() == "Keyboard shortcuts" and w.isVisible()]
    text = boxes[-1].text()
    assert "On this screen" in text and "Ctrl+2" in text
    assert keyed[0].shortcut().toString() in text
    shot(boxes[-1], "f1_visit")


# --- roles, disabling, resets and the access log (issue 11, items 13 and 14) ----------------


def _row(table: QTableWidget, username: str) -> int:
    return next(r for r in range(table.rowCount()) if table.item(r, 1).text() == username)


def _select(qtbot, dialog: NurseAccountsDialog, username: str) -> None:
    table = named(dialog, QTableWidget, "Nurse accounts list")
    table.selectRow(_row(table, username))


def test_an_administrator_adds_a_charge_nurse_and_changes_disables_and_resets_accounts(
        qtbot, main_window, ui_ctx, monkeypatch):
    dialog = open_accounts(qtbot, main_window)
    table = named(dialog, QTableWidget, "Nurse accounts list")
    assert [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())] == [
        "Name", "User name", "Role", "Sign-in", "Status"]
    assert table.item(0, 2).text() == "Administrator"
    assert table.item(0, 4).text() == "Active (first account)"
    assert not named(dialog, QLabel, "Nurse accounts note").isVisibleTo(dialog)
    add = dialog.add_nurse()
    fill_account(qtbot, add, "Beat Meier", "bmeier", "long enough secret", "1357")
    role = named(add, QComboBox, "Role")
    role.setFocus()
    qtbot.keyClick(role, Qt.Key.Key_Down)  # Nurse -> Charge nurse, as with the keyboard
    assert role.currentText() == "Charge nurse"
    qtbot.mouseClick(named(add, QPushButton, "Add account"), Qt.MouseButton.LeftButton)
    assert table.item(_row(table, "bmeier"), 2).text() == "Charge nurse"

    _select(qtbot, dialog, "bmeier")
    dialog.change_role(chosen=Role.NURSE)
    assert table.item(_row(table, "bmeier"), 2).text() == "Nurse"
    monkeypatch.setattr(QMessageBox, "question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    _select(qtbot, dialog, "bmeier")
    qtbot.mouseClick(named(dialog, QPushButton, "Disable"), Qt.MouseButton.LeftButton)
    assert table.item(_row(table, "bmeier"), 4).text() == "Disabled"
    assert "disabled" in named(dialog, QLabel, "Nurse accounts message").text()
    shot(dialog, "nurse_accounts_roles")
    _select(qtbot, dialog, "bmeier")
    assert named(dialog, QPushButton, "Enable").text() == "&Enable"
    qtbot.mouseClick(named(dialog, QPushButton, "Enable"), Qt.MouseButton.LeftButton)
    assert table.item(_row(table, "bmeier"), 4).text() == "Active"

    _select(qtbot, dialog, "bmeier")
    reset = dialog.reset_password()
    type_into(qtbot, reset, "New password", "a brand new secret")
    type_into(qtbot, reset, "Repeat new password", "a brand new secret")
    qtbot.mouseClick(named(reset, QPushButton, "Set password"), Qt.MouseButton.LeftButton)
    assert not reset.isVisible()
    assert table.item(_row(table, "bmeier"), 3).text() == "Password"  # the PIN is gone
    assert accounts.sign_in(ui_ctx, username="bmeier", secret="a brand new secret")


def test_the_last_administrator_is_told_why_she_cannot_demote_herself(qtbot, main_window):
    dialog = open_accounts(qtbot, main_window)
    _select(qtbot, dialog, "akeller")
    dialog.change_role(chosen=Role.NURSE)
    message = named(dialog, QLabel, "Nurse accounts message")
    assert "only active administrator" in message.text()
    assert message.accessibleDescription() == message.text()
    assert named(dialog, QTableWidget, "Nurse accounts list").item(0, 2).text() == (
        "Administrator")


def test_a_nurse_sees_the_accounts_but_no_buttons_to_change_them_nor_the_access_log(
        qtbot, blank_ui_ctx, ui_ctx, ui_settings, ui_db_path):
    accounts.create_nurse(ui_ctx, username="bmeier", display_name="Beat Meier",
                          secret="long enough secret")
    state = AppState(blank_ui_ctx)
    beat = accounts.sign_in(blank_ui_ctx, username="bmeier", secret="long enough secret")
    state.sign_in(beat, nurse_id=beat.id, display_name=beat.display_name)
    window = open_window(qtbot, state, ui_settings, ui_db_path)
    assert not window.actions_.access_log.isVisible()
    dialog = open_accounts(qtbot, window)
    for name in ("Add nurse", "Change role", "Disable", "Reset password"):
        assert not named(dialog, QPushButton, name).isVisibleTo(dialog)
    assert named(dialog, QLabel, "Nurse accounts note").isVisibleTo(dialog)
    log = window.show_access_log()
    assert "Only an administrator may read" in named(log, QLabel, "Access log summary").text()


def test_the_administrator_reads_who_opened_a_chart_and_exports_it_privately(
        qtbot, demo_window, tmp_path):
    assert demo_window.actions_.access_log.isVisible()
    demo_window.open_chart(1)
    demo_window.actions_.access_log.trigger()
    log = next(d for d in demo_window.findChildren(AccessLogDialog) if d.isVisible())
    table = named(log, QTableWidget, "Access log entries")
    whats = [table.item(r, 4).text() for r in range(table.rowCount())]
    assert "Opened the chart" in whats
    row = whats.index("Opened the chart")
    assert table.item(row, 1).text() == "Demo Nurse" and table.item(row, 2).text()
    shot(log, "access_log")
    out = tmp_path / "access.csv"
    log.export(path=out)
    assert out.stat().st_mode & 0o777 == 0o600
    assert "Opened the chart" in out.read_text(encoding="utf-8")
    summary = named(log, QLabel, "Access log summary")
    assert "Exported" in summary.text()
    assert summary.accessibleName() == f"Access log summary: {summary.text()}"  # read aloud
