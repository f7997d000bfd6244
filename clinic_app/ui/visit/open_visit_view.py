"""Layout of the "Open visit" and "Re-weigh" steps: today's weight, the live dose plan, its
warnings (and, to re-weigh, why the first weight was wrong).

The warnings come before the plan (the stop-level ones first, in red) so what must be decided
is in view at 1366x768; a refused "Open visit" is said beside the buttons. Layout only
(TagStudio habit); the slots are in :mod:`clinic_app.ui.visit.open_visit_dialog`
and :mod:`clinic_app.ui.visit.reweigh_dialog`. The weight's label and accessible name follow the
unit chosen ("Weight (kg)" / "Weight (lb)").
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.shortened_infusion import ShortenedEligibility
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.visit.dose_plan_view import DosePlanPanel
from clinic_app.ui.visit.formatting import shortened_caption, shortened_reasons
from clinic_app.ui.visit.identity_header import IdentityHeader
from clinic_app.ui.visit.warnings_view import WarningsPanel

UNITS = ("kg", "lb")
NOTE_STYLE = "color: #444;"
NOTICE_STYLE = ("background: #EEF3FA; border: 1px solid #C5D3E8; border-radius: 4px; "
                "padding: 6px;")


def weight_caption(unit: str) -> str:
    """The weight field's label for ``unit``."""
    return f"Weight ({unit})"


class OpenVisitView(QWidget):
    """Header, weight row (value, unit, message), notes, dose plan, warnings and buttons.

    With ``reason_caption`` a required reason field follows the weight, and ``notice`` (what
    saving will do) is shown above it; ``action`` is the main button's text.
    """

    def __init__(self, parent: QWidget | None = None, *, action: str = "&Open visit",
                 reason_caption: str | None = None, notice: str = "") -> None:
        super().__init__(parent)
        self.header = IdentityHeader()
        self.notice = ValueLabel("What saving does", notice)
        self.notice.setWordWrap(True)
        self.notice.setStyleSheet(NOTICE_STYLE)
        self.notice.setVisible(bool(notice))
        self.reason: QLineEdit | None = None
        self.reason_caption: QLabel | None = None
        self.reason_error = ValueLabel("Reason error", alert=True)
        self.reason_error.setStyleSheet(ERROR_STYLE)
        self.reason_error.setWordWrap(True)
        self.reason_error.hide()
        if reason_caption is not None:
            self.reason = QLineEdit()
            self.reason.setMaxLength(500)
            self.reason.setAccessibleName(reason_caption.replace("&", ""))
            self.reason_caption = QLabel(reason_caption)
            self.reason_caption.setBuddy(self.reason)
            self.reason_error.set_caption(f"{self.reason.accessibleName()} error")
        self.weight = QLineEdit()
        self.weight.setPlaceholderText("today's weight")
        self.weight.setMaximumWidth(140)
        self.unit = QComboBox()
        self.unit.addItems(UNITS)
        self.unit.setAccessibleName("Weight unit")
        self.weight_caption = QLabel()
        self.weight_caption.setBuddy(self.weight)
        self.weight_error = ValueLabel("Weight error", alert=True)
        self.weight_error.setStyleSheet(ERROR_STYLE)
        self.weight_error.setWordWrap(True)
        self.converted = ValueLabel("Weight in kg")
        self.converted.setStyleSheet("font-weight: bold;")
        self.converted.hide()
        self.previous_weight = ValueLabel("Previous weight")
        self.previous_weight.setStyleSheet(NOTE_STYLE)
        self.rate_note = ValueLabel("Infusion rate note")
        self.rate_note.setWordWrap(True)
        self.shortened = QCheckBox("&Shortened infusion")
        self.shortened.setAccessibleName("Shortened infusion")
        self.shortened.hide()
        self.shortened_reasons = ValueLabel("Shortened infusion conditions")
        self.shortened_reasons.setWordWrap(True)
        self.shortened_reasons.setStyleSheet(NOTE_STYLE)
        self.shortened_reasons.hide()
        self.plan = DosePlanPanel()
        self.warnings = WarningsPanel()
        self.warnings.hide()
        self.status = ValueLabel("Open visit message", alert=True)
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.setWordWrap(True)
        self.status.hide()
        self.buttons = QDialogButtonBox()
        self.open_button = QPushButton(action)
        self.open_button.setAccessibleName(action.replace("&", ""))
        self.open_button.setToolTip(f"{action.replace('&', '')} (Ctrl+Return)")
        self.open_button.setDefault(True)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel")
        self.buttons.addButton(self.open_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self._lay_out()
        self.set_unit_caption("kg")

    def _lay_out(self) -> None:
        weight_row = QHBoxLayout()
        weight_row.addWidget(self.weight)
        weight_row.addWidget(self.unit)
        weight_row.addWidget(self.converted)
        weight_row.addWidget(self.previous_weight)
        weight_row.addStretch(1)
        weight_box = QVBoxLayout()
        weight_box.setSpacing(2)
        weight_box.addLayout(weight_row)
        weight_box.addWidget(self.weight_error)
        form = QFormLayout()
        form.addRow(self.weight_caption, weight_box)
        if self.reason is not None and self.reason_caption is not None:
            reason_box = QVBoxLayout()
            reason_box.setSpacing(2)
            reason_box.addWidget(self.reason)
            reason_box.addWidget(self.reason_error)
            form.addRow(self.reason_caption, reason_box)
        body = QWidget()
        body_column = QVBoxLayout(body)
        body_column.setContentsMargins(0, 0, 0, 0)
        body_column.addWidget(self.rate_note)
        body_column.addWidget(self.shortened)
        body_column.addWidget(self.shortened_reasons)
        body_column.addWidget(self.warnings)
        body_column.addWidget(self.plan)
        body_column.addStretch(1)
        self.scroll_area = scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        column = QVBoxLayout(self)
        column.addWidget(self.header)
        column.addWidget(self.notice)
        column.addLayout(form)
        column.addWidget(scroll, stretch=1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, stretch=1)
        bottom.addWidget(self.buttons, alignment=Qt.AlignmentFlag.AlignBottom)
        column.addLayout(bottom)
        self.setTabOrder(self.weight, self.unit)
        if self.reason is not None:
            self.setTabOrder(self.unit, self.reason)

    def show_shortened(self, check: ShortenedEligibility | None) -> None:
        """The shortened-infusion choice with every condition, met or not, where the clinic
        uses it for this drug: enabled when the dose is eligible (or it is chosen, so that it
        can be taken back), disabled with the reasons otherwise; hidden when there is nothing
        to show and it is not chosen."""
        chosen = self.shortened.isChecked()
        if check is None:
            self.shortened_reasons.hide()
            self.shortened.setVisible(chosen)
            return
        self.shortened.setText(shortened_caption(check))
        self.shortened.setEnabled(check.eligible or chosen)
        self.shortened_reasons.setText(shortened_reasons(check))
        self.shortened.show()
        self.shortened_reasons.show()

    def set_unit_caption(self, unit: str) -> None:
        """Label and accessible name of the weight field follow the unit."""
        caption = weight_caption(unit)
        self.weight_caption.setText(f"&{caption}")
        self.weight.setAccessibleName(caption)

    def show_weight_error(self, message: str) -> None:
        """A refusal beside the weight ('' hides it)."""
        self.weight_error.setText(message)
        self.weight_error.setVisible(bool(message))

    def show_status(self, message: str) -> None:
        """A refusal that is not about the weight ('' hides it)."""
        self.status.setText(message)
        self.status.setVisible(bool(message))

    def scroll_to(self, widget: QWidget | None) -> None:
        """Bring ``widget`` (inside the scrolling plan and warnings) into view."""
        if widget is not None:
            self.scroll_area.ensureWidgetVisible(widget, 0, 40)

    def show_reason_error(self, message: str) -> None:
        """A refused reason beside the reason field ('' hides it)."""
        self.reason_error.setText(message)
        self.reason_error.setVisible(bool(message))
        if message and self.reason is not None:
            self.reason.setFocus()
