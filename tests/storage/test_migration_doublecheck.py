"""Migration 0014_doublecheck: the ``double_checks`` table appears, and goes on the way down."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from clinic_app.config import sqlite_url_for
from clinic_app.storage import ensure_database, migrate


def _tables(path: Path) -> set[str]:
    with closing(sqlite3.connect(path)) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        return str(db.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _columns(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[1] for row in db.execute("PRAGMA table_info(double_checks)")]


def _before_doublecheck(config: object) -> str:
    """The revision below this one (the integrator may renumber it: found by its name)."""
    script = ScriptDirectory.from_config(config)  # type: ignore[arg-type]
    (ours,) = [r for r in script.walk_revisions() if r.revision.endswith("_doublecheck")]
    assert isinstance(ours.down_revision, str)
    return ours.down_revision


def test_the_double_check_table_is_there_at_head_and_gone_below_it(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    url = sqlite_url_for(path)
    ensure_database(url)
    assert _revision(path) == migrate.head_revision()
    assert "double_checks" in _tables(path)
    assert _columns(path) == [
        "id",
        "visit_id",
        "what",
        "nurse_id",
        "first_nurse_id",
        "signed_at",
        "plan_fingerprint",
        "version",
        "voided_at",
        "voided_by_id",
        "void_reason",
    ]
    with migrate.migration_session(url) as config:
        below = _before_doublecheck(config)
        command.downgrade(config, below)
    assert "double_checks" not in _tables(path)
    assert _revision(path) == below
    with migrate.migration_session(url) as config:
        command.upgrade(config, "head")
    assert "double_checks" in _tables(path)
    assert _revision(path) == migrate.head_revision()
