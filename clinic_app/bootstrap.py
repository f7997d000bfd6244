"""Composition: from the configuration to a ready :class:`ServiceContext`.

config (``--db`` / ``CLINIC_APP_DB_URL`` / the user's data folder) -> the clinic's files made
private and the leftovers of interrupted copies removed -> the database checked read-only, then
created or upgraded when needed (after a backup of an existing file) -> engine -> the daily
backup (GUI) -> session factory -> context with the clinic settings, time zone and clock. The
GUI's start-up (``clinic_app.app``) and the command line both call :func:`open_clinic`; nothing
here runs at import time.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine

from clinic_app.config import AppConfig, ConfigError, load_config
from clinic_app.domain.dates import use_date_format
from clinic_app.domain.settings import ClinicSettings, load_settings
from clinic_app.services.context import ServiceContext, system_clock
from clinic_app.storage import (
    BackupError,
    daily_backup,
    make_engine,
    make_session_factory,
)
from clinic_app.storage.audit_chain import anchor_chain
from clinic_app.storage.audit_key import key_path, load_or_create_key, use_audit_key
from clinic_app.storage.backup import CopyProgress, remove_stale_copies
from clinic_app.storage.clinic_identity import read_identity
from clinic_app.storage.db import sqlite_file
from clinic_app.storage.errors import DatabaseDamaged, DatabaseLocked
from clinic_app.storage.integrity import check_file_kind
from clinic_app.storage.private_files import protect, protect_backups, protect_database_files

ENGINE_KEY = "engine"
CONFIG_KEY = "config"
BACKUP_PROBLEM_KEY = "daily_backup_problem"


def clinic_time_zone(name: str) -> tzinfo:
    """The clinic's IANA time zone (setting ``[clinic] timezone``); empty: this computer's."""
    if not name:
        return datetime.now().astimezone().tzinfo or UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(
            f"Unknown time zone {name!r} in the clinic settings: use an IANA name "
            "such as Europe/Warsaw."
        ) from None


def check_db_path(db_path: Path) -> None:
    """Refuse a ``--db`` path whose folder does not exist (a typo, not a new clinic)."""
    folder = db_path.expanduser().resolve().parent
    if not folder.is_dir():
        raise ConfigError(
            f"The folder {folder} does not exist: create it first or give another --db path."
        )
    if db_path.is_dir():
        raise ConfigError(f"{db_path} is a folder, not a database file.")


def protect_clinic_files(config: AppConfig) -> None:
    """Take the others' permissions off the clinic's files that exist (POSIX; see
    :mod:`clinic_app.storage.private_files`): the data folder and the error log in it, the SQLite
    database with its -wal, -shm and -journal files, the backup folder and the backups in it.

    Nothing else is changed: the folder holding a database named with ``--db`` or
    ``CLINIC_APP_DB_URL`` is the user's (unless it is the data folder itself).
    """
    protect(config.data_dir)
    protect(config.error_log)
    database = sqlite_file(config.database_url)
    if database is not None:
        protect_database_files(database)
    protect_backups(config.backup_dir)


def prepare_clinic_files(config: AppConfig) -> None:
    """Before anything opens the database: refuse a database path that is a folder or a device
    (nothing is changed on it), make the clinic's files private (:func:`protect_clinic_files`)
    and remove what an interrupted backup or restore left
    (:func:`clinic_app.storage.backup.remove_stale_copies`)."""
    database = sqlite_file(config.database_url)
    if database is not None:
        check_file_kind(database)
    protect_clinic_files(config)
    if database is not None:
        remove_stale_copies(database, config.backup_dir)


def _try_daily_backup(
    engine: Engine, config: AppConfig, now: datetime, progress: CopyProgress | None = None
) -> str | None:
    """Take the daily backup; a backup that cannot be written (a full disk, a folder that may
    not be written) is returned as the problem to warn about, and the clinic opens anyway: the
    database is readable, and the backup is tried again at the next start. A damaged database
    is not a backup problem: :class:`DatabaseDamaged` stops the start."""
    try:
        daily_backup(
            engine, config.backup_dir, now=now, keep=config.backups_to_keep, progress=progress
        )
    except BackupError as exc:
        return str(exc)
    return None


def background_daily_backup(ctx: ServiceContext, progress: CopyProgress) -> str | None:
    """The daily backup of a context made by :func:`open_clinic`, for the GUI to run off its
    thread while the nurse signs in (issue 15): the copy is made in steps through SQLite's
    online backup, ``progress(pages_done, pages_total)`` after each, and checked with
    ``PRAGMA integrity_check`` (:func:`clinic_app.storage.backup_database`). Returns why it
    could not be made (None: made, already made today, or PostgreSQL, whose server makes the
    backups). Here a copy failing its check is a problem to warn about too: the database passed
    its start check, and the window is already open."""
    try:
        return _try_daily_backup(
            clinic_engine(ctx), clinic_config(ctx), ctx.clock().astimezone(ctx.tz), progress
        )
    except DatabaseDamaged as exc:
        return str(exc)


def background_page_check(ctx: ServiceContext) -> str | None:
    """Every page of the SQLite database of a context opened with ``every_page=False``, read
    with ``PRAGMA quick_check`` (:func:`clinic_app.storage.migrate.check_pages`), for the GUI to
    run off its thread once its window is shown (issue 15: 3 s on the 1.6 GB demo, no longer on
    the path to the window). Returns the damaged-database message naming the last good backup
    (None: whole, or PostgreSQL, whose server checks its pages). A check that cannot run
    raises (:class:`DatabaseLocked` when another program holds an exclusive lock): that is
    not damage."""
    from clinic_app.storage.migrate import check_pages

    config = clinic_config(ctx)
    path = sqlite_file(config.database_url)
    if path is None:
        return None
    try:
        check_pages(path, config.backup_dir)
    except DatabaseDamaged as exc:
        return str(exc)
    return None


def open_clinic(
    db_path: Path | None = None,
    *,
    clock: Callable[[], datetime] = system_clock,
    migrate: bool = True,
    every_page: bool = True,
    backup: bool = False,
    settings: ClinicSettings | None = None,
    environ: Mapping[str, str] | None = None,
    data_dir: Path | None = None,
) -> ServiceContext:
    """A context over the clinic's database, nobody signed in.

    The clinic's existing files are made private first (:func:`protect_clinic_files`).
    The clinic's files are prepared first (:func:`prepare_clinic_files`). ``migrate`` creates
    the database or upgrades it to the current schema (an existing SQLite file is backed up
    before an upgrade); without it the database is still checked read-only (its pages and
    schema). Either takes the write lock only when there is something to migrate.
    ``every_page`` False reads only the schema and the root of every b-tree of a current
    database before opening it (the GUI, which then reads every page in the background with
    :func:`background_page_check`); a database to upgrade has every page checked first. ``backup``
    takes the once-a-day backup with the retention count (the GUI's start-up); when it cannot be
    written the clinic opens anyway and :func:`daily_backup_problem` says why. Raises
    :class:`ConfigError` for a bad setting or path and the store's :class:`DatabaseUnavailable`
    for a damaged (:class:`DatabaseDamaged`), odd, locked or unreachable database. Close it with
    :func:`close_clinic`.
    """
    if db_path is not None:
        check_db_path(db_path)
    config = load_config(db_path, environ=environ, data_dir=data_dir)
    prepare_clinic_files(config)
    chosen = settings or load_settings()
    tz = clinic_time_zone(chosen.clinic.timezone)
    use_date_format(chosen.display.date_format)
    from clinic_app.storage.migrate import (  # Alembic: on use
        check_database,
        ensure_database,
        require_current_schema,
    )

    if migrate and sqlite_file(config.database_url) is None:
        require_current_schema(config.database_url, check_database(config.database_url))
    elif migrate:
        ensure_database(config.database_url, backup_dir=config.backup_dir, now=clock(),
                        every_page=every_page)
    else:
        check_database(config.database_url, backup_dir=config.backup_dir, every_page=every_page)
    engine = make_engine(config.database_url)
    use_clinic_key(engine, config, environ, sign=migrate)
    problem = _try_daily_backup(engine, config, clock().astimezone(tz)) if backup else None
    return ServiceContext(
        session_factory=make_session_factory(engine),
        settings=chosen,
        tz=tz,
        clock=clock,
        clinic_name=chosen.clinic.name,
        clinic_phone=chosen.clinic.phone,
        extras={ENGINE_KEY: engine, CONFIG_KEY: config, BACKUP_PROBLEM_KEY: problem},
    )


def use_clinic_key(
    engine: Engine, config: AppConfig, environ: Mapping[str, str] | None, *, sign: bool
) -> None:
    """Sign the audit chain heads written through ``engine`` with the clinic's audit key
    (:mod:`clinic_app.storage.audit_key`): ``audit.key`` beside an SQLite database, in the data
    folder for PostgreSQL, or the file ``CLINIC_APP_AUDIT_KEY`` names; created on first use.
    ``sign`` also signs a head never signed (the database is then at the current schema); when
    another workstation holds the write lock the head is left unsigned until the next start, so
    the clinic still opens (issue 11, item 5)."""
    database = sqlite_file(config.database_url)
    folder = database.parent if database is not None else config.data_dir
    path = key_path(folder, environ)
    use_audit_key(engine, load_or_create_key(path))
    protect(path)
    if sign:
        with contextlib.suppress(DatabaseLocked):
            anchor_chain(engine)


def clinic_engine(ctx: ServiceContext) -> Engine:
    """The engine behind a context made by :func:`open_clinic`."""
    engine = ctx.extras[ENGINE_KEY]
    assert isinstance(engine, Engine)
    return engine


def clinic_config(ctx: ServiceContext) -> AppConfig:
    """The configuration a context made by :func:`open_clinic` was opened with."""
    config = ctx.extras[CONFIG_KEY]
    assert isinstance(config, AppConfig)
    return config


def daily_backup_problem(ctx: ServiceContext) -> str | None:
    """Why the daily backup at start could not be made (None: made, or not asked for)."""
    problem = ctx.extras.get(BACKUP_PROBLEM_KEY)
    return problem if isinstance(problem, str) else None


def clinic_is_demo(ctx: ServiceContext) -> bool:
    """True when the database of a context made by :func:`open_clinic` holds demo data
    (:mod:`clinic_app.storage.clinic_identity`)."""
    with clinic_engine(ctx).connect() as connection:
        return read_identity(connection).demo


def close_clinic(ctx: ServiceContext) -> None:
    """Close the database connections of a context made by :func:`open_clinic`."""
    clinic_engine(ctx).dispose()
