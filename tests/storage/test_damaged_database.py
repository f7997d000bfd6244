"""A damaged database is never opened, upgraded or counted as a good backup (issue 11, item 2).

The start check is ``PRAGMA quick_check``; each backup copy must pass ``PRAGMA integrity_check``
before it counts. A damaged copy is kept apart as ``*.damaged``: never listed, counted among the
backups kept, pruned, or named as the backup to restore.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from clinic_testing import damage_index, damage_table

from clinic_app.storage import (
    DatabaseDamaged,
    backup_database,
    daily_backup,
    ensure_database,
    list_backups,
    make_engine,
)

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _daily_backups(db_url, backups, days: int) -> None:
    engine = make_engine(db_url)
    for day in range(days):
        daily_backup(engine, backups, now=NOW + timedelta(days=day), keep=3)
    engine.dispose()


def test_a_database_with_a_damaged_page_is_refused_at_start_naming_the_last_good_backup(
        db_path, db_url, patient_id, tmp_path):
    backups = tmp_path / "data" / "backups"
    _daily_backups(db_url, backups, 2)
    newest_good = list_backups(backups)[0].path
    damage_table(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseDamaged) as caught:
        ensure_database(db_url, backup_dir=backups, now=NOW + timedelta(days=5))
    message = str(caught.value)
    assert "\n" not in message
    assert f"The database {db_path} is damaged" in message
    assert f"clinic-app --db {db_path} db restore {newest_good}" in message
    assert db_path.read_bytes() == before  # checked read-only: nothing written
    assert sorted(backups.iterdir()) == sorted(b.path for b in list_backups(backups))


def test_the_last_good_backup_named_is_the_newest_that_passes_the_check(
        db_path, db_url, patient_id, tmp_path):
    backups = tmp_path / "data" / "backups"
    _daily_backups(db_url, backups, 2)
    newer, older = (b.path for b in list_backups(backups))
    damage_table(newer)  # the disk failed under the newest backup too
    damage_table(db_path)
    with pytest.raises(DatabaseDamaged, match=f"db restore {older}$"):
        ensure_database(db_url, backup_dir=backups)


def test_with_no_good_backup_the_message_says_none_was_found(db_path, db_url, tmp_path):
    damage_table(db_path)
    with pytest.raises(DatabaseDamaged, match=r"no good backup was found in .*backups"):
        ensure_database(db_url, backup_dir=tmp_path / "backups")


def test_a_damaged_copy_is_kept_apart_and_never_counts_or_prunes_the_good_backups(
        db_path, db_url, patient_id, tmp_path):
    backups = tmp_path / "data" / "backups"
    _daily_backups(db_url, backups, 3)
    good = [b.path for b in list_backups(backups)]
    damage_index(db_path)  # passes quick_check: only the copy's integrity_check finds it
    engine = make_engine(db_url)
    for day in range(3, 8):
        with pytest.raises(DatabaseDamaged) as caught:
            daily_backup(engine, backups, now=NOW + timedelta(days=day), keep=3)
    engine.dispose()
    assert "missing from index" in str(caught.value)
    assert f"db restore {good[0]}" in str(caught.value)
    assert [b.path for b in list_backups(backups)] == good
    damaged = sorted(backups.glob("*.damaged"))
    assert len(damaged) == 5
    assert damaged[-1].name == "clinic-20260309-070000-000000.sqlite3.damaged"
    assert not list(backups.glob("*.part"))


def test_a_manual_backup_of_a_damaged_database_is_refused_and_kept_apart(
        db_path, db_url, patient_id, tmp_path):
    damage_index(db_path)
    engine = make_engine(db_url)
    with pytest.raises(DatabaseDamaged, match="is damaged"):
        backup_database(engine, tmp_path / "backups", now=NOW, note="manual")
    engine.dispose()
    assert list_backups(tmp_path / "backups") == []
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [
        "clinic-20260302-070000-000000-manual.sqlite3.damaged"]
