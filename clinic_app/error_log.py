"""What an unexpected error leaves in the error log: where it happened, never what was typed.

The program's one log is the GUI's ``errors.log``, written by its unexpected-error handler
(:func:`clinic_app.app.install_error_dialog`) and echoed to standard error, which a desktop
session may keep too. The rule for an entry (:func:`describe_error`; every log writer goes
through it):

- **written**: the time (UTC); for the error and each error in its chain (the cause it was raised
  from, or the error being handled when it happened) its type (module and class) and its
  traceback, one line per frame: file, line number, function and that line of program code (the
  source text, e.g. ``raise ValueError(f"... {name}")``: code, never the values it ran with); for
  a database error, the statement's operation and first table (``INSERT patients``, from
  SQLAlchemy's ``StatementError``) and the driver's error code (``SQLITE_CONSTRAINT_UNIQUE``, a
  PostgreSQL SQLSTATE); the record ids the error carries (an integer attribute named ``id`` or
  ``..._id``, e.g. ``record_id=42`` of a concurrent edit).
- **never written**: an error's message, arguments or notes (``str(exc)``, ``exc.args``), of any
  type: they may quote a name, a date of birth, search text, a password typed in the wrong box or
  a value read from the database (``int('Kowalska')``, ``KeyError('MRN001')``, PostgreSQL's
  ``Key (mrn)=(...)``); SQL parameters, and the SQL text beyond its operation and table; local
  variables.

The nurse still sees the message on screen; the log tells the administrator and the developer
which code failed with which kind of error. The file is readable by its owner only
(:mod:`clinic_app.storage.private_files`).
"""

from __future__ import annotations

import re
import traceback
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from sqlalchemy.exc import StatementError

from clinic_app.storage.private_files import create_private_file, make_private_folder

_OPERATION = re.compile(r"\s*([A-Za-z]+)")
_TABLE = re.compile(r"\b(?:INTO|FROM|UPDATE)\s+[\"`\[]?([A-Za-z_][A-Za-z0-9_]*)", re.IGNORECASE)
_ERROR_CODE = re.compile(r"[A-Z0-9_]+")
_CODE_ATTRIBUTES = ("sqlite_errorname", "sqlstate")  # sqlite3, psycopg


def _type_name(exc: BaseException) -> str:
    kind = type(exc)
    return kind.__qualname__ if kind.__module__ == "builtins" else (
        f"{kind.__module__}.{kind.__qualname__}")


def _statement_summary(statement: str | None) -> str | None:
    """``INSERT patients``: the first word of the SQL and the first table it names."""
    operation = _OPERATION.match(statement or "")
    if operation is None:
        return None
    table = _TABLE.search(operation.string)
    return " ".join([operation[1].upper(), *([table[1]] if table else [])])


def _details(exc: BaseException) -> list[str]:
    """What is safe to say beyond the type: the SQL operation and table, the driver's error
    code, the record ids."""
    found: list[str] = []
    if isinstance(exc, StatementError):
        summary = _statement_summary(exc.statement)
        found += [summary] if summary else []
    for attribute in _CODE_ATTRIBUTES:
        code = getattr(exc, attribute, None)
        found += [code] if isinstance(code, str) and _ERROR_CODE.fullmatch(code) else []
    found += [f"{name}={value}" for name, value in getattr(exc, "__dict__", {}).items()
              if (name == "id" or name.endswith("_id")) and type(value) is int]
    return found


def _frames(tb: TracebackType | None) -> list[str]:
    return [f"  {frame.filename}:{frame.lineno} in {frame.name}"
            + (f": {frame.line}" if frame.line else "")
            for frame in traceback.extract_tb(tb)]


def _chain(exc: BaseException) -> list[tuple[str, BaseException]]:
    """The error, then what it was raised from or while handling, as Python's traceback links
    them (each error once)."""
    chain: list[tuple[str, BaseException]] = [("", exc)]
    seen = {id(exc)}
    while True:
        current = chain[-1][1]
        if current.__cause__ is not None:
            link, earlier = "raised from ", current.__cause__
        elif current.__context__ is not None and not current.__suppress_context__:
            link, earlier = "while handling ", current.__context__
        else:
            return chain
        if id(earlier) in seen:
            return chain
        seen.add(id(earlier))
        chain.append((link, earlier))


def describe_error(exc: BaseException, tb: TracebackType | None = None, *,
                   when: datetime) -> str:
    """The log entry for ``exc`` at ``when`` (aware): see the module text for what it holds.

    ``tb`` is the error's traceback as ``sys.excepthook`` receives it (default: its own); the
    errors of its chain bring their own.
    """
    lines = [f"{when.astimezone(UTC).isoformat(timespec='seconds')} unexpected error"]
    for link, error in _chain(exc):
        details = _details(error)
        lines.append(f"{link}{_type_name(error)}" + (f" ({', '.join(details)})" if details else ""))
        lines.extend(_frames(tb if error is exc and tb is not None else error.__traceback__))
    return "\n".join(lines) + "\n"


def append_to_log(log_file: Path, entry: str) -> None:
    """Append ``entry`` to ``log_file``, created with mode 0600 in a 0700 folder when missing."""
    make_private_folder(log_file.parent)
    create_private_file(log_file)
    with log_file.open("a", encoding="utf-8") as log:
        log.write(entry + "\n")
