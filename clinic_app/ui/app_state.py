"""The GUI's shared state: the service context, the signed-in nurse and change notices.

Widgets never poll the database: after a service call changes something, the caller announces it
with :meth:`AppState.announce` and every view showing that kind of record refreshes itself
(Anki's ``OpChanges`` habit). What other workstations commit arrives through
:mod:`clinic_app.ui.live_updates`, which asks the service about once a second and announces it
with :meth:`AppState.announce_remote` (``remote_changed``).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QObject, Signal

from clinic_app.services.context import ServiceContext


@dataclass(frozen=True)
class Change:
    """What an action changed: a record kind ("patient", "course", "visit", ...) and its id."""

    kind: str
    record_id: int | None = None
    patient_id: int | None = None


class AppState(QObject):
    """Holds the :class:`ServiceContext`; signals sign-in, sign-out and data changes."""

    signed_in = Signal(object)  # the nurse summary
    signed_out = Signal()
    data_changed = Signal(object)  # a Change
    remote_changed = Signal(object)  # another workstation's change (OtherWorkstationChange)

    def __init__(self, ctx: ServiceContext, *, demo: bool = False) -> None:
        super().__init__()
        self._ctx = ctx
        self.nurse: object | None = None
        self.nurse_name = ""
        self.demo = demo

    @property
    def ctx(self) -> ServiceContext:
        """The context for service calls, signed as the current nurse."""
        return self._ctx

    def sign_in(self, nurse: object, *, nurse_id: int, display_name: str) -> None:
        """Record a successful sign-in and tell the views."""
        self._ctx = self._ctx.as_nurse(nurse_id)
        self.nurse = nurse
        self.nurse_name = display_name
        self.signed_in.emit(nurse)

    def sign_out(self) -> None:
        """Forget the nurse (idle lock or sign-out); writes are refused until the next sign-in."""
        self._ctx = self._ctx.signed_out()
        self.nurse = None
        self.nurse_name = ""
        self.signed_out.emit()

    def announce(self, kind: str, record_id: int | None = None, *,
                 patient_id: int | None = None) -> None:
        """Tell every view that a record changed."""
        self.data_changed.emit(Change(kind, record_id, patient_id))

    def announce_remote(self, change: object) -> None:
        """Tell every view that another workstation committed ``change``
        (a ``services.live.OtherWorkstationChange``)."""
        self.remote_changed.emit(change)
