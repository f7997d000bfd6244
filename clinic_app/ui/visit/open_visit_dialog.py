"""Opening an infusion visit: today's weight drives a live dose plan, then "Open visit".

Each change of the weight or its unit asks ``services.visits.preview_dose`` again after a short
pause in typing (debounced); a refused weight (impossible, not a number, a dose that cannot be
prepared) is shown beside the field and the plan is cleared. "Open visit" calls
``services.visits.open_visit`` with the override reason and the acknowledged warnings; nothing is
saved until then. The dialog decides nothing itself: which warning needs a reason or a tick comes
from the service's preview.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from clinic_app.domain.errors import ClinicalError
from clinic_app.services import clinic_day as day_service
from clinic_app.services import visits
from clinic_app.services.dto_visits import ClinicDayRow, DosePreview
from clinic_app.services.errors import OverrideRequired
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, field_of
from clinic_app.ui.navigation import Navigator
from clinic_app.ui.patients.display import time_text
from clinic_app.ui.visit.open_visit_view import OpenVisitView

DEBOUNCE_MS = 250
_WEIGHT_FIELDS = ("weight", "weight_unit")
EMPTY_NOTE = "Enter today's weight to see the dose."
REFUSED_NOTE = "No dose: see the message beside the weight."


class OpenVisitDialog(QDialog):
    """Weigh the patient, check the dose, open the visit (``visit_opened`` gives its id)."""

    visit_opened = Signal(int)

    def __init__(self, state: AppState, appointment_id: int, *,
                 navigator: Navigator | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._appointment_id = appointment_id
        self._navigator = navigator
        self.preview: DosePreview | None = None
        self.setWindowTitle("Open infusion visit")
        self.setAccessibleName("Open infusion visit")
        self.resize(960, 700)
        self.view = OpenVisitView()
        QVBoxLayout(self).addWidget(self.view)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_preview)
        self.view.weight.textChanged.connect(self._weight_typed)
        self.view.unit.currentTextChanged.connect(self._unit_changed)
        self.view.open_button.clicked.connect(self.open_visit)
        self.view.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, activated=self.open_visit)
        self._show_heading()
        self.view.weight.setFocus()

    def _show_heading(self) -> None:
        """Who and what: the day's row of this appointment (the right patient, the right drug)."""
        row = self._day_row()
        if row is None:
            self.view.header.hide()
            return
        treatment = (f"<b>{row.drug}</b> dose {row.dose_number} · {row.dose_text} · "
                     f"{time_text(row.local_time)} chair {row.chair}")
        self.view.header.show_identity(row.patient, allergies=row.allergies, alerts=row.alerts,
                                       today=self._state.ctx.local_now().date(),
                                       treatment=treatment)

    def _day_row(self) -> ClinicDayRow | None:
        ctx = self._state.ctx
        try:
            rows = day_service.clinic_day(ctx, day=ctx.local_now().date())
        except EXPECTED_ERRORS:
            return None
        return next((r for r in rows if r.appointment_id == self._appointment_id), None)

    def _weight_typed(self) -> None:
        self._timer.start()

    def _unit_changed(self, unit: str) -> None:
        self.view.set_unit_caption(unit)
        self._timer.start()

    def refresh_preview(self) -> None:
        """Ask the service for the plan at the weight typed (nothing is written)."""
        self._timer.stop()
        text = self.view.weight.text().strip()
        self.view.show_status("")
        if not text:
            self._show_preview(None)
            self.view.show_weight_error("")
            return
        try:
            preview = visits.preview_dose(self._state.ctx, appointment_id=self._appointment_id,
                                          weight=text, unit=self.view.unit.currentText())
        except EXPECTED_ERRORS as exc:
            self._show_preview(None, refused=True)
            self._show_refusal(exc)
            return
        self.view.show_weight_error("")
        self._show_preview(preview)

    def _show_preview(self, preview: DosePreview | None, *, refused: bool = False) -> None:
        self.preview = preview
        if preview is not None:
            self.view.plan.show_plan(preview.plan)
        else:
            self.view.plan.show_plan(None, empty_note=REFUSED_NOTE if refused else EMPTY_NOTE)
        self.view.warnings.show_warnings(() if preview is None else preview.warnings)
        self.view.previous_weight.setText(self._previous_text(preview))
        self.view.rate_note.setText(self._rate_note(preview))
        self.view.rate_note.setVisible(bool(self.view.rate_note.text()))

    def _previous_text(self, preview: DosePreview | None) -> str:
        if preview is None or preview.previous_weight_kg is None:
            return ""
        when = preview.previous_weight_at
        day = "" if when is None else \
            f" on {when.astimezone(self._state.ctx.tz).date().isoformat()}"
        return f"Last weight on file: {preview.previous_weight_kg.normalize():f} kg{day}"

    @staticmethod
    def _rate_note(preview: DosePreview | None) -> str:
        if preview is None:
            return ""
        lines = []
        if preview.graduated:
            lines.append("Graduated infusion rate (table below).")
        if preview.premedication:
            lines.append(f"Premedication: {preview.premedication}")
        return " ".join(lines)

    def _show_refusal(self, exc: BaseException) -> None:
        """A refused weight or dose goes beside the weight; anything else below the plan."""
        if isinstance(exc, ClinicalError):
            self.view.show_weight_error(str(exc))
        else:
            self.view.show_weight_error("")
            self.view.show_status(str(exc))

    def open_visit(self) -> None:
        """Record today's weight and the dose plan; open the visit screen."""
        if self._timer.isActive() or self.preview is None:
            self.refresh_preview()
        if self.preview is None:
            return
        try:
            detail = visits.open_visit(
                self._state.ctx, appointment_id=self._appointment_id,
                weight=self.view.weight.text().strip(), unit=self.view.unit.currentText(),
                override_reason=self.view.warnings.override_reason(),
                acknowledged=self.view.warnings.acknowledged())
        except OverrideRequired as exc:
            self.view.warnings.ask_for(exc.codes, str(exc))
            return
        except EXPECTED_ERRORS as exc:
            if field_of(exc) in _WEIGHT_FIELDS or isinstance(exc, ClinicalError):
                self.view.show_weight_error(str(exc))
            else:
                self.view.show_status(str(exc))
            return
        self._state.announce("visit", detail.id, patient_id=detail.patient.id)
        self._state.announce("appointment", self._appointment_id, patient_id=detail.patient.id)
        self.visit_opened.emit(detail.id)
        self.accept()
        if self._navigator is not None:
            self._navigator.open_visit(detail.id)
