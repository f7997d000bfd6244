"""Issue 15: one application event filter serves the idle lock and the screen fit (each Python
filter on the application costs a call on every event of every widget)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QObject, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout, QWidget

from clinic_app.ui.app_events import AppEvents, app_events
from clinic_app.ui.screen_fit import install_screen_fit
from clinic_app.ui.shell.idle_lock import IdleLock

pytestmark = pytest.mark.gui


def test_the_idle_lock_and_the_screen_fit_share_one_filter(qtbot: Any) -> None:
    install_screen_fit()
    lock = IdleLock(10)
    install_screen_fit()
    app = QApplication.instance()
    assert app is not None
    assert len(app.findChildren(AppEvents)) == 1
    assert type(lock).eventFilter is QObject.eventFilter  # no filter of its own
    lock.deleteLater()


def test_input_anywhere_is_user_activity_and_painting_is_not(qtbot: Any) -> None:
    events = app_events()
    assert events is not None
    active: list[int] = []
    events.user_active.connect(lambda: active.append(1))
    host = QWidget()
    field = QLineEdit(host)
    QVBoxLayout(host).addWidget(field)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    active.clear()
    host.update()
    host.resize(400, 300)
    qtbot.wait(20)
    assert active == []
    QTest.keyClick(field, Qt.Key.Key_A)
    assert len(active) == 1  # the press (the release is not activity)
    QTest.mouseClick(field, Qt.MouseButton.LeftButton)
    assert len(active) == 2


def test_an_armed_idle_lock_restarts_on_a_key_press_anywhere(qtbot: Any) -> None:
    lock = IdleLock(10)
    lock.set_interval_ms(300)
    lock.arm()
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    qtbot.wait(200)
    QTest.keyClick(field, Qt.Key.Key_B)
    assert lock.timer.remainingTime() > 200  # the countdown started again
    with qtbot.waitSignal(lock.timed_out, timeout=2_000):
        pass
    lock.deleteLater()


def test_each_dialog_shown_is_announced_for_the_screen_fit(qtbot: Any) -> None:
    events = app_events()
    assert events is not None
    shown: list[QObject] = []
    events.window_shown.connect(shown.append)
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog in shown
    plain = QWidget()
    qtbot.addWidget(plain)
    plain.show()
    qtbot.waitExposed(plain)
    assert plain not in shown  # only dialogs and main windows are fitted
