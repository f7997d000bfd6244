"""Helpers shared by the GUI tests (importable as ``ui_testing`` from tests/ui)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QApplication


def shot(widget: Any, name: str) -> None:
    """Save a screenshot when CLINIC_UI_SHOTS names a folder (e.g. /tmp/ui)."""
    folder = os.environ.get("CLINIC_UI_SHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()  # let word-wrapped labels settle their height
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def called(widget: Any, name: str) -> bool:
    """True when ``widget`` is found by ``name`` as a screen reader user would: its accessible
    name is ``name``, or it is a value label captioned ``name`` (read as "name: value")."""
    return bool(widget.accessibleName() == name or getattr(widget, "caption", None) == name)
