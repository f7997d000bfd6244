"""Take the README screenshots on the demo data, on an offscreen screen of a given size.

    python tools/screenshots.py --size 1366x768 --out docs
    python tools/screenshots.py --size 1024x600 --out docs --suffix=-1024x600 --only visit

Starts the app as ``clinic-app --demo`` does (a fresh demo database, seeded for today, the demo
nurse signed in), on an offscreen screen of ``--size`` with no window frame, the window filling
the screen; saves ``screenshot-today<suffix>.png`` (the Today screen),
``screenshot-timeline<suffix>.png`` (its chair timeline tab) and
``screenshot-visit<suffix>.png`` (the infusing visit) in ``--out``. The screen is fixed when
Qt starts, so take each size in its own run (``tools/take-screenshots`` does them all).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

SHOTS = ("today", "timeline", "visit")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1366x768", help="screen WIDTHxHEIGHT (logical)")
    parser.add_argument("--out", type=Path, default=Path("docs"), help="folder for the PNGs")
    parser.add_argument("--suffix", default="", help="added to each file name")
    parser.add_argument("--only", choices=SHOTS, action="append", help="take only these")
    return parser.parse_args(argv)


def use_screen(size: str) -> None:
    """Make Qt's offscreen platform show one frameless screen of ``size`` (before Qt starts)."""
    width, height = (int(n) for n in size.lower().split("x"))
    config = Path(tempfile.mkdtemp(prefix="clinic_shots_")) / "screen.json"
    config.write_text(
        json.dumps(
            {
                "windowFrameMargins": False,
                "screens": [
                    {
                        "name": "shots",
                        "x": 0,
                        "y": 0,
                        "width": width,
                        "height": height,
                        "logicalDpi": 96,
                        "logicalBaseDpi": 96,
                        "dpr": 1,
                    }
                ],
            }
        )
    )
    os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    use_screen(args.size)
    from PySide6.QtCore import QSettings
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from clinic_app.app import build_main_window
    from clinic_app.services import accounts
    from clinic_app.services.demo import seed_demo

    app = QApplication(sys.argv[:1])
    ini = Path(tempfile.mkdtemp(prefix="clinic_shots_")) / "ui.ini"  # not the user's layout
    state, window = build_main_window(
        ["--demo"], settings=QSettings(str(ini), QSettings.Format.IniFormat)
    )
    summary = seed_demo(state.ctx, today=state.ctx.local_now().date())  # as --demo does
    nurse = accounts.sign_in(state.ctx, username=summary.username, secret=summary.password)
    state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
    window.remember_password_sign_in(nurse.username)
    state.announce("patient")
    window.show()
    QTest.qWait(200)
    window.setGeometry(app.primaryScreen().availableGeometry())
    args.out.mkdir(parents=True, exist_ok=True)
    wanted = args.only or list(SHOTS)
    if "today" in wanted:
        save(window, args.out / f"screenshot-today{args.suffix}.png")
    if "timeline" in wanted:
        window.today.tabs.setCurrentIndex(1)
        save(window, args.out / f"screenshot-timeline{args.suffix}.png")
        window.today.tabs.setCurrentIndex(0)
    if "visit" in wanted:
        visit_id = next(
            r.visit_id
            for r in window.today.model.rows
            if r.status == "infusing" and r.visit_id is not None
        )
        window.open_visit(visit_id)
        save(window, args.out / f"screenshot-visit{args.suffix}.png")
    window.close()
    return 0


def save(window: object, path: Path) -> None:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QWidget

    assert isinstance(window, QWidget)
    QTest.qWait(300)  # let the layouts settle before the picture
    window.grab().save(str(path))
    print(path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
