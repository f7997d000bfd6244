"""Course use cases: start (plans appointments), book with overrides, re-plan, stop, DNA."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

import pytest

from clinic_app.domain.errors import Contraindicated, InvalidInput
from clinic_app.services.chart import get_chart, patient_audit
from clinic_app.services.courses import (
    book_appointment,
    change_interval,
    get_course,
    mark_did_not_attend,
    start_course,
    stop_course,
)
from clinic_app.services.errors import ActionNotAllowed, NotSignedIn, OverrideRequired
from clinic_app.services.patients import (
    add_contraindication,
)
from clinic_app.storage import ConcurrentEditError, verify_audit

MONDAY = "2026-03-09"


@pytest.fixture
def course(ctx, patient):
    return start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                        indication_id="crohns", mg_per_kg="5", prescriber="Dr Ewa Nowak",
                        first_dose=MONDAY)


def appointment(ctx, course, dose_number):
    detail = get_course(ctx, course_id=course.id)
    return next(a for a in detail.appointments if a.dose_number == dose_number)


def due_dates(ctx, course):
    return [a.due_date for a in get_course(ctx, course_id=course.id).appointments]


# --- start ----------------------------------------------------------------------------------


def test_infliximab_is_planned_at_weeks_0_2_6_then_every_8_weeks(ctx, course):
    assert course.order_text == "5 mg/kg"
    assert (course.status, course.interval_weeks, course.next_due) == (
        "active", 8, date(2026, 3, 9))
    assert due_dates(ctx, course) == [
        date(2026, 3, 9), date(2026, 3, 23), date(2026, 4, 20),  # weeks 0, 2, 6
        date(2026, 6, 15), date(2026, 8, 10), date(2026, 10, 5), date(2026, 11, 30),
        date(2027, 1, 25),  # every 8 weeks, one year ahead
    ]
    detail = get_course(ctx, course_id=course.id)
    assert {a.status for a in detail.appointments} == {"planned"}
    assert detail.appointments[1].suggested == date(2026, 3, 23)


def test_starting_a_course_shows_on_the_chart(ctx, patient, course):
    (shown,) = get_chart(ctx, patient_id=patient.id).courses
    assert (shown.id, shown.drug, shown.indication) == (course.id, "Infliximab",
                                                        "Crohn's disease")


def test_anifrolumab_is_a_fixed_dose_every_4_weeks(ctx, patient):
    course = start_course(ctx, patient_id=patient.id, protocol_id="anifrolumab",
                          indication_id="sle", fixed_mg="300", prescriber="Dr Lis",
                          first_dose=MONDAY)
    assert (course.order_text, course.dosing_mode, course.fixed_mg) == (
        "300 mg", "fixed", Decimal("300.00"))
    assert due_dates(ctx, course)[:3] == [date(2026, 3, 9), date(2026, 4, 6), date(2026, 5, 4)]


def test_anifrolumab_after_anaphylaxis_to_it_is_refused_and_nothing_is_written(
        ctx, patient, table_counts):
    add_contraindication(ctx, patient_id=patient.id, code="anaphylaxis_anifrolumab",
                         note="grade 4 at the third infusion")
    before = table_counts()
    with pytest.raises(Contraindicated, match="Previous anaphylactic reaction"):
        start_course(ctx, patient_id=patient.id, protocol_id="anifrolumab",
                     indication_id="sle", fixed_mg="300", prescriber="Dr Lis",
                     first_dose=MONDAY)
    assert table_counts() == before


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"protocol_id": "aspirin"}, "protocol_id"),
    ({"indication_id": "migraine"}, "indication_id"),
    ({"mg_per_kg": "25"}, "mg_per_kg"),  # above the 20 mg/kg hard ceiling
    ({"mg_per_kg": "abc"}, "mg_per_kg"),
    ({"mg_per_kg": "-5"}, "mg_per_kg"),
    ({"mg_per_kg": "5", "fixed_mg": "400"}, "mg_per_kg"),
    ({"mg_per_kg": None}, "mg_per_kg"),  # never the label's 5 mg/kg
    ({"mg_per_kg": ""}, "mg_per_kg"),
    ({"prescriber": "  "}, "prescriber"),
    ({"first_dose": "2026-03-01"}, "first_dose"),
    ({"first_dose": "09-03-2026"}, "first_dose"),
])
def test_a_bad_course_order_names_the_field_and_writes_nothing(
        ctx, patient, table_counts, kwargs, field):
    values = {"protocol_id": "infliximab", "indication_id": "crohns", "mg_per_kg": "5",
              "prescriber": "Dr Nowak", "first_dose": MONDAY}
    values.update(kwargs)
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        start_course(ctx, patient_id=patient.id, **values)
    assert error.value.field == field
    assert table_counts() == before


def test_a_weight_banded_indication_needs_the_ordered_mg_per_kg(ctx, patient):
    with pytest.raises(InvalidInput, match="weight bands") as error:
        start_course(ctx, patient_id=patient.id, protocol_id="tocilizumab",
                     indication_id="polyarticular_jia", prescriber="Dr Lis", first_dose=MONDAY)
    assert error.value.field == "mg_per_kg"


def test_a_second_active_course_of_the_same_drug_is_refused(ctx, patient, course):
    with pytest.raises(ActionNotAllowed, match="already has a Infliximab course"):
        start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                     indication_id="crohns", mg_per_kg="5", prescriber="Dr Nowak",
                     first_dose=MONDAY)


# --- book -----------------------------------------------------------------------------------


def test_booking_a_dose_stores_utc_and_shows_the_local_day_time_and_chair(ctx, course):
    booked = book_appointment(ctx, appointment_id=appointment(ctx, course, 1).id,
                              day="09.03.2026", time="10:00", chair="Chair 3")
    assert booked.starts_at == datetime(2026, 3, 9, 9, 0, tzinfo=UTC)  # CET is UTC+1
    assert (booked.day, booked.time, booked.chair, booked.status) == (
        date(2026, 3, 9), time(10, 0), "Chair 3", "booked")
    assert booked.override_reason == ""


def test_booking_too_early_without_a_reason_needs_an_override_and_writes_nothing(
        ctx, course, table_counts):
    dose2 = appointment(ctx, course, 2)
    before = table_counts()
    with pytest.raises(OverrideRequired, match="minimum spacing is 14 days") as refusal:
        book_appointment(ctx, appointment_id=dose2.id, day="2026-03-16", time="09:00",
                         chair="Chair 1")
    assert "TOO_EARLY" in refusal.value.codes
    assert table_counts() == before


def test_booking_too_early_with_a_reason_is_saved_with_the_reason_in_the_audit_trail(
        ctx, patient, course):
    dose2 = appointment(ctx, course, 2)
    booked = book_appointment(ctx, appointment_id=dose2.id, day="2026-03-16", time="09:00",
                              chair="Chair 1",
                              override_reason="Patient travels abroad; Dr Nowak ok")
    assert booked.status == "booked"
    assert booked.override_reason == "Patient travels abroad; Dr Nowak ok"
    assert "TOO_EARLY" in {w.code for w in booked.warnings}
    notes = [ln for ln in patient_audit(ctx, patient_id=patient.id)
             if ln.field == "override_reason"]
    assert [(n.record, n.record_id, n.new, n.nurse) for n in notes] == [
        ("appointment", dose2.id, "Patient travels abroad; Dr Nowak ok", "Anna Keller")]
    with ctx.session_factory() as session:
        assert verify_audit(session).ok


def test_booking_on_a_closed_day_needs_an_acknowledgement(ctx, course):
    dose4 = appointment(ctx, course, 4)  # due Monday 2026-06-15
    with pytest.raises(OverrideRequired) as refusal:
        book_appointment(ctx, appointment_id=dose4.id, day="2026-06-13", time="09:00",
                         chair="Chair 2")
    assert refusal.value.codes == ("CLOSED_DAY",)
    booked = book_appointment(ctx, appointment_id=dose4.id, day="2026-06-13", time="09:00",
                              chair="Chair 2", acknowledged={"CLOSED_DAY"})
    assert booked.day == date(2026, 6, 13)


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"day": "2026-03-01"}, "day"),
    ({"day": "03/09/26"}, "day"),
    ({"time": "25:00"}, "time"),
    ({"time": "9am"}, "time"),
    ({"chair": " "}, "chair"),
    ({"day": "2026-03-29", "time": "02:30"}, "time"),  # skipped by the spring clock change
])
def test_bad_booking_input_names_the_field_and_writes_nothing(
        ctx, course, table_counts, kwargs, field):
    values = {"day": MONDAY, "time": "10:00", "chair": "3"}
    values.update(kwargs)
    dose1 = appointment(ctx, course, 1)
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        book_appointment(ctx, appointment_id=dose1.id, **values)
    assert error.value.field == field
    assert table_counts() == before


def test_moving_a_booking_from_another_workstation_with_a_stale_version_is_a_conflict(
        ctx, second_ctx, course):
    dose1 = appointment(ctx, course, 1)
    book_appointment(ctx, appointment_id=dose1.id, day=MONDAY, time="10:00", chair="Chair 3")
    with pytest.raises(ConcurrentEditError, match="Anna Keller"):
        book_appointment(second_ctx, appointment_id=dose1.id, day=MONDAY, time="11:00",
                         chair="Chair 4", expected_version=dose1.version)
    assert appointment(ctx, course, 1).time == time(10, 0)


def test_a_contraindication_found_after_the_start_blocks_booking(ctx, patient, course):
    add_contraindication(ctx, patient_id=patient.id, code="heart_failure_nyha_3_4")
    detail = get_course(ctx, course_id=course.id)
    assert detail.warnings[0].code == "CONTRAINDICATED"
    with pytest.raises(Contraindicated, match="heart failure"):
        book_appointment(ctx, appointment_id=detail.appointments[0].id, day=MONDAY,
                         time="10:00", chair="Chair 3")


# --- re-plan, stop, DNA ---------------------------------------------------------------------


def test_changing_the_interval_to_6_weeks_re_plans_the_future_appointments(ctx, course):
    detail = change_interval(ctx, course_id=course.id, from_dose=4, weeks=6,
                             reason="Loss of response; Dr Nowak")
    dues = [a.due_date for a in detail.appointments]
    assert dues[:3] == [date(2026, 3, 9), date(2026, 3, 23), date(2026, 4, 20)]
    assert dues[3:6] == [date(2026, 6, 1), date(2026, 7, 13), date(2026, 8, 24)]
    assert detail.course.interval_weeks == 6
    assert [(c.from_dose, c.weeks, c.ordered_by) for c in detail.interval_changes] == [
        (4, 6, "Dr Ewa Nowak")]
    assert due_dates(ctx, course) == dues  # stored, not only computed


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"weeks": 5}, "weeks"), ({"from_dose": 2}, "from_dose"), ({"reason": ""}, "reason"),
    ({"weeks": "six"}, "weeks"),
])
def test_a_bad_interval_change_names_the_field_and_writes_nothing(
        ctx, course, table_counts, kwargs, field):
    values = {"from_dose": 4, "weeks": 6, "reason": "escalation"}
    values.update(kwargs)
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        change_interval(ctx, course_id=course.id, **values)
    assert error.value.field == field
    assert table_counts() == before


def test_stopping_a_course_cancels_its_open_appointments(ctx, course):
    stopped = stop_course(ctx, course_id=course.id, reason="Remission; Dr Nowak")
    assert (stopped.status, stopped.next_due) == ("stopped", None)
    detail = get_course(ctx, course_id=course.id)
    assert {a.status for a in detail.appointments} == {"cancelled"}
    with pytest.raises(ActionNotAllowed):
        book_appointment(ctx, appointment_id=detail.appointments[0].id, day=MONDAY,
                         time="10:00", chair="Chair 3")
    with pytest.raises(InvalidInput):
        stop_course(ctx, course_id=course.id, reason="")


def test_a_patient_who_did_not_attend_is_marked_and_can_be_booked_again(ctx, patient, clock):
    course = start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                          indication_id="crohns", mg_per_kg="5", prescriber="Dr Nowak",
                          first_dose="2026-03-02")
    dose1 = appointment(ctx, course, 1)
    book_appointment(ctx, appointment_id=dose1.id, day="2026-03-02", time="10:00", chair="Chair 3")
    missed = mark_did_not_attend(ctx, appointment_id=dose1.id)
    assert missed.status == "missed"
    clock.advance(days=1)
    again = book_appointment(ctx, appointment_id=dose1.id, day="2026-03-04", time="10:00",
                             chair="Chair 3")
    assert again.status == "booked"


def test_a_future_appointment_cannot_be_marked_as_not_attended(ctx, course):
    dose1 = appointment(ctx, course, 1)
    book_appointment(ctx, appointment_id=dose1.id, day=MONDAY, time="10:00", chair="Chair 3")
    with pytest.raises(ActionNotAllowed, match="future"):
        mark_did_not_attend(ctx, appointment_id=dose1.id)


def test_reading_a_course_needs_a_signed_in_nurse(ctx, course):
    with pytest.raises(NotSignedIn):
        get_course(ctx.signed_out(), course_id=course.id)


def test_a_course_read_as_of_a_later_day_shows_the_missed_first_dose_as_overdue(ctx, course):
    detail = get_course(ctx, course_id=course.id, as_of="2026-04-01")
    first = detail.appointments[0]
    assert "OVERDUE" in {w.code for w in first.warnings}
    assert first.suggested == date(2026, 4, 1)
    assert detail.as_of == date(2026, 4, 1)
