"""Restoring the SQLite database from a backup, safely.

1. The backup is checked first: an SQLite file that passes ``PRAGMA integrity_check``, holds the
   clinic tables and a schema revision this program knows. Then it must belong here (issue 11):

   - its audit trail verifies (:func:`clinic_app.storage.audit_chain.verify_audit`);
   - it is this clinic's (the same clinic id, :mod:`.clinic_identity`);
   - a demo database never goes over a real clinic's, not even with ``force``: made-up patients
     mixed into a clinic's records could be taken for real ones, and an administrator who truly
     wants the demo opens it with ``clinic-app --demo`` or its own ``--db`` file.

   The first two are refused unless ``force`` (the administrator insists, e.g. moving a clinic
   onto a database made by mistake). None applies where there is nothing to lose: no database
   yet, one nobody has written to (no audit entry), or one too damaged to say whose it is.
2. The current database is copied into the backup folder (``...-before-restore.sqlite3``).
3. A healthy live database is overwritten through SQLite's backup API, under SQLite's own locks
   (another workstation gets "busy", never a half-written file); a damaged one is replaced as a
   file (it cannot be in use).
4. The restored database is checked again and upgraded to the current schema if it is older.

The safety copy and a database put back as a new file are created readable by their owner only
(:mod:`.private_files`); step 4 also takes the others' permissions off an overwritten database.

Close the program's engine (``engine.dispose()``) before restoring.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from clinic_app.storage.audit_chain import verify_audit
from clinic_app.storage.backup import backup_file_name, copy_sqlite
from clinic_app.storage.clinic_identity import Identity, read_identity
from clinic_app.storage.db import make_read_only_engine, sqlite_file
from clinic_app.storage.errors import (
    BackupError,
    BackupInvalid,
    BackupNotSupported,
    RestoreRefused,
    StorageError,
)
from clinic_app.storage.integrity import SQLITE_HEADER, check_file_kind
from clinic_app.storage.migrate import ensure_database, known_revisions
from clinic_app.storage.private_files import (
    SIDE_FILE_SUFFIXES,
    copy_private,
    make_private_folder,
)

REQUIRED_TABLES = frozenset({"alembic_version", "audit_log", "audit_chain_head", "nurses",
                             "patients"})


@dataclass(frozen=True)
class RestoreOutcome:
    """The backup that was restored and the copy kept of the database it replaced."""

    restored_from: Path
    safety_copy: Path | None


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def _problem_with(path: Path) -> str | None:
    if not path.is_file():
        return "the file does not exist"
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            return "it is not an SQLite database"
    try:
        with closing(_read_only(path)) as db:
            if db.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                return "it is damaged (integrity check failed)"
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
            if not REQUIRED_TABLES.issubset(tables):
                return "it is not a clinic_app database"
            revisions = {row[0] for row in db.execute("SELECT version_num FROM alembic_version")}
    except sqlite3.DatabaseError as exc:
        return f"it cannot be read ({exc})"
    if not revisions or not revisions <= known_revisions():
        return "it was written by a newer version of clinic_app"
    return None


def check_backup(path: Path) -> None:
    """Raise :class:`BackupInvalid` unless ``path`` is a restorable clinic_app database."""
    problem = _problem_with(path)
    if problem:
        raise BackupInvalid(f"The backup {path.name} cannot be restored: {problem}.")


@contextmanager
def _reading(path: Path) -> Iterator[Connection]:
    """A read-only connection to the SQLite file ``path``."""
    engine = make_read_only_engine(path)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _identity_and_audit(backup: Path) -> tuple[Identity, str | None]:
    """The identity of the backup and the first problem of its audit trail (None: it
    verifies)."""
    with _reading(backup) as connection, Session(bind=connection) as session:
        return read_identity(connection), verify_audit(session).problem


def _identity_of_live(live: Path, healthy: bool) -> Identity | None:
    """The live database's identity; None when there is nothing a restore could lose (module
    rules)."""
    if not healthy:
        return None
    try:
        with _reading(live) as connection:
            identity = read_identity(connection)
    except (StorageError, SQLAlchemyError):  # not a clinic_app database (yet)
        return None
    return identity if identity.has_records else None


def check_belongs_here(backup: Path, live: Path, *, healthy: bool, force: bool) -> None:
    """Raise :class:`RestoreRefused` unless ``backup`` may replace ``live`` (module rules)."""
    theirs, audit_problem = _identity_and_audit(backup)
    ours = _identity_of_live(live, healthy)
    if ours is not None and theirs.demo and not ours.demo:
        raise RestoreRefused(f"The backup {backup.name} is a demo database (made-up patients): "
                             f"it is never restored over the clinic's database {live}.",
                             can_force=False)
    if force:
        return
    if audit_problem is not None:
        raise RestoreRefused(f"The backup {backup.name} cannot be trusted: its audit trail does "
                             f"not verify: {audit_problem}.", can_force=True)
    if ours is not None and theirs.clinic_id != ours.clinic_id:
        raise RestoreRefused(f"The backup {backup.name} is another clinic's database (clinic id "
                             f"{theirs.clinic_id or 'unknown'}, this clinic's is "
                             f"{ours.clinic_id}).", can_force=True)


def _is_healthy(path: Path) -> bool:
    try:
        with closing(sqlite3.connect(path)) as db:
            return db.execute("PRAGMA quick_check").fetchone() == ("ok",)
    except sqlite3.DatabaseError:
        return False


def _keep_copy(live: Path, backup_dir: Path, now: datetime, healthy: bool) -> Path | None:
    if not live.exists():
        return None
    destination = backup_dir / backup_file_name(now, "before-restore")
    if healthy:
        with closing(sqlite3.connect(live)) as source:
            return copy_sqlite(source, destination)
    make_private_folder(backup_dir)
    copy_private(live, destination)
    for side in SIDE_FILE_SUFFIXES:
        if Path(f"{live}{side}").exists():
            copy_private(Path(f"{live}{side}"), Path(f"{destination}{side}"))
    return destination


def _overwrite(backup: Path, live: Path) -> None:
    with closing(_read_only(backup)) as source, closing(sqlite3.connect(live)) as target:
        source.backup(target)


def _replace_file(backup: Path, live: Path) -> None:
    staged = live.with_name(live.name + ".restoring")
    with closing(_read_only(backup)) as source:
        copy_sqlite(source, staged)
    for side in SIDE_FILE_SUFFIXES:
        Path(f"{live}{side}").unlink(missing_ok=True)
    os.replace(staged, live)


def restore_database(
    url: str, backup_file: Path, *, backup_dir: Path, now: datetime, force: bool = False
) -> RestoreOutcome:
    """Replace the database at ``url`` with ``backup_file``; see the module text for the steps
    and for what ``force`` allows. Raises :class:`BackupInvalid` for a file that is no clinic
    backup and :class:`RestoreRefused` for one that does not belong here, before anything is
    written."""
    live = sqlite_file(url)
    if live is None:
        raise BackupNotSupported(
            "This database runs on a PostgreSQL server: restore it there with pg_restore."
        )
    check_file_kind(live)
    check_backup(backup_file)
    healthy = live.exists() and _is_healthy(live)
    check_belongs_here(backup_file, live, healthy=healthy, force=force)
    safety_copy = _keep_copy(live, backup_dir, now, healthy)
    try:
        if healthy:
            _overwrite(backup_file, live)
        else:
            make_private_folder(live.parent)
            _replace_file(backup_file, live)
    except sqlite3.Error as exc:
        raise BackupError(f"The database could not be restored: {exc}") from exc
    if not _is_healthy(live):
        raise BackupError(f"The restored database failed its check; the previous one is kept "
                          f"in {safety_copy}.")
    ensure_database(url)
    return RestoreOutcome(backup_file, safety_copy)
