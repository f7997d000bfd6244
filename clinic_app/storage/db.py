"""Engines and sessions: SQLite pragmas, JSON encoding, and clear errors for bad databases."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, event, make_url
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.exc import ArgumentError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from clinic_app.storage.errors import (
    ConfigurationError,
    DatabaseLocked,
    DatabaseUnavailable,
    StorageError,
)

DEFAULT_BUSY_TIMEOUT_MS = 5000


def parse_url(url: str | URL) -> URL:
    """``url`` parsed; anything but SQLite or PostgreSQL is refused."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigurationError(f"Not a database address: {url!r}") from exc
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise ConfigurationError(
            f"Unsupported database {parsed.get_backend_name()!r}: use SQLite or PostgreSQL."
        )
    return parsed


def sqlite_file(url: str | URL) -> Path | None:
    """The file of an SQLite URL (None for PostgreSQL or an in-memory database)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def json_dumps(value: Any) -> str:
    """JSON for JSON columns: Decimals and dates are written as text, never as floats; no
    spaces after the separators (issue 15: a tenth of every audit row and dose plan stored).
    Readers parse it, and the audit chain hashes the parsed value's canonical JSON
    (:func:`clinic_app.storage.audit_chain.canonical_json`), so rows written with spaces by
    earlier versions verify alongside."""
    return json.dumps(value, default=_json_default, ensure_ascii=False, separators=(",", ":"))


def make_engine(
    url: str | URL,
    *,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    for_migrations: bool = False,
) -> Engine:
    """An engine for ``url``.

    SQLAlchemy's error messages never quote the statement's parameters (``hide_parameters``):
    they hold names, dates of birth, search text and password hashes, and an error's text may
    reach the screen or a log. SQLite connections get foreign keys on, WAL journal,
    ``synchronous=FULL`` (a committed transaction survives a crash) and a busy timeout. With
    ``for_migrations`` every transaction takes the write lock at BEGIN (DDL is then
    transactional and two starting workstations do not migrate at once) and foreign keys are
    off, because batch table rebuilds cannot run with them on; the migration checks them once
    at the end instead.
    """
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(
            parsed, json_serializer=json_dumps, hide_parameters=True,
            connect_args={"timeout": busy_timeout_ms / 1000, "check_same_thread": False},
        )
        _install_sqlite_pragmas(engine, busy_timeout_ms, for_migrations)
    else:
        engine = create_engine(parsed, json_serializer=json_dumps, hide_parameters=True,
                               pool_pre_ping=True)
    event.listen(engine, "handle_error", _translate_error)
    return engine


def read_only_connection(
    path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS, immutable: bool = False
) -> sqlite3.Connection:
    """A connection that never writes to the SQLite file ``path`` (``mode=ro``, no journal
    mode set): for looking at a file before it is known to be this clinic's database.

    ``immutable`` is for a finished copy nobody writes (a backup): SQLite then takes no lock
    and creates no ``-wal``/``-shm`` files beside it (a backup of a WAL database is marked WAL,
    and a plain read-only look would leave those two files in the backup folder).
    """
    flags = "mode=ro&immutable=1" if immutable else "mode=ro"
    return sqlite3.connect(f"{path.resolve().as_uri()}?{flags}", uri=True,
                           timeout=busy_timeout_ms / 1000, check_same_thread=False)


def make_read_only_engine(
    path: Path, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> Engine:
    """An engine over :func:`read_only_connection` (no pooling: each connection is closed when
    it is returned), with the same one-line errors as :func:`make_engine`."""
    engine = create_engine(
        URL.create("sqlite+pysqlite", database=str(path)), hide_parameters=True,
        poolclass=NullPool,
        creator=lambda: read_only_connection(path, busy_timeout_ms=busy_timeout_ms),
    )
    event.listen(engine, "handle_error", _translate_error)
    return engine


def _install_sqlite_pragmas(engine: Engine, busy_timeout_ms: int, for_migrations: bool) -> None:
    def on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        if for_migrations:
            dbapi_connection.isolation_level = None
        try:
            dbapi_connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            dbapi_connection.execute(f"PRAGMA foreign_keys = {'OFF' if for_migrations else 'ON'}")
            dbapi_connection.execute("PRAGMA journal_mode = WAL")
            dbapi_connection.execute("PRAGMA synchronous = FULL")
        except sqlite3.DatabaseError as exc:
            message = _sqlite_message(exc, engine.url.database)
            raise DatabaseUnavailable(message or f"The database cannot be used: {exc}") from exc

    event.listen(engine, "connect", on_connect)
    if for_migrations:
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))


_LOCKED = ("SQLITE_BUSY", "SQLITE_LOCKED")
_SQLITE_PROBLEMS = (
    (_LOCKED,
     "is locked by another program or workstation; close it there or try again in a moment."),
    (("SQLITE_NOTADB", "SQLITE_CORRUPT"),
     "is damaged or is not a database file; restore it from a backup."),
    (("SQLITE_CANTOPEN",), "cannot be opened: check that the folder exists and may be written."),
    (("SQLITE_READONLY", "SQLITE_FULL", "SQLITE_IOERR"),
     "cannot be written (read-only, disk full or a disk error)."),
)


def _sqlite_message(exc: sqlite3.Error, database: str | None) -> str | None:
    """A one-line message when ``exc`` means the database file itself is unusable."""
    name = getattr(exc, "sqlite_errorname", "")
    for prefixes, problem in _SQLITE_PROBLEMS:
        if name.startswith(prefixes):
            return f"The database {database} {problem}"
    return None


def _translate_error(context: ExceptionContext) -> BaseException | None:
    """Database-level failures become one-line :class:`DatabaseUnavailable` errors
    (:class:`DatabaseLocked` when another connection holds the lock).

    Our own errors raised inside an execution (e.g. a naive datetime) are passed through
    unwrapped instead of inside SQLAlchemy's ``StatementError``.
    """
    original = context.original_exception
    if isinstance(original, StorageError):
        return original
    database = context.engine.url.database if context.engine is not None else None
    if isinstance(original, sqlite3.Error):
        message = _sqlite_message(original, database)
        if message is None:
            return None
        locked = getattr(original, "sqlite_errorname", "").startswith(_LOCKED)
        return DatabaseLocked(message) if locked else DatabaseUnavailable(message)
    if context.is_disconnect or context.connection is None:
        lines = str(original).strip().splitlines() or [type(original).__name__]
        return DatabaseUnavailable(f"The database server cannot be reached: {lines[0]}")
    return None


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions bound to ``engine``; the audit listeners apply to every session."""
    return sessionmaker(bind=engine)
