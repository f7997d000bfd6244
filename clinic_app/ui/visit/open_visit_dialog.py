"""Opening an infusion visit: today's weight drives a live dose plan, then "Open visit".

The live plan comes from ``services.visits.preview_dose`` (see
:mod:`clinic_app.ui.visit.weighing_dialog`); the header (who, which drug and dose, when and
where) from ``services.visit_appointment.get_appointment``. "Open visit" calls
``services.visits.open_visit`` with the override reason and the acknowledged warnings; nothing
is saved until then.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QWidget

from clinic_app.domain.dates import time_text
from clinic_app.services import visits
from clinic_app.services.visits import get_appointment
from clinic_app.services.visits.dto import AppointmentHeader, DosePreview
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.navigation import Navigator
from clinic_app.ui.patients.display import chair_text, rich
from clinic_app.ui.visit.open_visit_view import OpenVisitView
from clinic_app.ui.visit.weighing_dialog import WeighingDialog


def treatment_text(header: AppointmentHeader) -> str:
    """``<b>Infliximab</b> dose 1 · 5 mg/kg · Crohn's disease · 10:00 chair 3``."""
    booked = f" · {time_text(header.local_time)}" if header.local_time is not None else ""
    chair = f" {rich(chair_text(header.chair))}" if header.chair else ""
    return (f"<b>{header.drug}</b> dose {header.dose_number} · {header.order_text} · "
            f"{header.indication}{booked}{chair}")


class OpenVisitDialog(WeighingDialog):
    """Weigh the patient, check the dose, open the visit (``visit_opened`` gives its id)."""

    visit_opened = Signal(int)

    def __init__(self, state: AppState, appointment_id: int, *,
                 navigator: Navigator | None = None, parent: QWidget | None = None) -> None:
        self._appointment_id = appointment_id
        self._navigator = navigator
        super().__init__(state, OpenVisitView(), self._ask_preview, submit=self.open_visit,
                         title="Open infusion visit", what="weight", parent=parent)
        self.view.shortened.toggled.connect(lambda _on: self.refresh_preview())
        self._show_heading()

    def _ask_preview(self, weight: str, unit: str) -> DosePreview:
        preview = visits.preview_dose(self._state.ctx, appointment_id=self._appointment_id,
                                      weight=weight, unit=unit,
                                      shortened=self.view.shortened.isChecked())
        self.view.show_shortened(preview.shortened_check)
        return preview

    def _show_heading(self) -> None:
        """Who and what: the appointment (the right patient, the right drug)."""
        try:
            header = get_appointment(self._state.ctx, appointment_id=self._appointment_id)
        except EXPECTED_ERRORS as exc:
            self.view.header.hide()
            self.view.show_status(str(exc))
            return
        self.view.header.show_identity(header.patient, allergies=header.allergies,
                                       no_known_allergies=header.no_known_allergies,
                                       alerts=header.alerts,
                                       today=self._state.ctx.local_now().date(),
                                       treatment=treatment_text(header))
        self.show_previous_weight(header.previous_weight_kg, header.previous_weight_at)

    def open_visit(self) -> None:
        """Record today's weight and the dose plan; open the visit screen."""
        if not self.ready_to_save():
            return
        try:
            detail = visits.open_visit(
                self._state.ctx, appointment_id=self._appointment_id,
                weight=self.view.weight.text().strip(), unit=self.view.unit.currentText(),
                override_reason=self.view.warnings.override_reason(),
                acknowledged=self.view.warnings.acknowledged(),
                shortened=self.view.shortened.isChecked())
        except EXPECTED_ERRORS as exc:
            self.show_save_refusal(exc)
            return
        self.saved = True
        self._state.announce("visit", detail.id, patient_id=detail.patient.id)
        self._state.announce("appointment", self._appointment_id, patient_id=detail.patient.id)
        self.visit_opened.emit(detail.id)
        self.accept()
        if self._navigator is not None:
            self._navigator.open_visit(detail.id)
