"""Starting when the labs propose holding or stopping the drug: the proposal and its reasons,
the prescriber's decision, then "Start with this decision".

The proposal comes from the service's refusal
(:class:`~clinic_app.services.visits.LabsDecisionRequired`); the dialog computes nothing. The
start button stays disabled until the decision is typed (e.g. "Dr Lee: give 4 mg/kg today");
the service keeps it on the visit's record with the proposal.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from clinic_app.services.labs.dto import LabCheck
from clinic_app.ui.reason_dialog import CAUTION_BOX_STYLE, ReasonDialog, wrapped


class LabsDecisionDialog(ReasonDialog):
    """What the labs propose, and the prescriber's decision to give the dose."""

    def __init__(self, check: LabCheck, parent: QWidget | None = None) -> None:
        super().__init__(
            title="Labs: prescriber's decision needed",
            caption="The &prescriber's decision (kept on the infusion record):",
            reason_name="The prescriber's decision",
            confirm_text="Start with this decision",
            confirm_name="Start with this decision",
            discard_what="decision",
            placeholder="e.g. Dr Lee: give 4 mg/kg today, recheck ALT in 2 weeks",
            parent=parent,
        )
        lines = [f"The labs propose: {check.action_text}", *(f"• {r}" for r in check.reasons)]
        self.proposal = wrapped("\n".join(lines), "Labs proposal", CAUTION_BOX_STYLE)
        self.intro.addWidget(self.proposal)
        self.confirmed.connect(lambda _reason: self.done_saving())

    def decision_text(self) -> str:
        """The decision typed, spaces tidied."""
        return " ".join(self.reason.text().split())


def ask_decision(check: LabCheck, parent: QWidget | None) -> str | None:
    """Show the proposal and ask the prescriber's decision; None when the nurse cancels."""
    dialog = LabsDecisionDialog(check, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.decision_text() or None
