"""The slots of the second nurse's check, for one visit screen.

"Second nurse check…" opens :class:`DoubleCheckDialog` (window-modal); signing calls
``services.visits.sign_double_check`` with the second nurse's own user name and password. A
refusal (her password wrong, the nurse signed in giving her own account, ...) shows in the
dialog, which keeps what was typed; on success the dialog closes and the screen hears of it
through ``changed``. "Void a check…" asks which check and why (:class:`ReasonDialog`) and calls
``services.visits.void_double_check`` with the version shown.
"""

from __future__ import annotations

from datetime import tzinfo

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from clinic_app.services import visits
from clinic_app.services.visits.dto import DoubleCheckEntry, DoubleCheckStatus
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.reason_dialog import ReasonDialog
from clinic_app.ui.visit.double_check_view import DoubleCheckDialog, entry_text


class DoubleCheckSlots(QObject):
    """Opens the dialog and signs for ``screen``; ``changed`` after a signature."""

    changed = Signal()

    def __init__(self, state: AppState, screen: QWidget) -> None:
        super().__init__(screen)
        self._state = state
        self._screen = screen
        self.dialog: DoubleCheckDialog | None = None
        self.void_dialog: ReasonDialog | None = None

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

    def void(self, status: DoubleCheckStatus, tz: tzinfo) -> ReasonDialog:
        """Ask which check and why, then void it (signed in error); returns the dialog."""
        standing = [e for e in status.entries if e.voided is None]
        dialog = ReasonDialog(title="Void a second nurse check", caption="&Reason to void it:",
                              reason_name="Reason to void the check",
                              confirm_text="Void", confirm_name="Void the second nurse check",
                              discard_what="reason", placeholder="e.g. signed for the wrong bag",
                              parent=self._screen)  # fmt: skip
        which = QComboBox()
        which.setAccessibleName("Check to void")
        which.addItems([entry_text(e, tz) for e in standing])
        dialog.choices.addWidget(which)
        dialog.confirmed.connect(
            lambda reason: self._void(dialog, standing[which.currentIndex()], reason)
        )
        dialog.finished.connect(dialog.deleteLater)
        self.void_dialog = dialog
        dialog.open()
        return dialog

    def _void(self, dialog: ReasonDialog, entry: DoubleCheckEntry, reason: str) -> None:
        try:
            visits.void_double_check(self._state.ctx, double_check_id=entry.id, reason=reason,
                                     expected_version=entry.version)  # fmt: skip
        except EXPECTED_ERRORS as exc:
            dialog.show_error(str(exc))
            return
        dialog.done_saving()
        self.changed.emit()
