"""What the label says about the order being typed, right under the dose, and the prescriber's
reason it may need: shared by the start-course and change-order forms.

As the dose (or the indication) is typed, :func:`clinic_app.services.courses.check_order` says
whether the order is one the label does not cover (above the indication's label maximum, a
fixed-dose drug at another dose); the warning shows at once and the reason field opens when a
warning needs one. The services still decide on saving: an
:class:`~clinic_app.services.errors.OverrideRequired` answer shows its message here and points
at the reason. Which warning needs a reason is the warning's own flag, from the domain.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.services.errors import OverrideRequired
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.course.warnings_panel import WarningsPanel, warning_html
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.patients.display import rich
from clinic_app.ui.patients.record_dialog import RecordDialog

REASON_FIELD = "override_reason"
REASON_HINT = ("Required for an order the label does not cover: the prescriber's reason "
               "(kept with the course; asked again at each dose)")

#: Asks the services what the label says about the order as typed (nothing is written).
CheckCall = Callable[[], Sequence[ClinicalWarning]]


class OrderCheck:
    """The order's label warnings and the reason field, added to ``dialog``'s form."""

    def __init__(self, dialog: RecordDialog, check: CheckCall) -> None:
        self._dialog = dialog
        self._check = check
        self.alert = ValueLabel("Order warning", alert=True)
        self.alert.setTextFormat(Qt.TextFormat.RichText)
        self.alert.setWordWrap(True)
        self.alert.setStyleSheet(WarningsPanel.ALERT_STYLE)
        dialog.rows.layout.addRow(self.alert)
        self.reason: QLineEdit = dialog.add_line(REASON_FIELD, "Prescriber's &reason")
        self.reason.setPlaceholderText("why the prescriber orders this dose")
        self.reason.setToolTip(REASON_HINT)
        self.reason.setAccessibleDescription(REASON_HINT)
        self.warnings: tuple[ClinicalWarning, ...] = ()
        self.show_warnings(())

    def refresh(self) -> None:
        """Ask again for the order as typed; an order not complete yet shows nothing (saving
        says what is missing beside its field)."""
        try:
            warnings = tuple(self._check())
        except EXPECTED_ERRORS:
            warnings = ()
        self.show_warnings(warnings)

    def show_warnings(self, warnings: Sequence[ClinicalWarning]) -> None:
        """Show the order's warnings and open the reason field when one needs it."""
        self.warnings = tuple(warnings)
        lines = "<br>".join(f"⚠ {warning_html(w)}" for w in self.warnings)
        needs_reason = any(w.requires_override for w in self.warnings)
        ask = "<br><b>Give the prescriber's reason below to save this order.</b>" \
            if needs_reason else ""
        self.alert.setText(f"<b>This order and the label</b><br>{lines}{ask}" if lines else "")
        self.alert.setVisible(bool(lines))
        self._show_reason(needs_reason)

    def ask(self, refusal: OverrideRequired) -> None:
        """The services want a reason: say why and point at the field."""
        self.alert.setText(f"⚠ {rich(str(refusal))}")
        self.alert.setVisible(True)
        self._show_reason(True)
        self.reason.setFocus()

    def _show_reason(self, needed: bool) -> None:
        keep = bool(self.reason.text().strip())  # a typed reason is never hidden
        row = self.reason.parentWidget()
        assert row is not None  # the form row holding the field
        self._dialog.rows.layout.setRowVisible(row, needed or keep)
        self._dialog.adjustSize()
