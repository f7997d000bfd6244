"""Guards against a PySide6 release that corrupts reference counts (6.12.0 did).

PySide6 6.12.0 on Python 3.11 dropped a reference to ``True`` on every Python-side signal emit
and one to ``None`` on every ``QPushButton.click()``: after a few hundred nurse actions the
process aborted ("Fatal Python error: bool_dealloc"). pyproject.toml pins below 6.12; this test
fails loudly if an upgrade brings the leak back.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QPushButton

pytestmark = pytest.mark.gui


class _Emitter(QObject):
    fired = Signal()


def test_emitting_a_signal_keeps_reference_counts_intact(qtbot):
    emitter = _Emitter()
    emitter.fired.connect(lambda: None)
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        emitter.fired.emit()
    assert abs(sys.getrefcount(True) - before_true) < 50
    assert abs(sys.getrefcount(None) - before_none) < 50


def test_clicking_a_button_keeps_reference_counts_intact(qtbot):
    button = QPushButton("Start infusion")
    qtbot.addWidget(button)
    button.clicked.connect(lambda: None)
    before_true, before_none = sys.getrefcount(True), sys.getrefcount(None)
    for _ in range(200):
        button.click()
    assert abs(sys.getrefcount(True) - before_true) < 50
    assert abs(sys.getrefcount(None) - before_none) < 50
