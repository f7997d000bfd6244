"""Re-weigh before the start: the weight typed when the visit was opened was wrong.

The new weight drives a live dose plan (``services.visit_closing.preview_reweigh``, compared with
the last weight before the wrong one); "Save new weight" calls
``services.visit_closing.reweigh_visit`` with the reason, the override reason and the
acknowledged warnings. The service voids the old visit and opens a new one; the dialog says so
beforehand: the pre-check starts again. ``reweighed`` gives the new visit's id. The dose used so
far (the visit's plan) is shown against the new weight's (the preview's): "Dose at 72.4 kg:
362 mg → at 80 kg: 400 mg"; both doses come from the services.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QBoxLayout, QWidget

from clinic_app.domain.units import round_kg_used
from clinic_app.services import visits
from clinic_app.services.visits.dto import DosePreview, VisitDetail
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.visit import formatting as fmt
from clinic_app.ui.visit import visit_rows as rows
from clinic_app.ui.visit.open_visit_view import OpenVisitView
from clinic_app.ui.visit.weighing_dialog import WeighingDialog

REASON_CAPTION = "Wh&y the first weight was wrong (required)"
NOTICE = ("The dose is calculated again from the new weight. The pre-check starts again: the "
          "answers, baseline vitals and lots recorded so far stay with the old visit, which is "
          "voided with this reason. Record them again on the new visit.")


class ReweighDialog(WeighingDialog):
    """New weight, live dose plan, reason; saving replaces the visit."""

    reweighed = Signal(int)

    def __init__(self, state: AppState, detail: VisitDetail,
                 parent: QWidget | None = None) -> None:
        self._detail = detail
        view = OpenVisitView(action="&Save new weight", reason_caption=REASON_CAPTION,
                             notice=NOTICE)
        self.dose_change = ValueLabel("Dose change")
        self.dose_change.setVisible(False)
        super().__init__(state, view, self._ask_preview, submit=self.save,
                         title="Re-weigh before the start", what="new weight", parent=parent)
        used = detail.weight_kg_used
        if used is not None:
            view.notice.setText(f"Weight used so far: {fmt.number(used)} kg. {NOTICE}")
        view.header.show_identity(detail.patient, allergies=detail.allergies,
                                  no_known_allergies=detail.no_known_allergies,
                                  alerts=detail.alerts, today=state.ctx.local_now().date(),
                                  treatment=rows.treatment_text(detail, state.ctx.tz))
        column = view.layout()
        if isinstance(column, QBoxLayout):
            column.insertWidget(column.indexOf(view.notice) + 1, self.dose_change)
        assert view.reason is not None
        view.reason.textChanged.connect(lambda _text: view.show_reason_error(""))

    def _ask_preview(self, weight: str, unit: str) -> DosePreview:
        return visits.preview_reweigh(self._state.ctx, visit_id=self._detail.id,
                                             weight=weight, unit=unit)

    def _show_preview(self, preview: DosePreview | None, *, refused: bool = False) -> None:
        """The new plan, and its dose against the one used so far."""
        super()._show_preview(preview, refused=refused)
        used = self._detail.weight_kg_used
        if preview is None or used is None:
            self.dose_change.setText("")
            self.dose_change.setVisible(False)
            return
        old = f"Dose at {fmt.number(used)} kg: {fmt.dose_text(self._detail.dose_plan)}"
        kg = fmt.number(round_kg_used(preview.plan.weight_kg))
        new = f"at {kg} kg: {fmt.dose_text(preview.plan)}"
        self.dose_change.setText(f"{old} \u2192 {new}")
        self.dose_change.setVisible(True)

    def save(self) -> None:
        """Void the wrong weight and visit, open the new one (one service call). A refused
        weight does not stop here: the service then reports it with a missing reason, every
        bad field at once."""
        self.ready_to_save()  # the plan shown is the one saved
        view = self.view
        assert view.reason is not None
        try:
            new = visits.reweigh_visit(
                self._state.ctx, visit_id=self._detail.id, weight=view.weight.text().strip(),
                unit=view.unit.currentText(), reason=view.reason.text(),
                override_reason=view.warnings.override_reason(),
                acknowledged=view.warnings.acknowledged(),
                expected_version=self._detail.version)
        except EXPECTED_ERRORS as exc:
            self.show_save_refusal(exc)
            return
        self.saved = True
        self.accept()
        self.reweighed.emit(new.id)
