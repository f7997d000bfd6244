"""Alt+letter mnemonics: within one window no two visible buttons, labels, tabs or menus share a
letter (an ambiguous Alt+letter only cycles the focus instead of acting)."""

from __future__ import annotations

import re
from collections import defaultdict

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QGroupBox,
    QLabel,
    QMenuBar,
    QTabBar,
    QTabWidget,
    QWidget,
)

pytestmark = pytest.mark.gui
MNEMONIC = re.compile(r"&([^&\s])")


def _texts(widget: QWidget) -> list[str]:
    if isinstance(widget, QAbstractButton):
        return [widget.text()]
    if isinstance(widget, QLabel):
        return [widget.text()] if widget.buddy() is not None else []
    if isinstance(widget, QGroupBox):
        return [widget.title()]
    if isinstance(widget, QTabBar):
        return [widget.tabText(n) for n in range(widget.count())]
    if isinstance(widget, QMenuBar):
        return [a.text() for a in widget.actions() if a.isVisible()]
    return []


def clashes(window: QWidget) -> dict[str, list[str]]:
    """Mnemonic letters used by more than one visible control of ``window``."""
    users: dict[str, list[str]] = defaultdict(list)
    for widget in window.findChildren(QWidget):
        if not widget.isVisible() or widget.window() is not window:
            continue
        for text in _texts(widget):
            for letter in MNEMONIC.findall(text.replace("&&", "")):
                users[letter.lower()].append(text)
    return {letter: texts for letter, texts in users.items() if len(texts) > 1}


def row_named(window, name: str) -> int:
    model = window.today.model
    for n in range(model.rowCount()):
        if model.row_at(n).patient.display_name == name:
            return n
    raise AssertionError(name)


def walk_inner_tabs(qtbot, window, screen: QWidget) -> dict[str, dict[str, list[str]]]:
    """The clashes on each page of the screen's own tab widgets."""
    found = {}
    for tabs in screen.findChildren(QTabWidget):
        for n in range(tabs.count()):
            tabs.setCurrentIndex(n)
            qtbot.wait(1)
            found[tabs.tabText(n)] = clashes(window)
    found[screen.windowTitle()] = clashes(window)
    return {page: c for page, c in found.items() if c}


def test_no_two_controls_of_a_main_screen_share_an_alt_letter(qtbot, demo_window):
    found = {}
    for index, name in ((0, "Today"), (1, "Patients")):
        demo_window.tabs.setCurrentIndex(index)
        qtbot.wait(1)
        found[name] = clashes(demo_window)
    row = demo_window.today.model.row_at(row_named(demo_window, "ŻÓŁĆ, Łukasz"))
    demo_window.open_chart(row.patient.id)
    found |= walk_inner_tabs(qtbot, demo_window, demo_window.tabs.currentWidget())
    demo_window.open_course(row.course_id)
    found |= walk_inner_tabs(qtbot, demo_window, demo_window.tabs.currentWidget())
    demo_window.tabs.setCurrentIndex(0)
    today = demo_window.today
    today.table.setFocus()
    today.table.selectRow(row_named(demo_window, "ИВАНОВА, Анна"))
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    found |= walk_inner_tabs(qtbot, demo_window, demo_window.tabs.currentWidget())
    assert {page: c for page, c in found.items() if c} == {}
