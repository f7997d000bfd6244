"""Remember how the nurse left the layout: splitter positions and table column widths.

A screen marks a splitter or a table once with :func:`remember_layout`; the name given becomes
its object name and the key of its saved state ("visit.splitter", "today.appointments"), so it
must be stable and unique across the program. The main window restores the marked widgets of a
screen when the screen is created and saves them when its tab closes and when the window
closes (:class:`LayoutMemory`, over the window's :class:`QSettings`).

A saved state whose number of columns (or splitter panes) differs from the widget's is stale
(the program changed) and is ignored, never half applied. A table whose model has no columns
yet is restored once its columns appear.
"""

from __future__ import annotations

from collections.abc import Iterator

from PySide6.QtCore import QByteArray, QSettings
from PySide6.QtWidgets import QHeaderView, QSplitter, QTableView, QTreeView, QWidget

_MARK = "rememberLayout"
_GROUP = "layout"

Remembered = QSplitter | QTableView | QTreeView | QHeaderView


def remember_layout(widget: Remembered, name: str) -> None:
    """Mark ``widget`` so its layout is saved and restored under ``name`` (the one-line hook
    for a screen: call it where the splitter or table is built)."""
    widget.setObjectName(name)
    widget.setProperty(_MARK, True)


def _part(widget: QWidget) -> QSplitter | QHeaderView | None:
    """What holds the state: the splitter itself, or the table's column header."""
    if isinstance(widget, QSplitter | QHeaderView):
        return widget
    if isinstance(widget, QTableView):
        return widget.horizontalHeader()
    if isinstance(widget, QTreeView):
        return widget.header()
    return None


def _marked(root: QWidget) -> Iterator[tuple[str, QSplitter | QHeaderView]]:
    widgets = [root, *root.findChildren(QWidget)]
    for widget in widgets:
        part = _part(widget)
        if widget.property(_MARK) and widget.objectName() and part is not None:
            yield widget.objectName(), part


def _as_int(value: object) -> int | None:
    try:
        return int(str(value))
    except ValueError:
        return None


class LayoutMemory:
    """Saves and restores the marked widgets of a screen in ``settings`` (group "layout")."""

    def __init__(self, settings: QSettings) -> None:
        self._settings = settings

    def _key(self, name: str, what: str) -> str:
        return f"{_GROUP}/{name}/{what}"

    def save(self, root: QWidget) -> None:
        """Remember the state of every marked widget in ``root`` (``root`` included)."""
        for name, part in _marked(root):
            self._settings.setValue(self._key(name, "state"), part.saveState())
            self._settings.setValue(self._key(name, "count"), part.count())

    def restore(self, root: QWidget) -> None:
        """Restore every marked widget in ``root`` whose saved state still fits it."""
        for name, part in _marked(root):
            state = self._settings.value(self._key(name, "state"))
            count = _as_int(self._settings.value(self._key(name, "count")))
            if not isinstance(state, QByteArray) or count is None:
                continue
            if isinstance(part, QHeaderView) and part.count() == 0:
                _restore_when_filled(part, count, state)
            elif part.count() == count:
                part.restoreState(state)


def _restore_when_filled(header: QHeaderView, count: int, state: QByteArray) -> None:
    """Restore ``header`` once its model's columns appear (if there are ``count`` of them)."""

    def filled(_old: int, new: int) -> None:
        if new == 0:
            return
        header.sectionCountChanged.disconnect(filled)
        if new == count:
            header.restoreState(state)

    header.sectionCountChanged.connect(filled)
