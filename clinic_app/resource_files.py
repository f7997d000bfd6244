"""One door to the files in ``resources/`` (protocols, checklists, fonts, icons).

Installed copies carry the folder as the package ``clinic_app.resources``. A source checkout
(the ``clinic_app`` package beside ``pyproject.toml`` and ``resources/``) uses its own
``resources/`` folder first, so a second checkout (a git worktree) run with another checkout's
editable install still reads its own protocols, not the installed checkout's. A PyInstaller
bundle (``sys.frozen``) carries the folder as ``clinic_app/resources`` inside ``sys._MEIPASS``.
"""

from __future__ import annotations

import sys
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


@cache
def resource_root() -> Traversable:
    """The root folder of the shipped resources."""
    bundle = getattr(sys, "_MEIPASS", None)
    if getattr(sys, "frozen", False) and bundle:
        return Path(bundle) / "clinic_app" / "resources"
    checkout = Path(__file__).resolve().parent.parent
    if (checkout / "pyproject.toml").is_file() and (checkout / "resources").is_dir():
        return checkout / "resources"
    return resources.files("clinic_app.resources")


def resource_path(*parts: str) -> Traversable:
    """A file or folder inside the resources, e.g. ``resource_path("protocols", "x.toml")``."""
    node = resource_root()
    for part in parts:
        node = node / part
    return node
