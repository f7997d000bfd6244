"""Nurse accounts from the window: File › Nurse accounts › Add nurse, and first-run Cancel."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QMessageBox, QPushButton, QTableWidget
from test_shell import named, open_window, type_into
from ui_testing import shot

from clinic_app.services import accounts
from clinic_app.ui.app_state import AppState
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
