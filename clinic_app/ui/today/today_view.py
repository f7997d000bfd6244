"""Layout of the Today screen (no behaviour): day picker, summary, the table and the chair
timeline on two tabs, print button."""

from __future__ import annotations

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.date_edits import show_clinic_format
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.layout_memory import remember_layout
from clinic_app.ui.today.chair_timeline import ChairTimeline
from clinic_app.ui.today.today_model import ALERTS_COLUMN, COLUMNS, NEXT_DUE_COLUMN

ALERTS_WIDTH = 260
LIST_HINT = "Double-click or press Enter to open the visit or the chart."
TIMELINE_HINT = "Double-click a bar or press Enter to move a booking or open its visit."


def _button(text: str, name: str, shortcut: str | None = None) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    if shortcut:
        button.setShortcut(QKeySequence(shortcut))
        button.setToolTip(f"{name} ({shortcut})")
    return button


class TodayView(QWidget):
    """The widgets of the Today screen, laid out for 1366x768 and wider."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = ValueLabel("Clinic day")
        self.heading.setStyleSheet("font-size: 16pt; font-weight: 600;")
        self.previous_day = _button("◀ Previo&us day", "Previous day", "Alt+Left")
        self.day = QDateEdit()
        self.day.setCalendarPopup(True)
        show_clinic_format(self.day, with_time=False, weekday=True)
        self.day.setAccessibleName("Day")
        self.day.lineEdit().setAccessibleName("Day (date)")
        self.day.setMinimumWidth(150)
        day_caption = QLabel("&Day")
        day_caption.setBuddy(self.day)
        self.next_day = _button("&Next day ▶", "Next day", "Alt+Right")
        self.back_to_today = _button("&Today", "Today", "Alt+Home")
        self.print_day_list = _button("P&rint day list", "Print day list", "Ctrl+P")
        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        for widget in (day_caption, self.previous_day, self.day, self.next_day,
                       self.back_to_today, self.print_day_list):
            top.addWidget(widget)
        self.summary = ValueLabel("Day summary")
        self.message = ValueLabel("Today message", alert=True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        self.table = self._table()
        self.timeline = ChairTimeline()
        self.tabs = self._tabs()
        self.weigh_and_open = _button("&Weigh and open visit…", "Weigh and open visit")
        self.weigh_and_open.setToolTip("The patient has arrived: weigh, check the dose and open "
                                       "the infusion visit")
        self.did_not_attend = _button("Did not &attend…", "Did not attend")
        self.did_not_attend.setToolTip("The booked patient did not come: record it (asks "
                                       "first; the dose stays owed) (Alt+A)")
        self.open_chart = _button("Open &chart", "Open chart")
        self.open_selected = _button("&Open", "Open")
        self.open_selected.setToolTip("Open the visit, or the chart when no visit is open yet "
                                      "(Enter)")
        bottom = QHBoxLayout()
        self.hint = QLabel(LIST_HINT)
        bottom.addWidget(self.hint)
        bottom.addStretch(1)
        bottom.addWidget(self.did_not_attend)
        bottom.addSpacing(16)
        bottom.addWidget(self.weigh_and_open)
        bottom.addWidget(self.open_chart)
        bottom.addWidget(self.open_selected)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(self.message)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

    def _tabs(self) -> QTabWidget:
        """The list and the chair timeline, one tab each (both fit 1024x600)."""
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.timeline)
        scroll.setAccessibleName("Chair timeline area")
        tabs = QTabWidget()
        tabs.setAccessibleName("Today's views")
        tabs.addTab(self.table, "&List")
        tabs.addTab(scroll, "Chair t&imeline")
        tabs.setTabToolTip(0, "The day's appointments as a list (Alt+L)")
        tabs.setTabToolTip(1, "Chairs as rows, visits as bars, late ones in red (Alt+I)")
        return tabs

    def _table(self) -> QTableView:
        table = QTableView()
        table.setAccessibleName("Today's appointments")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setAlternatingRowColors(True)
        table.setWordWrap(False)
        table.verticalHeader().hide()
        table.verticalHeader().setDefaultSectionSize(30)
        table.setTabKeyNavigation(False)
        remember_layout(table, "today.appointments")
        return table

    def size_columns(self) -> None:
        """"Next due" takes the spare width; alerts get a fixed share; the rest fit content."""
        header = self.table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NEXT_DUE_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(ALERTS_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(ALERTS_COLUMN, ALERTS_WIDTH)
