"""Confirm the end of the infusion: volume infused against the volume planned, and a reason when
the bag is not empty.

The volumes come from the service's progress (``VisitDetail.infusion``) and plan
(``VisitDetail.dose_plan.final_volume_ml``) and the dose they hold from
:func:`clinic_app.services.visits.dose_given`; the widget only shows them. Ending early records
the volume infused so far (and the dose in it) as what was given, so it needs a reason (the
service refuses one without it, on "reason"). The dialog's behaviour is
:class:`~clinic_app.ui.reason_dialog.ReasonDialog`'s.
"""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from clinic_app.domain.units import plain
from clinic_app.services.visits import dose_given
from clinic_app.services.visits.dto import VisitDetail
from clinic_app.ui.reason_dialog import WARNING_STYLE, ReasonDialog, wrapped


class EndInfusionDialog(ReasonDialog):
    """Asks before ending; ``confirmed`` carries the reason typed ('' when the bag is empty)."""

    def __init__(self, detail: VisitDetail, parent: QWidget | None = None) -> None:
        progress = detail.infusion
        infused = progress.volume_infused_ml if progress is not None else None
        remaining = progress.remaining_ml if progress is not None else None
        self.remaining = remaining if remaining is not None and remaining > 0 else None
        self.early = self.remaining is not None
        super().__init__(title="End infusion", caption="&Reason for ending early (required)",
                         reason_name="Reason for ending early", confirm_text="End infusion",
                         confirm_name="Confirm end of infusion",
                         discard_what="reason for ending early", parent=parent)
        planned = plain(detail.dose_plan.final_volume_ml)
        shown = "?" if infused is None else plain(infused)
        self.volumes = wrapped(f"Infused {shown} mL of {planned} mL planned.", "Volume infused")
        self.warning = wrapped("", "Ending early", WARNING_STYLE)
        self.intro.addWidget(self.volumes)
        self.intro.addWidget(self.warning)
        if self.remaining is not None:
            given = dose_given(detail).given_mg
            dose = "" if given is None else (
                f" (\u2248{plain(given)} mg of {plain(detail.dose_plan.dose_mg)} mg prepared)")
            self.warning.setText(f"{plain(self.remaining)} mL are still in the bag. Ending now "
                                 f"records {shown} of {planned} mL infused{dose} as given: say "
                                 f"why the infusion ends early.")
        for widget in (self.warning, self.caption, self.reason):
            widget.setVisible(self.early)
        self._update()
        (self.reason if self.early else self.cancel).setFocus()

    def asks_reason(self) -> bool:
        """A reason only when the bag is not empty."""
        return self.early
