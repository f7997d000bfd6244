"""Going above the next step of a graduated infusion: the service's message, the nurse's reason,
then "Set rate".

The message (naming the next step's rate) comes from the service's refusal
(:class:`~clinic_app.services.errors.OverrideRequired`, code ``RATE_SKIPS_STEPS``); the dialog
computes nothing. The service keeps the reason as the rate change's note.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from clinic_app.ui.reason_dialog import CAUTION_BOX_STYLE, ReasonDialog, wrapped


class RateSkipDialog(ReasonDialog):
    """Why the pump goes above the next step of the graduated table."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(
            title="Rate above the next step",
            caption="&Reason to skip steps (kept on the infusion record):",
            reason_name="Reason to skip steps of the graduated rate",
            confirm_text="Set rate",
            confirm_name="Set rate above the next step",
            discard_what="reason",
            placeholder="e.g. prescriber: resume the previous rate",
            parent=parent,
        )
        self.message = wrapped(message, "Rate skips steps", CAUTION_BOX_STYLE)
        self.intro.addWidget(self.message)
        self.confirmed.connect(lambda _reason: self.done_saving())

    def reason_text(self) -> str:
        """The reason typed, spaces tidied."""
        return " ".join(self.reason.text().split())


def ask_reason(message: str, parent: QWidget | None) -> str | None:
    """Show why the rate needs a reason and ask for it; None when the nurse cancels."""
    dialog = RateSkipDialog(message, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason_text() or None
