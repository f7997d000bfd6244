"""Discharge with vitals that were due and never recorded: the list, and why (issue 10).

Shown when the service refuses the discharge only because of missed vitals (its blocker
``discharge.missed_vitals`` names them); the nurse records them first, or gives the reason to
discharge without them (e.g. "pump alarm on another patient; prescriber aware"), which the
service keeps with the visit and prints on the infusion record. The dialog's behaviour is
:class:`~clinic_app.ui.reason_dialog.ReasonDialog`'s.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_app.domain.checklists import MISSED_VITALS_KEY
from clinic_app.services.errors import GateBlocked
from clinic_app.ui.reason_dialog import WARNING_STYLE, ReasonDialog, wrapped


def missed_vitals_only(exc: BaseException) -> str | None:
    """The missed-vitals message when it is the only thing keeping the patient, else None."""
    if not isinstance(exc, GateBlocked):
        return None
    keys = [b.key for b in exc.blockers]
    if keys != [MISSED_VITALS_KEY]:
        return None
    return exc.blockers[0].message


class MissedVitalsDialog(ReasonDialog):
    """The vitals not recorded and the reason to discharge without them."""

    def __init__(self, missed: str, parent: QWidget | None = None) -> None:
        super().__init__(title="Discharge without these vitals",
                         caption="&Reason to discharge without them (required)",
                         reason_name="Reason to discharge without the missed vitals",
                         confirm_text="&Discharge", confirm_name="Confirm discharge",
                         discard_what="reason", placeholder="e.g. not taken during the "
                         "reaction; prescriber aware", parent=parent)
        self.missed = wrapped(missed, "Vitals not recorded", WARNING_STYLE)
        self.intro.addWidget(self.missed)
