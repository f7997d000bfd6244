"""The chair timeline on Today (issue 14): chairs as rows, visits as bars, a now-line, the late
ones in red; readable by a screen reader and fitting a 1024x600 laptop."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QWidget
from test_accessibility import AA_NORMAL_TEXT, contrast
from ui_testing import shot

from clinic_app.services import clinic_day
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.booking_dialog import BookingDialog
from clinic_app.ui.today.chair_timeline import (
    COLOURS,
    NOW_COLOUR,
    TEXT_COLOUR,
    ChairTimeline,
)
from clinic_app.ui.today.today_screen import TodayScreen

pytestmark = pytest.mark.gui


class Navigator:
    def __init__(self) -> None:
        self.opened: list[tuple[str, object]] = []

    def open_chart(self, patient_id: int) -> None:
        self.opened.append(("chart", patient_id))

    def open_course(self, course_id: int) -> None:
        self.opened.append(("course", course_id))

    def open_visit(self, visit_id: int) -> None:
        self.opened.append(("visit", visit_id))

    def show_pdf(self, title: str, data: bytes, suggested_name: str) -> None:
        self.opened.append(("pdf", title))


@pytest.fixture
def today(qtbot: Any, demo_state: AppState) -> TodayScreen:
    screen = TodayScreen(demo_state, Navigator())  # type: ignore[arg-type]
    qtbot.addWidget(screen)
    screen.resize(1024, 600)
    screen.show()
    qtbot.waitExposed(screen)
    return screen


def show_timeline(qtbot: Any, today: TodayScreen) -> ChairTimeline:
    qtbot.keyClick(today, Qt.Key.Key_I, Qt.KeyboardModifier.AltModifier)
    assert today.tabs.currentIndex() == 1
    assert "move a booking" in today.hint.text()
    QApplication.processEvents()
    return today.timeline


def test_the_demo_day_shows_every_chair_and_a_bar_for_each_booking_holding_one(
    qtbot: Any, today: TodayScreen, demo_state: AppState
) -> None:
    timeline = show_timeline(qtbot, today)
    rows = clinic_day.clinic_day(demo_state.ctx, day=today.current_day())
    holding = {r.appointment_id for r in rows if r.chair_until is not None}
    assert holding and {b.booking_id for b in timeline.bars()} == holding
    assert [r.chair for r in timeline.rows()][:2] == ["Chair 1", "Chair 2"]
    description = timeline.accessibleDescription()
    assert description.splitlines()[0].startswith("Chair 1:")
    for row in rows:
        if row.chair_until is not None:
            assert row.patient.display_name in description
    shot(today, "today-chair-timeline-1024x600")


def test_a_late_bar_is_red_and_says_so_to_a_screen_reader(
    qtbot: Any, today: TodayScreen, demo_state: AppState, fake_clock: Any
) -> None:
    timeline = show_timeline(qtbot, today)
    waiting = [b for b in timeline.bars() if b.stage.value == "waiting"]
    assert waiting, "the demo day has patients still to come"
    first = min(waiting, key=lambda b: b.starts_at)
    fake_clock.set(first.starts_at)
    fake_clock.advance(minutes=10)
    today.refresh()
    late = next(b for b in timeline.bars() if b.booking_id == first.booking_id)
    assert late.late == "not arrived"
    assert "(late: not arrived)" in timeline.accessibleDescription()
    image = timeline.grab().toImage()
    rect = timeline.bar_rect(late)
    colour = image.pixelColor(int(rect.left()) + 2, int(rect.center().y()))
    assert colour.name() == COLOURS["late"][1].name()
    shot(today, "today-chair-timeline-late")


def test_each_bar_tells_its_text_and_a_double_click_asks_to_move_the_booking(
    qtbot: Any, today: TodayScreen
) -> None:
    timeline = show_timeline(qtbot, today)
    bar = timeline.bars()[0]
    centre = timeline.bar_rect(bar).center().toPoint()
    with qtbot.waitSignal(timeline.booking_chosen) as chosen:
        qtbot.mouseDClick(timeline, Qt.MouseButton.LeftButton, pos=centre)
    assert chosen.args == [bar.booking_id]
    assert timeline.current_bar() == bar
    assert timeline.accessibleName() == f"Chair timeline: {timeline.bar_text(bar)}"
    assert timeline.bar_text(bar).startswith(
        next(r.chair for r in timeline.rows() if bar in r.bars)
    )


def test_the_arrow_keys_walk_the_bars_and_enter_asks_to_move_one(
    qtbot: Any, today: TodayScreen
) -> None:
    timeline = show_timeline(qtbot, today)
    timeline.setFocus()
    bars = timeline.bars()
    assert timeline.current_bar() == bars[0]
    qtbot.keyClick(timeline, Qt.Key.Key_Right)
    assert timeline.current_bar() == bars[1]
    with qtbot.waitSignal(timeline.booking_chosen) as chosen:
        qtbot.keyClick(timeline, Qt.Key.Key_Return)
    assert chosen.args == [bars[1].booking_id]


def test_the_timeline_fits_the_1024x600_today_screen_without_a_sideways_scroll(
    qtbot: Any, today: TodayScreen
) -> None:
    timeline = show_timeline(qtbot, today)
    scroll = today.tabs.currentWidget()
    assert scroll.horizontalScrollBar().maximum() == 0  # type: ignore[attr-defined]
    assert timeline.width() <= today.width()
    bars = timeline.bars()
    assert all(timeline.bar_rect(b).right() <= timeline.width() for b in bars)
    assert timeline.mapTo(today, QPoint(0, 0)).y() < 200  # the chairs start high on the page


@pytest.mark.parametrize("kind", sorted(COLOURS))
def test_the_text_of_each_kind_of_bar_passes_aa_contrast_on_its_fill(qtbot: Any, kind: str) -> None:
    text, fill = COLOURS[kind]
    assert contrast(text, fill) >= AA_NORMAL_TEXT, kind


def test_chair_names_pass_aa_and_the_now_line_stands_out_on_the_window(qtbot: Any) -> None:
    window = QWidget().palette().color(QPalette.ColorRole.Window)
    assert contrast(TEXT_COLOUR, window) >= AA_NORMAL_TEXT
    assert contrast(NOW_COLOUR, window) >= 3  # a graphical object: WCAG 2.2 SC 1.4.11


def test_a_double_click_on_a_booking_moves_it_by_the_booking_dialog_with_its_checks(
    qtbot: Any, today: TodayScreen
) -> None:
    timeline = show_timeline(qtbot, today)
    rows = {r.appointment_id: r for r in today.model.rows}
    bar, other = [b for b in timeline.bars() if rows[b.booking_id or 0].status == "booked"][:2]
    qtbot.mouseDClick(
        timeline, Qt.MouseButton.LeftButton, pos=timeline.bar_rect(bar).center().toPoint()
    )
    (dialog,) = today.findChildren(BookingDialog)
    name = rows[bar.booking_id or 0].patient.display_name
    assert dialog.isVisible() and dialog.windowTitle() == f"Reschedule dose: {name}"
    taken = next(r.chair for r in timeline.rows() if other in r.bars)
    dialog.chair.setCurrentIndex(dialog.chair.findData(taken))
    dialog.time.setText(f"{bar.starts_at.astimezone(today._state.ctx.tz):%H:%M}")  # it stays
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert f"{taken} is taken from" in dialog.rows.error_text("chair")
    shot(dialog, "today-timeline-move-refused")
    free = next(r.chair for r in timeline.rows() if not r.bars)
    dialog.chair.setCurrentIndex(dialog.chair.findData(free))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    moved = next(r for r in timeline.rows() if r.chair == free).bars
    assert [b.booking_id for b in moved] == [bar.booking_id]
    assert f"{free}: " in timeline.accessibleDescription()


def test_a_double_click_on_a_visit_already_open_opens_the_visit(
    qtbot: Any, today: TodayScreen
) -> None:
    timeline = show_timeline(qtbot, today)
    rows = {r.appointment_id: r for r in today.model.rows}
    bar = next(b for b in timeline.bars() if b.booking_id and rows[b.booking_id].visit_id)
    qtbot.mouseDClick(
        timeline, Qt.MouseButton.LeftButton, pos=timeline.bar_rect(bar).center().toPoint()
    )
    assert not today.findChildren(BookingDialog)
    assert today._navigator.opened == [("visit", rows[bar.booking_id].visit_id)]  # type: ignore[attr-defined]
