"""The slots of the second nurse's check, for one visit screen.

"Second nurse check…" opens :class:`DoubleCheckDialog` (window-modal); signing calls
``services.visits.sign_double_check`` with the second nurse's own user name and password. A
refusal (her password wrong, the nurse signed in giving her own account, ...) shows in the
dialog, which keeps what was typed; on success the dialog closes and the screen hears of it
through ``changed``.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QWidget

from clinic_app.services import visits
from clinic_app.services.visits.dto import DoubleCheckStatus
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.visit.double_check_view import DoubleCheckDialog


class DoubleCheckSlots(QObject):
    """Opens the dialog and signs for ``screen``; ``changed`` after a signature."""

    changed = Signal()

    def __init__(self, state: AppState, screen: QWidget) -> None:
        super().__init__(screen)
        self._state = state
        self._screen = screen
        self.dialog: DoubleCheckDialog | None = None

    def open(self, visit_id: int, status: DoubleCheckStatus) -> DoubleCheckDialog:
        """Open the dialog for the visit; returns it."""
        dialog = DoubleCheckDialog(first_nurse=self._state.nurse_name or "", status=status,
                                   parent=self._screen)  # fmt: skip
        dialog.confirmed.connect(lambda what, username, secret: self._sign(
            dialog, visit_id, what, username, secret))  # fmt: skip
        dialog.finished.connect(dialog.deleteLater)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _sign(self, dialog: DoubleCheckDialog, visit_id: int, what: str, username: str,
              secret: str) -> None:  # fmt: skip
        try:
            visits.sign_double_check(self._state.ctx, visit_id=visit_id, what=what,
                                     username=username, secret=secret,
                                     attested=dialog.attest.isChecked())  # fmt: skip
        except EXPECTED_ERRORS as exc:
            dialog.show_error(str(exc))
            return
        dialog.accept()
        self.changed.emit()
