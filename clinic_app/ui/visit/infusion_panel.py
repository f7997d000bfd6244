"""The pump's controls: Start infusion, Do not give today…, Pause…, Resume, Change rate…, End
infusion; the pump's state, what comes next (the next step of a graduated table, the end due)
and the pump events with their reasons.

Which buttons are enabled follows the visit's state as the service reports it (status and the
infusion's running/paused state); Resume and Change rate stay disabled, with the service's
reason shown, once the pump may not run again (``VisitDetail.continue_refusal``, e.g. after an
anaphylaxis). "End infusion" asks for confirmation (the visit screen's dialog). A refused start
lists the service's blockers under the buttons. A start refused for flagged baseline vitals
asks, in a dialog listing the service's flags, for the reason to start anyway
(:meth:`InfusionPanel.ask_flags_reason`). "Change rate…" opens an inline field for the new rate
(no modal dialog). "Pause…" and "Do not give today…" ask for their reason in a dialog (the
visit screen's).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.checklists import Blocker
from clinic_app.services.visits.dto import VisitDetail
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.patients.flow_layout import FlowLayout
from clinic_app.ui.visit import baseline_flags_dialog
from clinic_app.ui.visit import formatting as fmt

STATUS_STYLE = "font-size: 12pt; font-weight: 600;"
SCHEDULE_STYLE = "font-size: 11pt; color: #1F3B5C;"
EVENTS_STYLE = "color: #333;"
BLOCKERS_STYLE = ("background: #FDECEA; color: #7F0000; border: 1px solid #E0A0A0; "
                  "border-radius: 4px; padding: 6px;")


def _button(text: str, name: str, shortcut: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setShortcut(QKeySequence(shortcut))
    button.setToolTip(f"{name} ({shortcut})")
    button.setAutoDefault(False)
    return button


class InfusionPanel(QGroupBox):
    """Status line, the five buttons, the inline rate editor and the blockers message."""

    start_clicked = Signal()
    hold_clicked = Signal()
    pause_clicked = Signal()
    resume_clicked = Signal()
    rate_entered = Signal(str)
    end_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Infusion", parent)
        self.setAccessibleName("Infusion")
        self._suggested_rate = ""  # the graduated table's next step, pre-filled in Change rate
        self.status = ValueLabel("Infusion status")
        self.status.setStyleSheet(STATUS_STYLE)
        self.status.setWordWrap(True)
        self.schedule = ValueLabel("Next step and end due")
        self.schedule.setStyleSheet(SCHEDULE_STYLE)
        self.schedule.setWordWrap(True)
        self.events = ValueLabel("Pump events")
        self.events.setStyleSheet(EVENTS_STYLE)
        self.events.setWordWrap(True)
        self.events.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.start = _button("Start infusion", "Start infusion", "Ctrl+Shift+S")
        self.hold = _button("Do not give today…", "Do not give today…", "Ctrl+Shift+N")
        self.pause = _button("Pause…", "Pause…", "Ctrl+Shift+P")
        self.resume = _button("Resume", "Resume", "Ctrl+Shift+R")
        self.change_rate = _button("Change rate…", "Change rate…", "Ctrl+Shift+C")
        self.end = _button("End infusion", "End infusion", "Ctrl+Shift+E")
        self.rate = QLineEdit()
        self.rate.setAccessibleName("New rate (mL/h)")
        self.rate.setMaximumWidth(120)
        self.rate_caption = QLabel("New &rate (mL/h)")
        self.rate_caption.setBuddy(self.rate)
        self.set_rate = QPushButton("Set rate")
        self.set_rate.setAccessibleName("Set rate")
        self.set_rate.setAutoDefault(False)
        self.rate_error = ValueLabel("New rate (mL/h) error", alert=True)
        self.rate_error.setStyleSheet(ERROR_STYLE)
        self.rate_error.setWordWrap(True)
        self.blockers = ValueLabel("Why the infusion cannot start", alert=True)
        self.blockers.setWordWrap(True)
        self.blockers.setStyleSheet(BLOCKERS_STYLE)
        self._lay_out()
        self._connect()
        self._start_head: str | None = None
        self.show_rate_editor(False)
        self.show_message("")

    def _lay_out(self) -> None:
        buttons = FlowLayout()  # wraps onto a second line on a narrow screen
        for button in (self.start, self.hold, self.pause, self.resume, self.change_rate,
                       self.end):
            buttons.addWidget(button)
        self._rate_row = QWidget()
        rate_row = QHBoxLayout(self._rate_row)
        rate_row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.rate_caption, self.rate, self.set_rate):
            rate_row.addWidget(widget)
        rate_row.addWidget(self.rate_error, stretch=1)
        column = QVBoxLayout(self)
        column.addWidget(self.status)
        column.addWidget(self.schedule)
        column.addLayout(buttons)
        column.addWidget(self._rate_row)
        column.addWidget(self.blockers)
        column.addWidget(self.events)

    def _connect(self) -> None:
        self.start.clicked.connect(self.start_clicked)
        self.hold.clicked.connect(self.hold_clicked)
        self.pause.clicked.connect(self.pause_clicked)
        self.resume.clicked.connect(self.resume_clicked)
        self.end.clicked.connect(self.end_clicked)
        self.change_rate.clicked.connect(lambda: self.show_rate_editor(True))
        self.set_rate.clicked.connect(self._rate_confirmed)
        self.rate.returnPressed.connect(self._rate_confirmed)

    def _rate_confirmed(self) -> None:
        self.rate_entered.emit(self.rate.text().strip())

    def show_rate_editor(self, shown: bool) -> None:
        """Show (and focus, pre-filled with the graduated table's next step) or hide the
        new-rate field."""
        self._rate_row.setVisible(shown)
        self.rate_error.clear()
        if shown:
            self.rate.setText(self._suggested_rate)
            self.rate.selectAll()
            self.rate.setFocus()
        else:
            self.rate.clear()

    def show_rate_error(self, message: str) -> None:
        """A refused rate, beside the field."""
        self.rate_error.setText(message)
        self.rate.setFocus()

    def show_message(self, message: str) -> None:
        """Why an action was refused, '' to hide."""
        self._start_head = None
        self.blockers.setText(message)
        self.blockers.setVisible(bool(message))

    def show_start_refusal(self, head: str, blockers: Sequence[Blocker]) -> None:
        """A refused start: ``head`` and the service's blockers, one a line; each refresh
        shows the visit's blockers then (:meth:`show_visit`), and none clears it."""
        self.show_message(f"{head}:\n" + "\n".join(f"• {b.message}" for b in blockers))
        self._start_head = head

    def ask_flags_reason(self, warnings: Sequence[ClinicalWarning]) -> str | None:
        """The reason to start despite these baseline flags (None: the nurse cancelled)."""
        return baseline_flags_dialog.ask_reason(warnings, self)

    def show_visit(self, detail: VisitDetail, status_text: str, *, schedule_text: str = "",
                   events_text: str = "", schedule_alert: bool = False) -> None:
        """Enable the buttons the visit's state allows; show the status line, what comes next
        (in red with ``schedule_alert``: the bag is due empty) and the pump events."""
        self.status.setText(status_text)
        suggested = None if detail.infusion is None else detail.infusion.suggested_rate_ml_per_h
        self._suggested_rate = "" if suggested is None else fmt.number(suggested)
        self.schedule.setText(schedule_text)
        self.schedule.setVisible(bool(schedule_text))
        self.schedule.setStyleSheet(BLOCKERS_STYLE if schedule_alert else SCHEDULE_STYLE)
        self.events.setText(events_text)
        self.events.setVisible(bool(events_text))
        infusing = detail.status == "infusing"
        state = detail.infusion.state if detail.infusion is not None else ""
        self.start.setEnabled(detail.status == "checked_in")
        self.hold.setEnabled(detail.status == "checked_in")
        self.pause.setEnabled(infusing and state == "running")
        may_continue = detail.continue_refusal is None
        self.resume.setEnabled(infusing and state == "paused" and may_continue)
        self.change_rate.setEnabled(infusing and state == "running" and may_continue)
        self.end.setEnabled(infusing)
        if not self.change_rate.isEnabled():
            self.show_rate_editor(False)
        if infusing and not may_continue:
            self.show_message(f"The infusion may not be resumed nor its rate changed: "
                              f"{detail.continue_refusal}")
        elif detail.status != "checked_in":
            self.show_message("")
        elif self._start_head is not None:
            self._refresh_start_refusal(self._start_head, detail.start_gate.blockers)

    def _refresh_start_refusal(self, head: str, blockers: Sequence[Blocker]) -> None:
        if blockers:
            self.show_start_refusal(head, blockers)
        else:
            self.show_message("")
