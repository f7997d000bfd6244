"""Install clinic-app like a desktop program for the current user (issue 16).

``clinic-app install-desktop`` writes a freedesktop ``.desktop`` entry into
``$XDG_DATA_HOME/applications`` and the icon into ``$XDG_DATA_HOME/icons/hicolor`` (default
``~/.local/share``, per the XDG Base Directory specification); ``--remove`` deletes exactly
those files again. The entry's ``Exec`` line starts the command this process was started as:
the bundle's executable when frozen (PyInstaller), else the ``clinic-app`` found on PATH.
"""

from __future__ import annotations

import os
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from clinic_app.resource_files import resource_path

DESKTOP_ID = "clinic-app"  # also QGuiApplication.setDesktopFileName, so the window matches
ICON_NAME = "clinic-app"


@dataclass(frozen=True)
class DesktopFiles:
    """Where the entry and its icons go under one XDG data folder."""

    entry: Path
    svg_icon: Path
    png_icon: Path

    @classmethod
    def under(cls, data_home: Path) -> DesktopFiles:
        icons = data_home / "icons" / "hicolor"
        return cls(
            entry=data_home / "applications" / f"{DESKTOP_ID}.desktop",
            svg_icon=icons / "scalable" / "apps" / f"{ICON_NAME}.svg",
            png_icon=icons / "256x256" / "apps" / f"{ICON_NAME}.png",
        )

    def all(self) -> tuple[Path, ...]:
        return (self.entry, self.svg_icon, self.png_icon)


def data_home() -> Path:
    """``$XDG_DATA_HOME`` if set to an absolute path, else ``~/.local/share`` (XDG spec)."""
    value = os.environ.get("XDG_DATA_HOME", "")
    return (
        Path(value) if value and Path(value).is_absolute() else (Path.home() / ".local" / "share")
    )


def launch_command() -> list[str]:
    """The command that starts this program, for the entry's ``Exec`` line."""
    if getattr(sys, "frozen", False):
        return [str(Path(sys.executable).resolve())]
    found = shutil.which("clinic-app")
    if found:
        return [str(Path(found).resolve())]
    return [str(Path(sys.executable).resolve()), "-m", "clinic_app"]


def _exec_arg(arg: str) -> str:
    """One argument quoted as the Desktop Entry spec's Exec key requires."""
    if not any(ch in arg for ch in " \t\n\"'\\><~|&;$*?#()`="):
        return arg
    escaped = "".join("\\" + ch if ch in '"`$\\' else ch for ch in arg)
    return f'"{escaped}"'.replace("%", "%%")


def desktop_entry_text(command: list[str]) -> str:
    """The ``.desktop`` file's text for ``command`` (no field codes: the app takes no files)."""
    return "\n".join(
        [
            "[Desktop Entry]",
            "Type=Application",
            "Version=1.4",
            "Name=Infusion clinic",
            "GenericName=Infusion clinic assistant",
            "Comment=Patient records, doses, infusion plans and checklists for infusion nurses",
            "Exec=" + " ".join(_exec_arg(part) for part in command),
            f"Icon={ICON_NAME}",
            "Terminal=false",
            "Categories=Office;MedicalSoftware;",
            f"StartupWMClass={DESKTOP_ID}",
            "",
        ]
    )


def install(home: Path | None = None, command: list[str] | None = None) -> DesktopFiles:
    """Write the entry and the icons; returns where they went. Existing copies are replaced."""
    files = DesktopFiles.under(home or data_home())
    for path in files.all():
        path.parent.mkdir(parents=True, exist_ok=True)
    files.entry.write_text(desktop_entry_text(command or launch_command()), encoding="utf-8")
    files.svg_icon.write_bytes(resource_path("icons", f"{ICON_NAME}.svg").read_bytes())
    files.png_icon.write_bytes(resource_path("icons", f"{ICON_NAME}.png").read_bytes())
    return files


def remove(home: Path | None = None) -> list[Path]:
    """Delete the entry and the icons this program installed; returns the files removed."""
    removed = []
    for path in DesktopFiles.under(home or data_home()).all():
        if path.is_file():
            path.unlink()
            removed.append(path)
    return removed
