"""What every use case needs: the store, the clock, the clinic settings and the signed-in nurse.

Built once by the composition root (``clinic_app.app``) and passed to every service call; tests
build one over a temporary SQLite file with a fixed clock. Nothing here reads the clock at import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, tzinfo

from sqlalchemy.orm import Session, sessionmaker

from clinic_app.domain.settings import ClinicSettings
from clinic_app.services.errors import NotSignedIn
from clinic_app.storage import UnitOfWork


def system_clock() -> datetime:
    """The current moment, timezone-aware in UTC (the only place the real clock is read)."""
    return datetime.now(UTC)


@dataclass(frozen=True)
class ServiceContext:
    """The store, clock, settings and (after sign-in) the nurse for service calls.

    ``tz`` is the clinic's local time zone: stored timestamps are UTC, shown and typed in ``tz``.
    """

    session_factory: sessionmaker[Session]
    settings: ClinicSettings
    tz: tzinfo
    clock: Callable[[], datetime] = system_clock
    nurse_id: int | None = None
    clinic_name: str = "Infusion clinic"
    clinic_phone: str = ""
    extras: dict[str, object] = field(default_factory=dict, compare=False)

    def now(self) -> datetime:
        """The current moment (aware, UTC) from the context's clock."""
        return self.clock()

    def local_now(self) -> datetime:
        """The current moment in the clinic's time zone."""
        return self.clock().astimezone(self.tz)

    def as_nurse(self, nurse_id: int) -> ServiceContext:
        """A copy of this context signed in as ``nurse_id``."""
        return replace(self, nurse_id=nurse_id)

    def signed_out(self) -> ServiceContext:
        """A copy with no nurse (e.g. after the idle lock)."""
        return replace(self, nurse_id=None)

    def unit_of_work(self) -> UnitOfWork:
        """A unit of work signed by the current nurse; refuses when nobody is signed in."""
        if self.nurse_id is None:
            raise NotSignedIn("No nurse is signed in. Sign in to record anything.")
        return UnitOfWork(self.session_factory, nurse_id=self.nurse_id, clock=self.clock,
                          tz=self.tz)

    def read_only(self) -> UnitOfWork:
        """A unit of work for queries (never committed), usable before sign-in."""
        return UnitOfWork(self.session_factory, nurse_id=self.nurse_id, clock=self.clock,
                          tz=self.tz)
