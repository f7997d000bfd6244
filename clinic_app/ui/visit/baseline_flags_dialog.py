"""Starting despite flagged baseline vitals: the flags, the nurse's reason, then "Start anyway".

The flags come from the service's refusal
(:class:`~clinic_app.services.visits.BaselineFlagged`); the dialog computes nothing. The start
button stays disabled until a reason is typed (e.g. "prescriber informed, proceed"); the reason
is recorded in the visit's audit trail by the service. The dialog's behaviour is
:class:`~clinic_app.ui.reason_dialog.ReasonDialog`'s; it is asked modally (:func:`ask_reason`).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QWidget

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.ui.reason_dialog import ReasonDialog, wrapped

FLAGS_STYLE = ("background: #FDECEA; color: #7F0000; border: 1px solid #E0A0A0; "
               "border-radius: 4px; padding: 6px; font-weight: 600;")


class BaselineFlagsDialog(ReasonDialog):
    """The baseline flags listed, a reason to give, and Start anyway / Cancel."""

    def __init__(self, warnings: Sequence[ClinicalWarning],
                 parent: QWidget | None = None) -> None:
        super().__init__(title="Baseline vitals flagged",
                         caption="&Reason to start despite these flags (recorded in the audit "
                                 "trail):",
                         reason_name="Reason to start despite the flags",
                         confirm_text="Start anyway", confirm_name="Start anyway",
                         discard_what="reason", placeholder="e.g. prescriber informed, proceed",
                         parent=parent)
        self.flags = wrapped("The baseline vitals are flagged:\n"
                             + "\n".join(f"⚠ {w.message}" for w in warnings), "Baseline flags",
                             FLAGS_STYLE)
        self.intro.addWidget(self.flags)
        self.start_button = self.confirm
        self.confirmed.connect(lambda _reason: self.done_saving())

    def reason_text(self) -> str:
        """The reason typed, spaces tidied."""
        return " ".join(self.reason.text().split())


def ask_reason(warnings: Sequence[ClinicalWarning], parent: QWidget | None) -> str | None:
    """Show the flags and ask for a reason; None when the nurse cancels."""
    dialog = BaselineFlagsDialog(warnings, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason_text() or None
