"""Composition: from the configuration to a ready :class:`ServiceContext`.

config (``--db`` / ``CLINIC_APP_DB_URL`` / the user's data folder) -> the clinic's files made
private -> create or upgrade the database (after a backup of an existing file) -> engine ->
session factory -> context with the clinic settings, time zone and clock. The GUI's start-up
(``clinic_app.app``) and the command line both call :func:`open_clinic`; nothing here runs at
import time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Engine

from clinic_app.config import AppConfig, ConfigError, load_config
from clinic_app.domain.settings import ClinicSettings, load_settings
from clinic_app.services.context import ServiceContext, system_clock
from clinic_app.storage import (
    daily_backup,
    ensure_database,
    make_engine,
    make_session_factory,
)
from clinic_app.storage.audit_chain import anchor_chain
from clinic_app.storage.audit_key import key_path, load_or_create_key, use_audit_key
from clinic_app.storage.db import sqlite_file
from clinic_app.storage.private_files import protect, protect_backups, protect_database_files

ENGINE_KEY = "engine"
CONFIG_KEY = "config"


def clinic_time_zone(name: str) -> tzinfo:
    """The clinic's IANA time zone (setting ``[clinic] timezone``); empty: this computer's."""
    if not name:
        return datetime.now().astimezone().tzinfo or UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"Unknown time zone {name!r} in the clinic settings: use an IANA name "
                          "such as Europe/Warsaw.") from None


def check_db_path(db_path: Path) -> None:
    """Refuse a ``--db`` path whose folder does not exist (a typo, not a new clinic)."""
    folder = db_path.expanduser().resolve().parent
    if not folder.is_dir():
        raise ConfigError(f"The folder {folder} does not exist: create it first or give "
                          "another --db path.")
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


def open_clinic(
    db_path: Path | None = None,
    *,
    clock: Callable[[], datetime] = system_clock,
    migrate: bool = True,
    backup: bool = False,
    settings: ClinicSettings | None = None,
    environ: Mapping[str, str] | None = None,
    data_dir: Path | None = None,
) -> ServiceContext:
    """A context over the clinic's database, nobody signed in.

    The clinic's existing files are made private first (:func:`protect_clinic_files`).
    ``migrate`` creates the database or upgrades it to the current schema (an existing SQLite
    file is backed up before an upgrade); ``backup`` takes the once-a-day backup with the
    retention count (the GUI's start-up). Raises :class:`ConfigError` for a bad setting or path
    and the store's :class:`DatabaseUnavailable` for a damaged, locked or unreachable database.
    Close it with :func:`close_clinic`.
    """
    if db_path is not None:
        check_db_path(db_path)
    config = load_config(db_path, environ=environ, data_dir=data_dir)
    protect_clinic_files(config)
    chosen = settings or load_settings()
    tz = clinic_time_zone(chosen.clinic.timezone)
    if migrate:
        ensure_database(config.database_url, backup_dir=config.backup_dir, now=clock())
    engine = make_engine(config.database_url)
    use_clinic_key(engine, config, environ, sign=migrate)
    if backup:
        daily_backup(engine, config.backup_dir, now=clock().astimezone(tz),
                     keep=config.backups_to_keep)
    return ServiceContext(
        session_factory=make_session_factory(engine), settings=chosen, tz=tz, clock=clock,
        clinic_name=chosen.clinic.name, clinic_phone=chosen.clinic.phone,
        extras={ENGINE_KEY: engine, CONFIG_KEY: config},
    )


def use_clinic_key(engine: Engine, config: AppConfig, environ: Mapping[str, str] | None, *,
                   sign: bool) -> None:
    """Sign the audit chain heads written through ``engine`` with the clinic's audit key
    (:mod:`clinic_app.storage.audit_key`): ``audit.key`` beside an SQLite database, in the data
    folder for PostgreSQL, or the file ``CLINIC_APP_AUDIT_KEY`` names; created on first use.
    ``sign`` also signs a head never signed (the database is then at the current schema)."""
    database = sqlite_file(config.database_url)
    folder = database.parent if database is not None else config.data_dir
    path = key_path(folder, environ)
    use_audit_key(engine, load_or_create_key(path))
    protect(path)
    if sign:
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


def close_clinic(ctx: ServiceContext) -> None:
    """Close the database connections of a context made by :func:`open_clinic`."""
    clinic_engine(ctx).dispose()

