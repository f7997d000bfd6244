"""Open the main window on the demo day and check every key control fits the screen.

Run on its own (``python tests/ui/screen_walk.py [SHOTS_FOLDER]``) in a process whose
``QT_QPA_PLATFORM``/``QT_SCALE_FACTOR`` give the screen to check (the screen and the scale are
fixed when the QApplication starts, so the tests run this in a subprocess). It opens Today, a
chart, a visit before its start, one infusing (and its reaction dialog), one in observation,
and prints one JSON line: ``{"screen": [w, h], "problems": [...]}``; no problem means every
window lies inside the screen's available geometry and every key button is visible in it.
With a folder, it saves a screenshot of each screen there.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from clinic_testing import T0, WARSAW, FakeClock, open_context  # noqa: E402
from PySide6.QtCore import QPoint, QRect, QSettings  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractButton,
    QApplication,
    QLineEdit,
    QScrollArea,
    QWidget,
)


def fully_shown(widget: QWidget) -> bool:
    """Shown, and its whole rect is in the visible part of its window (not clipped by a
    scroll area, a splitter or the window edge)."""
    if not widget.isVisible():
        return False
    region = widget.visibleRegion()
    if region.isEmpty() or region.boundingRect() != widget.rect():
        return False
    window = widget.window()
    placed = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return window.rect().contains(placed)


def reachable(widget: QWidget) -> bool:
    """Fully shown once the scroll area around it (if any) scrolls to it."""
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QScrollArea):
        parent = parent.parentWidget()
    if parent is not None:
        parent.ensureWidgetVisible(widget, 4, 4)
        QApplication.processEvents()
    return fully_shown(widget)


def inside_screen(window: QWidget) -> bool:
    screen = window.screen()
    return screen is not None and screen.availableGeometry().contains(window.frameGeometry())


def hint_fits(window: QWidget) -> bool:
    """The window's layout asks for no more than the screen has (its frame included)."""
    screen = window.screen()
    if screen is None:
        return False
    extra = window.frameGeometry().size() - window.geometry().size()
    needed = window.minimumSizeHint().expandedTo(window.minimumSize()) + extra
    area = screen.availableGeometry().size()
    return needed.width() <= area.width() and needed.height() <= area.height()


def named(root: QWidget, kind: type, name: str) -> QWidget:
    found = [
        w for w in root.findChildren(kind) if w.accessibleName() == name and w.isVisibleTo(root)
    ]
    if len(found) != 1:
        raise LookupError(f"no single {kind.__name__} named {name!r}: {len(found)}")
    return found[0]


class Walk:
    def __init__(self, shots: Path | None) -> None:
        self.problems: list[str] = []
        self.shots = shots

    def settle(self) -> None:
        for _ in range(3):
            QApplication.processEvents()
        QTest.qWait(30)

    def check_window(self, window: QWidget, where: str) -> None:
        self.settle()
        if not inside_screen(window):
            self.problems.append(
                f"{where}: window {window.frameGeometry()} is not inside "
                f"{window.screen().availableGeometry()}"
            )
        if not hint_fits(window):
            self.problems.append(
                f"{where}: the smallest size {window.minimumSizeHint()} "
                f"(and frame) does not fit {window.screen().availableGeometry()}"
            )
        if self.shots is not None:
            self.shots.mkdir(parents=True, exist_ok=True)
            window.grab().save(str(self.shots / f"{where}.png"))

    def check(
        self, root: QWidget, kind: type, name: str, where: str, *, scroll: bool = False
    ) -> None:
        try:
            widget = named(root, kind, name)
        except LookupError as exc:
            self.problems.append(f"{where}: {exc}")
            return
        if not (reachable(widget) if scroll else fully_shown(widget)):
            self.problems.append(f"{where}: {name!r} is not fully visible")


def main() -> int:
    shots = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    app = QApplication(sys.argv[:1])
    from clinic_app.services import accounts
    from clinic_app.services.demo import DEMO_NURSES, DEMO_PASSWORD, seed_demo
    from clinic_app.ui.app_state import AppState
    from clinic_app.ui.patients.patient_form import PatientFormDialog
    from clinic_app.ui.shell import main_window, tabs
    from clinic_app.ui.shell.main_window import MainWindow

    for module in (main_window, tabs):
        module.confirm_discard = lambda _parent, _what: True  # type: ignore[attr-defined]
    folder = Path(tempfile.mkdtemp(prefix="screen_walk"))
    ctx, engine = open_context(folder / "demo.sqlite3", FakeClock())
    seed_demo(ctx, today=T0.astimezone(WARSAW).date())
    state = AppState(ctx, demo=True)
    nurse = accounts.sign_in(ctx, username=DEMO_NURSES[0][0], secret=DEMO_PASSWORD)
    state.sign_in(nurse, nurse_id=nurse.id, display_name=nurse.display_name)
    settings = QSettings(str(folder / "ui.ini"), QSettings.Format.IniFormat)
    window = MainWindow(state, settings=settings, database_label="demo.sqlite3")
    window.show()
    walk = Walk(shots)
    walk.check_window(window, "today")
    window.today.tabs.setCurrentIndex(1)  # the chair timeline
    walk.check_window(window, "today-timeline")
    walk.check(window.today, QWidget, "Chair timeline", "today-timeline", scroll=True)
    window.today.tabs.setCurrentIndex(0)
    form = PatientFormDialog(state, parent=window)
    form.show()
    form.save()  # nothing typed: a message under every required field
    walk.check_window(form, "patient-form")
    for name in ("Save", "Cancel"):
        walk.check(form, QAbstractButton, name, "patient-form")
    form.reject()
    rows = window.today.model.rows
    window.open_chart(rows[0].patient.id)
    walk.check_window(window, "chart")
    for status, buttons in (
        ("booked", ["Start infusion", "Print infusion record", "Log reaction…"]),
        ("pre_check", ["Start infusion", "Print infusion record"]),
        (
            "infusing",
            ["End infusion", "Change rate…", "Pause…", "Print infusion record", "Log reaction…"],
        ),
        ("observation", ["Print infusion record", "Log reaction…"]),
    ):
        row = next(r for r in rows if r.status == status)
        window.open_visit(row.visit_id)
        visit = window.tabs.currentWidget()
        walk.check_window(window, f"visit-{status}")
        for name in buttons:
            walk.check(visit, QAbstractButton, name, f"visit-{status}")
        if status == "infusing":
            saves = [
                b
                for b in visit.findChildren(QAbstractButton)
                if b.accessibleName().startswith("Save vitals") and b.isVisibleTo(visit)
            ]
            if not saves:
                walk.problems.append("visit-infusing: no vitals Save button")
            for save in saves:
                walk.check(
                    visit, QAbstractButton, save.accessibleName(), "visit-infusing", scroll=True
                )
            for edit in visit.findChildren(QLineEdit):
                if edit.objectName().endswith((":temperature", ":respiratory_rate", ":spo2")):
                    walk.check(
                        visit, QLineEdit, edit.accessibleName(), "visit-infusing", scroll=True
                    )
            dialog = visit.log_reaction()
            walk.check_window(dialog, "reaction")
            for name in ("Save reaction", "Close"):
                walk.check(dialog, QAbstractButton, name, "reaction")
            dialog.reject()
    screen = app.primaryScreen().availableGeometry()
    print(json.dumps({"screen": [screen.width(), screen.height()], "problems": walk.problems}))
    window.close()
    engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
