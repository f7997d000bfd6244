"""Work finishing after the widget that started it was deleted is dropped quietly.

The full suite once failed with "Signal source has been deleted" raised from a pool thread: a
window closed while its background job (page check, search) was still running.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThreadPool

from clinic_app.ui.workers import run_in_background


def _run_then_delete_owner(qtbot, fail: bool) -> list[object]:
    owner = QObject()
    release = threading.Event()
    heard: list[object] = []

    def work(progress):
        release.wait(5)
        progress(1, 2)
        if fail:
            raise ValueError("too late")
        return "result"

    run_in_background(owner, work, on_progress=lambda d, t: heard.append((d, t)),
                      on_done=heard.append, on_error=heard.append)
    owner.deleteLater()
    qtbot.waitUntil(lambda: not _alive(owner), timeout=2000)
    release.set()
    assert QThreadPool.globalInstance().waitForDone(5000)
    qtbot.wait(50)
    return heard


def _alive(obj: QObject) -> bool:
    import shiboken6

    return shiboken6.isValid(obj)


def test_a_result_for_a_deleted_window_is_dropped(qtbot) -> None:
    assert _run_then_delete_owner(qtbot, fail=False) == []


def test_an_error_for_a_deleted_window_is_dropped(qtbot) -> None:
    assert _run_then_delete_owner(qtbot, fail=True) == []


def test_a_live_owner_still_hears_progress_and_result(qtbot) -> None:
    owner = QObject()
    heard: list[object] = []

    def work(progress):
        progress(1, 1)
        return "done"

    run_in_background(owner, work,
                      on_progress=lambda d, t: heard.append((d, t)),
                      on_done=heard.append, on_error=heard.append)
    qtbot.waitUntil(lambda: "done" in heard, timeout=3000)
    assert heard == [(1, 1), "done"]
