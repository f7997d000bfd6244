"""A moment typed or pasted into a picker in one go is the moment saved, in every date format.

Qt's picker moved on by itself once a part was complete and then took the separator typed next
as "skip a part": tabbing in and typing "2025-12-01 07:00" gave 12 Mar 2025 01:07, and
"1 Dec 2025 07:00" gave 1 Dec 2026 20:25 (issue 12). The pickers a nurse types into are a
reaction's onset, the actual end of an infusion and the day shown on Today
(clinic_app/ui/date_edits.py).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pytest
from PySide6.QtCore import QDate, QDateTime, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDateEdit, QDateTimeEdit, QLineEdit, QVBoxLayout, QWidget

from clinic_app.domain.dates import (
    DateFormat,
    date_format_in_use,
    date_text,
    time_text,
    use_date_format,
    weekday_date_text,
)
from clinic_app.ui.date_edits import show_clinic_format, typed_moment
from clinic_app.ui.reaction.reaction_layout import ReactionLayout

MOMENTS = [
    "2025-12-01 07:00",
    "2025-01-12 23:59",
    "2026-02-28 00:05",
    "2024-02-29 12:30",
    "2026-10-09 08:15",
]


@pytest.fixture(params=list(DateFormat))
def clinic_format(request: pytest.FixtureRequest) -> Iterator[DateFormat]:
    before = date_format_in_use()
    use_date_format(request.param)
    yield request.param
    use_date_format(before)


def _moment(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M")


@pytest.fixture
def form(qtbot: Any) -> QWidget:
    """A form with a field before the picker, shown and active."""
    widget = QWidget()
    qtbot.addWidget(widget)
    QVBoxLayout(widget).addWidget(QLineEdit())
    return widget


def _tab_into(qtbot: Any, form: QWidget, edit: QDateTimeEdit) -> None:
    """The nurse tabs from the field before the picker into it."""
    before = form.findChild(QLineEdit)
    assert before is not None
    layout = form.layout()
    assert layout is not None
    layout.addWidget(edit)
    form.show()
    qtbot.waitExposed(form)
    form.activateWindow()
    qtbot.waitUntil(form.isActiveWindow)
    before.setFocus()
    qtbot.keyClick(before, Qt.Key.Key_Tab)
    assert QGuiApplication.focusObject() in (edit, edit.lineEdit())


def _time_picker() -> QDateTimeEdit:
    edit = QDateTimeEdit(QDateTime.fromString("2026-03-02 20:25", "yyyy-MM-dd HH:mm"))
    show_clinic_format(edit, with_time=True)
    return edit


@pytest.mark.parametrize("typed", MOMENTS)
def test_a_whole_moment_typed_after_tabbing_in_is_the_moment_in_the_picker(
    qtbot: Any, form: QWidget, clinic_format: DateFormat, typed: str
) -> None:
    edit = _time_picker()
    _tab_into(qtbot, form, edit)
    moment = _moment(typed)
    qtbot.keyClicks(edit, f"{date_text(moment.date())} {time_text(moment)}")
    assert edit.dateTime().toString("yyyy-MM-dd HH:mm") == typed


def test_an_hour_typed_with_one_digit_is_the_hour(
    qtbot: Any, form: QWidget, clinic_format: DateFormat
) -> None:
    edit = _time_picker()
    _tab_into(qtbot, form, edit)
    qtbot.keyClicks(edit, f"{date_text(_moment('2025-12-12 00:00').date())} 7:05")
    assert edit.dateTime().toString("yyyy-MM-dd HH:mm") == "2025-12-12 07:05"


@pytest.mark.parametrize("typed", ["2026-01-05", "2025-12-31", "2026-10-09"])
def test_a_day_typed_into_the_today_picker_skips_the_weekday(
    qtbot: Any, form: QWidget, clinic_format: DateFormat, typed: str
) -> None:
    edit = QDateEdit(QDate(2026, 3, 2))
    show_clinic_format(edit, with_time=False, weekday=True)
    _tab_into(qtbot, form, edit)
    qtbot.keyClicks(edit, date_text(_moment(f"{typed} 00:00").date()))
    assert edit.date().toString("yyyy-MM-dd") == typed
    assert edit.lineEdit().text() == weekday_date_text(_moment(f"{typed} 00:00").date())


def _paste(qtbot: Any, edit: QDateTimeEdit, text: str) -> None:
    QGuiApplication.clipboard().setText(text)
    qtbot.keyClick(edit, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)


@pytest.mark.parametrize(
    "pasted",
    [
        "1 Dec 2025 07:00",
        "2025-12-01 07:00",
        "2025-12-01T07:00",
        "01/12/2025 07:00",
        " 01.12.2025 07:00 ",
    ],
)
def test_a_pasted_moment_is_read_whole(
    qtbot: Any, form: QWidget, clinic_format: DateFormat, pasted: str
) -> None:
    edit = _time_picker()
    _tab_into(qtbot, form, edit)
    _paste(qtbot, edit, pasted)
    assert edit.dateTime().toString("yyyy-MM-dd HH:mm") == "2025-12-01 07:00"


@pytest.mark.parametrize(
    "pasted",
    ["yesterday", "12/01/2025", "2025-13-01 07:00", "2025-12-01 25:00", "31 Feb 2026 07:00", ""],
)
def test_pasted_text_that_is_not_a_moment_is_refused_and_says_why(
    qtbot: Any, form: QWidget, pasted: str
) -> None:
    edit = _time_picker()
    _tab_into(qtbot, form, edit)
    with qtbot.waitSignal(typed_moment(edit).refused) as refusal:
        _paste(qtbot, edit, pasted)
    assert edit.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-03-02 20:25"
    assert refusal.args[0]


def test_a_pasted_moment_outside_the_pickers_limits_is_refused_not_clamped(
    qtbot: Any, form: QWidget
) -> None:
    edit = _time_picker()
    edit.setMaximumDateTime(QDateTime.fromString("2026-03-02 20:25", "yyyy-MM-dd HH:mm"))
    _tab_into(qtbot, form, edit)
    with qtbot.waitSignal(typed_moment(edit).refused) as refusal:
        _paste(qtbot, edit, "2026-03-03 08:00")
    assert edit.dateTime().toString("yyyy-MM-dd HH:mm") == "2026-03-02 20:25"
    assert "outside" in refusal.args[0]


def test_the_reaction_onset_takes_a_whole_typed_moment_and_shows_a_refused_paste(
    qtbot: Any, form: QWidget, clinic_format: DateFormat
) -> None:
    view = ReactionLayout(QDateTime.fromString("2026-03-02 20:25", "yyyy-MM-dd HH:mm"), "now")
    _tab_into(qtbot, form, view.onset)
    qtbot.keyClicks(view.onset, f"{date_text(_moment('2025-12-01 07:00').date())} 07:00")
    assert view.onset.dateTime().toString("yyyy-MM-dd HH:mm") == "2025-12-01 07:00"
    _paste(qtbot, view.onset, "tomorrow")
    assert not view.onset_error.isHidden()
    assert view.onset_error.text().startswith("Onset not changed:")
    assert view.onset.dateTime().toString("yyyy-MM-dd HH:mm") == "2025-12-01 07:00"
