"""A part of the visit's checklist (pre-infusion, or observation and discharge) to answer.

Each item is answered the moment it is entered: a tick, a Yes/No (/Not applicable) choice, or a
value saved when the field is left (Enter or Tab; an unchanged value is not saved again). The
weight item is read-only: it shows the weight the dose was calculated from, recorded when the
visit was opened (to change it, void the visit and open it again). The section only emits
``answered(key, answer)``; the visit screen calls ``services.visits.record_check`` and the
refreshed status comes back through :meth:`ChecklistSection.show_items`. Vitals items are
answered in the vitals grid and are listed here with their state only. A blocking answer shows
the action the checklist names.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.domain.checklists import ItemState, ItemStatus
from clinic_app.services.visits.dto import CheckEntry
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.forms import ERROR_STYLE

ANSWER_LABELS = {"yes": "Yes", "no": "No", "not_applicable": "Not applicable"}
STATE_TEXT = {ItemState.DONE: "✓", ItemState.DUE: "due", ItemState.OVERDUE: "overdue",
              ItemState.UPCOMING: "", ItemState.NOT_YET: ""}
STATE_STYLE = {ItemState.DONE: "color: #1B5E20; font-weight: 700;",
               ItemState.OVERDUE: "color: #B00020; font-weight: 700;",
               ItemState.DUE: "font-weight: 700;"}
ACTION_STYLE = "color: #B00020;"
#: An answer that means "do not start" (the item's ``blocking_answer``): a stop mark in red,
#: never the green tick of a safe answer (issue 12).
STOP_TEXT = "STOP"
STOP_STYLE = "color: #B00020; font-weight: 700;"
STOP_WORDS = " - do not start"
WEIGHT_KEY = "pre.weight"
WEIGHT_HINT = ("The weight used for the dose, recorded when the visit was opened; to change it, "
               "use Re-weigh… (Ctrl+Shift+W) before the start: the dose is calculated again.")
DONE_STYLE = "color: #555;"


class ItemRow(QWidget):
    """One checklist item: its input, its state, who answered when, and messages."""

    answered = Signal(str, str)

    def __init__(self, status: ItemStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = status.item.key
        self.kind = status.item.kind
        self.state = ValueLabel(f"State: {status.item.text}")
        self.state.setFixedWidth(56)
        self.done = ValueLabel(f"Answered: {status.item.text}")
        self.done.setStyleSheet(DONE_STYLE)
        self.done.setWordWrap(True)  # a correction's reason is long
        self.action = QLabel("")
        self.action.setWordWrap(True)
        self.action.setStyleSheet(ACTION_STYLE)
        self.action.hide()
        self.error = ValueLabel(f"{status.item.text} error", alert=True)
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.hide()
        self.tick: QCheckBox | None = None
        self.choices: dict[str, QRadioButton] = {}
        self.value: QLineEdit | None = None
        self._recorded: str | None = None
        self._lay_out(status)

    def _lay_out(self, status: ItemStatus) -> None:
        item = status.item
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.state, alignment=Qt.AlignmentFlag.AlignTop)
        body = QVBoxLayout()
        body.setSpacing(2)
        if self.kind is ItemKind.TICK:
            self.tick = QCheckBox(item.text)
            self.tick.setAccessibleName(item.text)
            self.tick.setStyleSheet("QCheckBox { spacing: 8px; }")
            self.tick.toggled.connect(self._ticked)
            body.addWidget(_wrapping(self.tick))
        else:
            text = QLabel(item.text if item.unit is None else f"{item.text} ({item.unit})")
            text.setWordWrap(True)
            body.addWidget(text)
            body.addLayout(self._answer_row(status))
        body.addWidget(self.done)
        body.addWidget(self.action)
        body.addWidget(self.error)
        top.addLayout(body, stretch=1)
        self.setLayout(top)

    def _answer_row(self, status: ItemStatus) -> QHBoxLayout:
        row = QHBoxLayout()
        item = status.item
        if self.kind is ItemKind.YES_NO:
            group = QButtonGroup(self)
            for answer in item.answers:
                button = QRadioButton(ANSWER_LABELS.get(answer, answer))
                button.setAccessibleName(f"{ANSWER_LABELS.get(answer, answer)}: {item.text}")
                button.toggled.connect(lambda on, a=answer: self._toggled(a, on))
                group.addButton(button)
                self.choices[answer] = button
                row.addWidget(button)
        elif self.kind is ItemKind.VALUE:
            self.value = QLineEdit()
            self.value.setAccessibleName(item.text)
            if item.unit is not None:  # a number; a text answer (a clearance by name) is wide
                self.value.setMaximumWidth(160)
            if self.key == WEIGHT_KEY:
                self.value.setReadOnly(True)
                self.value.setToolTip(WEIGHT_HINT)
                self.value.setAccessibleDescription(WEIGHT_HINT)
            else:
                self.value.setPlaceholderText("type, then Enter or Tab")
                self.value.editingFinished.connect(self._value_entered)
            row.addWidget(self.value)
        else:
            row.addWidget(QLabel("Enter these in the vitals grid."))
        row.addStretch(1)
        return row

    def _ticked(self, on: bool) -> None:
        if on:
            self.answered.emit(self.key, "done")

    def _toggled(self, answer: str, on: bool) -> None:
        """Save the answer the moment its button becomes checked, however that happened (mouse,
        Space, a screen reader's Toggle action, ``setChecked``): once per change, never for the
        button unchecked beside it nor when the screen shows a recorded answer (quietly)."""
        if on:
            self.answered.emit(self.key, answer)

    def _value_entered(self) -> None:
        """Save a value typed (Enter or leaving the field), unless it is already the answer."""
        text = "" if self.value is None else self.value.text().strip()
        if text and text != self._recorded:
            self.answered.emit(self.key, text)

    def show_status(self, status: ItemStatus, entry: CheckEntry | None, done_text: str,
                    enabled: bool) -> None:
        """Show the item's state and recorded answer (without emitting ``answered``)."""
        answer = None if entry is None else entry.answer
        item = status.item
        blocked = item.blocking_answer is not None and answer == item.blocking_answer
        if blocked and answer is not None:
            label = ANSWER_LABELS.get(answer, answer)
            done_text = done_text.replace(label, label + STOP_WORDS, 1)
        self.state.setText(STOP_TEXT if blocked else STATE_TEXT[status.state])
        self.state.setStyleSheet(STOP_STYLE if blocked else STATE_STYLE.get(status.state, ""))
        self.done.setText(done_text)
        self.done.setVisible(bool(done_text))
        if self.tick is not None:
            _quietly(self.tick, status.state is ItemState.DONE)
            self.tick.setEnabled(enabled and status.state is not ItemState.DONE)
        for code, button in self.choices.items():
            if answer is not None:
                _quietly(button, code == answer)
            button.setEnabled(enabled)
        if self.value is not None:
            self._recorded = answer
            if answer is not None and (self.value.isReadOnly() or not self.value.hasFocus()):
                self.value.setText(answer)
            self.value.setEnabled(enabled)
        self.action.setText(f"⚠ {item.action}" if blocked else "")
        self.action.setVisible(blocked)

    def show_error(self, message: str) -> None:
        """A refusal under the item ('' hides it)."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def put_back(self) -> None:
        """The saved answer back in the value field, even while it has the focus (a change
        cancelled: the field never shows what was not saved)."""
        if self.value is not None and self._recorded is not None:
            self.value.setText(self._recorded)


class ChecklistSection(QGroupBox):
    """The items of some phases, in order; ``answered(key, answer)`` when one is entered."""

    answered = Signal(str, str)

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.setAccessibleName(title)
        self._column = QVBoxLayout(self)
        self._column.setSpacing(6)
        self.rows: dict[str, ItemRow] = {}

    def show_items(self, statuses: Sequence[ItemStatus], entries: dict[str, CheckEntry],
                   done_texts: dict[str, str], *, enabled: bool) -> None:
        """Show these items (kept in place between refreshes, so nothing typed is lost)."""
        keys = [s.item.key for s in statuses]
        if keys != list(self.rows):
            self._rebuild(statuses)
        for status in statuses:
            key = status.item.key
            self.rows[key].show_status(status, entries.get(key), done_texts.get(key, ""),
                                       enabled)

    def _rebuild(self, statuses: Sequence[ItemStatus]) -> None:
        for row in self.rows.values():
            self._column.removeWidget(row)
            row.hide()  # gone from the screen now, deleted when control returns to Qt
            row.deleteLater()
        self.rows = {}
        for status in statuses:
            row = ItemRow(status)
            row.answered.connect(self.answered)
            self._column.addWidget(row)
            self.rows[status.item.key] = row

    def show_error(self, key: str, message: str) -> None:
        """A refusal under item ``key``."""
        row = self.rows.get(key)
        if row is not None:
            row.show_error(message)

    def put_back(self, key: str) -> None:
        """Item ``key``'s saved answer back on screen (a cancelled change)."""
        row = self.rows.get(key)
        if row is not None:
            row.put_back()

    def clear_errors(self) -> None:
        """Hide every item's message."""
        for row in self.rows.values():
            row.show_error("")


def _wrapping(box: QCheckBox) -> QWidget:
    """A tick box whose long text wraps: the box with an empty text and a wrapping label."""
    holder = QWidget()
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    text = box.text()
    box.setText("")
    label = _ClickableLabel(text, box)
    row.addWidget(box, alignment=Qt.AlignmentFlag.AlignTop)
    row.addWidget(label, stretch=1)
    return holder


class _ClickableLabel(QLabel):
    """The wrapping text of a tick box; a click on it ticks the box."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.setBuddy(box)
        self._box = box

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if self._box.isEnabled():
            self._box.click()
        event.accept()


def _quietly(button: QAbstractButton, checked: bool) -> None:
    """Tick or untick ``button`` without emitting its signals."""
    blocked = button.blockSignals(True)
    button.setChecked(checked)
    button.blockSignals(blocked)
