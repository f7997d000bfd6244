"""Online backups, daily retention, and a restore that gives back the same data."""

from __future__ import annotations

import os
import sqlite3
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone

import pytest

from clinic_app.storage import (
    UnitOfWork,
    backup_database,
    daily_backup,
    list_backups,
    make_engine,
    make_session_factory,
    restore_database,
    verify_audit,
)
from clinic_app.storage.backup import backup_file_name
from clinic_app.storage.errors import BackupInvalid, BackupNotSupported

NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _patients(db_url) -> list[str]:
    engine = make_engine(db_url)
    with UnitOfWork(make_session_factory(engine), nurse_id=None) as work:
        names = [p.mrn for p in work.patients.search("", include_voided=True)]
        assert verify_audit(work.session).ok
    engine.dispose()
    return names


def test_an_online_backup_is_a_complete_timestamped_copy(engine, patient_id, tmp_path):
    path = backup_database(engine, tmp_path / "backups", now=NOW)
    assert path.name == "clinic-20260302-070000-000000.sqlite3"
    with closing(sqlite3.connect(path)) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT mrn FROM patients").fetchall() == [("MRN001",)]
    assert not list((tmp_path / "backups").glob("*.part"))


def test_backup_then_restore_gives_back_the_same_data(engine, db_url, uow, patient_id,
                                                      make_patient, tmp_path):
    backups = tmp_path / "backups"
    saved = backup_database(engine, backups, now=NOW)
    with uow() as work:
        work.patients.add(make_patient(mrn="MRN002", family="Later", given="Added"))
        work.commit()
    assert _patients(db_url) == ["MRN001", "MRN002"]
    engine.dispose()

    outcome = restore_database(db_url, saved, backup_dir=backups, now=NOW + timedelta(hours=1))

    assert _patients(db_url) == ["MRN001"]
    assert outcome.restored_from == saved
    assert outcome.safety_copy is not None
    assert outcome.safety_copy.name.endswith("-before-restore.sqlite3")
    with closing(sqlite3.connect(outcome.safety_copy)) as kept:
        assert kept.execute("SELECT count(*) FROM patients").fetchone() == (2,)


def test_a_damaged_live_database_is_replaced_by_the_backup(engine, db_path, db_url,
                                                           patient_id, tmp_path):
    saved = backup_database(engine, tmp_path / "backups", now=NOW)
    engine.dispose()
    db_path.write_bytes(os.urandom(16384))
    outcome = restore_database(db_url, saved, backup_dir=tmp_path / "backups", now=NOW)
    assert _patients(db_url) == ["MRN001"]
    assert outcome.safety_copy is not None and outcome.safety_copy.stat().st_size == 16384


def test_a_file_that_is_not_a_clinic_backup_is_refused_before_anything_changes(
    engine, db_url, patient_id, tmp_path
):
    bogus = tmp_path / "bogus.sqlite3"
    with closing(sqlite3.connect(bogus)) as db:
        db.execute("CREATE TABLE notes (x)")
    engine.dispose()
    for candidate in (bogus, tmp_path / "missing.sqlite3"):
        with pytest.raises(BackupInvalid, match="cannot be restored"):
            restore_database(db_url, candidate, backup_dir=tmp_path / "backups", now=NOW)
    assert _patients(db_url) == ["MRN001"]
    assert not (tmp_path / "backups").exists()


def test_a_backup_from_a_newer_version_is_refused(engine, db_url, tmp_path):
    saved = backup_database(engine, tmp_path / "backups", now=NOW)
    with closing(sqlite3.connect(saved)) as db, db:
        db.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(BackupInvalid, match="newer version"):
        restore_database(db_url, saved, backup_dir=tmp_path / "backups", now=NOW)


def test_the_daily_backup_is_made_once_per_day(engine, tmp_path):
    backups = tmp_path / "backups"
    first = daily_backup(engine, backups, now=NOW, keep=5)
    again = daily_backup(engine, backups, now=NOW + timedelta(hours=8), keep=5)
    next_day = daily_backup(engine, backups, now=NOW + timedelta(days=1), keep=5)
    assert first is not None and again is None and next_day is not None
    assert len(list_backups(backups)) == 2


def test_the_day_is_the_clinic_s_own_calendar_day(engine, tmp_path):
    zurich = timezone(timedelta(hours=1))
    backups = tmp_path / "backups"
    daily_backup(engine, backups, now=datetime(2026, 3, 2, 23, 30, tzinfo=zurich), keep=5)
    made = daily_backup(engine, backups, now=datetime(2026, 3, 3, 0, 30, tzinfo=zurich), keep=5)
    assert made is not None  # same UTC date (2 March), but a new day in Zurich


def test_daily_retention_keeps_the_newest_n_backups_and_the_safety_copies(engine, tmp_path):
    backups = tmp_path / "backups"
    safety = backups / backup_file_name(NOW - timedelta(days=30), "before-upgrade")
    backup_database(engine, backups, now=NOW - timedelta(days=30), note="before-upgrade")
    for day in range(10):
        daily_backup(engine, backups, now=NOW + timedelta(days=day), keep=3)
    kept = list_backups(backups)
    regular = [b.taken_at for b in kept if b.note is None]
    assert regular == [NOW + timedelta(days=d) for d in (9, 8, 7)]
    assert safety.exists()


def test_on_demand_backups_count_towards_retention(engine, tmp_path):
    backups = tmp_path / "backups"
    for minute in range(4):
        backup_database(engine, backups, now=NOW + timedelta(minutes=minute))
    daily_backup(engine, backups, now=NOW + timedelta(minutes=10), keep=2)
    assert [b.taken_at for b in list_backups(backups)] == [
        NOW + timedelta(minutes=3), NOW + timedelta(minutes=2)]


def test_postgresql_backups_are_left_to_pg_dump(tmp_path):
    engine = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")
    with pytest.raises(BackupNotSupported, match="pg_dump"):
        backup_database(engine, tmp_path, now=NOW)
    assert daily_backup(engine, tmp_path, now=NOW, keep=3) is None
    with pytest.raises(BackupNotSupported, match="pg_restore"):
        restore_database("postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path / "x",
                         backup_dir=tmp_path, now=NOW)
