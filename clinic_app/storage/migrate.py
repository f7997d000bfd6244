"""Create or upgrade the database to the current schema when the program starts.

The Alembic scripts ship in :mod:`clinic_app.storage.migrations`; they are configured here in
code, so an installed copy needs no alembic.ini. A developer adds a revision with::

    from alembic import command
    from clinic_app.storage.migrate import migration_session
    with migration_session(url) as config:
        command.revision(config, message="what changed", autogenerate=True)
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from sqlalchemy import Connection, inspect

from clinic_app import __version__
from clinic_app.storage.backup import backup_file_name, copy_sqlite, last_good_backup
from clinic_app.storage.db import (
    DEFAULT_BUSY_TIMEOUT_MS,
    make_engine,
    make_read_only_engine,
    parse_url,
    read_only_connection,
    sqlite_file,
)
from clinic_app.storage.errors import DatabaseTooNew, DatabaseTooOld, DatabaseUnavailable
from clinic_app.storage.integrity import check_database_file, damaged, page_problem, root_problem
from clinic_app.storage.private_files import (
    create_private_file,
    make_private_folder,
    protect_database_files,
)

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
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
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    config.attributes["connection"] = connection
    return config


_ASSIGNMENT = re.compile(
    r"""^(down_revision|revision)\s*(?::[^=]*)?=\s*(?:["']([^"']+)["']|None)""", re.MULTILINE
)


@cache
def _scripts() -> dict[str, str | None]:
    """Each shipped revision and the one it follows, read from the scripts' text.

    Alembic is imported only to migrate: a database already at the current schema is opened
    without it (issue 15). The scripts name ``revision`` and ``down_revision`` as plain strings
    (a test checks this graph against Alembic's own reading)."""
    graph: dict[str, str | None] = {}
    for script in sorted((MIGRATIONS_DIR / "versions").glob("*.py")):
        found = {m.group(1): m.group(2) for m in _ASSIGNMENT.finditer(script.read_text("utf-8"))}
        revision = found.get("revision")
        if revision is not None:
            graph[revision] = found.get("down_revision")
    return graph


def head_revision() -> str:
    """The schema revision this version of the program writes."""
    graph = _scripts()
    heads = set(graph) - set(graph.values())
    assert len(heads) == 1, f"the shipped migrations need exactly one head, not {sorted(heads)}"
    return heads.pop()


def known_revisions() -> frozenset[str]:
    """Every schema revision this version of the program knows."""
    return frozenset(_scripts())


def _describe(url: str) -> str:
    """How a message names the database: the file, or the server URL without its password."""
    path = sqlite_file(url)
    return str(path) if path is not None else parse_url(url).render_as_string(hide_password=True)


def current_revision(connection: Connection, where: str) -> str | None:
    """The database's schema revision; None for an empty database.

    Refuses a database with other tables but no revision, and one whose revision this program
    does not know (written by a newer version).
    """
    tables = set(inspect(connection).get_table_names())
    heads: tuple[str, ...] = ()
    if "alembic_version" in tables:
        rows = connection.exec_driver_sql("SELECT version_num FROM alembic_version").all()
        heads = tuple(str(row[0]) for row in rows)
    if not heads:
        if tables - {"alembic_version"}:
            raise DatabaseUnavailable(
                f"The database {where} holds other data; it is not a clinic_app database."
            )
        return None
    unknown = sorted(set(heads) - known_revisions())
    if unknown:
        raise DatabaseTooNew(
            f"The database {where} was written by a newer version of clinic_app (schema "
            f"{', '.join(unknown)}); this is clinic_app {__version__} (schema "
            f"{head_revision()}): install that version or newer to open it."
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
        raise DatabaseUnavailable(
            f"The database {path} cannot be created: {exc.strerror or exc}."
        ) from exc
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


def check_pages(path: Path, backup_dir: Path | None, *, every_page: bool = True,
                busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS) -> None:
    """Raise :class:`DatabaseDamaged` unless the SQLite file ``path`` passes
    ``PRAGMA quick_check`` (read only), naming the last good backup in ``backup_dir``; with
    ``every_page`` False only the schema and the root of every b-tree are read
    (:func:`clinic_app.storage.integrity.root_problem`, the GUI's start check)."""
    with closing(read_only_connection(path, busy_timeout_ms=busy_timeout_ms)) as db:
        problem = page_problem(db, "quick_check") if every_page else root_problem(db)
    if problem is not None:
        good = last_good_backup(backup_dir) if backup_dir is not None else None
        raise damaged(path, problem, good_backup=good, backup_dir=backup_dir)


def check_database(
    url: str,
    *,
    backup_dir: Path | None = None,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    every_page: bool = True,
) -> str | None:
    """Look at the database without writing to it or waiting for the write lock; returns its
    schema revision (None: no database yet, or an empty one).

    An SQLite file is refused when it is not a regular non-empty SQLite file
    (:func:`check_database_file`), when its pages fail ``PRAGMA quick_check``
    (:class:`DatabaseDamaged`, naming the last good backup in ``backup_dir``), when it holds
    other data or a newer schema; all on a read-only connection, so a refused file is left
    byte for byte as it was and another workstation's write lock does not block the look.
    ``every_page`` False reads only the schema and the root of every b-tree instead of every
    page (:func:`check_pages`): the caller checks every page later (the GUI, in the
    background once its window is shown).
    """
    where = _describe(url)
    path = sqlite_file(url)
    if path is not None:
        check_database_file(path)
        if not path.exists():
            return None
        check_pages(path, backup_dir, every_page=every_page, busy_timeout_ms=busy_timeout_ms)
        engine = make_read_only_engine(path, busy_timeout_ms=busy_timeout_ms)
    else:
        engine = make_engine(url, busy_timeout_ms=busy_timeout_ms)
    try:
        with engine.connect() as connection:
            return current_revision(connection, where)
    finally:
        engine.dispose()


def require_current_schema(url: str, found: str | None) -> None:
    """Refuse a shared server database that is not at this program's schema, in one line
    naming both (a newer one is refused by :func:`current_revision`). Workstations never
    upgrade a shared database: one workstation's upgrade would change the schema under the
    others still running the old version, and the daily login has no right to change tables
    (README, "The clinic server")."""
    head = head_revision()
    if found == head:
        return
    where = _describe(url)
    if found is None:
        raise DatabaseTooOld(
            f"The database {where} is empty; clinic_app {__version__} expects schema {head}: "
            "the administrator creates it once with 'clinic-app db upgrade'."
        )
    raise DatabaseTooOld(
        f"The database {where} has schema {found}, older than clinic_app {__version__} "
        f"expects (schema {head}): the administrator upgrades it once with "
        "'clinic-app db upgrade'."
    )


def ensure_database(
    url: str,
    *,
    backup_dir: Path | None = None,
    now: datetime | None = None,
    busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    every_page: bool = True,
) -> MigrationOutcome:
    """Create the database or upgrade it to the current schema, in one transaction.

    The database is first looked at read-only (:func:`check_database`): a current one is left
    alone, without taking the write lock, so the program starts while another workstation
    writes. Only a database with something to migrate takes the write lock (and the revision is
    read again under it: another workstation may have upgraded it meanwhile). A new SQLite file
    is created readable by its owner only, and an existing one is made so
    (:func:`_private_database_file`); it is backed up into ``backup_dir`` first, only when an
    upgrade is needed. Raises :class:`DatabaseUnavailable` for a damaged, foreign, odd or locked
    database and :class:`DatabaseTooNew` for one written by a newer version. ``every_page``
    False checks only the roots of a current database's b-trees (:func:`check_database`; the
    caller checks every page later); a database to upgrade has every page checked first.
    """
    where = _describe(url)
    path = sqlite_file(url)
    head = head_revision()
    found = check_database(
        url, backup_dir=backup_dir, busy_timeout_ms=busy_timeout_ms, every_page=every_page
    )
    if found == head:
        if path is not None:
            protect_database_files(path)
        return MigrationOutcome("current", head, head)
    if path is not None and path.exists() and not every_page:
        check_pages(path, backup_dir, busy_timeout_ms=busy_timeout_ms)  # before any write
    if path is not None:
        _private_database_file(path)
    with migration_session(url, busy_timeout_ms=busy_timeout_ms) as config:
        connection: Connection = config.attributes["connection"]
        found = current_revision(connection, where)
        if found == head:
            return MigrationOutcome("current", found, head)
        backup = None
        if found is not None and path is not None and backup_dir is not None:
            backup = _backup_before_upgrade(path, backup_dir, now or datetime.now(UTC))
        from alembic import command

        command.upgrade(config, "head")
        if path is not None:
            _check_foreign_keys(connection, where)
        return MigrationOutcome("created" if found is None else "upgraded", found, head, backup)
