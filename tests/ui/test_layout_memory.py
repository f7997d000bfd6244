"""The layout is remembered between sessions: splitters, column widths, the tab to start on."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QVBoxLayout, QWidget

from clinic_app.ui.layout_memory import LayoutMemory, remember_layout
from clinic_app.ui.shell.main_window import MainWindow
from clinic_app.ui.today.today_model import ALERTS_COLUMN

pytestmark = pytest.mark.gui


def table(columns: int, name: str | None = "test.table") -> QTableView:
    view = QTableView()
    view.setModel(QStandardItemModel(0, columns, view))
    if name:
        remember_layout(view, name)
    return view


def splitter_screen(name: str = "test.splitter") -> QWidget:
    screen = QWidget()
    splitter = QSplitter(Qt.Orientation.Horizontal)
    splitter.addWidget(QLabel("Plan"))
    splitter.addWidget(QLabel("Monitoring"))
    remember_layout(splitter, name)
    QVBoxLayout(screen).addWidget(splitter)
    screen.resize(1000, 400)
    return screen


def splitter_of(screen: QWidget) -> QSplitter:
    splitter = screen.findChild(QSplitter)
    assert splitter is not None
    return splitter


def test_a_splitter_comes_back_where_it_was_left(qtbot, ui_settings):
    memory = LayoutMemory(ui_settings)
    first = splitter_screen()
    qtbot.addWidget(first)
    first.show()
    splitter_of(first).setSizes([300, 690])
    sizes = splitter_of(first).sizes()
    memory.save(first)
    again = splitter_screen()
    qtbot.addWidget(again)
    memory.restore(again)
    again.show()
    assert splitter_of(again).sizes() == sizes


def test_a_column_width_comes_back_and_a_stale_state_is_ignored(qtbot, ui_settings):
    memory = LayoutMemory(ui_settings)
    first = table(3)
    qtbot.addWidget(first)
    first.setColumnWidth(1, 234)
    memory.save(first)
    again = table(3)
    qtbot.addWidget(again)
    memory.restore(again)
    assert again.columnWidth(1) == 234
    changed = table(4)  # a newer program with one column more
    qtbot.addWidget(changed)
    default = changed.columnWidth(1)
    memory.restore(changed)
    assert changed.columnWidth(1) == default != 234


def test_a_table_whose_columns_arrive_later_is_restored_when_they_do(qtbot, ui_settings):
    memory = LayoutMemory(ui_settings)
    first = table(3)
    qtbot.addWidget(first)
    first.setColumnWidth(2, 321)
    memory.save(first)
    late = QTableView()
    qtbot.addWidget(late)
    remember_layout(late, "test.table")
    memory.restore(late)
    late.setModel(QStandardItemModel(0, 3, late))
    assert late.columnWidth(2) == 321


def test_unmarked_widgets_are_not_saved_and_a_damaged_state_does_no_harm(qtbot, ui_settings):
    memory = LayoutMemory(ui_settings)
    plain = table(3, name=None)
    qtbot.addWidget(plain)
    memory.save(plain)
    assert ui_settings.allKeys() == []
    ui_settings.setValue("layout/test.table/state", QByteArray(b"not a header state"))
    ui_settings.setValue("layout/test.table/count", "three")
    marked = table(3)
    qtbot.addWidget(marked)
    width = marked.columnWidth(0)
    memory.restore(marked)
    assert marked.columnWidth(0) == width


def reopen(qtbot, window: MainWindow, app_state, settings: QSettings) -> MainWindow:
    window.close()
    again = MainWindow(app_state, settings=settings, database_label="clinic.sqlite3")
    qtbot.addWidget(again)
    again.show()
    return again


def test_the_today_column_widths_and_the_last_tab_survive_a_restart(
        qtbot, main_window, app_state, ui_settings):
    header = main_window.today.table.horizontalHeader()
    header.resizeSection(ALERTS_COLUMN, 333)
    main_window.tabs.setCurrentWidget(main_window.patients)
    again = reopen(qtbot, main_window, app_state, ui_settings)
    assert again.today.table.horizontalHeader().sectionSize(ALERTS_COLUMN) == 333
    assert again.tabs.currentWidget() is again.patients
    assert Path(ui_settings.fileName()).read_text(encoding="utf-8").count("today.appointments")


def test_a_record_tab_saves_its_layout_when_closed_and_finds_it_when_reopened(
        qtbot, main_window):
    first = main_window.tabs.show_keyed(("test", 1), "Record", splitter_screen)
    splitter_of(first).setSizes([250, 700])
    sizes = splitter_of(first).sizes()
    main_window.tabs.close_current()
    again = main_window.tabs.show_keyed(("test", 1), "Record", splitter_screen)
    assert again is not first
    assert splitter_of(again).sizes() == sizes


def test_an_open_record_is_never_the_tab_to_start_on(qtbot, main_window, app_state,
                                                      ui_settings):
    main_window.tabs.show_keyed(("test", 2), "Record", splitter_screen)
    again = reopen(qtbot, main_window, app_state, ui_settings)
    assert again.tabs.currentWidget() is again.today
    assert again.tabs.count() == 2
