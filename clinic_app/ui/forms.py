"""Form building blocks: a label, the input and a message line beside it, named for screen readers.

Every input's accessible name is its visible label ("Weight (kg)"), so assistive technology and
the tests find it the way a nurse would. Validation messages appear under the field they concern;
the text the nurse typed is kept.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

ERROR_STYLE = "color: #B00020; font-weight: 600;"


class FormRows:
    """A :class:`QFormLayout` whose rows each carry an error line, keyed by field name."""

    def __init__(self, layout: QFormLayout) -> None:
        self.layout = layout
        self._inputs: dict[str, QWidget] = {}
        self._errors: dict[str, QLabel] = {}

    def add(self, field: str, label: str, widget: QWidget) -> QWidget:
        """Add a row for ``field``: ``label`` (with a mnemonic '&' if wanted) and ``widget``."""
        caption = QLabel(label)
        caption.setBuddy(widget)
        plain = label.replace("&", "")
        widget.setAccessibleName(plain)
        widget.setObjectName(field)
        error = QLabel("")
        error.setStyleSheet(ERROR_STYLE)
        error.setWordWrap(True)
        error.setAccessibleName(f"{plain} error")
        error.hide()
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
        return True

    def error_text(self, field: str) -> str:
        """The message shown under ``field`` ('' when none)."""
        label = self._errors[field]
        return label.text() if label.isVisibleTo(label.parentWidget()) else ""

    def clear_errors(self) -> None:
        """Hide every message (before a new attempt)."""
        for label in self._errors.values():
            label.clear()
            label.hide()
