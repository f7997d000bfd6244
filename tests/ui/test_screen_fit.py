"""Laptop screens and scaling (issue 12): every window fits and its key buttons show.

The screen and the scale factor are fixed when the QApplication starts, so the walk over the
demo day (``screen_walk.py``: Today, a chart, visits before the start, infusing and in
observation, the reaction dialog) runs in a subprocess on a 1024x600 screen and on a
1920x1080 screen at 150 % (1280x720 logical pixels). The rest runs here, on the test desktop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog, QLabel, QVBoxLayout

from clinic_app.ui.screen_fit import fit_to_screen, install_screen_fit

pytestmark = [pytest.mark.gui]
HERE = Path(__file__).resolve().parent
SCREENS = HERE.parent / "screens"


def walk(config: str, scale: str, shots: Path) -> dict[str, Any]:
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=f"offscreen:configfile={SCREENS / config}",
        QT_SCALE_FACTOR=scale,
    )
    done = subprocess.run(
        [sys.executable, str(HERE / "screen_walk.py"), str(shots)],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("config", "scale", "logical"),
    [
        ("laptop-1024x600.json", "1", [1024, 600]),
        ("desktop-1920x1080.json", "1.5", [1280, 720]),
    ],
)
def test_every_screen_and_its_key_buttons_fit(config, scale, logical, tmp_path):
    result = walk(config, scale, tmp_path)
    assert result["screen"] == logical
    assert result["problems"] == []
    for name in (
        "today",
        "today-timeline",
        "chart",
        "visit-booked",
        "visit-infusing",
        "visit-observation",
        "reaction",
    ):
        assert (tmp_path / f"{name}.png").stat().st_size > 0


def test_a_dialog_taller_than_the_screen_is_capped_to_it(qtbot):
    install_screen_fit()
    dialog = QDialog()
    QVBoxLayout(dialog).addWidget(QLabel("A"))
    qtbot.addWidget(dialog)
    dialog.resize(5000, 4000)
    dialog.show()
    qtbot.waitExposed(dialog)
    area = dialog.screen().availableGeometry()
    assert area.contains(dialog.frameGeometry())
    dialog.resize(5000, 4000)  # nor can it grow past the screen later
    assert dialog.width() <= area.width() and dialog.height() <= area.height()


def test_fit_to_screen_moves_a_window_back_onto_the_screen(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.resize(400, 300)
    dialog.show()
    qtbot.waitExposed(dialog)
    area = dialog.screen().availableGeometry()
    dialog.move(area.right() - 100, area.bottom() - 50)
    fit_to_screen(dialog)
    assert area.contains(dialog.frameGeometry())


def test_the_visit_header_wraps_and_keeps_its_whole_text_for_tooltip_and_reader(qtbot, demo_window):
    row = next(r for r in demo_window.today.model.rows if r.status == "infusing")
    demo_window.open_visit(row.visit_id)
    visit = demo_window.tabs.currentWidget()
    header = visit.view.header
    assert header.minimumSizeHint().width() < 700
    assert demo_window.minimumSizeHint().width() <= 1024
    assert demo_window.minimumSizeHint().height() <= 600
    assert header.toolTip() == header.text()
    assert header.accessibleDescription() == header.text()
    assert row.patient.display_name in header.toolTip()
