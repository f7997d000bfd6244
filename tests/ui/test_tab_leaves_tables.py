"""Tab leaves the chart's and the course's tables (arrows move between rows; issue 12,
the developers' list; pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView
from test_course import course_screen, start_infliximab
from test_patient_chart import FakeNavigator, open_chart, register

pytestmark = pytest.mark.gui


def tab_leaves(qtbot, table: QTableView) -> bool:
    table.setFocus()
    qtbot.waitUntil(table.hasFocus)
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Tab)
    return QApplication.focusWidget() is not table


def test_tab_leaves_the_course_schedule(qtbot, app_state, ui_ctx):
    course_id = start_infliximab(ui_ctx, register(ui_ctx))
    widget = course_screen(qtbot, app_state, FakeNavigator(), course_id)
    widget.activateWindow()
    (table,) = [t for t in widget.findChildren(QTableView) if t.isVisible()]
    assert tab_leaves(qtbot, table)


def test_tab_leaves_every_table_of_the_chart(qtbot, app_state, ui_ctx):
    chart = open_chart(qtbot, app_state, FakeNavigator(), register(ui_ctx))
    chart.activateWindow()
    tables = chart.findChildren(QTableView)
    assert tables
    for index in range(chart.tabs.count()):
        chart.tabs.setCurrentIndex(index)
        for table in (t for t in tables if t.isVisible()):
            assert tab_leaves(qtbot, table), table.accessibleName()
