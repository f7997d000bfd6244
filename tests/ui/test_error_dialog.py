"""An unexpected error in the GUI becomes a dialog and a log entry, never a silent failure."""

from __future__ import annotations

import sys

import pytest

from clinic_app import app as gui_app

pytestmark = pytest.mark.gui


def test_an_unexpected_error_is_shown_and_logged(qtbot, tmp_path, monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(gui_app.QMessageBox, "critical",
                        lambda _parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log = tmp_path / "logs" / "errors.log"
    gui_app.install_error_dialog(log)
    try:
        raise RuntimeError("pump driver went away")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    (title, text), = shown
    assert title == "Something unexpected went wrong"
    assert "pump driver went away" in text and "may not have been saved" in text
    assert "RuntimeError: pump driver went away" in log.read_text(encoding="utf-8")
