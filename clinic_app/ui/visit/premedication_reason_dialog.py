"""Starting without the suggested premedication: what was not given, the nurse's reason, then
"Start without it".

The items come from the service's refusal
(:class:`~clinic_app.services.visits.PremedicationMissing`); the dialog computes nothing. The
start button stays disabled until a reason is typed (e.g. "prescriber: not needed today"); the
service keeps the reason on the visit's record, naming what was not given.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QWidget

from clinic_app.domain.premedication import PremedicationItem
from clinic_app.ui.reason_dialog import CAUTION_BOX_STYLE, ReasonDialog, wrapped


class PremedicationReasonDialog(ReasonDialog):
    """The suggested premedication not recorded as given, and a reason to start without it."""

    def __init__(self, missing: Sequence[PremedicationItem], parent: QWidget | None = None) -> None:
        super().__init__(
            title="Premedication not recorded",
            caption="&Reason to start without it (kept on the infusion record):",
            reason_name="Reason to start without the premedication",
            confirm_text="Start without it",
            confirm_name="Start without it",
            discard_what="reason",
            placeholder="e.g. prescriber: not needed today",
            parent=parent,
        )
        self.missing = wrapped(
            "Suggested after the earlier reaction and not recorded as "
            "given:\n" + "\n".join(f"• {i.text}" for i in missing),
            "Premedication not given",
            CAUTION_BOX_STYLE,
        )
        self.intro.addWidget(self.missing)
        self.confirmed.connect(lambda _reason: self.done_saving())

    def reason_text(self) -> str:
        """The reason typed, spaces tidied."""
        return " ".join(self.reason.text().split())


def ask_reason(missing: Sequence[PremedicationItem], parent: QWidget | None) -> str | None:
    """Show what was not given and ask for a reason; None when the nurse cancels."""
    dialog = PremedicationReasonDialog(missing, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason_text() or None
