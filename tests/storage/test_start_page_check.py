"""Issue 15: the GUI's start reads the schema and the root of every table and index (not every
page, 3 s on the 1.6 GB demo); every page is read later, and always before an upgrade.

The full start check of the command line and of ``ensure_database``'s default is unchanged
(tests/storage/test_damaged_database.py).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from clinic_testing import damage_deep_page, damage_table

from clinic_app.storage import (
    DatabaseDamaged,
    daily_backup,
    ensure_database,
    list_backups,
    make_engine,
    migrate,
)
from clinic_app.storage.integrity import root_problem

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _backups(db_url, tmp_path):
    backups = tmp_path / "data" / "backups"
    engine = make_engine(db_url)
    for day in range(2):
        daily_backup(engine, backups, now=NOW + timedelta(days=day), keep=3)
    engine.dispose()
    return backups, list_backups(backups)[0].path


@pytest.mark.parametrize(
    "damaged",
    ["patients", "nurses", "ix_patients_date_of_birth", "uq_appointments_dose", "alembic_version"],
)
def test_a_damaged_table_or_index_root_is_refused_by_the_start_check_naming_the_backup(
    db_path, db_url, patient_id, tmp_path, damaged
):
    backups, newest_good = _backups(db_url, tmp_path)
    damage_table(db_path, damaged)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseDamaged) as caught:
        ensure_database(db_url, backup_dir=backups, every_page=False)
    message = str(caught.value)
    assert f"The database {db_path} is damaged" in message
    assert f"clinic-app --db {db_path} db restore {newest_good}" in message
    assert db_path.read_bytes() == before  # checked read-only: nothing written


def test_damage_deep_in_a_table_passes_the_start_check_and_fails_the_full_check(
    db_path, db_url, patient_id, tmp_path
):
    backups, newest_good = _backups(db_url, tmp_path)
    damage_deep_page(db_path)
    outcome = ensure_database(db_url, backup_dir=backups, every_page=False)
    assert outcome.action == "current"
    with pytest.raises(DatabaseDamaged, match=f"db restore {newest_good}$"):
        migrate.check_pages(db_path, backups)  # what the GUI runs in the background
    with pytest.raises(DatabaseDamaged):
        ensure_database(db_url, backup_dir=backups)  # the default still reads every page


def test_a_database_to_upgrade_has_every_page_checked_before_anything_is_written(
    db_path, db_url, tmp_path
):
    with migrate.migration_session(db_url) as config:  # an older schema, to be upgraded
        command.downgrade(config, "0007")
    damage_deep_page(db_path)
    before = db_path.read_bytes()
    with pytest.raises(DatabaseDamaged):
        ensure_database(db_url, backup_dir=tmp_path / "backups", every_page=False)
    assert db_path.read_bytes() == before
    assert not (tmp_path / "backups").exists() or not list((tmp_path / "backups").iterdir())


def test_the_start_check_finds_a_whole_database_whole(db_path, db_url, patient_id):
    with closing(sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)) as db:
        assert root_problem(db) is None
