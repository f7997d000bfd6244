"""Is the database whole? What is refused before SQLite opens a file, and SQLite's page checks.

Rules (SQLite):

- The database path must be a regular file holding an SQLite database, or not exist yet (a new
  clinic is created there). A device (``/dev/null``), a folder, a pipe, a file of another kind
  and an empty (0-byte) file are refused before SQLite opens them: SQLite would take an empty
  file for a new database, and a clinic whose file was emptied would then start again with no
  patients instead of being restored.
- Before anything is written at start, on a read-only connection, the schema is read and the
  root page of every table and index, down to its first leaf, is read (:func:`root_problem`;
  milliseconds on any size): a file whose schema or a b-tree root is damaged is not opened.
  Every page is then read with ``PRAGMA quick_check`` (every page and b-tree; it does not
  compare indexes with their tables): before an upgrade or a restore, before the command line
  opens the clinic, and for the GUI in the background once the window is shown (issue 15: on
  the 1.6 GB demo it takes 3 s); a damaged database is not upgraded or backed up, and the GUI
  stops as it does at start when the background check finds damage.
- A backup counts only when its copy passes ``PRAGMA integrity_check`` (the full check, indexes
  included); see :mod:`.backup`.
- On damage the error names the problem and the last good backup, with the command that puts
  it back.

PostgreSQL has no PRAGMA checks: the clinic relies on the server. A page the server cannot read
(data checksums, ``initdb --data-checksums``) fails the statement, and the nurse sees "The database
server cannot be reached" or the error; checking and backing up the cluster (``pg_amcheck``,
``pg_dump`` and a test restore) is the server administrator's job.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Literal

from clinic_app.storage.errors import DatabaseDamaged, DatabaseLocked, DatabaseUnavailable

SQLITE_HEADER = b"SQLite format 3\x00"
Check = Literal["quick_check", "integrity_check"]
_LOCKED = ("SQLITE_BUSY", "SQLITE_LOCKED")


def check_file_kind(path: Path) -> None:
    """Refuse ``path`` when it exists and is not a regular file (a folder, a device such as
    ``/dev/null``, a pipe, a socket); its content is not looked at (a restore may replace it)."""
    if path.is_dir():
        raise DatabaseUnavailable(f"{path} is a folder, not a database file: give the path of "
                                  "the clinic's database file.")
    if path.exists() and not path.is_file():
        raise DatabaseUnavailable(f"{path} is not a regular file (a device, a pipe or a "
                                  "socket): give the path of the clinic's database file.")


def check_database_file(path: Path) -> None:
    """Refuse ``path`` unless it is missing or a non-empty regular SQLite file (module rules);
    nothing is opened for writing."""
    check_file_kind(path)
    if not path.exists():
        return
    if path.stat().st_size == 0:
        raise DatabaseUnavailable(
            f"The database file {path} is empty (0 bytes): it holds no clinic. If the clinic's "
            f"data was in it, restore the last backup: {restore_command(path)} FILE; to start "
            "a new clinic there, delete the empty file first.")
    with path.open("rb") as handle:
        if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise DatabaseUnavailable(
                f"The file {path} is not a clinic_app database (it is damaged or another "
                "kind of file); restore it from a backup or choose another file.")


def page_problem(connection: sqlite3.Connection, check: Check) -> str | None:
    """The first problem ``PRAGMA quick_check`` or ``integrity_check`` finds (None: whole).

    A page so damaged that SQLite stops the check counts as a problem; a lock held by another
    connection is not damage and is raised as :class:`DatabaseLocked`.
    """
    try:
        rows = connection.execute(f"PRAGMA {check}").fetchall()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "").startswith(_LOCKED):
            raise DatabaseLocked("The database is locked by another program or "
                                      "workstation; close it there or try again in a "
                                      "moment.") from exc
        return str(exc)
    return None if rows == [("ok",)] else str(rows[0][0])


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _read_roots(connection: sqlite3.Connection) -> None:
    schema = connection.execute(
        "SELECT type, name, tbl_name, sql FROM sqlite_master "
        "WHERE type IN ('table', 'index') AND rootpage > 0").fetchall()
    for kind, name, table, sql in schema:
        if kind == "table":
            connection.execute(f"SELECT * FROM {_quoted(name)} LIMIT 1").fetchall()
            continue
        partial = (sql or "").partition(" WHERE ")[2]
        where = f" WHERE {partial}" if partial else ""
        try:
            connection.execute(
                f"SELECT 1 FROM {_quoted(table)} INDEXED BY {_quoted(name)}{where} LIMIT 1"
            ).fetchall()
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorname", "") != "SQLITE_ERROR":  # not "no query solution"
                raise


def root_problem(connection: sqlite3.Connection) -> str | None:
    """The first problem found reading the schema and the root page of every table and index
    down to its first leaf (None: all read); the cheap start check of the module rules. A page
    type, header or cell pointer SQLite cannot read fails it; pages further in are left to
    ``PRAGMA quick_check``. A lock held by another connection is raised as
    :class:`DatabaseLocked`."""
    try:
        _read_roots(connection)
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorname", "").startswith(_LOCKED):
            raise DatabaseLocked("The database is locked by another program or "
                                      "workstation; close it there or try again in a "
                                      "moment.") from exc
        return str(exc)
    return None


def shell_word(path: Path) -> str:
    """``path`` as one word of a command to type (quoted when it holds a space)."""
    text = str(path)
    return f'"{text}"' if " " in text else text


def restore_command(database: Path) -> str:
    """The command that restores a backup over ``database`` (FILE to follow)."""
    return f"clinic-app --db {shell_word(database)} db restore"


def damaged(where: Path, problem: str, *, good_backup: Path | None,
            backup_dir: Path | None) -> DatabaseDamaged:
    """The one-line error for a damaged database: the problem, and how to restore."""
    command = restore_command(where)
    if good_backup is not None:
        advice = f"restore the last good backup: {command} {shell_word(good_backup)}"
    elif backup_dir is not None:
        advice = (f"no good backup was found in {backup_dir}; restore a copy kept elsewhere: "
                  f"{command} FILE")
    else:
        advice = f"restore the last good backup: {command} FILE"
    return DatabaseDamaged(f"The database {where} is damaged ({problem}). Stop using it and "
                           f"{advice}")
