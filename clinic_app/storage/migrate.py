"""Create or upgrade the database to the current schema when the program starts.

The Alembic scripts ship in :mod:`clinic_app.storage.migrations`; they are configured here in
code, so an installed copy needs no alembic.ini. A developer adds a revision with::

    from alembic import command
    from clinic_app.storage.migrate import migration_session
    with migration_session(url) as config:
        command.revision(config, message="what changed", autogenerate=True)
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Literal

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, inspect

from clinic_app.storage.backup import backup_file_name, copy_sqlite
from clinic_app.storage.db import DEFAULT_BUSY_TIMEOUT_MS, make_engine, parse_url, sqlite_file
from clinic_app.storage.errors import DatabaseTooNew, DatabaseUnavailable
from clinic_app.storage.private_files import (
    create_private_file,
    make_private_folder,
    protect_database_files,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
SQLITE_HEADER = b"SQLite format 3\x00"
_PG_MIGRATION_LOCK = 7_431_001  # advisory lock key: one workstation migrates at a time


@dataclass(frozen=True)
class MigrationOutcome:
    """What :func:`ensure_database` did."""

    action: Literal["created", "upgraded", "current"]
    from_revision: str | None
    to_revision: str
    backup_path: Path | None = None


def alembic_config(connection: Connection | None = None) -> Config:
    """An Alembic configuration for the shipped scripts, bound to ``connection``."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


@cache
def _scripts() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str:
    """The schema revision this version of the program writes."""
    head = _scripts().get_current_head()
    assert head is not None, "the shipped migrations have no head"
    return head


def known_revisions() -> frozenset[str]:
    """Every schema revision this version of the program knows."""
    return frozenset(script.revision for script in _scripts().walk_revisions())


def _describe(url: str) -> str:
    """How a message names the database: the file, or the server URL without its password."""
    path = sqlite_file(url)
    return str(path) if path is not None else parse_url(url).render_as_string(hide_password=True)


def check_sqlite_header(path: Path) -> None:
    """Refuse a non-empty file that is not an SQLite database, before SQLite touches it."""
    if path.exists() and path.stat().st_size > 0:
        with path.open("rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise DatabaseUnavailable(
                    f"The file {path} is not a clinic_app database (it is damaged or another "
                    "kind of file); restore it from a backup or choose another file."
                )


def current_revision(connection: Connection, where: str) -> str | None:
    """The database's schema revision; None for an empty database.

    Refuses a database with other tables but no revision, and one whose revision this program
    does not know (written by a newer version).
    """
    heads = MigrationContext.configure(connection).get_current_heads()
    if not heads:
        if set(inspect(connection).get_table_names()) - {"alembic_version"}:
            raise DatabaseUnavailable(f"The database {where} holds other data; "
                                      "it is not a clinic_app database.")
        return None
    unknown = sorted(set(heads) - known_revisions())
    if unknown:
        raise DatabaseTooNew(
            f"The database {where} was written by a newer version of clinic_app (schema "
            f"{', '.join(unknown)}); install that version or newer to open it."
        )
    return heads[0]


def _private_database_file(path: Path) -> None:
    """Create the SQLite file empty with mode 0600 (in a new 0700 folder when its folder is
    missing) before SQLite opens it, so its -wal and -shm files get that mode too; an existing
    database and its side files lose the others' permissions (:mod:`.private_files`)."""
    try:
        make_private_folder(path.parent)
        create_private_file(path)
    except OSError as exc:
        raise DatabaseUnavailable(f"The database {path} cannot be created: "
                                  f"{exc.strerror or exc}.") from exc
    protect_database_files(path)


def _backup_before_upgrade(path: Path, backup_dir: Path, now: datetime) -> Path:
    """Copy the file through a second connection: the migration holds the write lock, so the
    copy is exactly what is about to be upgraded."""
    with closing(sqlite3.connect(path)) as source:
        return copy_sqlite(source, backup_dir / backup_file_name(now, "before-upgrade"))


def _check_foreign_keys(connection: Connection, where: str) -> None:
    problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if problems:
        raise DatabaseUnavailable(
            f"The upgrade of {where} left {len(problems)} broken references; nothing was changed."
        )


@contextmanager
def migration_session(
    url: str, *, busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS
) -> Iterator[Config]:
    """An Alembic config on a locked migration transaction of ``url`` (committed on success)."""
    engine = make_engine(url, busy_timeout_ms=busy_timeout_ms, for_migrations=True)
    try:
        with engine.connect() as connection, connection.begin():
            if engine.dialect.name == "postgresql":
                connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
            yield alembic_config(connection)
    finally:
        engine.dispose()


def ensure_database(
    url: str,
    *,
    backup_dir: Path | None = None,
    now: datetime | None = None,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
) -> MigrationOutcome:
    """Create the database or upgrade it to the current schema, in one transaction.

    A new SQLite file is created readable by its owner only, and an existing one is made so
    (:func:`_private_database_file`); it is backed up into ``backup_dir`` first, only when an
    upgrade is needed. Raises :class:`DatabaseUnavailable` for a damaged, foreign or locked
    database and :class:`DatabaseTooNew` for one written by a newer version.
    """
    where = _describe(url)
    path = sqlite_file(url)
    if path is not None:
        check_sqlite_header(path)
        _private_database_file(path)
    with migration_session(url, busy_timeout_ms=busy_timeout_ms) as config:
        connection: Connection = config.attributes["connection"]
        found = current_revision(connection, where)
        head = head_revision()
        if found == head:
            return MigrationOutcome("current", found, head)
        backup = None
        if found is not None and path is not None and backup_dir is not None:
            backup = _backup_before_upgrade(path, backup_dir, now or datetime.now(UTC))
        command.upgrade(config, "head")
        if path is not None:
            _check_foreign_keys(connection, where)
        return MigrationOutcome("created" if found is None else "upgraded", found, head, backup)
