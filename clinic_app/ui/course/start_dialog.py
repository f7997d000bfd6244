"""Start a course: protocol (the shipped list), indication (from the protocol), the order in
mg/kg or, for a fixed-dose protocol, in mg (the label's range as a hint), prescriber, first date.
The dose field starts empty: the order is typed from the prescription; the label's dose is only
a placeholder ("label: 5 mg/kg for Crohn's disease"). As the order is typed, what the label
says about it (an order above the indication's label maximum, a fixed-dose drug at another
dose) shows under the dose with the prescriber's reason it needs (:mod:`.order_check`).

:func:`clinic_app.services.courses.start_course` plans the appointments; a refusal such as
:class:`~clinic_app.domain.errors.Contraindicated` is shown as a dialog, field errors beside
their field, and everything typed stays.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dates import date_text
from clinic_app.domain.protocol_model import Indication, Protocol
from clinic_app.domain.protocols import protocol_ids
from clinic_app.services import catalogue, courses
from clinic_app.services.errors import OverrideRequired
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.order_check import REASON_FIELD, OrderCheck
from clinic_app.ui.course.order_hints import fixed_hint, label_placeholder, weight_based_hint
from clinic_app.ui.date_edits import typed_date_hint
from clinic_app.ui.patients.record_dialog import HINT_STYLE, RecordDialog, Values


class StartCourseDialog(RecordDialog):
    """The start-course form for one patient; ``saved`` carries the new CourseSummary."""

    def __init__(self, state: AppState, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__("Start course", self._start, save_text="&Start course", parent=parent)
        self._state = state
        self._patient_id = patient_id
        self._protocols = {pid: catalogue.protocol(pid) for pid in protocol_ids()}
        self.protocol_box = self.add_choice(
            "protocol_id", "&Protocol",
            [(p.id, f"{p.drug} ({p.route})") for p in self._protocols.values()])
        self.indication_box = self.add_choice("indication_id", "&Indication", [])
        self.mg_per_kg = self.add_line("mg_per_kg", "Dose (mg/&kg)")
        self.fixed_mg = self.add_line("fixed_mg", "Dose (&mg)")
        self.hint = ValueLabel("Dose hint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(HINT_STYLE)
        # The form gives a wrapped label more height than its text needs: keep it under the dose.
        self.hint.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.rows.layout.addRow("", self.hint)
        self.order_check = OrderCheck(self, self._check_order)
        self.prescriber = self.add_line("prescriber", "P&rescriber")
        today = date_text(state.ctx.local_now().date())
        self.first_dose = self.add_line("first_dose", "&First dose", hint=typed_date_hint(),
                                        text=today)
        self.setMinimumWidth(620)
        self.protocol_box.currentIndexChanged.connect(self._protocol_changed)
        self.indication_box.currentIndexChanged.connect(self._indication_changed)
        for dose in (self.mg_per_kg, self.fixed_mg):
            dose.textChanged.connect(self.order_check.refresh)
        self._protocol_changed()

    def protocol(self) -> Protocol:
        """The protocol chosen."""
        return self._protocols[str(self.protocol_box.currentData())]

    def _indication(self) -> Indication | None:
        wanted = self.indication_box.currentData()
        return next((i for i in self.protocol().dosing.indications if i.id == wanted), None)

    def _protocol_changed(self) -> None:
        protocol = self.protocol()
        self.indication_box.blockSignals(True)
        self.indication_box.clear()
        for indication in protocol.dosing.indications:
            self.indication_box.addItem(indication.name, indication.id)
        self.indication_box.blockSignals(False)
        weight_based = protocol.is_weight_based
        self._set_row_visible(self.mg_per_kg, weight_based)
        self._set_row_visible(self.fixed_mg, not weight_based)
        self._indication_changed()

    def _indication_changed(self) -> None:
        protocol, indication = self.protocol(), self._indication()
        if indication is None:
            return
        dose = self.mg_per_kg if protocol.is_weight_based else self.fixed_mg
        dose.clear()
        dose.setPlaceholderText(label_placeholder(protocol, indication))
        hint = (weight_based_hint(protocol, indication) if protocol.is_weight_based
                else fixed_hint(protocol, indication))
        self.hint.setText(hint.replace("mg/kg", "mg/\u2060kg"))  # never wrapped at the slash
        dose.setAccessibleDescription(hint)
        self.order_check.refresh()

    def _set_row_visible(self, line: QLineEdit, visible: bool) -> None:
        row = line.parentWidget()
        if row is not None:
            self.rows.layout.setRowVisible(row, visible)
        if not visible:
            line.clear()

    def _dose(self, v: Values) -> dict[str, str | None]:
        """The order as typed: mg/kg for a weight-based protocol, else mg."""
        if self.protocol().is_weight_based:
            return {"mg_per_kg": v["mg_per_kg"].strip() or None, "fixed_mg": None}
        return {"mg_per_kg": None, "fixed_mg": v["fixed_mg"].strip() or None}

    def _check_order(self) -> tuple[ClinicalWarning, ...]:
        v = self.values()
        return courses.check_order(self._state.ctx, patient_id=self._patient_id,
                                   protocol_id=self.protocol().id,
                                   indication_id=v["indication_id"], **self._dose(v))

    def _start(self, v: Values) -> object:
        return courses.start_course(
            self._state.ctx, patient_id=self._patient_id, protocol_id=self.protocol().id,
            indication_id=v["indication_id"], prescriber=v["prescriber"],
            first_dose=v["first_dose"], override_reason=v[REASON_FIELD].strip() or None,
            **self._dose(v))

    def show_refusal(self, exc: BaseException) -> None:
        """A reason the services want opens the reason field under the dose."""
        if isinstance(exc, OverrideRequired):
            self.order_check.ask(exc)
        else:
            super().show_refusal(exc)
