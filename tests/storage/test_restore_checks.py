"""Restore puts back only this clinic's own backups, with an intact audit trail, and never a demo
over a real clinic (issue 11, item 3).

Each database carries a clinic id, written when it is created (schema 0008) or, for a database
made before, by the upgrade to 0008 (derived from its first audit entry, so the backups it made
before the upgrade are still known as its own).
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from clinic_testing import T0, WARSAW, FakeClock, open_context

from clinic_app.config import sqlite_url_for
from clinic_app.services.demo import seed_demo
from clinic_app.storage import (
    RestoreRefused,
    UnitOfWork,
    backup_database,
    ensure_database,
    make_engine,
    make_session_factory,
    migrate,
    restore_database,
)
from clinic_app.storage.clinic_identity import read_identity
from clinic_app.storage.models import Nurse

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _identity(path: Path) -> tuple[str, bool]:
    with closing(sqlite3.connect(path)) as db:
        clinic_id, demo = db.execute("SELECT clinic_id, demo FROM clinic_identity").fetchone()
    return clinic_id, bool(demo)


def _patients(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("SELECT mrn FROM patients ORDER BY mrn")]


def _backup_of(path: Path, backups: Path) -> Path:
    engine = make_engine(sqlite_url_for(path))
    try:
        return backup_database(engine, backups, now=NOW)
    finally:
        engine.dispose()


@pytest.fixture
def other_clinic(tmp_path: Path, make_patient) -> Path:
    """Another clinic's database, with one nurse and one patient of its own (MRN OTHER1)."""
    path = tmp_path / "other" / "clinic.sqlite3"
    url = sqlite_url_for(path)
    ensure_database(url)
    engine = make_engine(url)
    with UnitOfWork(make_session_factory(engine), nurse_id=None) as work:
        nurse = Nurse(username="other", display_name="Other Nurse")
        nurse.set_password("correct horse battery")
        work.nurses.add(nurse)
        work.flush()
        nurse_id = nurse.id
        work.commit()
    with UnitOfWork(make_session_factory(engine), nurse_id=nurse_id) as work:
        work.patients.add(make_patient(mrn="OTHER1"))
        work.commit()
    engine.dispose()
    return path


@pytest.fixture
def demo_clinic(tmp_path: Path) -> Path:
    """A database filled by the demo seed."""
    path = tmp_path / "demo" / "demo.sqlite3"
    ctx, engine = open_context(path, FakeClock())
    seed_demo(ctx, today=T0.astimezone(WARSAW).date())
    engine.dispose()
    return path


def test_every_new_database_gets_a_clinic_id_of_its_own(db_url, db_path, other_clinic):
    ours, theirs = _identity(db_path), _identity(other_clinic)
    assert len(ours[0]) == 32 and len(theirs[0]) == 32
    assert ours[0] != theirs[0]
    assert not ours[1] and not theirs[1]


def test_the_demo_seed_marks_its_database_as_a_demo(demo_clinic):
    assert _identity(demo_clinic)[1] is True


def test_an_older_database_gets_its_id_on_upgrade_and_its_earlier_backups_are_its_own(
        tmp_path):
    path = tmp_path / "clinic.sqlite3"
    shutil.copyfile(FIXTURES / "clinic_schema_0003.sqlite3", path)
    before_upgrade = tmp_path / "backups" / "clinic-0003-copy.sqlite3"
    before_upgrade.parent.mkdir()
    shutil.copyfile(path, before_upgrade)
    ensure_database(sqlite_url_for(path))
    clinic_id, demo = _identity(path)
    assert len(clinic_id) == 32 and not demo
    engine = make_engine(sqlite_url_for(before_upgrade))
    with engine.connect() as connection:
        assert read_identity(connection).clinic_id == clinic_id
    engine.dispose()
    restore_database(sqlite_url_for(path), before_upgrade, backup_dir=tmp_path / "backups",
                     now=NOW)
    assert _identity(path) == (clinic_id, False)  # upgraded again to the same identity


def test_an_older_demo_database_is_marked_a_demo_on_upgrade(demo_clinic):
    url = sqlite_url_for(demo_clinic)
    with migrate.migration_session(url) as config:  # the database as 0007 left it
        command.downgrade(config, "0007")
    ensure_database(url)
    assert _identity(demo_clinic)[1] is True


def test_another_clinic_s_backup_is_refused_unless_forced(db_url, db_path, patient_id,
                                                         other_clinic, tmp_path):
    theirs = _backup_of(other_clinic, tmp_path / "their-backups")
    backups = tmp_path / "backups"
    with pytest.raises(RestoreRefused) as caught:
        restore_database(db_url, theirs, backup_dir=backups, now=NOW)
    assert caught.value.can_force
    assert "another clinic's database" in str(caught.value)
    assert _patients(db_path) == ["MRN001"]
    assert not backups.exists()  # refused before the safety copy
    restore_database(db_url, theirs, backup_dir=backups, now=NOW, force=True)
    assert _patients(db_path) == ["OTHER1"]


def test_a_backup_whose_audit_trail_does_not_verify_is_refused_unless_forced(
        engine, db_url, db_path, patient_id, tmp_path):
    saved = backup_database(engine, tmp_path / "backups", now=NOW)
    engine.dispose()
    with closing(sqlite3.connect(saved)) as db, db:
        db.execute("UPDATE patients SET family_name = 'Forged'")
        db.execute("UPDATE audit_log SET changes = '{}' WHERE id = 1")
    with pytest.raises(RestoreRefused, match="audit trail does not verify: audit row 1 was "
                                             "altered") as caught:
        restore_database(db_url, saved, backup_dir=tmp_path / "backups", now=NOW)
    assert caught.value.can_force
    restore_database(db_url, saved, backup_dir=tmp_path / "backups", now=NOW, force=True)
    with closing(sqlite3.connect(db_path)) as db:
        assert db.execute("SELECT family_name FROM patients").fetchone() == ("Forged",)


def test_a_demo_backup_is_never_restored_over_a_real_clinic_not_even_forced(
        db_url, db_path, patient_id, demo_clinic, tmp_path):
    demo_backup = _backup_of(demo_clinic, tmp_path / "demo-backups")
    for force in (False, True):
        with pytest.raises(RestoreRefused, match="demo database") as caught:
            restore_database(db_url, demo_backup, backup_dir=tmp_path / "backups", now=NOW,
                             force=force)
        assert not caught.value.can_force
    assert _patients(db_path) == ["MRN001"]


def test_a_demo_backup_may_go_back_over_its_demo_or_where_no_database_is(
        demo_clinic, tmp_path):
    demo_backup = _backup_of(demo_clinic, tmp_path / "demo-backups")
    restore_database(sqlite_url_for(demo_clinic), demo_backup, backup_dir=tmp_path / "b",
                     now=NOW)
    fresh = tmp_path / "fresh" / "clinic.sqlite3"
    fresh.parent.mkdir()
    restore_database(sqlite_url_for(fresh), demo_backup, backup_dir=tmp_path / "b", now=NOW)
    assert _identity(fresh)[1] is True


def test_a_clinic_s_backup_goes_onto_a_new_computer_s_empty_database(other_clinic, tmp_path):
    """A database nobody has written to yet (no audit entry) holds nothing to protect."""
    theirs = _backup_of(other_clinic, tmp_path / "their-backups")
    new = tmp_path / "new" / "clinic.sqlite3"
    ensure_database(sqlite_url_for(new))
    restore_database(sqlite_url_for(new), theirs, backup_dir=tmp_path / "b", now=NOW)
    assert _patients(new) == ["OTHER1"]
    assert _identity(new) == _identity(other_clinic)
