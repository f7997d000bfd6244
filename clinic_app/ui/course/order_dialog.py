"""Change the order of a course as the prescriber wrote it: the dose (and, when the prescriber
moves to another labelled use, the indication), who ordered it and why.

The same dose re-confirms the order: the weight on file becomes the weight the dose plan is
made from (the visit's weight-change warnings compare with it). What the label says about the
new order shows under the dose as it is typed, with the prescriber's reason it may need
(:mod:`.order_check`); :func:`clinic_app.services.courses.change_order` decides.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.services import catalogue, courses
from clinic_app.services.courses.dto import CourseDetail
from clinic_app.services.errors import OverrideRequired
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.order_check import REASON_FIELD, OrderCheck
from clinic_app.ui.course.order_hints import fixed_hint, weight_based_hint
from clinic_app.ui.patients.record_dialog import HINT_STYLE, RecordDialog, Values


class OrderDialog(RecordDialog):
    """``saved`` carries the CourseDetail with the new order."""

    def __init__(self, state: AppState, detail: CourseDetail,
                 parent: QWidget | None = None) -> None:
        course = detail.course
        intro = (f"{course.drug}, {course.indication}: now {course.order_text}. Record the "
                 "prescriber's new order for the next doses; the same dose re-confirms it at "
                 "the weight on file.")
        super().__init__("Change order", self._change, save_text="Change &order",
                         intro=intro, parent=parent)
        self._state = state
        self._course = course
        self._protocol = catalogue.protocol(course.protocol_id)
        self.indication = self.add_choice(
            "indication_id", "&Indication",
            [(i.id, i.name) for i in self._protocol.dosing.indications],
            current=course.indication_id)
        weight_based = self._protocol.is_weight_based
        self.dose = self.add_line("mg_per_kg" if weight_based else "fixed_mg",
                                  "Dose (mg/&kg)" if weight_based else "Dose (&mg)")
        self.hint = ValueLabel("Dose hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.rows.layout.addRow("", self.hint)
        self.order_check = OrderCheck(self, self._check_order)
        self.ordered_by = self.add_line("ordered_by", "Ordered &by",
                                        hint=f"Leave empty for {course.prescriber}")
        self.reason = self.add_text("reason", "Why (&change)", height=56)
        self.setMinimumWidth(620)
        self.indication.currentIndexChanged.connect(self._indication_changed)
        self.dose.textChanged.connect(self.order_check.refresh)
        self._indication_changed()
        self.dose.setFocus()

    def _indication_changed(self) -> None:
        wanted = self.indication.currentData()
        indication = next(i for i in self._protocol.dosing.indications if i.id == wanted)
        hint = (weight_based_hint(self._protocol, indication) if self._protocol.is_weight_based
                else fixed_hint(self._protocol, indication))
        self.hint.setText(hint.replace("mg/kg", "mg/\u2060kg"))  # never wrapped at the slash
        self.dose.setAccessibleDescription(hint)
        self.order_check.refresh()

    def _dose(self) -> dict[str, str | None]:
        typed = self.dose.text().strip() or None
        if self._protocol.is_weight_based:
            return {"mg_per_kg": typed, "fixed_mg": None}
        return {"mg_per_kg": None, "fixed_mg": typed}

    def _check_order(self) -> tuple[ClinicalWarning, ...]:
        return courses.check_order(self._state.ctx, patient_id=self._course.patient_id,
                                   protocol_id=self._protocol.id,
                                   indication_id=str(self.indication.currentData()),
                                   **self._dose())

    def _change(self, v: Values) -> object:
        return courses.change_order(
            self._state.ctx, course_id=self._course.id, indication_id=v["indication_id"],
            reason=v["reason"], ordered_by=v["ordered_by"],
            override_reason=v[REASON_FIELD].strip() or None,
            expected_version=self._course.version, **self._dose())

    def show_refusal(self, exc: BaseException) -> None:
        """A reason the services want opens the reason field under the dose."""
        if isinstance(exc, OverrideRequired):
            self.order_check.ask(exc)
        else:
            super().show_refusal(exc)
