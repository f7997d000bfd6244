"""Schema creation and upgrade at start-up, and the ORM matching the shipped migrations."""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from clinic_app.config import sqlite_url_for
from clinic_app.storage import (
    DatabaseTooNew,
    UnitOfWork,
    ensure_database,
    make_engine,
    make_session_factory,
    migrate,
    verify_audit,
)
from clinic_app.storage.models import Base, Reaction

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 3, 2, 7, 0, tzinfo=UTC)


def _revision(path: Path) -> str:
    with closing(sqlite3.connect(path)) as db:
        return db.execute("SELECT version_num FROM alembic_version").fetchone()[0]


def test_an_empty_file_is_created_at_the_head_revision(tmp_path):
    path = tmp_path / "clinic.sqlite3"
    outcome = ensure_database(sqlite_url_for(path), backup_dir=tmp_path / "backups", now=NOW)
    assert (outcome.action, outcome.from_revision) == ("created", None)
    assert outcome.to_revision == migrate.head_revision() == _revision(path)
    assert outcome.backup_path is None
    assert not (tmp_path / "backups").exists()


def test_the_models_match_the_migrations_exactly(engine):
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []


def test_the_partial_indexes_of_the_models_have_the_migrated_conditions(engine):
    """compare_metadata compares an index's columns and uniqueness, not its WHERE condition."""
    inspector = inspect(engine)
    migrated = {index["name"]: index["dialect_options"].get("sqlite_where")
                for table in inspector.get_table_names() for index in inspector.get_indexes(table)}
    partial = {index.name: index.dialect_options["sqlite"]["where"]
               for table in Base.metadata.sorted_tables for index in table.indexes
               if index.dialect_options["sqlite"]["where"] is not None}
    assert "uq_infusion_visits_open_appointment_id" in partial
    for name, condition in partial.items():
        assert str(migrated[name]) == str(condition), name


def test_a_current_database_is_left_alone_and_not_backed_up(db_url, tmp_path):
    outcome = ensure_database(db_url, backup_dir=tmp_path / "backups", now=NOW)
    assert outcome.action == "current"
    assert outcome.backup_path is None
    assert not (tmp_path / "backups").exists()


def test_the_database_runs_in_wal_mode_with_foreign_keys_on(engine):
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_a_database_from_a_newer_version_is_refused(db_path, db_url):
    with closing(sqlite3.connect(db_path)) as db, db:
        db.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(DatabaseTooNew, match=r"newer version of clinic_app \(schema 9999_future\)"):
        ensure_database(db_url)
    assert _revision(db_path) == "9999_future"


def test_downgrading_to_nothing_and_upgrading_again_works(db_url):
    with migrate.migration_session(db_url) as config:
        command.downgrade(config, "base")
    engine = make_engine(db_url)
    assert inspect(engine).get_table_names() == ["alembic_version"]
    engine.dispose()
    assert ensure_database(db_url).action == "created"


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("clinic_schema_*.sqlite3")),
                         ids=lambda p: p.stem)
def test_each_released_schema_file_opens_at_head_with_its_data(fixture, tmp_path):
    """Files made by each released schema (see fixtures/README.md) must keep opening."""
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    url = sqlite_url_for(path)
    ensure_database(url, backup_dir=tmp_path / "backups", now=NOW)
    assert _revision(path) == migrate.head_revision()
    engine = make_engine(url)
    with UnitOfWork(make_session_factory(engine), nurse_id=None) as work:
        (patient,) = work.patients.search("muller")
        assert patient.given_names == "Zoë"
        assert verify_audit(work.session).ok
    engine.dispose()


NEXT_REVISION = textwrap.dedent('''
    """Test-only revision: a preferred name for patients."""
    import sqlalchemy as sa
    from alembic import op

    revision = "0002_test"
    down_revision = "{head}"
    branch_labels = None
    depends_on = None


    def upgrade() -> None:
        with op.batch_alter_table("patients") as batch:
            batch.add_column(sa.Column("preferred_name", sa.String(80), nullable=True))


    def downgrade() -> None:
        with op.batch_alter_table("patients") as batch:
            batch.drop_column("preferred_name")
''')


@pytest.fixture
def newer_code(tmp_path, monkeypatch):
    """The shipped migrations plus one more revision, as a later release would have them."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS_DIR, scripts,
                    ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "0002_test.py").write_text(
        NEXT_REVISION.format(head=migrate.head_revision()))
    monkeypatch.setattr(migrate, "MIGRATIONS_DIR", scripts)
    migrate._scripts.cache_clear()
    yield
    migrate._scripts.cache_clear()


def test_an_older_database_is_backed_up_then_upgraded_keeping_its_data(
    db_path, db_url, patient_id, tmp_path, newer_code
):
    shipped_head = _revision(db_path)
    outcome = ensure_database(db_url, backup_dir=tmp_path / "backups", now=NOW)
    assert (outcome.action, outcome.from_revision, outcome.to_revision) == (
        "upgraded", shipped_head, "0002_test")
    assert outcome.backup_path is not None
    assert outcome.backup_path.name == "clinic-20260302-070000-000000-before-upgrade.sqlite3"
    assert _revision(outcome.backup_path) == shipped_head
    with closing(sqlite3.connect(db_path)) as db:
        columns = [row[1] for row in db.execute("PRAGMA table_info(patients)")]
        assert "preferred_name" in columns
        assert db.execute("SELECT family_name FROM patients").fetchall() == [("García",)]
        assert db.execute("PRAGMA foreign_keys").fetchone() == (0,)  # plain connection default
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []


def _schema_0001_with_a_reaction(tmp_path: Path) -> Path:
    """The 0001 fixture file plus a graded reaction of its patient, written as 0001 wrote it."""
    path = tmp_path / "clinic_schema_0001.sqlite3"
    shutil.copyfile(FIXTURES / "clinic_schema_0001.sqlite3", path)
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "INSERT INTO reactions (patient_id, visit_id, onset_at, signs, ctcae_term, grade, "
            "ctcae_version, actions, outcome, nurse_id, version) VALUES "
            "(1, NULL, '2026-02-10 10:15:00.000000', '[\"urticaria\", \"itching\"]', "
            "'infusion_related_reaction', 2, 'CTCAE v5.0', 'Infusion paused', 'Resolved', 1, 1)")
    return path


def test_a_0001_database_with_a_reaction_upgrades_keeping_the_reaction(tmp_path):
    path = _schema_0001_with_a_reaction(tmp_path)
    url = sqlite_url_for(path)
    outcome = ensure_database(url, backup_dir=tmp_path / "backups", now=NOW)
    assert (outcome.from_revision, outcome.to_revision) == ("0001", migrate.head_revision())
    engine = make_engine(url)
    with UnitOfWork(make_session_factory(engine), nurse_id=None) as work:
        (reaction,) = work.session.query(Reaction).all()
        assert (reaction.ctcae_term, reaction.grade, reaction.ctcae_version) == (
            "infusion_related_reaction", 2, "CTCAE v5.0")
        assert reaction.signs == ["urticaria", "itching"]
        assert reaction.onset_at == datetime(2026, 2, 10, 10, 15, tzinfo=UTC)
        assert (reaction.actions, reaction.outcome, reaction.notes) == (
            "Infusion paused", "Resolved", None)
    engine.dispose()


def _insert_reaction(path: Path, term: str | None, grade: int | None,
                     version: str | None) -> None:
    with closing(sqlite3.connect(path)) as db, db:
        db.execute(
            "INSERT INTO reactions (patient_id, onset_at, signs, ctcae_term, grade, "
            "ctcae_version, notes, nurse_id, version) VALUES "
            "(1, '2026-03-01 08:00:00.000000', '[\"psoriasiform_rash\"]', ?, ?, ?, "
            "'Plaques on the palms', 1, 1)", (term, grade, version))


def test_after_the_upgrade_a_reaction_may_be_stored_without_a_grading(tmp_path):
    path = _schema_0001_with_a_reaction(tmp_path)
    ensure_database(sqlite_url_for(path))
    _insert_reaction(path, None, None, None)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT grade, notes FROM reactions WHERE grade IS NULL").fetchall() \
            == [(None, "Plaques on the palms")]


@pytest.mark.parametrize(("term", "grade", "version"), [
    ("infusion_related_reaction", None, "CTCAE v5.0"),
    (None, 2, "CTCAE v5.0"),
    ("infusion_related_reaction", 2, None),
    ("infusion_related_reaction", 6, "CTCAE v5.0"),
])
def test_after_the_upgrade_half_a_grading_or_grade_6_is_refused(tmp_path, term, grade,
                                                                 version):
    path = _schema_0001_with_a_reaction(tmp_path)
    ensure_database(sqlite_url_for(path))
    with pytest.raises(sqlite3.IntegrityError, match="CHECK constraint failed"):
        _insert_reaction(path, term, grade, version)


def test_the_models_refuse_half_a_grading_like_the_migrated_schema(engine, nurse_id,
                                                                   patient_id):
    with engine.connect() as conn, pytest.raises(IntegrityError, match="graded_together"):
        conn.execute(Reaction.__table__.insert().values(
            patient_id=patient_id, onset_at=NOW, signs=["rash"], ctcae_term=None, grade=1,
            ctcae_version="CTCAE v5.0", nurse_id=nurse_id, version=1))


def test_downgrading_below_0002_is_refused_while_an_ungraded_reaction_is_on_file(tmp_path):
    path = _schema_0001_with_a_reaction(tmp_path)
    url = sqlite_url_for(path)
    ensure_database(url)
    _insert_reaction(path, None, None, None)
    with (pytest.raises(RuntimeError, match="Reactions not graded on file: 1"),
          migrate.migration_session(url) as config):
        command.downgrade(config, "0001")
    assert _revision(path) == migrate.head_revision()  # the whole downgrade rolled back
