"""An unexpected error in the GUI becomes a dialog and a log entry, never a silent failure; the
log is readable by its owner only."""

from __future__ import annotations

import os
import sys

import pytest
from clinic_testing import file_mode

from clinic_app import app as gui_app

pytestmark = pytest.mark.gui


def test_an_unexpected_error_is_shown_and_logged(qtbot, tmp_path, monkeypatch):
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(gui_app.QMessageBox, "critical",
                        lambda _parent, title, text: shown.append((title, text)))
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log = tmp_path / "logs" / "errors.log"
    gui_app.install_error_dialog(log)
    message = "pump driver went away"  # not on the raising line: the log shows that line
    try:
        raise RuntimeError(message)
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    (title, text), = shown
    assert title == "Something unexpected went wrong"
    assert "pump driver went away" in text and "may not have been saved" in text
    entry = log.read_text(encoding="utf-8")
    assert "RuntimeError" in entry
    assert "test_error_dialog.py" in entry
    assert "in test_an_unexpected_error_is_shown_and_logged" in entry
    assert "pump driver went away" not in entry  # the message is for the screen only


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
@pytest.mark.usefixtures("permissive_umask")
def test_the_error_log_and_its_new_folder_are_readable_by_their_owner_only(
        qtbot, tmp_path, monkeypatch):
    monkeypatch.setattr(gui_app.QMessageBox, "critical", lambda *_args: None)
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    log = tmp_path / "data" / "errors.log"
    gui_app.install_error_dialog(log)
    try:
        raise RuntimeError("pump driver went away")
    except RuntimeError as exc:
        sys.excepthook(type(exc), exc, exc.__traceback__)
    assert (file_mode(log.parent), file_mode(log)) == (0o700, 0o600)
