"""Do not give today: close the visit before the start, with the reason.

The dialog names the patient and the dose and says what recording it does (the visit is closed,
the dose stays owed and is booked again from the course); the reason (what was found and who
decided) is required. The service (``services.visits.hold_dose``) decides whether it is still
allowed. The dialog's behaviour is :class:`~clinic_app.ui.reason_dialog.ReasonDialog`'s.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_app.services.visits.dto import VisitDetail
from clinic_app.ui.reason_dialog import WARNING_STYLE, ReasonDialog, wrapped

PLACEHOLDER = "e.g. Temp 38.4 °C; Dr Nowak: postpone 1 week"


class NotGivenDialog(ReasonDialog):
    """Asks why the dose is not given; ``confirmed`` carries the reason typed."""

    def __init__(self, detail: VisitDetail, parent: QWidget | None = None) -> None:
        super().__init__(title="Do not give today",
                         caption="&Reason: what was found and who decided (required)",
                         reason_name="Reason the dose is not given",
                         confirm_text="Do &not give today",
                         confirm_name="Confirm: do not give today", discard_what="reason",
                         placeholder=PLACEHOLDER, parent=parent)
        who = detail.patient.display_name
        self.what = wrapped(f"<b>{who}</b>: {detail.course.drug} dose {detail.dose_number} "
                            "will not be given today.", "What is not given")
        self.consequence = wrapped("The visit is closed before the start. The dose stays "
                                   "owed: book it again from the course when the prescriber "
                                   "says.", "What happens", WARNING_STYLE)
        self.intro.addWidget(self.what)
        self.intro.addWidget(self.consequence)
