"""Migration 0012_decisions: ``checklist_entries.correction_reason`` appears (answers saved
before it read as first answers, no reason), and goes on the way down."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory

from clinic_app.config import sqlite_url_for
from clinic_app.storage import ensure_database, migrate


def _columns(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[1] for row in db.execute("PRAGMA table_info(checklist_entries)")]


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        return str(db.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def _before_decisions(config: object) -> str:
    """The revision below this one (the integrator may renumber it: found by its name)."""
    script = ScriptDirectory.from_config(config)  # type: ignore[arg-type]
    (ours,) = [r for r in script.walk_revisions() if r.revision.endswith("_decisions")]
    assert isinstance(ours.down_revision, str)
    return ours.down_revision


def _add_answer(path: Path) -> None:
    """An answer saved by the schema below (foreign keys are not checked by a bare sqlite3)."""
    with closing(sqlite3.connect(path)) as db:
        db.execute(
            "INSERT INTO checklist_entries (visit_id, item_key, value, recorded_at, "
            "nurse_id, version) VALUES (1, 'pre.fever_infection', 'no', "
            "'2026-03-02 08:00:00.000000', 1, 1)"
        )
        db.commit()


def test_the_correction_reason_is_there_at_head_and_gone_below_it(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    url = sqlite_url_for(path)
    ensure_database(url)
    assert _revision(path) == migrate.head_revision()
    assert "correction_reason" in _columns(path)
    with migrate.migration_session(url) as config:
        below = _before_decisions(config)
        command.downgrade(config, below)
    assert "correction_reason" not in _columns(path)
    assert _revision(path) == below
    _add_answer(path)
    with migrate.migration_session(url) as config:
        command.upgrade(config, "head")
    assert _revision(path) == migrate.head_revision()
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT item_key, value, correction_reason FROM checklist_entries")
        assert rows.fetchall() == [("pre.fever_infection", "no", None)]
