"""The tab strip: fixed tabs (Today, Patients) and one closable tab per opened record.

An opened record has a key ("chart", 12): opening it again shows the existing tab instead of a
second copy, so two tabs never edit the same visit. Each close button is named for screen
readers after its tab ("Close Visit — ŻÓŁĆ, Łukasz"). Closing a tab with unsaved input (typed
vitals) asks first (:mod:`clinic_app.ui.unsaved`); closing every record at sign-out does not:
the main window asked once for all of them. Given a :class:`LayoutMemory`, each screen's
remembered splitters and tables are restored when its tab is created and saved when it closes.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar, QTabWidget, QWidget

from clinic_app.ui.layout_memory import LayoutMemory
from clinic_app.ui.unsaved import confirm_discard, unsaved_within


class ScreenTabs(QTabWidget):
    """A :class:`QTabWidget` that keys its closable tabs by record."""

    def __init__(self, parent: QWidget | None = None, *,
                 memory: LayoutMemory | None = None) -> None:
        super().__init__(parent)
        self._memory = memory
        self.setAccessibleName("Screens")
        self.setDocumentMode(True)
        self.setTabsClosable(True)
        self.setMovable(False)
        self.setUsesScrollButtons(True)
        self.setElideMode(Qt.TextElideMode.ElideRight)  # long names elide; the tool tip is whole
        self.tabCloseRequested.connect(self.request_close)
        self._keys: dict[Hashable, QWidget] = {}
        self._fixed: list[QWidget] = []

    def tabInserted(self, index: int) -> None:
        """Qt override: name the new tab's close button."""
        super().tabInserted(index)
        self._name_close_button(index)

    def set_title(self, widget: QWidget, title: str) -> None:
        """Retitle ``widget``'s tab (text, tool tip, accessible names)."""
        index = self.indexOf(widget)
        if index < 0 or not title:
            return
        self.setTabText(index, title)
        self.setTabToolTip(index, title)
        widget.setAccessibleName(title)
        self._name_close_button(index)

    def _name_close_button(self, index: int) -> None:
        for side in (QTabBar.ButtonPosition.RightSide, QTabBar.ButtonPosition.LeftSide):
            button = self.tabBar().tabButton(index, side)
            if button is not None:
                button.setAccessibleName(f"Close {self.tabText(index)}")
                button.setToolTip(f"Close {self.tabText(index)} (Ctrl+W)")

    def add_fixed(self, widget: QWidget, title: str) -> int:
        """A tab without a close button (Today, Patients)."""
        index = self.addTab(widget, title)
        for side in (QTabBar.ButtonPosition.RightSide, QTabBar.ButtonPosition.LeftSide):
            self.tabBar().setTabButton(index, side, None)
        self._fixed.append(widget)
        if self._memory is not None:
            self._memory.restore(widget)
        return index

    def is_fixed(self, index: int) -> bool:
        """True for the Today and Patients tabs."""
        return self.widget(index) in self._fixed

    def show_keyed(self, key: Hashable, title: str, make: Callable[[], QWidget]) -> QWidget:
        """Show the tab for ``key``, creating it with ``make()`` the first time."""
        widget = self._keys.get(key)
        if widget is None or self.indexOf(widget) < 0:
            widget = make()
            if self._memory is not None:
                self._memory.restore(widget)
            self._keys[key] = widget
            self.addTab(widget, title)
            widget.setAccessibleName(title)
        self.setCurrentWidget(widget)
        return widget

    def keyed(self, key: Hashable) -> QWidget | None:
        """The open tab for ``key`` (None when not open)."""
        widget = self._keys.get(key)
        return widget if widget is not None and self.indexOf(widget) >= 0 else None

    def unsaved_titles(self) -> list[str]:
        """The titles of the record tabs holding unsaved input."""
        titles = []
        for i in range(self.count()):
            widget = self.widget(i)
            if widget is not None and widget not in self._fixed and unsaved_within(widget):
                titles.append(self.tabText(i))
        return titles

    def request_close(self, index: int) -> None:
        """Close a record's tab, asking first when it holds unsaved input (close button)."""
        widget = self.widget(index)
        if widget is None or widget in self._fixed:
            return
        if unsaved_within(widget) and not confirm_discard(
                self, f"input in “{self.tabText(index)}”"):
            return
        self.close_tab(index)

    def close_tab(self, index: int) -> None:
        """Close a record's tab (fixed tabs stay)."""
        widget = self.widget(index)
        if widget is None or widget in self._fixed:
            return
        if self._memory is not None:
            self._memory.save(widget)
        self.removeTab(index)
        self._keys = {k: w for k, w in self._keys.items() if w is not widget}
        widget.deleteLater()

    def close_current(self) -> None:
        """Close the current tab when it is a record's, asking first as above (Ctrl+W)."""
        self.request_close(self.currentIndex())

    def close_records(self) -> None:
        """Close every record tab (after signing out)."""
        for index in reversed(range(self.count())):
            self.close_tab(index)
