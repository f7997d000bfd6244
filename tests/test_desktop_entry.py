"""Issue 16: ``clinic-app install-desktop`` puts a valid menu entry and icon under
$XDG_DATA_HOME, and ``--remove`` leaves nothing behind."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import pytest

from clinic_app import desktop_entry
from clinic_app.cli import main


@pytest.fixture
def data_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "xdg-data"
    monkeypatch.setenv("XDG_DATA_HOME", str(home))
    return home


def _entry(home: Path) -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(home / "applications" / "clinic-app.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_writes_entry_and_icons(
    data_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    command = tmp_path / "bin" / "clinic-app"
    command.parent.mkdir()
    command.write_text("#!/bin/sh\n")
    command.chmod(0o755)
    monkeypatch.setenv("PATH", str(command.parent))

    assert main(["install-desktop"]) == 0

    entry = _entry(data_home)
    assert entry["Type"] == "Application"
    assert entry["Name"] == "Infusion clinic"
    assert entry["Exec"] == str(command.resolve())
    assert entry["Icon"] == "clinic-app"
    assert entry["Terminal"] == "false"
    svg = data_home / "icons" / "hicolor" / "scalable" / "apps" / "clinic-app.svg"
    png = data_home / "icons" / "hicolor" / "256x256" / "apps" / "clinic-app.png"
    assert svg.read_text(encoding="utf-8").lstrip().startswith("<?xml")
    assert png.read_bytes().startswith(b"\x89PNG")


def test_exec_line_quotes_paths_with_spaces(data_home: Path) -> None:
    desktop_entry.install(command=["/opt/clinic app/clinic-app"])
    assert _entry(data_home)["Exec"] == '"/opt/clinic app/clinic-app"'


@pytest.mark.skipif(
    shutil.which("desktop-file-validate") is None,
    reason="desktop-file-validate (desktop-file-utils) is not installed",
)
def test_entry_passes_desktop_file_validate(data_home: Path) -> None:
    files = desktop_entry.install(command=["/usr/bin/clinic-app"])
    result = subprocess.run(
        ["desktop-file-validate", str(files.entry)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_remove_leaves_nothing(data_home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    desktop_entry.install(command=["/usr/bin/clinic-app"])
    assert main(["install-desktop", "--remove"]) == 0
    left = [p for p in data_home.rglob("*") if p.is_file()]
    assert left == []
    assert "Removed" in capsys.readouterr().out
    assert main(["install-desktop", "--remove"]) == 0
    assert "Nothing to remove" in capsys.readouterr().out


def test_frozen_bundle_reads_resources_beside_the_executable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PyInstaller bundle carries resources/ as clinic_app/resources in sys._MEIPASS."""
    import sys

    from clinic_app import resource_files

    (tmp_path / "clinic_app" / "resources" / "icons").mkdir(parents=True)
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    resource_files.resource_root.cache_clear()
    try:
        assert (
            resource_files.resource_path("icons") == tmp_path / "clinic_app" / "resources" / "icons"
        )
    finally:
        monkeypatch.undo()
        resource_files.resource_root.cache_clear()
