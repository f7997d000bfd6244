"""Online backups of the SQLite database: daily on start with retention, and on demand.

A backup is made with SQLite's backup API through the live connection, so it is consistent even
while other workstations write. Files are named ``clinic-YYYYMMDD-HHMMSS-ffffff.sqlite3`` (UTC);
safety copies made before an upgrade or a restore carry a note
(``clinic-...-before-upgrade.sqlite3``) and are not pruned by the retention count. Every copy is
created readable by its owner only, in a private folder (:mod:`.private_files`).
PostgreSQL databases are backed up with the server's tools (pg_dump).

Rules for damaged databases and interrupted copies (issue 11):

- A daily or manual backup counts only when its copy passes ``PRAGMA integrity_check``. A copy
  that fails is kept apart as ``clinic-....sqlite3.damaged`` (evidence for the administrator):
  it is never listed, never counted among the backups kept, never pruned and never offered for
  restore, and the failed backup raises :class:`DatabaseDamaged`, so retention does not run and
  the good backups stay. The error names the newest listed backup that still passes
  ``PRAGMA quick_check`` (each passed the full check when it was made).
- A copy is written as ``....part`` and renamed when whole. The pieces an interrupted backup or
  restore left (``clinic-*.sqlite3.part`` and its journal in the backup folder, ``<db>.restoring``
  beside the database) are removed at the next start by :func:`remove_stale_copies`, unless
  another process is still writing them (SQLite's lock says so).
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

from clinic_app.storage.db import read_only_connection
from clinic_app.storage.errors import BackupError, BackupNotSupported
from clinic_app.storage.integrity import Check, damaged, page_problem
from clinic_app.storage.private_files import create_private_file, make_private_folder
from clinic_app.storage.types import as_utc

_NAME = re.compile(r"^clinic-(\d{8}-\d{6}-\d{6})(?:-([a-z0-9-]+))?\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S-%f"
BACKUP_PAGES_PER_STEP = 1024
MAX_BUSY_STEPS = 40  # sqlite3 sleeps 0.25 s between busy steps: about 10 s in all
PART_SUFFIX = ".part"
DAMAGED_SUFFIX = ".damaged"
RESTORING_SUFFIX = ".restoring"
_JOURNAL = "-journal"


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


CopyProgress = Callable[[int, int], None]
"""``progress(pages_done, pages_total)``, called after each step of a copy (from its thread)."""


def _give_up_when_busy(destination: Path,
                       report: CopyProgress | None = None) -> Callable[[int, int, int], None]:
    """A progress callback that stops a backup stuck behind a lock (sqlite3 would retry
    forever) and passes the pages copied so far to ``report``."""
    busy_steps = 0

    def progress(status: int, remaining: int, total: int) -> None:
        nonlocal busy_steps
        if report is not None:
            report(total - remaining, total)
        busy_steps = busy_steps + 1 if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) else 0
        if busy_steps > MAX_BUSY_STEPS:
            raise BackupError(f"The backup {destination.name} could not be made: the database "
                              "stayed locked; try again in a moment.")

    return progress


def copy_sqlite(source: sqlite3.Connection, destination: Path, *,
                check: Check | None = None, progress: CopyProgress | None = None) -> Path:
    """Copy the database behind ``source`` into ``destination`` (written whole, then renamed).

    The copy is created with mode 0600 before SQLite fills it (its journal follows that mode),
    and its folder, when it has to be made, with mode 0700. With ``check``, the copy must pass
    that PRAGMA before it is renamed; one that fails is kept as ``<destination>.damaged`` and
    :class:`DatabaseDamaged` is raised for the database it was copied from (module rules).
    The copy is made in steps of :data:`BACKUP_PAGES_PER_STEP` pages (other connections write
    between steps); ``progress`` hears of each step.
    """
    partial = destination.with_name(destination.name + PART_SUFFIX)
    try:
        make_private_folder(destination.parent)
        partial.unlink(missing_ok=True)  # a leftover of an interrupted copy
        create_private_file(partial)
        with closing(sqlite3.connect(partial)) as target:
            source.backup(target, pages=BACKUP_PAGES_PER_STEP,
                          progress=_give_up_when_busy(destination, progress))
            problem = page_problem(target, check) if check else None
    except (sqlite3.Error, OSError) as exc:
        partial.unlink(missing_ok=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else exc
        raise BackupError(f"The backup {destination.name} could not be written: "
                          f"{reason}") from exc
    except BackupError:
        partial.unlink(missing_ok=True)
        raise
    if problem is not None:
        os.replace(partial, destination.with_name(destination.name + DAMAGED_SUFFIX))
        raise damaged(_database_of(source), problem,
                      good_backup=last_good_backup(destination.parent),
                      backup_dir=destination.parent)
    os.replace(partial, destination)
    return destination


def _database_of(connection: sqlite3.Connection) -> Path:
    """The file of the main database of ``connection``."""
    return Path(connection.execute("PRAGMA database_list").fetchone()[2])


def _require_sqlite(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        raise BackupNotSupported(
            "This database runs on a PostgreSQL server: back it up there with pg_dump "
            "(and restore with pg_restore)."
        )


def backup_database(
    engine: Engine, backup_dir: Path, *, now: datetime, note: str | None = None,
    progress: CopyProgress | None = None,
) -> Path:
    """Take an online backup now into ``backup_dir``; returns the new file.

    The copy counts only when it passes ``PRAGMA integrity_check`` (module rules); else
    :class:`DatabaseDamaged` names the last good backup.
    """
    _require_sqlite(engine)
    with engine.connect() as connection:
        source = connection.connection.driver_connection
        assert isinstance(source, sqlite3.Connection)
        return copy_sqlite(source, backup_dir / backup_file_name(now, note),
                           check="integrity_check", progress=progress)


def list_backups(backup_dir: Path) -> list[BackupFile]:
    """The backups in ``backup_dir``, newest first (other files are ignored)."""
    found = []
    for path in backup_dir.glob("clinic-*.sqlite3") if backup_dir.is_dir() else ():
        match = _NAME.match(path.name)
        if match:
            taken = datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC)
            found.append(BackupFile(path, taken, match[2]))
    return sorted(found, key=lambda b: b.taken_at, reverse=True)


def last_good_backup(backup_dir: Path) -> Path | None:
    """The newest backup in ``backup_dir`` whose pages still pass ``PRAGMA quick_check`` (read
    only, leaving no file beside it; a backup that cannot be read is passed over), or None."""
    for backup in list_backups(backup_dir):
        try:
            with closing(read_only_connection(backup.path, immutable=True)) as db:
                if page_problem(db, "quick_check") is None:
                    return backup.path
        except sqlite3.Error:  # cannot be opened
            continue
    return None


def _being_written(path: Path) -> bool:
    """True when another connection holds a write lock on the SQLite file ``path``."""
    try:
        with closing(sqlite3.connect(path, timeout=0, isolation_level=None)) as probe:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
    except sqlite3.Error as exc:
        return getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_BUSY", "SQLITE_LOCKED"))
    return False


def remove_stale_copies(database: Path, backup_dir: Path) -> list[Path]:
    """Delete what an interrupted backup or restore of ``database`` left (module rules): the
    ``clinic-*.sqlite3.part`` copies and their journals in ``backup_dir`` and the
    ``<database>.restoring`` staging files beside it. A copy another process is still writing
    and the journal of such a copy are left. Returns the deleted files."""
    restoring = f"{database.name}{RESTORING_SUFFIX}"
    found = [*(backup_dir.glob(f"clinic-*.sqlite3{PART_SUFFIX}*") if backup_dir.is_dir() else ()),
             *(database.parent.glob(f"{restoring}*") if database.parent.is_dir() else ())]
    stale = [path for path in found
             if path.name.removesuffix(_JOURNAL).endswith((PART_SUFFIX, RESTORING_SUFFIX))]
    copies = [path for path in stale if not path.name.endswith(_JOURNAL)]
    busy = {path for path in copies if _being_written(path)}
    removed = [path for path in stale if path not in busy
               and path.with_name(path.name.removesuffix(_JOURNAL)) not in busy]
    for path in removed:
        path.unlink(missing_ok=True)
    return removed


def prune_backups(backup_dir: Path, keep: int) -> list[Path]:
    """Delete all but the ``keep`` newest regular backups; returns the deleted files."""
    if keep < 1:
        raise ValueError("keep at least one backup")
    regular = [b for b in list_backups(backup_dir) if b.note is None]
    removed = [b.path for b in regular[keep:]]
    for path in removed:
        path.unlink()
    return removed


def daily_backup(engine: Engine, backup_dir: Path, *, now: datetime, keep: int,
                 progress: CopyProgress | None = None) -> Path | None:
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
    made = None if taken_today else backup_database(engine, backup_dir, now=now,
                                                    progress=progress)
    prune_backups(backup_dir, keep)
    return made
