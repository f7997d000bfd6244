"""Migrations that add one clinical table: the table is there at head with its columns, goes on
the way down to the revision below, and comes back on the way up (issue 13's records).

Each migration is found by its name's end, not its number: the integrator renumbers them.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from alembic.script import ScriptDirectory

from clinic_app.config import sqlite_url_for
from clinic_app.storage import ensure_database, migrate

VOIDABLE = ["version", "voided_at", "voided_by_id", "void_reason"]
TABLES = {
    "premed": ("premedications", ["id", "visit_id", "kind", "drug", "dose", "dose_unit", "route",
                                  "given_at", "lot_number", "nurse_id", *VOIDABLE]),
    "labs": ("lab_results", ["id", "patient_id", "test", "value", "unit", "ref_low", "ref_high",
                             "taken_on", "source", *VOIDABLE]),
    "doublecheck": ("double_checks", ["id", "visit_id", "what", "nurse_id", "first_nurse_id",
                                      "signed_at", "plan_fingerprint", *VOIDABLE]),
    "tdm": ("drug_levels", ["id", "patient_id", "course_id", "kind", "value", "unit", "reported",
                            "cutoff", "assay", "drawn_on", "before_dose_number",
                            "appointment_id", "nurse_id", *VOIDABLE]),
}


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        return str(db.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _columns(path: Path, table: str) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[1] for row in db.execute(f"PRAGMA table_info({table})")]


def _below(config: Config, name: str) -> str:
    """The revision below the one whose id ends with ``_<name>``."""
    script = ScriptDirectory.from_config(config)
    (ours,) = [r for r in script.walk_revisions() if r.revision.endswith(f"_{name}")]
    assert isinstance(ours.down_revision, str)
    return ours.down_revision


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_table_is_there_at_head_and_gone_below_its_migration(
        tmp_path: Path, name: str) -> None:
    table, columns = TABLES[name]
    path = tmp_path / "clinic.sqlite3"
    url = sqlite_url_for(path)
    ensure_database(url)
    assert _revision(path) == migrate.head_revision()
    assert _columns(path, table) == columns
    with migrate.migration_session(url) as config:
        below = _below(config, name)
        command.downgrade(config, below)
    assert table not in _tables(path)
    assert _revision(path) == below
    with migrate.migration_session(url) as config:
        command.upgrade(config, "head")
    assert _columns(path, table) == columns
    assert _revision(path) == migrate.head_revision()
