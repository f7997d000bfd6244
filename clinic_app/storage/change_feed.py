"""Has another workstation changed the database? A cheap signal for live screens (issue 14).

- **PostgreSQL**: every transaction that writes ORM records sends ``NOTIFY clinic_changes``
  with a small JSON payload (the tables written, the nurse, the time and the writing engine's
  :func:`workstation_token`) from the session's ``before_commit``, so in the same transaction:
  the notice is delivered only when the change commits. :class:`PostgresChangeFeed` listens on
  its own autocommit psycopg connection and reads what is pending without waiting.
- **SQLite** (several processes on one file): ``PRAGMA data_version`` on a dedicated read-only
  connection changes whenever another connection commits. :class:`SqliteChangeFeed` then reads
  the audit rows written since it last looked (their chain positions follow commit order: the
  writers are serialised) for the tables, the nurse and the time. SQLite cannot say which
  process committed (``origin`` is "").

Both report the commits that wrote audited records (every change a nurse makes is audited);
the access log and other unaudited writes are not changes a screen shows.

A feed is polled by one thread (the GUI's timer); ``poll()`` returns the notices since the
previous call, oldest first, and never blocks on a healthy connection.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol
from weakref import WeakKeyDictionary

from sqlalchemy import URL, Engine, event, text
from sqlalchemy.orm import Session, UOWTransaction

from clinic_app.storage.audit import CLOCK_KEY, NURSE_KEY, utc_now
from clinic_app.storage.db import read_only_connection, sqlite_file
from clinic_app.storage.models.base import Audited

CHANNEL = "clinic_changes"
_TABLES_KEY = "clinic_app.changed_tables"
_CONNECT_TIMEOUT_S = 2
MAX_AUDIT_ROWS = 500


_TOKENS: WeakKeyDictionary[Engine, str] = WeakKeyDictionary()


def workstation_token(engine: Engine) -> str:
    """A token naming the workstation that writes through ``engine`` (one engine per running
    program; sent with its PostgreSQL notices, so it can tell its own changes apart)."""
    token = _TOKENS.get(engine)
    if token is None:
        token = _TOKENS[engine] = uuid.uuid4().hex
    return token


@dataclass(frozen=True)
class ChangeNotice:
    """A committed change: the tables written (empty: not known), by which nurse, when, and the
    process that committed it ("" when not known)."""

    tables: frozenset[str]
    nurse_id: int | None = None
    at: datetime | None = None
    origin: str = ""


class ChangeFeed(Protocol):
    """Tells what other connections committed since the previous :meth:`poll`."""

    def poll(self) -> list[ChangeNotice]:
        """The changes committed since the previous call, oldest first; never blocks."""
        ...

    def close(self) -> None:
        """Release the feed's connection."""
        ...


# --- PostgreSQL: NOTIFY in the writing transaction --------------------------------------------


def _is_postgres(session: Session) -> bool:
    return isinstance(session.bind, Engine) and session.bind.dialect.name == "postgresql"


@event.listens_for(Session, "after_flush")
def _note_tables(session: Session, _ctx: UOWTransaction) -> None:
    """Remember which audited tables this transaction wrote (PostgreSQL only)."""
    if not _is_postgres(session):
        return
    tables: set[str] = session.info.setdefault(_TABLES_KEY, set())
    tables.update(
        obj.__tablename__
        for group in (session.new, session.dirty, session.deleted)
        for obj in group
        if isinstance(obj, Audited)
    )


@event.listens_for(Session, "before_commit")
def _notify_commit(session: Session) -> None:
    """Send the notice in the transaction being committed (delivered only if it commits)."""
    if not _is_postgres(session):
        return
    session.flush()  # what is still pending is written now, so its tables are named
    tables = session.info.pop(_TABLES_KEY, None)
    if not tables:
        return
    clock = session.info.get(CLOCK_KEY, utc_now)
    payload = json.dumps(
        {
            "tables": sorted(tables),
            "nurse": session.info.get(NURSE_KEY),
            "at": clock().isoformat(),
            "origin": workstation_token(session.bind),  # type: ignore[arg-type]
        }
    )
    session.execute(
        text("SELECT pg_notify(:channel, :payload)"), {"channel": CHANNEL, "payload": payload}
    )


@event.listens_for(Session, "after_rollback")
def _forget_tables(session: Session) -> None:
    session.info.pop(_TABLES_KEY, None)


def notice_from_payload(payload: str) -> ChangeNotice:
    """The notice a ``clinic_changes`` payload describes (an unreadable one: tables unknown)."""
    try:
        data: Any = json.loads(payload)
        nurse = data.get("nurse")
        return ChangeNotice(
            tables=frozenset(str(name) for name in data.get("tables", ())),
            nurse_id=nurse if isinstance(nurse, int) else None,
            at=datetime.fromisoformat(data["at"]).astimezone(UTC) if data.get("at") else None,
            origin=str(data.get("origin", "")),
        )
    except (ValueError, TypeError, AttributeError, KeyError):
        return ChangeNotice(frozenset())


class PostgresChangeFeed:
    """``LISTEN clinic_changes`` on a dedicated autocommit psycopg connection.

    A lost connection is opened again at the next poll, which then reports a change of unknown
    tables (notices sent meanwhile are lost, so screens should read again)."""

    def __init__(self, url: URL) -> None:
        self._conninfo = url.set(drivername="postgresql").render_as_string(hide_password=False)
        self._connection: Any = None
        import psycopg

        with contextlib.suppress(psycopg.OperationalError):  # out of reach: tried at each poll
            self._connect()

    def _connect(self) -> None:
        import psycopg  # the PostgreSQL driver: imported only when a clinic uses it

        connection = psycopg.connect(
            self._conninfo, autocommit=True, connect_timeout=_CONNECT_TIMEOUT_S
        )
        connection.execute(f"LISTEN {CHANNEL}")
        self._connection = connection

    def poll(self) -> list[ChangeNotice]:
        import psycopg

        try:
            if self._connection is None:
                self._connect()
                return [ChangeNotice(frozenset())]
            return [notice_from_payload(n.payload) for n in self._connection.notifies(timeout=0)]
        except psycopg.OperationalError:
            self.close()
            return []

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


# --- SQLite: PRAGMA data_version and the audit trail ------------------------------------------


def _utc(stored: str | None) -> datetime | None:
    """An audit row's time as SQLite holds it (UTC wall time) made aware."""
    if not stored:
        return None
    return datetime.fromisoformat(stored).replace(tzinfo=UTC)


class SqliteChangeFeed:
    """``PRAGMA data_version`` on its own read-only connection to the file ``path``.

    More than :data:`MAX_AUDIT_ROWS` new audit rows (an import of thousands of patients) are
    not read one by one: one notice of unknown tables stands for them."""

    def __init__(self, path: Path) -> None:
        self._connection = read_only_connection(path)
        self._version = self._data_version()
        self._last_audit = self._query_one("SELECT coalesce(max(id), 0) FROM audit_log")

    def _query_one(self, sql: str) -> int:
        (value,) = self._connection.execute(sql).fetchone()
        return int(value)

    def _data_version(self) -> int:
        return self._query_one("PRAGMA data_version")

    def poll(self) -> list[ChangeNotice]:
        try:
            version = self._data_version()
            if version == self._version:
                return []
            self._version = version
            rows = self._connection.execute(
                "SELECT id, at, actor_id, table_name FROM audit_log WHERE id > ? ORDER BY id "
                "LIMIT ?",
                (self._last_audit, MAX_AUDIT_ROWS + 1),
            ).fetchall()
            if len(rows) > MAX_AUDIT_ROWS:
                return [self._large_change()]
        except sqlite3.OperationalError:  # locked for a moment: asked again at the next poll
            return []
        if not rows:
            return []  # nothing audited: not a change a screen shows
        self._last_audit = int(rows[-1][0])
        return _notices_by_nurse(rows)

    def _large_change(self) -> ChangeNotice:
        """A change too large to list (an import): its last nurse and time, tables unknown."""
        last, at, actor = self._connection.execute(
            "SELECT id, at, actor_id FROM audit_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
        self._last_audit = int(last)
        return ChangeNotice(frozenset(), actor, _utc(at))

    def close(self) -> None:
        self._connection.close()


def _notices_by_nurse(rows: list[tuple[int, str, int | None, str]]) -> list[ChangeNotice]:
    """One notice per run of audit rows by the same nurse, with the run's last time."""
    notices: list[ChangeNotice] = []
    run: list[tuple[int, str, int | None, str]] = []
    for row in [*rows, (0, "", -1, "")]:  # a sentinel ends the last run
        if run and row[2] != run[-1][2]:
            notices.append(ChangeNotice(frozenset(r[3] for r in run), run[-1][2], _utc(run[-1][1])))
            run = []
        run.append(row)
    return notices


class QuietFeed:
    """No other connection can change the database (an in-memory one): nothing to report."""

    def poll(self) -> list[ChangeNotice]:
        return []

    def close(self) -> None:
        pass


def open_change_feed(engine: Engine) -> ChangeFeed:
    """The feed for the database behind ``engine`` (close it when done)."""
    if engine.dialect.name == "postgresql":
        return PostgresChangeFeed(engine.url)
    path = sqlite_file(engine.url)
    return SqliteChangeFeed(path) if path is not None else QuietFeed()
