"""Form building blocks: a label, the input and a message line beside it, named for screen readers.

Every input's accessible name is its visible label ("Weight (kg)"), so assistive technology and
the tests find it the way a nurse would. Validation messages appear under the field they concern,
read with the field's name ("Weight (kg) error: ...") and announced to screen readers,
every one at once when a form has several bad fields; the text the nurse typed is kept.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from PySide6.QtWidgets import QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from clinic_app.ui.a11y import ValueLabel, error_label

ERROR_STYLE = "color: #B00020; font-weight: 600;"


_Field = TypeVar("_Field", bound=QWidget)


class FormRows:
    """A :class:`QFormLayout` whose rows each carry an error line, keyed by field name."""

    def __init__(self, layout: QFormLayout) -> None:
        self.layout = layout
        self._inputs: dict[str, QWidget] = {}
        self._errors: dict[str, ValueLabel] = {}

    def add(self, field: str, label: str, widget: _Field) -> _Field:
        """Add a row for ``field``: ``label`` (with a mnemonic '&' if wanted) and ``widget``."""
        caption = QLabel(label)
        caption.setBuddy(widget)
        plain = label.replace("&", "")
        widget.setAccessibleName(plain)
        widget.setObjectName(field)
        error = error_label(f"{plain} error", ERROR_STYLE)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        self.layout.addRow(caption, box)
        self._inputs[field] = widget
        self._errors[field] = error
        return widget

    def input(self, field: str) -> QWidget:
        """The input widget of ``field``."""
        return self._inputs[field]

    def show_error(self, field: str, message: str) -> bool:
        """Show ``message`` under ``field`` and focus it; False when the form has no such field."""
        label = self._errors.get(field)
        if label is None:
            return False
        label.setText(message)
        label.show()
        self._inputs[field].setFocus()
        self._make_room()
        return True

    def show_errors(self, errors: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
        """Show each ``(field, message)`` under its field at once (two for one field one under
        the other) and focus the first of those fields in form order. Returns the pairs this
        form has no field for (the caller shows them elsewhere)."""
        shown: dict[str, list[str]] = {}
        elsewhere: list[tuple[str, str]] = []
        for field, message in errors:
            if field in self._errors:
                shown.setdefault(field, []).append(message)
            else:
                elsewhere.append((field, message))
        for field, messages in shown.items():
            self._errors[field].setText("\n".join(messages))
            self._errors[field].show()
        first = next((f for f in self._inputs if f in shown), None)
        if first is not None:
            self._inputs[first].setFocus()
        self._make_room()
        return tuple(elsewhere)

    def _make_room(self) -> None:
        """Grow the dialog so messages wrapped over several lines are not squeezed over the
        inputs (a form layout counts a wrapped label as one line). A form inside a main-window
        tab is left to its window."""
        parent = self.layout.parentWidget()
        window = parent.window() if parent is not None else None
        top = window.layout() if isinstance(window, QDialog) else None
        if window is None or top is None:
            return
        top.activate()
        needed = (top.totalHeightForWidth(window.width()) if top.hasHeightForWidth()
                  else top.totalSizeHint().height())
        if needed > window.height():
            window.resize(window.width(), needed)

    def error_text(self, field: str) -> str:
        """The message shown under ``field`` ('' when none)."""
        label = self._errors[field]
        parent = label.parentWidget()
        shown = label.isVisible() if parent is None else label.isVisibleTo(parent)
        return label.text() if shown else ""

    def clear_errors(self) -> None:
        """Hide every message (before a new attempt)."""
        for label in self._errors.values():
            label.clear()
            label.hide()
