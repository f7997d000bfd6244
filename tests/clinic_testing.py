"""Test support shared by the storage, service and GUI tests: a clock that moves only when told
to, a patient form with valid defaults, databases copied from a migrated template, a file's
permission bits, and databases damaged the ways disks damage them.

Importable as ``clinic_testing`` from any test module (the suite's root folder is on the path).
"""

from __future__ import annotations

import shutil
import sqlite3
import stat
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from clinic_app.config import sqlite_url_for
from clinic_app.domain.settings import ClinicSettings, load_settings
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientForm
from clinic_app.storage import ensure_database, make_engine, make_session_factory

T0 = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)  # Monday, 09:30 in Warsaw
WARSAW = ZoneInfo("Europe/Warsaw")
CLINIC_NAME = "Test infusion clinic"
CLINIC_PHONE = "+48 22 000 00 00"


class FakeClock:
    """A clock that moves only when told to (aware UTC)."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, *, minutes: float = 0, hours: float = 0, days: float = 0) -> None:
        self.now += timedelta(minutes=minutes, hours=hours, days=days)

    def set(self, when: datetime) -> None:
        self.now = when.astimezone(UTC)


def patient_form(**fields: Any) -> PatientForm:
    """José García's registration form, with ``fields`` replacing the defaults."""
    values: dict[str, Any] = {
        "mrn": "MRN001", "family_name": "García", "given_names": "José",
        "date_of_birth": "1980-02-29", "sex": "male",
    }
    values.update(fields)
    return PatientForm(**values)


def file_mode(path: Path) -> int:
    """The permission bits of ``path`` (``0o600`` for a file only its owner may read)."""
    return stat.S_IMODE(path.stat().st_mode)


def copy_database(template: Path, folder: Path) -> Path:
    """Copy a closed SQLite template (alone in its folder, with any side files) into ``folder``;
    the copy's path. Copying a migrated file is much faster than migrating per test."""
    folder.mkdir(parents=True, exist_ok=True)
    for source in template.parent.iterdir():
        shutil.copy(source, folder / source.name)
    return folder / template.name


def open_context(path: Path, clock: FakeClock, *, settings: ClinicSettings | None = None,
                 migrated: bool = False) -> tuple[ServiceContext, Engine]:
    """A context over the SQLite file at ``path`` (migrated if needed; not checked when the
    caller knows it is ``migrated``, e.g. a copy of a migrated template), nobody signed in, and
    its engine (dispose it when done)."""
    url = sqlite_url_for(path)
    if not migrated:
        ensure_database(url)
    engine = make_engine(url)
    ctx = ServiceContext(session_factory=make_session_factory(engine),
                         settings=settings or load_settings(), tz=WARSAW, clock=clock,
                         clinic_name=CLINIC_NAME, clinic_phone=CLINIC_PHONE)
    return ctx, engine


def damage_table(path: Path, table: str = "patients") -> None:
    """Wreck the first page of ``table`` in the SQLite file ``path`` (its b-tree page header),
    as a failing disk does (other connections may be open, but idle); the file header and the
    schema stay readable, so the database still opens and reports its revision, but
    ``PRAGMA quick_check`` fails."""
    with closing(sqlite3.connect(path)) as db:
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        root = db.execute("SELECT rootpage FROM sqlite_master WHERE name = ?",
                          (table,)).fetchone()[0]
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    with path.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 12)


def damage_index(path: Path) -> None:
    """Make the patients' date-of-birth index of the closed SQLite file ``path`` disagree with
    its table (it now claims to index the family name): ``PRAGMA quick_check`` passes, only the
    full ``PRAGMA integrity_check`` finds the rows missing from the index."""
    with closing(sqlite3.connect(path)) as db, db:
        db.execute("PRAGMA writable_schema = ON")
        db.execute("UPDATE sqlite_master SET sql = replace(sql, '(date_of_birth)', "
                   "'(family_name)') WHERE name = 'ix_patients_date_of_birth'")


def damage_deep_page(path: Path) -> None:
    """Wreck a page deep inside the closed SQLite file ``path``, as a failing disk does: a leaf
    of a table of several pages (one added for the purpose, ``filler``), neither its root nor
    its first leaf. The schema and the root of every table and index still read (the start
    check passes); only ``PRAGMA quick_check``, reading every page, finds it."""
    with closing(sqlite3.connect(path)) as db:
        with db:
            db.execute("CREATE TABLE filler (id INTEGER PRIMARY KEY, body BLOB NOT NULL)")
            db.executemany("INSERT INTO filler (body) VALUES (zeroblob(1000))",
                           [()] * 60)
        leaves = [row[0] for row in db.execute(
            "SELECT pageno FROM dbstat WHERE name = 'filler' AND pagetype = 'leaf' "
            "ORDER BY path")]
        page_size = db.execute("PRAGMA page_size").fetchone()[0]
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # everything in the main file
    assert len(leaves) >= 3, leaves
    with path.open("r+b") as handle:
        handle.seek((leaves[len(leaves) // 2] - 1) * page_size)
        handle.write(b"\xff" * 12)
