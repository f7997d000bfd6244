"""The dose plan's warnings where the nurse decides: a reason field for the ones that need an
override, a tick box for the ones that need an acknowledgement, plain text for the rest.

Which warning needs what comes from the domain (``requires_override`` / ``requires_ack``); this
panel only asks for it. The widgets stay in place while the plan is recalculated, so a reason
being typed is never lost. A tick belongs to one warning text (code and message): a retyped
weight that changes the message under the same code asks for a new tick.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.forms import ERROR_STYLE

WARNING_STYLE = ("background: #FFF4E0; border-left: 4px solid #C77700; padding: 6px; "
                 "color: #3A2A00;")
STOP_STYLE = ("background: #FDECEC; border-left: 6px solid #B00020; padding: 6px; "
              "color: #4A0010; font-weight: bold;")
STOP_PREFIX = "Stop and check: "
# What a reason lets the nurse go ahead with, by warning code (the label of the reason field).
REASON_SUBJECTS = {
    "ABOVE_LABEL_MAX": "a dose above the label maximum",
    "OFF_LABEL_DOSE": "a dose other than the labelled fixed dose",
    "CONTRAINDICATION_DECISION": "a caution that needs the prescriber's decision",
    "SCREENING_POSITIVE": "a positive screening result",
    "SCREENING_DUE": "screening missing or out of date",
    "PRESCRIBER_REVIEW_AFTER_REACTION": "an earlier reaction needing prescriber review",
}


def reason_label(warnings: tuple[ClinicalWarning, ...]) -> str:
    """``Override &reason (required to go ahead despite a positive screening result)``: the
    reason field named by the warnings that need it."""
    subjects: dict[str, None] = {}
    for warning in warnings:
        if warning.requires_override:
            subjects[REASON_SUBJECTS.get(warning.code, "the warning above")] = None
    return f"Override &reason (required to go ahead despite {' and '.join(subjects)})"


class WarningsPanel(QWidget):
    """Shows warnings; collects the override reason and the acknowledgements."""

    answers_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Warnings")
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(0, 0, 0, 0)
        self._items = QVBoxLayout()
        self._column.addLayout(self._items)
        self._reason_label = QLabel("Override &reason")
        self._reason_label.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Override reason")
        self.reason.setPlaceholderText(
            "why this dose is given, e.g. confirmed with the prescriber by phone")
        self._reason_label.setBuddy(self.reason)
        self.reason_error = ValueLabel("Warnings message", alert=True)
        self.reason_error.setStyleSheet(ERROR_STYLE)
        self.reason_error.setWordWrap(True)
        for widget in (self._reason_label, self.reason, self.reason_error):
            self._column.addWidget(widget)
            widget.hide()
        self.reason.textChanged.connect(self._reason_typed)
        self._warnings: tuple[ClinicalWarning, ...] = ()
        self._stops: tuple[str, ...] = ()
        self._rows: dict[str, QWidget] = {}
        self._acks: dict[str, QCheckBox] = {}
        self._ticked: set[tuple[str, str]] = set()

    def show_warnings(self, warnings: tuple[ClinicalWarning, ...],
                      stop_codes: tuple[str, ...] = ()) -> None:
        """Show these warnings (keeping the reason typed and the ticks of the same texts);
        the service's ``stop_codes`` are drawn apart, in red, before the routine ones."""
        if warnings == self._warnings and stop_codes == self._stops:
            return
        self._warnings, self._stops = warnings, stop_codes
        self._ticked &= {(w.code, w.message) for w in warnings}
        _clear(self._items)
        self._acks, self._rows = {}, {}
        ordered = sorted(warnings, key=lambda w: w.code not in stop_codes)
        for warning in ordered:
            row = self._row(warning, stop=warning.code in stop_codes)
            self._rows.setdefault(warning.code, row)
            self._items.addWidget(row)
        needs_reason = any(w.requires_override for w in warnings)
        if needs_reason:
            self._reason_label.setText(reason_label(warnings))
        self._reason_label.setVisible(needs_reason)
        self.reason.setVisible(needs_reason)
        if not needs_reason:
            self.reason_error.hide()
        self.setVisible(bool(warnings))

    def _row(self, warning: ClinicalWarning, *, stop: bool) -> QWidget:
        style = STOP_STYLE if stop else WARNING_STYLE
        prefix = STOP_PREFIX if stop else ""
        if warning.requires_ack:
            text = f"{prefix}{warning.message}  — I have checked this"
            box = QCheckBox()
            box.setObjectName(f"ack_{warning.code}")
            box.setAccessibleName(text)
            key = (warning.code, warning.message)
            box.setChecked(key in self._ticked)
            box.toggled.connect(lambda on, key=key: self._ack_toggled(key, on))
            self._acks[warning.code] = box
            return _wrapping(box, text, style)
        label = QLabel(prefix + warning.message)
        label.setAccessibleName(f"Warning: {warning.message}")
        label.setObjectName(f"warning_{warning.code}")
        label.setWordWrap(True)
        label.setStyleSheet(style)
        return label

    def is_stop(self, code: str) -> bool:
        """True when the warning ``code`` is shown as stop-level."""
        return code in self._stops

    def first_open(self, codes: tuple[str, ...]) -> QWidget | None:
        """The first shown row among ``codes`` still unanswered (the reason row when a reason
        is missing), to scroll to; None when none is shown."""
        if self.override_reason() is None and any(
                w.requires_override and w.code in codes for w in self._warnings):
            return self.reason
        for code in codes:
            box = self._acks.get(code)
            if code in self._rows and (box is None or not box.isChecked()):
                return self._rows[code]
        return None

    def _ack_toggled(self, key: tuple[str, str], on: bool) -> None:
        if on:
            self._ticked.add(key)
        else:
            self._ticked.discard(key)
        self.answers_changed.emit()

    def _reason_typed(self) -> None:
        self.reason_error.hide()
        self.answers_changed.emit()

    @property
    def warnings(self) -> tuple[ClinicalWarning, ...]:
        """The warnings shown."""
        return self._warnings

    def acknowledged(self) -> tuple[str, ...]:
        """The codes of the shown warnings the nurse has ticked."""
        return tuple(code for code, box in self._acks.items() if box.isChecked())

    def override_reason(self) -> str | None:
        """The reason typed (None when none is asked for or the field is blank)."""
        if not self.reason.isVisibleTo(self):
            return None
        return self.reason.text().strip() or None

    def ack_box(self, code: str) -> QCheckBox:
        """The tick box of the warning ``code`` (KeyError if it needs none)."""
        return self._acks[code]

    def ask_for(self, codes: tuple[str, ...], message: str) -> None:
        """Point at what the service still wants: the reason field or the unticked boxes."""
        wants_reason = any(w.requires_override and w.code in codes for w in self._warnings)
        if wants_reason and self.override_reason() is None:
            self.reason_error.setText(message)
            self.reason_error.show()
            self.reason.setFocus()
            return
        for code in codes:
            box = self._acks.get(code)
            if box is not None and not box.isChecked():
                box.setFocus()
                break
        self.reason_error.setText(message)
        self.reason_error.show()


def _clear(layout: QVBoxLayout) -> None:
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.deleteLater()


def _wrapping(box: QCheckBox, text: str, style: str) -> QWidget:
    """A tick box with its long text in a wrapping label beside it (a click ticks the box)."""
    holder = QWidget()
    holder.setObjectName(f"{box.objectName()}_row")
    holder.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
    holder.setStyleSheet(f"QWidget#{holder.objectName()} {{ {style} }}")
    row = QHBoxLayout(holder)
    row.setContentsMargins(6, 4, 4, 4)
    row.addWidget(box, alignment=Qt.AlignmentFlag.AlignTop)
    row.addWidget(_ClickableLabel(text, box), stretch=1)
    return holder


class _ClickableLabel(QLabel):
    """The wrapping text of a tick box; a click on it ticks the box."""

    def __init__(self, text: str, box: QCheckBox) -> None:
        super().__init__(text)
        self.setWordWrap(True)
        self.setBuddy(box)
        self._box = box

    def mousePressEvent(self, event: QMouseEvent) -> None:
        """Qt override: a click on the text toggles the box."""
        if self._box.isEnabled():
            self._box.click()
        event.accept()
