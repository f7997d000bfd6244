from __future__ import annotations

from pathlib import Path

import pytest

from clinic_app.config import (
    DB_URL_ENV,
    ConfigError,
    default_data_dir,
    load_config,
    normalise_database_url,
)


def test_by_default_the_database_is_one_file_in_the_user_data_folder(tmp_path):
    config = load_config(environ={}, data_dir=tmp_path)
    assert config.database_url == f"sqlite+pysqlite:///{tmp_path.resolve()}/clinic.sqlite3"
    assert config.backup_dir == tmp_path.resolve() / "backups"
    assert config.is_sqlite


def test_the_default_data_folder_is_named_after_the_app():
    assert default_data_dir().name == "clinic_app"


def test_the_command_line_path_wins_over_the_environment(tmp_path):
    config = load_config(tmp_path / "other.db",
                         environ={DB_URL_ENV: "postgresql://u@h/clinic"}, data_dir=tmp_path)
    assert config.database_url.endswith("/other.db")
    assert config.backup_dir == tmp_path.resolve() / "backups"


def test_the_environment_may_name_a_postgresql_server_read_with_psycopg(tmp_path):
    config = load_config(environ={DB_URL_ENV: " postgres://nurse:pw@db.local/clinic "},
                         data_dir=tmp_path)
    assert config.database_url == "postgresql+psycopg://nurse:pw@db.local/clinic"
    assert not config.is_sqlite


def test_an_sqlite_url_in_the_environment_keeps_its_backups_beside_it(tmp_path):
    url = f"sqlite:///{tmp_path}/shared/clinic.db"
    config = load_config(environ={DB_URL_ENV: url}, data_dir=tmp_path / "data")
    assert config.database_url == url
    assert config.backup_dir == tmp_path / "shared" / "backups"


@pytest.mark.parametrize("url", ["mysql://u@h/db", "not a url"])
def test_other_databases_are_refused_with_the_setting_named(url):
    with pytest.raises(ConfigError, match=DB_URL_ENV):
        normalise_database_url(url)


def test_reading_the_configuration_touches_no_disk(tmp_path):
    load_config(environ={}, data_dir=tmp_path / "not-yet")
    assert not Path(tmp_path / "not-yet").exists()
