"""Where the program keeps its data, and which database it opens.

The database is, in order of precedence:

1. the file given on the command line (``--db PATH``, passed here as ``db_path``);
2. the ``CLINIC_APP_DB_URL`` environment variable: an SQLite or PostgreSQL URL
   (``postgresql://user@host/clinic`` is read with the psycopg driver);
3. ``clinic.sqlite3`` in the user's data folder (platformdirs, app name "clinic_app").

Backups of an SQLite database go to a ``backups`` folder beside the database file; the GUI's
error log is ``errors.log`` in the data folder. Nothing here touches the disk; the caller creates
folders when it opens the database.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy import make_url
from sqlalchemy.exc import ArgumentError

from clinic_app import APP_NAME

DB_URL_ENV = "CLINIC_APP_DB_URL"
DATABASE_FILE_NAME = "clinic.sqlite3"
BACKUP_FOLDER_NAME = "backups"
ERROR_LOG_NAME = "errors.log"
DEFAULT_BACKUPS_TO_KEEP = 14

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


class ConfigError(ValueError):
    """A setting that cannot be used; the message names the setting."""


@dataclass(frozen=True)
class AppConfig:
    """Resolved locations: data folder, database URL, backup folder and retention."""

    data_dir: Path
    database_url: str
    backup_dir: Path
    backups_to_keep: int = DEFAULT_BACKUPS_TO_KEEP

    @property
    def error_log(self) -> Path:
        """The GUI's log of unexpected errors (in the data folder, whichever database is open)."""
        return self.data_dir / ERROR_LOG_NAME

    @property
    def is_sqlite(self) -> bool:
        """True when the database is SQLite (backups are then the program's job)."""
        return make_url(self.database_url).get_backend_name() == "sqlite"


def default_data_dir() -> Path:
    """The user's data folder for clinic_app (e.g. ``~/.local/share/clinic_app`` on Linux)."""
    return Path(user_data_dir(APP_NAME, appauthor=False))


def sqlite_url_for(path: Path) -> str:
    """The database URL of an SQLite file (made absolute)."""
    return f"sqlite+pysqlite:///{path.expanduser().resolve()}"


def normalise_database_url(url: str) -> str:
    """``url`` with the psycopg driver named for PostgreSQL; other databases are refused."""
    url = url.strip()
    for scheme in _POSTGRES_SCHEMES:
        if url.startswith(scheme):
            url = "postgresql+psycopg://" + url[len(scheme):]
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError as exc:
        raise ConfigError(f"{DB_URL_ENV} is not a database URL: {url!r}") from exc
    if backend not in ("sqlite", "postgresql"):
        raise ConfigError(f"{DB_URL_ENV} must be an SQLite or PostgreSQL URL, not {backend!r}")
    return url


def _backup_dir_for(url: str, data_dir: Path) -> Path:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        return Path(parsed.database).expanduser().resolve().parent / BACKUP_FOLDER_NAME
    return data_dir / BACKUP_FOLDER_NAME


def load_config(
    db_path: Path | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    data_dir: Path | None = None,
) -> AppConfig:
    """Resolve the configuration from the command line, the environment and the defaults."""
    env = os.environ if environ is None else environ
    data = data_dir or default_data_dir()
    if db_path is not None:
        url = sqlite_url_for(db_path)
    elif env.get(DB_URL_ENV, "").strip():
        url = normalise_database_url(env[DB_URL_ENV])
    else:
        url = sqlite_url_for(data / DATABASE_FILE_NAME)
    return AppConfig(data, url, _backup_dir_for(url, data))
