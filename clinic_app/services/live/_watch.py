"""Has another workstation changed the clinic's records? Asked about once a second.

:func:`watch_changes` opens the store's change feed (:mod:`clinic_app.storage.change_feed`) for
one workstation; :meth:`ChangeWatch.poll` returns what other workstations committed since the
previous poll, merged into one :class:`OtherWorkstationChange`, or None. This workstation's
own changes are left out: on PostgreSQL by the workstation (engine) that sent the notice; on
SQLite, which cannot tell processes apart, by the nurse (a change signed by the nurse signed in
here is taken as hers, made here; she cannot type at two workstations at once).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from clinic_app.domain.dates import time_text
from clinic_app.services.context import ServiceContext
from clinic_app.storage.change_feed import (
    ChangeFeed,
    ChangeNotice,
    open_change_feed,
    workstation_token,
)


@dataclass(frozen=True)
class OtherWorkstationChange:
    """What other workstations committed: the tables (empty: not known), the last nurse and
    the last time (local), when known."""

    tables: frozenset[str]
    nurse_name: str
    at_local: datetime | None

    @property
    def message(self) -> str:
        """ "Changed by Beat Meier at 09:42" (the parts known)."""
        by = f" by {self.nurse_name}" if self.nurse_name else " on another workstation"
        at = f" at {time_text(self.at_local)}" if self.at_local is not None else ""
        return f"Changed{by}{at}"


class ChangeWatch:
    """One workstation's watch over the database; :meth:`close` it when the window closes."""

    def __init__(self, feed: ChangeFeed, *, token: str) -> None:
        self._feed = feed
        self._token = token  # this workstation's, as its PostgreSQL notices carry it
        self._names: dict[int, str] = {}

    def poll(self, ctx: ServiceContext) -> OtherWorkstationChange | None:
        """What others committed since the previous poll (None: nothing); never waits for
        another workstation."""
        notices = [n for n in self._feed.poll() if not self._is_own(n, ctx)]
        if not notices:
            return None
        last = notices[-1]
        tables = frozenset().union(*(n.tables for n in notices))
        return OtherWorkstationChange(
            tables=tables,
            nurse_name=self._nurse_name(ctx, last.nurse_id),
            at_local=last.at.astimezone(ctx.tz) if last.at is not None else None,
        )

    def _is_own(self, notice: ChangeNotice, ctx: ServiceContext) -> bool:
        if notice.origin:
            return notice.origin == self._token
        return notice.nurse_id is not None and notice.nurse_id == ctx.nurse_id

    def _nurse_name(self, ctx: ServiceContext, nurse_id: int | None) -> str:
        if nurse_id is None:
            return ""
        if nurse_id not in self._names:
            with ctx.read_only() as uow:
                self._names[nurse_id] = uow.nurses.get(nurse_id).display_name
        return self._names[nurse_id]

    def close(self) -> None:
        """Release the feed's connection."""
        self._feed.close()


def watch_changes(ctx: ServiceContext) -> ChangeWatch:
    """A watch over the database behind ``ctx`` (its own connection)."""
    engine = ctx.session_factory.kw["bind"]
    assert isinstance(engine, Engine)
    return ChangeWatch(open_change_feed(engine), token=workstation_token(engine))
