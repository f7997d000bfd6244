"""One door to the files in ``resources/`` (protocols, checklists, fonts, icons).

Installed copies carry the folder as the package ``clinic_app.resources``; a plain source
checkout without installation falls back to the ``resources/`` folder beside the package.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path


@cache
def resource_root() -> Traversable:
    """The root folder of the shipped resources."""
    try:
        return resources.files("clinic_app.resources")
    except ModuleNotFoundError:  # running from a source tree that was never installed
        return Path(__file__).resolve().parent.parent / "resources"


def resource_path(*parts: str) -> Traversable:
    """A file or folder inside the resources, e.g. ``resource_path("protocols", "x.toml")``."""
    node = resource_root()
    for part in parts:
        node = node / part
    return node
