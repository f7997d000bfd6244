"""The slots that close a visit before the start, for one visit screen.

"Do not give today…" asks the reason (:class:`NotGivenDialog`) and calls
``services.visit_closing.hold_dose``; "Re-weigh…" opens :class:`ReweighDialog`, which calls
``services.visit_closing.reweigh_visit``. Both pass the visit's version as shown, so a change
made meanwhile on another workstation is reported, not overwritten. The dialogs open
window-modal (``open()``); the screen hears the outcome through the signals.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clinic_app.services import visits
from clinic_app.services.visits.dto import VisitDetail
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.visit.not_given_dialog import NotGivenDialog
from clinic_app.ui.visit.reweigh_dialog import ReweighDialog


class BeforeStart(QObject):
    """Opens the two dialogs for ``screen``; ``not_given`` gives the closed visit,
    ``reweighed`` the id of the visit that replaces it."""

    not_given = Signal(object)
    reweighed = Signal(int)

    def __init__(self, state: AppState, screen: QWidget) -> None:
        super().__init__(screen)
        self._state = state
        self._screen = screen
        self.hold_dialog: NotGivenDialog | None = None
        self.reweigh_dialog: ReweighDialog | None = None

    def hold_dose(self, detail: VisitDetail | None) -> NotGivenDialog | None:
        """Ask why the dose is not given today (only before the start)."""
        if detail is None or detail.status != "checked_in":
            return None
        dialog = NotGivenDialog(detail, parent=self._screen)
        dialog.confirmed.connect(lambda reason: self._hold_confirmed(dialog, detail, reason))
        dialog.finished.connect(dialog.deleteLater)
        self.hold_dialog = dialog
        dialog.open()
        return dialog

    def _hold_confirmed(self, dialog: NotGivenDialog, detail: VisitDetail, reason: str) -> None:
        try:
            closed = visits.hold_dose(self._state.ctx, visit_id=detail.id, reason=reason,
                                             expected_version=detail.version)
        except EXPECTED_ERRORS as exc:
            dialog.show_error(str(exc))
            return
        dialog.done_saving()
        self.not_given.emit(closed)

    def reweigh(self, detail: VisitDetail | None) -> ReweighDialog | None:
        """Weigh again and re-open the visit at the new weight (only before the start)."""
        if detail is None or detail.status != "checked_in":
            return None
        dialog = ReweighDialog(self._state, detail, parent=self._screen)
        dialog.reweighed.connect(self.reweighed)
        dialog.finished.connect(dialog.deleteLater)
        self.reweigh_dialog = dialog
        dialog.open()
        return dialog
