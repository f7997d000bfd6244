"""The labs at the visit's pre-check: the latest value of each test with its age, and what the
protocol's lab rules propose (tocilizumab: the label's table) with the reasons and the flags.

The panel shows what ``services.visits`` computed (:class:`~clinic_app.services.labs.dto.LabCheck`);
it decides nothing. A hold or stop is shown in the warning style: the start then asks for the
prescriber's decision (:mod:`clinic_app.ui.visit.labs_decision_dialog`).
"""

from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QVBoxLayout, QWidget

from clinic_app.domain.dates import date_text
from clinic_app.services.labs.dto import LabCheck, LatestLabEntry
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.visit.warnings_view import WARNING_STYLE

CALM_STYLE = "color: #1B5E20; font-weight: 600;"


def age_text(days: int) -> str:
    """ "today", "1 day old", "12 days old"."""
    if days == 0:
        return "today"
    return "1 day old" if days == 1 else f"{days} days old"


def latest_text(latest: tuple[LatestLabEntry, ...]) -> str:
    """One line a test: value, range, the day taken and its age."""
    if not latest:
        return "No lab results on file."
    return "\n".join(f"{e.text} — {date_text(e.taken_on)}, {age_text(e.age_days)}" for e in latest)


def proposal_text(check: LabCheck) -> str:
    """The proposal with its reasons, then the flags; empty without lab rules."""
    if not check.has_rules:
        return ""
    lines = [f"Labs propose: {check.action_text}"]
    lines += [f"• {reason}" for reason in check.reasons]
    lines += [f"⚠ {flag}" for flag in check.flags]
    if check.needs_decision:
        lines.append("The infusion starts only with the prescriber's decision recorded.")
    return "\n".join(lines)


class LabsPanel(QGroupBox):
    """Latest labs and the proposal (hidden when the visit has neither)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Labs", parent)
        self.setAccessibleName("Labs before this dose")
        self.latest = ValueLabel("Latest lab results")
        self.latest.setWordWrap(True)
        self.proposal = ValueLabel("Labs proposal")
        self.proposal.setWordWrap(True)
        column = QVBoxLayout(self)
        column.addWidget(self.latest)
        column.addWidget(self.proposal)

    def show_labs(self, check: LabCheck | None) -> None:
        """Show the labs of the visit (or hide the panel when there is nothing to show)."""
        if check is None or (not check.latest and not check.has_rules):
            self.hide()
            return
        self.latest.setText(latest_text(check.latest))
        proposal = proposal_text(check)
        self.proposal.setText(proposal)
        worry = check.action != "continue" or bool(check.flags)
        self.proposal.setStyleSheet(WARNING_STYLE if worry else CALM_STYLE)
        self.proposal.setVisible(bool(proposal))
        self.show()
