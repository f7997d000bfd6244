"""The Today screen: the day by time and chair, live status, what is due next, overdue red."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time

import pytest
from PySide6.QtCore import Qt

from clinic_app.services import clinic_day, courses
from clinic_app.services.patients.dto import AlertBadge, PatientSummary
from clinic_app.services.visits.dto import ClinicDayRow
from clinic_app.ui.today.today_model import (
    NEXT_DUE_COLUMN,
    OVERDUE_COLOUR,
    STATUS_COLUMN,
    TodayModel,
)
from clinic_app.ui.today.today_screen import TodayScreen

pytestmark = pytest.mark.gui


def day_row(n: int = 1, **fields: object) -> ClinicDayRow:
    patient = PatientSummary(id=n, mrn=f"MRN{n:03}", family_name="Żółć", given_names="Łukasz",
                             display_name="ŻÓŁĆ, Łukasz", date_of_birth=date(1980, 2, 29),
                             sex="male", version=1)
    values: dict[str, object] = dict(
        appointment_id=n, appointment_version=1, visit_id=None, course_id=n,
        as_of=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
        starts_at=datetime(2026, 3, 2, 8, 0, tzinfo=UTC), local_time=time(9, 0), chair="2",
        patient=patient, protocol_id="infliximab", drug="infliximab", dose_number=3,
        dose_text="5 mg/kg", dose_mg=None, mg_per_kg=None, infusion_minutes=120,
        observation_minutes=60, status="booked", paused=False, next_due=None,
        next_due_at=None, next_due_local=None, overdue=False, overdue_items=(), allergies=(),
        alerts=(AlertBadge("allergy", "Penicillin"),), nurse=None)
    values.update(fields)
    return ClinicDayRow(**values)  # type: ignore[arg-type]


def text(model: TodayModel, row: int, column: int, role: Qt.ItemDataRole =
         Qt.ItemDataRole.DisplayRole) -> object:
    return model.data(model.index(row, column), role)


def test_the_today_model_passes_the_qt_model_tester(qtmodeltester):
    model = TodayModel()
    model.set_rows([day_row(1), day_row(2, status="infusing", next_due="Vitals",
                                        next_due_local=time(14, 30), overdue=True,
                                        overdue_items=("Vitals 14:30",))])
    qtmodeltester.check(model)


def test_a_chair_shows_its_status_and_what_is_due_next_with_the_time():
    model = TodayModel()
    model.set_rows([day_row(status="infusing", next_due="Vitals", next_due_local=time(14, 30))])
    assert text(model, 0, 0) == "09:00"
    assert text(model, 0, 2) == "ŻÓŁĆ, Łukasz"
    assert text(model, 0, STATUS_COLUMN) == "Infusing"
    assert text(model, 0, NEXT_DUE_COLUMN) == "14:30 Vitals"
    assert text(model, 0, NEXT_DUE_COLUMN, Qt.ItemDataRole.ForegroundRole) is None


def test_an_overdue_item_is_red_and_named_in_the_tooltip():
    model = TodayModel()
    late = ("14:30 Vitals: 15 min into the infusion", "14:45 Vitals: 30 min into the infusion")
    model.set_rows([day_row(status="infusing", next_due="Vitals", next_due_local=time(15, 0),
                            overdue=True, overdue_items=late)])
    colour = text(model, 0, NEXT_DUE_COLUMN, Qt.ItemDataRole.ForegroundRole)
    assert colour == OVERDUE_COLOUR
    assert text(model, 0, NEXT_DUE_COLUMN) == (
        "Overdue (2): 14:30 Vitals: 15 min into the infusion")
    tip = str(text(model, 0, NEXT_DUE_COLUMN, Qt.ItemDataRole.ToolTipRole))
    assert all(item in tip for item in late)


def test_a_paused_infusion_says_so_and_only_overdue_rows_are_red():
    model = TodayModel()
    model.set_rows([day_row(1, status="infusing", paused=True),
                    replace(day_row(2), status="did_not_attend")])
    assert text(model, 0, STATUS_COLUMN) == "Infusing (paused)"
    for row in range(2):
        for column in range(model.columnCount()):
            assert text(model, row, column, Qt.ItemDataRole.ForegroundRole) != OVERDUE_COLOUR


# --- the screen over the demo day (Monday 2026-03-02, 09:30 in Warsaw) ---------------------


class RecordingNavigator:
    """Stands in for the main window: records what the screen asked to open."""

    def __init__(self) -> None:
        self.opened: list[tuple[str, object]] = []

    def open_chart(self, patient_id: int) -> None:
        self.opened.append(("chart", patient_id))

    def open_course(self, course_id: int) -> None:
        self.opened.append(("course", course_id))

    def open_visit(self, visit_id: int) -> None:
        self.opened.append(("visit", visit_id))

    def show_pdf(self, title: str, data: bytes, suggested_name: str) -> None:
        self.opened.append(("pdf", (title, data, suggested_name)))


@pytest.fixture
def navigator() -> RecordingNavigator:
    return RecordingNavigator()


@pytest.fixture
def today(qtbot, demo_state, navigator) -> TodayScreen:
    screen = TodayScreen(demo_state, navigator)
    qtbot.addWidget(screen)
    screen.resize(1366, 700)
    screen.show()
    return screen


def row_of(screen: TodayScreen, name: str) -> int:
    for n in range(screen.model.rowCount()):
        if text(screen.model, n, 2) == name:
            return n
    raise AssertionError(f"{name} is not on the day list")


def test_today_lists_the_demo_days_appointments_by_time_with_status_and_next_due(today):
    model = today.model
    times = [text(model, n, 0) for n in range(model.rowCount())]
    assert len(times) == 7
    assert times == sorted(times)
    statuses = {text(model, n, STATUS_COLUMN) for n in range(model.rowCount())}
    assert {"Discharged", "Did not attend", "Observation", "Infusing, end due 09:40",
            "Pre-check", "Booked"} <= statuses
    anna = row_of(today, "ИВАНОВА, Анна")
    assert text(model, anna, STATUS_COLUMN) == "Infusing, end due 09:40"
    assert text(model, anna, NEXT_DUE_COLUMN).startswith("09:40 Vitals")
    assert text(model, anna, NEXT_DUE_COLUMN, Qt.ItemDataRole.ForegroundRole) is None
    assert "Today — Monday 2 Mar 2026" in today.heading.text()
    assert today.table.accessibleName() == "Today's appointments"


def test_the_demo_day_model_passes_the_qt_model_tester(today, qtmodeltester):
    qtmodeltester.check(today.model)


def test_an_hour_later_the_unrecorded_end_is_red_after_the_30_second_refresh(
        today, fake_clock):
    assert today.timer.isActive() and today.timer.interval() == 30_000
    fake_clock.advance(minutes=60)
    today.timer.timeout.emit()
    model = today.model
    anna = row_of(today, "ИВАНОВА, Анна")
    late = text(model, anna, NEXT_DUE_COLUMN)
    assert late.startswith("Overdue (2): 09:40 Record the end of the infusion")
    assert text(model, anna, NEXT_DUE_COLUMN, Qt.ItemDataRole.ForegroundRole) == OVERDUE_COLOUR
    booked = row_of(today, "ŻÓŁĆ, Łukasz")
    assert text(model, booked, NEXT_DUE_COLUMN, Qt.ItemDataRole.ForegroundRole) is None
    assert "overdue" in today.summary.text()


def test_enter_opens_the_visit_of_a_patient_in_a_chair_and_the_chart_before_arrival(
        qtbot, today, navigator):
    anna = row_of(today, "ИВАНОВА, Анна")
    today.table.setFocus()
    today.table.selectRow(anna)
    qtbot.keyClick(today.table, Qt.Key.Key_Return)
    assert navigator.opened[-1] == ("visit", today.model.row_at(anna).visit_id)
    booked = row_of(today, "ŻÓŁĆ, Łukasz")
    today.table.selectRow(booked)
    rect = today.table.visualRect(today.model.index(booked, 2))
    qtbot.mouseClick(today.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(today.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert navigator.opened[-1] == ("chart", today.model.row_at(booked).patient.id)


def test_weigh_and_open_visit_is_offered_only_for_a_booked_patient_today(qtbot, today):
    today.table.selectRow(row_of(today, "ИВАНОВА, Анна"))
    assert not today.weigh_and_open.isEnabled()
    today.table.selectRow(row_of(today, "ŻÓŁĆ, Łukasz"))
    assert today.weigh_and_open.isEnabled()
    dialog = today.weigh_and_open_visit()
    assert dialog is not None and dialog.isVisible()
    assert dialog.accessibleName() == "Open infusion visit"
    dialog.close()


def test_a_change_notice_refreshes_the_day_at_once(today, demo_state):
    booked = row_of(today, "ŻÓŁĆ, Łukasz")
    appointment = today.model.row_at(booked).appointment_id
    courses.mark_did_not_attend(demo_state.ctx, appointment_id=appointment)
    assert text(today.model, booked, STATUS_COLUMN) == "Booked"
    demo_state.announce("appointment", appointment)
    assert text(today.model, row_of(today, "ŻÓŁĆ, Łukasz"), STATUS_COLUMN) == "Did not attend"


def test_the_next_day_can_be_looked_at_and_today_comes_back(qtbot, today):
    qtbot.mouseClick(today.next_day, Qt.MouseButton.LeftButton)
    assert today.heading.text().startswith("Tomorrow — Tuesday 3 Mar 2026")
    assert all(text(today.model, n, 0) for n in range(today.model.rowCount()))
    qtbot.mouseClick(today.back_to_today, Qt.MouseButton.LeftButton)
    assert today.heading.text().startswith("Today — Monday")
    assert today.model.rowCount() == 7


def test_print_day_list_hands_the_sheet_to_the_preview(qtbot, today, navigator):
    qtbot.mouseClick(today.print_day_list, Qt.MouseButton.LeftButton)
    kind, (title, data, name) = navigator.opened[-1]
    assert kind == "pdf"
    assert title == "Day list 2 Mar 2026"
    assert data.startswith(b"%PDF")
    assert name == "day-list-2026-03-02.pdf"


def test_the_summary_counts_clinical_overdue_items_apart_from_paperwork(
        today, fake_clock, demo_state):
    """Issue 12: an unrecorded end is paperwork; late vitals are clinical; Today counts them
    apart, in the printed day list's words."""
    fake_clock.advance(minutes=60)
    today.timer.timeout.emit()
    rows = clinic_day.clinic_day(demo_state.ctx, day=demo_state.ctx.local_now().date())
    clinical = sum(len(r.overdue_items) - len(r.overdue_paperwork) for r in rows)
    paperwork = sum(len(r.overdue_paperwork) for r in rows)
    assert clinical and paperwork
    summary = today.summary.text()
    assert f"overdue: {clinical} clinical, {paperwork} paperwork" in summary
    anna = row_of(today, "ИВАНОВА, Анна")
    tip = text(today.model, anna, NEXT_DUE_COLUMN, Qt.ItemDataRole.ToolTipRole)
    assert "09:40 Record the end of the infusion (paperwork)" in tip


def test_a_row_late_only_on_paperwork_counts_no_clinical_item():
    model_row = day_row(status="infusing", overdue=True,
                        overdue_items=("14:30 Record the end of the infusion",),
                        overdue_paperwork=("14:30 Record the end of the infusion",))
    assert model_row.overdue_count.text == "overdue: 1 paperwork"
