"""Changing a saved checklist answer: what changes (old -> new), a reason, then "Change answer".

The service refuses a changed answer without a reason
(:class:`~clinic_app.services.visits.CorrectionNeedsReason`); this dialog asks for it. The old
answer stays on record and the new one is shown as corrected on the visit screen and the
infusion record. The behaviour is :class:`~clinic_app.ui.reason_dialog.ReasonDialog`'s; it is
asked modally (:func:`ask_correction`), whichever way the answer was changed (click, keyboard,
a screen reader's Toggle action).
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from clinic_app.ui.reason_dialog import WARNING_STYLE, ReasonDialog, wrapped


class CorrectionDialog(ReasonDialog):
    """The change named, a reason to give, and Change answer / Cancel."""

    def __init__(self, message: str, parent: QWidget | None = None) -> None:
        super().__init__(
            title="Change a saved answer",
            caption="&Reason for the change (kept with the answer):",
            reason_name="Reason for changing the answer",
            confirm_text="Change answer",
            confirm_name="Change answer",
            discard_what="reason",
            placeholder="e.g. clicked the wrong answer",
            parent=parent,
        )
        self.change = wrapped(message, "Answer to change", WARNING_STYLE)
        self.intro.addWidget(self.change)
        self.confirmed.connect(lambda _reason: self.done_saving())

    def reason_text(self) -> str:
        """The reason typed, spaces tidied."""
        return " ".join(self.reason.text().split())


def ask_correction(message: str, parent: QWidget | None) -> str | None:
    """Name the change and ask why; None when the nurse cancels."""
    dialog = CorrectionDialog(message, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason_text() or None
