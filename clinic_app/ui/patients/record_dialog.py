"""A small form dialog for one chart action (record a weight, add an allergy, void a record...).

The dialog collects text exactly as typed, hands it to one service call and shows the answer:
every validation error beside its field (the dialog stays open with everything typed), any other
refusal as a dialog, and on success emits ``saved`` with the service's DTO and closes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.errors import EXPECTED_ERRORS, show_on_form
from clinic_app.ui.forms import FormRows
from clinic_app.ui.screen_fit import scrolling
from clinic_app.ui.unsaved import may_discard

Values = Mapping[str, str]
Submit = Callable[[Values], object]
HINT_STYLE = "color: #555;"


class RecordDialog(QDialog):
    """A titled form whose Save button calls ``submit(values)``; ``saved`` carries its result."""

    saved = Signal(object)

    def __init__(self, title: str, submit: Submit, *, save_text: str = "&Save",
                 intro: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.setMinimumWidth(460)
        self._submit = submit
        self.rows = FormRows(QFormLayout())
        self._fields: list[str] = []
        self._opened_with: dict[str, str] | None = None  # the values when first shown
        self._saved = False
        body = QWidget()
        layout = QVBoxLayout(body)  # scrolls on a small screen; the buttons stay below it
        layout.setContentsMargins(0, 0, 0, 0)
        self.main_layout = layout
        self.intro = QLabel(intro)  # what the form is about (a reload may rewrite it)
        self.intro.setTextFormat(Qt.TextFormat.PlainText)
        self.intro.setWordWrap(True)
        self.intro.setVisible(bool(intro))
        layout.addWidget(self.intro)
        layout.addLayout(self.rows.layout)
        outer = QVBoxLayout(self)
        outer.addWidget(scrolling(body), stretch=1)
        buttons = QDialogButtonBox()
        self.save_button = buttons.addButton(save_text, QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName(save_text.replace("&", ""))
        self.save_button.setDefault(True)
        self.save_button.setShortcut(QKeySequence("Ctrl+S"))
        cancel = buttons.addButton("Cancel", QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setAccessibleName("Cancel")
        self.save_button.clicked.connect(self.save)
        cancel.clicked.connect(self.reject)
        outer.addWidget(buttons)

    def add_line(self, field: str, label: str, *, hint: str = "", text: str = "") -> QLineEdit:
        """A one-line text input, with an optional hint line under it."""
        line = QLineEdit(text)
        self._fields.append(field)
        self.rows.add(field, label, line)
        if hint:
            line.setAccessibleDescription(hint)
            line.setToolTip(hint)
            note = QLabel(hint)
            note.setStyleSheet(HINT_STYLE)
            note.setWordWrap(True)
            self.rows.layout.addRow("", note)
        return line

    def add_choice(self, field: str, label: str,
                   choices: Sequence[tuple[str, str]], *, current: str = "") -> QComboBox:
        """A drop-down of ``(value, shown text)`` pairs."""
        box = QComboBox()
        for value, shown in choices:
            box.addItem(shown, value)
        box.setCurrentIndex(max(box.findData(current), 0))
        self._fields.append(field)
        self.rows.add(field, label, box)
        return box

    def add_text(self, field: str, label: str, *, height: int = 64) -> QPlainTextEdit:
        """A multi-line text input (Tab moves on)."""
        box = QPlainTextEdit()
        box.setTabChangesFocus(True)
        box.setFixedHeight(height)
        self._fields.append(field)
        self.rows.add(field, label, box)
        return box

    def values(self) -> dict[str, str]:
        """Every field's value as typed (a drop-down gives its value, not its text)."""
        out: dict[str, str] = {}
        for field in self._fields:
            widget = self.rows.input(field)
            if isinstance(widget, QLineEdit):
                out[field] = widget.text()
            elif isinstance(widget, QComboBox):
                out[field] = str(widget.currentData() or "")
            elif isinstance(widget, QPlainTextEdit):
                out[field] = widget.toPlainText()
        return out

    def showEvent(self, event: QShowEvent) -> None:
        """Qt override: remember the values as first shown (to tell what was typed)."""
        if self._opened_with is None:
            self._opened_with = self.values()
        super().showEvent(event)

    def has_unsaved_input(self) -> bool:
        """True when a field changed since the dialog was shown and was not saved."""
        return (not self._saved and self._opened_with is not None
                and self.values() != self._opened_with)

    def reject(self) -> None:
        """Qt override (Esc, Cancel, the title bar): ask before discarding typed input."""
        if may_discard(self, "input"):
            super().reject()

    def save(self) -> None:
        """Submit; show a refusal beside its field or in a dialog, keeping what was typed."""
        self.rows.clear_errors()
        try:
            result = self._submit(self.values())
        except EXPECTED_ERRORS as exc:
            self.show_refusal(exc)
            return
        self._saved = True
        self.saved.emit(result)
        self.accept()

    def show_refusal(self, exc: BaseException) -> None:
        """Each field's error beside its field (all at once); anything else in a dialog."""
        show_on_form(self.rows, exc, self)
