"""The clinic day list: appointments by time and chair with their live state."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from visit_fixtures import book_first_dose, infuse, open_ready_visit

from clinic_app.domain.errors import InvalidInput
from clinic_app.services.clinic_day import clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import mark_did_not_attend
from clinic_app.services.patients import add_allergy
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import open_visit, pause_infusion, start_infusion

MakePatient = Callable[..., PatientSummary]


def _patient(make_patient: MakePatient, n: int, family: str) -> PatientSummary:
    return make_patient(mrn=f"MRN{n:03d}", family_name=family, given_names="Test")


LATE = "Works mornings; the late nurse stays"


def test_the_day_lists_each_appointment_with_its_live_state_by_time_then_chair(
        ctx: ServiceContext, make_patient: MakePatient, clock: object) -> None:
    book_first_dose(ctx, _patient(make_patient, 1, "Booked").id, time="14:00",
                    chair="Chair 2", reason=LATE)
    arrived = book_first_dose(ctx, _patient(make_patient, 2, "Arrived").id, time="14:00",
                              chair="Chair 1", protocol="vedolizumab", reason=LATE)
    checking = book_first_dose(ctx, _patient(make_patient, 3, "Checking").id, time="13:00",
                               chair="Chair 4", protocol="tocilizumab")
    running = book_first_dose(ctx, _patient(make_patient, 4, "Running").id, time="10:00",
                              chair="Chair 1", protocol="anifrolumab")
    done = book_first_dose(ctx, _patient(make_patient, 5, "Done").id, time="10:00",
                           chair="Chair 5")
    absent = book_first_dose(ctx, _patient(make_patient, 6, "Absent").id, time="11:00",
                             chair="Chair 6")
    infuse(ctx, clock, done.appointment_id)
    start_infusion(ctx, visit_id=open_ready_visit(ctx, running.appointment_id).id)
    open_visit(ctx, appointment_id=arrived.appointment_id, weight="64")
    open_ready_visit(ctx, checking.appointment_id, weight="80")
    mark_did_not_attend(ctx, appointment_id=absent.appointment_id)
    rows = clinic_day(ctx, day="2026-03-02")
    summary = [(r.local_time.strftime("%H:%M"), r.chair, r.patient.family_name, r.status)
               for r in rows]
    assert summary == [
        ("10:00", "Chair 1", "Running", "infusing"),
        ("10:00", "Chair 5", "Done", "observation"),
        ("11:00", "Chair 6", "Absent", "did_not_attend"),
        ("13:00", "Chair 4", "Checking", "pre_check"),
        ("14:00", "Chair 1", "Arrived", "arrived"),
        ("14:00", "Chair 2", "Booked", "booked"),
    ]
    by_name = {r.patient.family_name: r for r in rows}
    assert by_name["Booked"].next_due is not None and "Arrival" in by_name["Booked"].next_due
    assert by_name["Booked"].dose_text == "5 mg/kg" and by_name["Booked"].dose_mg is None
    assert by_name["Checking"].next_due == "Ready to start the infusion"
    assert by_name["Arrived"].next_due is not None and "identity" in by_name["Arrived"].next_due
    assert by_name["Done"].dose_text == "362.5 mg (5 mg/kg)"
    assert by_name["Absent"].next_due is None
    for row in rows:  # the chart's "Today" line: the same row, without the others'
        assert clinic_day(ctx, day="2026-03-02", patient_id=row.patient.id) == (row,)
    nobody = _patient(make_patient, 7, "Nobody")
    assert clinic_day(ctx, day="2026-03-02", patient_id=nobody.id) == ()


def test_an_infusing_row_shows_the_next_vitals_and_flags_them_once_overdue(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    add_allergy(ctx, patient_id=patient.id, substance="Penicillin", reaction="rash")
    start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    (row,) = clinic_day(ctx, day="2026-03-02")
    assert row.next_due is not None and "0 min into the infusion" in row.next_due
    assert not row.overdue and row.allergies == ("Penicillin (rash)",)
    assert any(b.kind == "allergy" for b in row.alerts)
    clock.advance(minutes=25)  # type: ignore[attr-defined]
    (row,) = clinic_day(ctx, day="2026-03-02")
    assert row.overdue
    assert any("15 min into the infusion" in text for text in row.overdue_items)


def test_a_paused_infusion_is_shown_as_paused(ctx: ServiceContext, patient: PatientSummary,
                                              clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=5)  # type: ignore[attr-defined]
    pause_infusion(ctx, visit_id=visit.id)
    (row,) = clinic_day(ctx, day="2026-03-02")
    assert row.status == "infusing" and row.paused


def test_a_patient_not_arrived_after_the_grace_period_is_flagged(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    book_first_dose(ctx, patient.id, time="10:00")
    clock.advance(minutes=45)  # type: ignore[attr-defined]  (10:15 local)
    (row,) = clinic_day(ctx, day="2026-03-02")
    assert row.status == "booked" and row.overdue


def test_an_empty_day_has_no_rows_and_a_bad_day_is_refused(ctx: ServiceContext) -> None:
    assert clinic_day(ctx, day="2026-03-03") == ()
    with pytest.raises(InvalidInput):
        clinic_day(ctx, day="tomorrow")
