"""The slots of the premedication panel, for one visit screen.

"Record premedication as given" saves the rows ticked (the suggested set as edited) in one
service call (``services.visits.record_premedications``), all or nothing; a refusal appears
under the rows, which keep what was typed. "Void selected…" asks the reason
(:class:`ReasonDialog`, window-modal) and calls ``services.visits.void_premedication`` with
the version shown. The screen hears of a change through ``changed``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clinic_app.services import visits
from clinic_app.services.visits.dto import PremedicationForm
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.reason_dialog import ReasonDialog
from clinic_app.ui.visit.premedication_panel import PremedicationPanel


def _form(row: dict[str, str | None], given_at: str) -> PremedicationForm:
    return PremedicationForm(kind=row["kind"], drug=row["drug"] or "", dose=row["dose"] or "",
                             unit=row["unit"] or "", route=row["route"] or "",
                             lot=row["lot"] or "", given_at=given_at or None)  # fmt: skip


class PremedicationSlots(QObject):
    """Records and voids premedication for ``screen``; ``changed`` after each save."""

    changed = Signal()

    def __init__(self, state: AppState, panel: PremedicationPanel, screen: QWidget) -> None:
        super().__init__(screen)
        self._state = state
        self._panel = panel
        self._screen = screen
        self.void_dialog: ReasonDialog | None = None

    def record(self, visit_id: int, chosen: list[dict[str, str | None]], given_at: str) -> None:
        """Save the rows ticked in one step."""
        forms = [_form(row, given_at) for row in chosen]
        try:
            visits.record_premedications(self._state.ctx, visit_id=visit_id, forms=forms)
        except EXPECTED_ERRORS as exc:
            self._panel.show_error(str(exc))
            return
        self._panel.saved()
        self.changed.emit()

    def void(self, premedication_id: int, version: int) -> ReasonDialog:
        """Ask why, then void the premedication (entered in error); returns the dialog."""
        dialog = ReasonDialog(title="Void premedication", caption="&Reason to void it:",
                              reason_name="Reason to void the premedication",
                              confirm_text="Void", confirm_name="Void premedication",
                              discard_what="reason", placeholder="e.g. entered in error",
                              parent=self._screen)  # fmt: skip
        dialog.confirmed.connect(lambda reason: self._void(dialog, premedication_id, version,
                                                           reason))  # fmt: skip
        dialog.finished.connect(dialog.deleteLater)
        self.void_dialog = dialog
        dialog.open()
        return dialog

    def _void(self, dialog: ReasonDialog, premedication_id: int, version: int,
              reason: str) -> None:  # fmt: skip
        try:
            visits.void_premedication(self._state.ctx, premedication_id=premedication_id,
                                      reason=reason, expected_version=version)  # fmt: skip
        except EXPECTED_ERRORS as exc:
            dialog.show_error(str(exc))
            return
        dialog.done_saving()
        self.changed.emit()
