"""What the "Open visit" and "Re-weigh" steps share: a typed weight drives a live dose plan.

Each change of the weight or its unit asks the service's preview again after a short pause in
typing (debounced); a refused weight (impossible, not a number, a dose that cannot be prepared)
is shown beside the field and the plan is cleared, the last weight on file staying in view. A
weight in pounds shows the kilograms the dose uses beside it ("= 32.84 kg"). The dialog decides
nothing itself: which warning needs a reason or a tick comes from the service's preview.
Closing it with a weight or a reason typed and not saved asks first
(:mod:`clinic_app.ui.unsaved`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from decimal import Decimal

from PySide6.QtCore import QTimer
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QVBoxLayout, QWidget

from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import ClinicalError, DoseRefused, ImpossibleWeight
from clinic_app.domain.units import WeightUnit, round_kg_used
from clinic_app.services.errors import InvalidInputs, OverrideRequired
from clinic_app.services.visits.dto import DosePreview
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, field_of
from clinic_app.ui.unsaved import may_discard
from clinic_app.ui.visit.open_visit_view import OpenVisitView

DEBOUNCE_MS = 250
WEIGHT_FIELDS = ("weight", "weight_unit", "unit")
EMPTY_NOTE = "Enter today's weight to see the dose."
REFUSED_NOTE = "No dose: see the message beside the weight."

#: Asks the service for the plan at (weight typed, unit); nothing is written.
PreviewCall = Callable[[str, str], DosePreview]


def previous_weight_text(kg: Decimal | None, when: datetime | None, tz: tzinfo) -> str:
    """``Last weight on file: 60 kg on 1 Feb 2026`` ('' when none)."""
    if kg is None:
        return ""
    day = "" if when is None else f" on {date_text(when.astimezone(tz).date())}"
    return f"Last weight on file: {kg.normalize():f} kg{day}"


def converted_text(preview: DosePreview | None) -> str:
    """``= 32.84 kg`` for a weight typed in pounds (the kilograms the dose uses), else ''."""
    if preview is None or preview.plan.weight.unit is not WeightUnit.LB:
        return ""
    return f"= {round_kg_used(preview.plan.weight_kg)} kg"


def rate_note(preview: DosePreview | None) -> str:
    """The graduated rate and the premedication advice, '' when neither applies."""
    if preview is None:
        return ""
    lines = []
    if preview.graduated:
        lines.append("Graduated infusion rate (table below).")
    if preview.premedication:
        lines.append(f"Premedication: {preview.premedication}")
    return " ".join(lines)


class WeighingDialog(QDialog):
    """Weight, unit and the live dose plan; subclasses add the header and pass their saving
    slot as ``submit`` (the main button and Ctrl+Return)."""

    def __init__(self, state: AppState, view: OpenVisitView, preview_with: PreviewCall, *,
                 submit: Callable[[], None], title: str, what: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._preview_with = preview_with
        self._what = what
        self.preview: DosePreview | None = None
        self.saved = False
        self.setWindowTitle(title)
        self.setAccessibleName(title)
        self.resize(960, 700)
        self.view = view
        QVBoxLayout(self).addWidget(view)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.refresh_preview)
        view.weight.textChanged.connect(self._weight_typed)
        view.unit.currentTextChanged.connect(self._unit_changed)
        view.warnings.answers_changed.connect(lambda: view.show_status(""))
        view.open_button.clicked.connect(submit)
        view.cancel_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+Return"), self, submit)
        view.weight.setFocus()

    # --- the live preview ------------------------------------------------------------------

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
            preview = self._preview_with(text, self.view.unit.currentText())
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
        if preview is None:
            self.view.warnings.show_warnings(())
        else:
            self.view.warnings.show_warnings(preview.warnings, preview.stop_codes)
        if preview is not None:
            self.show_previous_weight(preview.previous_weight_kg, preview.previous_weight_at)
        self.view.converted.setText(converted_text(preview))
        self.view.converted.setVisible(bool(self.view.converted.text()))
        self.view.rate_note.setText(rate_note(preview))
        self.view.rate_note.setVisible(bool(self.view.rate_note.text()))

    def show_previous_weight(self, kg: Decimal | None, when: datetime | None) -> None:
        """The last weight on file beside the field; it stays while a weight is refused."""
        self.view.previous_weight.setText(previous_weight_text(kg, when, self._state.ctx.tz))

    def _show_refusal(self, exc: BaseException) -> None:
        """A refused weight or dose goes beside the weight; anything else below the plan."""
        if isinstance(exc, ImpossibleWeight | DoseRefused):
            typed = f"{self.view.weight.text().strip()} {self.view.unit.currentText()}"
            self.view.show_weight_error(
                f"{exc} Check the weight typed ({typed}): a slip of the decimal point or "
                "the unit?")
        elif isinstance(exc, ClinicalError):
            self.view.show_weight_error(str(exc))
        else:
            self.view.show_weight_error("")
            self.view.show_status(str(exc))

    # --- saving ----------------------------------------------------------------------------

    def ready_to_save(self) -> bool:
        """Bring the preview up to date; True when there is a dose to save."""
        if self._timer.isActive() or self.preview is None:
            self.refresh_preview()
        return self.preview is not None

    def show_save_refusal(self, exc: BaseException) -> None:
        """A refused save: the missing decision in the warnings (scrolled into view and said
        beside the buttons too), a weight error beside the weight, a reason beside the reason
        (both at once when both are wrong), anything else beside the buttons."""
        if isinstance(exc, InvalidInputs):  # every bad field at once
            for error in exc.errors:
                self.show_save_refusal(error)
            if self.view.weight_error.text():
                self.view.weight.setFocus()  # the first bad field on screen
        elif isinstance(exc, OverrideRequired):
            self.view.warnings.ask_for(exc.codes, str(exc))
            self.view.show_status(str(exc))
            self.view.scroll_to(self.view.warnings.first_open(exc.codes))
        elif field_of(exc) == "reason" and self.view.reason is not None:
            self.view.show_reason_error(str(exc))
        elif isinstance(exc, ImpossibleWeight | DoseRefused):
            self._show_refusal(exc)  # asks to check the typed weight, as the preview did
        elif field_of(exc) in WEIGHT_FIELDS or isinstance(exc, ClinicalError):
            self.view.show_weight_error(str(exc))
        else:
            self.view.show_status(str(exc))

    def has_unsaved_input(self) -> bool:
        """True while open with a weight or a reason typed and not saved."""
        view = self.view
        typed = [view.weight.text(), view.warnings.reason.text()]
        if view.reason is not None:
            typed.append(view.reason.text())
        return self.isVisible() and not self.saved and any(text.strip() for text in typed)

    def reject(self) -> None:
        """Qt override (Esc, Cancel, the title bar): ask before discarding typed input."""
        if may_discard(self, self._what):
            super().reject()
