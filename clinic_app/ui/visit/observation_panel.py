"""After the infusion: the observation countdown, the discharge checks and the Discharge button.

The countdown label belongs to this panel but the visit screen places it where it stays in view.

The countdown text is worked out from the visit's times (from the service) and ``ctx.now()``;
a QTimer in the visit screen calls :meth:`ObservationPanel.tick` so it stays current without
reading the database.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from PySide6.QtCore import Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from clinic_app.domain.dates import time_text
from clinic_app.services.visits.dto import VisitDetail
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.visit import formatting as fmt
from clinic_app.ui.visit.checklist_section import ChecklistSection
from clinic_app.ui.visit.infusion_panel import BLOCKERS_STYLE

COUNTDOWN_STYLE = ("font-size: 13pt; font-weight: 700; background: #EEF3FA; "
                   "border: 1px solid #C5D3E8; border-radius: 4px; padding: 4px 8px;")
COUNTDOWN_ALERT_STYLE = ("font-size: 13pt; font-weight: 700; background: #FDECEC; color: #B00020; "
                         "border: 1px solid #B00020; border-radius: 4px; padding: 4px 8px;")
BAG_EMPTY = "Bag due empty since"
OBSERVATION_ENDED = "Observation ended"


def countdown_text(detail: VisitDetail, now: datetime, tz: tzinfo) -> str:
    """What the countdown says at ``now``: infusion end, observation end, or discharged."""
    if detail.discharged_at is not None or detail.status == "completed":
        return f"Discharged {time_text(detail.discharged_at, tz)}".strip()
    end = detail.observation_end
    extended = ("" if detail.observation_extended is None else
                f" (extended after the reaction: {detail.observation_extended}; the "
                "prescriber's clearance is needed to go home)")
    if detail.status == "observation" and end is not None:
        if now >= end:
            return f"{OBSERVATION_ENDED} {time_text(end, tz)}{extended} — the patient may be " \
                   "discharged once the checks below are done"
        return f"Observation ends {time_text(end, tz)} — {fmt.span(end - now)} left{extended}"
    progress = detail.infusion
    if detail.status == "infusing" and progress is not None:
        if progress.state == "paused":
            return (f"Paused since {time_text(progress.paused_since, tz)} — ends about "
                    f"{time_text(progress.projected_end, tz)} if resumed now")
        if now >= progress.projected_end:
            return f"{BAG_EMPTY} {time_text(progress.projected_end, tz)}: end the infusion"
        return (f"Infusion ends about {time_text(progress.projected_end, tz)} — "
                f"{fmt.span(progress.projected_end - now)} left; then "
                f"{fmt.minutes_text(detail.observation_minutes)} of observation")
    return (f"Not started: {fmt.minutes_text(detail.dose_plan.duration_min)} infusion, then "
            f"{fmt.minutes_text(detail.observation_minutes)} of observation")


class ObservationPanel(QGroupBox):
    """Countdown, observation/discharge checks and the Discharge button."""

    discharge_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Observation and discharge", parent)
        self.setAccessibleName("Observation and discharge")
        self.countdown = ValueLabel("Observation countdown")
        self.countdown.setStyleSheet(COUNTDOWN_STYLE)
        self.countdown.setWordWrap(True)
        self.checks = ChecklistSection("Before the patient goes home")
        self.discharge = QPushButton("Discharge")
        self.discharge.setAccessibleName("Discharge")
        self.discharge.setShortcut(QKeySequence("Ctrl+Shift+D"))
        self.discharge.setToolTip("Discharge (Ctrl+Shift+D)")
        self.discharge.setAutoDefault(False)
        self.message = ValueLabel("Why the patient cannot go home", alert=True)
        self.message.setWordWrap(True)
        self.message.setStyleSheet(BLOCKERS_STYLE)
        self.message.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.discharge)
        buttons.addStretch(1)
        column = QVBoxLayout(self)
        column.addWidget(self.checks)
        column.addLayout(buttons)
        column.addWidget(self.message)
        self.discharge.clicked.connect(self.discharge_clicked)
        self._detail: VisitDetail | None = None
        self._at_zero = False

    def show_visit(self, detail: VisitDetail, now: datetime, tz: tzinfo) -> None:
        """Remember the visit's times and show the countdown at ``now``."""
        self._detail = detail
        self.discharge.setEnabled(detail.status == "observation")
        if detail.status != "observation":
            self.show_message("")
        self.tick(now, tz)

    def tick(self, now: datetime, tz: tzinfo) -> None:
        """Bring the countdown to ``now`` (called by the visit screen's timer)."""
        if self._detail is not None:
            text = countdown_text(self._detail, now, tz)
            self.countdown.setText(text)
            self.countdown.setStyleSheet(
                COUNTDOWN_ALERT_STYLE if text.startswith(BAG_EMPTY) else COUNTDOWN_STYLE)
            at_zero = text.startswith((BAG_EMPTY, OBSERVATION_ENDED))
            if at_zero and not self._at_zero:
                self.countdown.announce()  # the countdown reached zero: a screen reader says so
            self._at_zero = at_zero

    def show_message(self, message: str) -> None:
        """Why the discharge was refused ('' hides it)."""
        self.message.setText(message)
        self.message.setVisible(bool(message))
