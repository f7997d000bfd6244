"""Online backups of the SQLite database: daily on start with retention, and on demand.

A backup is made with SQLite's backup API through the live connection, so it is consistent even
while other workstations write. Files are named ``clinic-YYYYMMDD-HHMMSS-ffffff.sqlite3`` (UTC);
safety copies made before an upgrade or a restore carry a note
(``clinic-...-before-upgrade.sqlite3``) and are not pruned by the retention count. Every copy is
created readable by its owner only, in a private folder (:mod:`.private_files`).
PostgreSQL databases are backed up with the server's tools (pg_dump).
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine

from clinic_app.storage.errors import BackupError, BackupNotSupported
from clinic_app.storage.private_files import create_private_file, make_private_folder
from clinic_app.storage.types import as_utc

_NAME = re.compile(r"^clinic-(\d{8}-\d{6}-\d{6})(?:-([a-z0-9-]+))?\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S-%f"
BACKUP_PAGES_PER_STEP = 1024
MAX_BUSY_STEPS = 40  # sqlite3 sleeps 0.25 s between busy steps: about 10 s in all


@dataclass(frozen=True)
class BackupFile:
    """A backup on disk: its path, when it was taken (UTC) and its note, if any."""

    path: Path
    taken_at: datetime
    note: str | None


def backup_file_name(now: datetime, note: str | None = None) -> str:
    """The file name of a backup taken at ``now`` (aware), e.g. ``clinic-20260510-...sqlite3``."""
    suffix = f"-{note}" if note else ""
    return f"clinic-{as_utc(now, field='now').strftime(_STAMP)}{suffix}.sqlite3"


def _give_up_when_busy(destination: Path) -> Callable[[int, int, int], None]:
    """A progress callback that stops a backup stuck behind a lock (sqlite3 would retry
    forever)."""
    busy_steps = 0

    def progress(status: int, _remaining: int, _total: int) -> None:
        nonlocal busy_steps
        busy_steps = busy_steps + 1 if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) else 0
        if busy_steps > MAX_BUSY_STEPS:
            raise BackupError(f"The backup {destination.name} could not be made: the database "
                              "stayed locked; try again in a moment.")

    return progress


def copy_sqlite(source: sqlite3.Connection, destination: Path) -> Path:
    """Copy the database behind ``source`` into ``destination`` (written whole, then renamed).

    The copy is created with mode 0600 before SQLite fills it (its journal follows that mode),
    and its folder, when it has to be made, with mode 0700.
    """
    make_private_folder(destination.parent)
    partial = destination.with_name(destination.name + ".part")
    partial.unlink(missing_ok=True)  # a leftover of an interrupted copy
    create_private_file(partial)
    try:
        with closing(sqlite3.connect(partial)) as target:
            source.backup(target, pages=BACKUP_PAGES_PER_STEP,
                          progress=_give_up_when_busy(destination))
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"The backup {destination.name} could not be written: {exc}") from exc
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    os.replace(partial, destination)
    return destination


def _require_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        raise BackupNotSupported(
            "This database runs on a PostgreSQL server: back it up there with pg_dump "
            "(and restore with pg_restore)."
        )


def backup_database(
    engine: Engine, backup_dir: Path, *, now: datetime, note: str | None = None
) -> Path:
    """Take an online backup now into ``backup_dir``; returns the new file."""
    _require_sqlite(engine)
    with engine.connect() as connection:
        source = connection.connection.driver_connection
        assert isinstance(source, sqlite3.Connection)
        return copy_sqlite(source, backup_dir / backup_file_name(now, note))


def list_backups(backup_dir: Path) -> list[BackupFile]:
    """The backups in ``backup_dir``, newest first (other files are ignored)."""
    found = []
    for path in backup_dir.glob("clinic-*.sqlite3") if backup_dir.is_dir() else ():
        match = _NAME.match(path.name)
        if match:
            taken = datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC)
            found.append(BackupFile(path, taken, match[2]))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def prune_backups(backup_dir: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest regular backups; returns the deleted files."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    regular = [b for b in list_backups(backup_dir) if b.note is None]
    removed = [b.path for b in regular[keep:]]
    for path in removed:
        path.unlink()
    return removed


def daily_backup(engine: Engine, backup_dir: Path, *, now: datetime, keep: int) -> Path | None:
    """Back up once per calendar day of ``now`` (in its own time zone), then apply retention.

    Returns the new backup, or None when today's already exists or the database is PostgreSQL
    (whose backups the server administrator makes).
    """
    if engine.dialect.name != "sqlite":
        return None
    today = now.date()
    taken_today = any(
        b.note is None and b.taken_at.astimezone(now.tzinfo).date() == today
        for b in list_backups(backup_dir)
    )
    made = None if taken_today else backup_database(engine, backup_dir, now=now)
    prune_backups(backup_dir, keep)
    return made
