"""A workstation opens a shared PostgreSQL database only at its own schema (issue 14, the
clinic server guide): an older or empty one is refused in one line naming both versions and
what the administrator runs; it never upgrades the database under the other workstations.
The embedded SQLite file of one workstation is still created and upgraded at start-up."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text
from test_postgres import PG_URL, pg_url  # noqa: F401 (the fixture)

from clinic_app import __version__
from clinic_app.bootstrap import close_clinic, open_clinic
from clinic_app.storage import DatabaseTooNew, DatabaseTooOld, ensure_database, make_engine, migrate

needs_pg = pytest.mark.skipif(not PG_URL, reason="CLINIC_APP_TEST_PG_URL is not set")


def _open(url: str, data_dir: Path) -> None:
    close_clinic(open_clinic(environ={"CLINIC_APP_DB_URL": url}, data_dir=data_dir))


@needs_pg
def test_an_empty_server_database_is_refused_until_the_administrator_creates_it(
        pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    with pytest.raises(DatabaseTooOld) as refused:
        _open(pg_url, tmp_path)
    message = str(refused.value)
    assert "\n" not in message
    assert f"clinic_app {__version__} expects schema {migrate.head_revision()}" in message
    assert "clinic-app db upgrade" in message
    assert ensure_database(pg_url).action == "created"
    _open(pg_url, tmp_path)


@needs_pg
def test_an_older_server_schema_is_refused_naming_both_and_left_as_it_was(
        pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    with migrate.migration_session(pg_url) as config:
        command.upgrade(config, "0010_chairs")
    with pytest.raises(DatabaseTooOld) as refused:
        _open(pg_url, tmp_path)
    message = str(refused.value)
    assert "\n" not in message
    assert "has schema 0010_chairs" in message
    assert f"clinic_app {__version__} expects (schema {migrate.head_revision()})" in message
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == (
            "0010_chairs")
    engine.dispose()
    assert ensure_database(pg_url).action == "upgraded"  # clinic-app db upgrade
    _open(pg_url, tmp_path)


@needs_pg
def test_a_newer_server_schema_is_refused_naming_both(pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    ensure_database(pg_url)
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseTooNew) as refused:
        _open(pg_url, tmp_path)
    message = str(refused.value)
    assert "\n" not in message
    assert "(schema 9999_future)" in message
    assert f"this is clinic_app {__version__} (schema {migrate.head_revision()})" in message


def test_the_workstations_own_sqlite_file_is_still_upgraded_at_start(tmp_path: Path) -> None:
    path = tmp_path / "clinic.sqlite3"
    url = f"sqlite:///{path}"
    with migrate.migration_session(url) as config:
        command.upgrade(config, "0010_chairs")
    _open(url, tmp_path)
    with closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT version_num FROM alembic_version").fetchone() == (
            migrate.head_revision(),)


DAILY_ROLE = "clinic_daily_test"
#: The README's grants for the workstations' daily login (the clinic server guide).
DAILY_GRANTS = (
    "GRANT USAGE ON SCHEMA public TO {role}",
    "GRANT SELECT, INSERT, UPDATE ON ALL TABLES IN SCHEMA public TO {role}",
    "GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO {role}",
)


@needs_pg
def test_the_workstations_daily_login_needs_no_more_than_the_guides_grants(
        pg_url: str, tmp_path: Path) -> None:  # noqa: F811
    """Created and upgraded by the owner; the daily login (no superuser, no CREATE, not the
    owner) opens the clinic and writes a whole demo clinic through the services."""
    from datetime import date

    from sqlalchemy.engine import make_url

    from clinic_app.services.demo import seed_demo

    ensure_database(pg_url)
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text(f"DROP OWNED BY {DAILY_ROLE}") if conn.execute(text(
            "SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": DAILY_ROLE}).first()
            else text(f"CREATE ROLE {DAILY_ROLE} LOGIN"))
        conn.execute(text(f"REVOKE CREATE ON SCHEMA public FROM PUBLIC, {DAILY_ROLE}"))
        for grant in DAILY_GRANTS:
            conn.execute(text(grant.format(role=DAILY_ROLE)))
    engine.dispose()
    daily = make_url(pg_url).set(username=DAILY_ROLE).render_as_string(hide_password=False)
    ctx = open_clinic(environ={"CLINIC_APP_DB_URL": daily}, data_dir=tmp_path)
    try:
        summary = seed_demo(ctx, today=date(2026, 3, 2))
        assert summary
    finally:
        close_clinic(ctx)
    engine = make_engine(daily)
    with pytest.raises(Exception, match="permission denied"), engine.begin() as conn:
        conn.execute(text("CREATE TABLE sneaky (id int)"))
    engine.dispose()
