"""The course forms report every bad field at once; a day's booking warnings can be read before
booking; a booked dose keeps the warnings about the patient and shows why it was booked anyway."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from clinic_app.domain.errors import InvalidInput
from clinic_app.services import catalogue
from clinic_app.services.courses import (
    DAY_WARNINGS,
    book_appointment,
    booking_warnings,
    change_interval,
    get_course,
    start_course,
    stop_course,
)
from clinic_app.services.errors import ActionNotAllowed, InvalidInputs, NotSignedIn
from clinic_app.services.patients import record_screening

MONDAY = "2026-03-09"


@pytest.fixture
def course(ctx, patient):
    return start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                        indication_id="crohns", mg_per_kg="5", prescriber="Dr Ewa Nowak",
                        first_dose=MONDAY)


def appointment(ctx, course, dose_number):
    detail = get_course(ctx, course_id=course.id)
    return next(a for a in detail.appointments if a.dose_number == dose_number)


def fields(error: InvalidInput) -> list[str]:
    assert isinstance(error, InvalidInputs)
    return [e.field for e in error.errors]


def test_a_start_course_form_with_three_bad_fields_reports_all_three(ctx, patient,
                                                                    table_counts):
    before = table_counts()
    with pytest.raises(InvalidInputs) as error:
        start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                     indication_id="crohns", mg_per_kg="five", prescriber=" ",
                     first_dose="2026-03-01")
    assert fields(error.value) == ["mg_per_kg", "prescriber", "first_dose"]
    assert str(error.value).splitlines() == [
        "Dose in mg/kg 'five' is not a number.", "Prescriber is required.",
        "First dose 1 Mar 2026 is in the past."]
    assert table_counts() == before


def test_an_unknown_indication_skips_the_dose_check_that_depends_on_it(ctx, patient):
    with pytest.raises(InvalidInputs) as error:
        start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                     indication_id="gout", mg_per_kg="5", prescriber="", first_dose=MONDAY)
    assert fields(error.value) == ["indication_id", "prescriber"]


def test_a_booking_form_with_three_bad_fields_reports_all_three(ctx, course, table_counts):
    dose1 = appointment(ctx, course, 1)
    before = table_counts()
    with pytest.raises(InvalidInputs) as error:
        book_appointment(ctx, appointment_id=dose1.id, day="2026-03-01", time="9am", chair="")
    assert fields(error.value) == ["day", "time", "chair"]
    assert table_counts() == before


def test_a_time_skipped_by_the_clock_change_is_reported_with_a_missing_chair(ctx, course):
    dose1 = appointment(ctx, course, 1)
    with pytest.raises(InvalidInputs) as error:
        book_appointment(ctx, appointment_id=dose1.id, day="2026-03-29", time="02:30",
                         chair=" ")
    assert fields(error.value) == ["time", "chair"]
    assert "clocks go forward" in str(error.value)


def test_an_interval_change_with_three_bad_fields_reports_all_three(ctx, course, table_counts):
    before = table_counts()
    with pytest.raises(InvalidInputs) as error:
        change_interval(ctx, course_id=course.id, from_dose=2, weeks=5, reason="")
    assert fields(error.value) == ["reason", "from_dose", "weeks"]
    assert table_counts() == before


class TestBookingWarnings:
    def test_the_suggested_day_has_none(self, ctx, course):
        dose2 = appointment(ctx, course, 2)
        assert booking_warnings(ctx, appointment_id=dose2.id, day=dose2.suggested) == ()

    def test_a_day_too_early_needs_a_reason_and_nothing_is_written(self, ctx, course,
                                                                   table_counts):
        dose2 = appointment(ctx, course, 2)  # due 2026-03-23, dose 1 on 2026-03-09
        before = table_counts()
        warnings = booking_warnings(ctx, appointment_id=dose2.id, day="16.03.2026")
        assert [(w.code, w.requires_override) for w in warnings] == [
            ("TOO_EARLY", True), ("OUTSIDE_WINDOW", False)]
        assert "7 days after dose 1" in warnings[0].message
        assert table_counts() == before

    def test_a_closed_day_needs_an_acknowledgement(self, ctx, course):
        dose4 = appointment(ctx, course, 4)  # due Monday 2026-06-15
        warnings = booking_warnings(ctx, appointment_id=dose4.id, day="2026-06-13")
        assert [(w.code, w.requires_ack) for w in warnings] == [("CLOSED_DAY", True)]

    def test_a_day_in_the_past_or_not_a_date_is_refused_on_the_day(self, ctx, course):
        dose2 = appointment(ctx, course, 2)
        for day in ("2026-03-01", "16.3.26", ""):
            with pytest.raises(InvalidInput) as error:
                booking_warnings(ctx, appointment_id=dose2.id, day=day)
            assert error.value.field == "day"

    def test_a_dose_of_a_stopped_course_cannot_be_booked(self, ctx, course):
        dose2 = appointment(ctx, course, 2)
        stop_course(ctx, course_id=course.id, reason="Remission")
        with pytest.raises(ActionNotAllowed, match="cancelled; it cannot be booked"):
            booking_warnings(ctx, appointment_id=dose2.id, day="2026-03-23")

    def test_reading_them_needs_a_signed_in_nurse(self, ctx, blank_ctx, course):
        dose2 = appointment(ctx, course, 2)
        with pytest.raises(NotSignedIn):
            booking_warnings(blank_ctx, appointment_id=dose2.id, day="2026-03-23")


def test_a_screening_due_stays_on_a_dose_once_it_is_booked(ctx, course):
    dose1 = appointment(ctx, course, 1)
    assert "SCREENING_DUE" in {w.code for w in dose1.warnings}
    book_appointment(ctx, appointment_id=dose1.id, day=MONDAY, time="10:00", chair="Chair 3")
    booked = appointment(ctx, course, 1)
    assert booked.status == "booked"
    assert "SCREENING_DUE" in {w.code for w in booked.warnings}


def test_a_booked_dose_loses_the_screening_warning_once_the_tests_are_on_file(
        ctx, patient, course):
    dose1 = appointment(ctx, course, 1)
    book_appointment(ctx, appointment_id=dose1.id, day=MONDAY, time="10:00", chair="Chair 3")
    for kind in catalogue.screening_kinds():
        record_screening(ctx, patient_id=patient.id, kind=kind, taken_on="2026-03-01",
                         outcome="negative")
    assert appointment(ctx, course, 1).warnings == ()


def test_a_dose_booked_early_shows_why_with_its_warning(ctx, course):
    dose1, dose2 = appointment(ctx, course, 1), appointment(ctx, course, 2)
    book_appointment(ctx, appointment_id=dose1.id, day=MONDAY, time="10:00", chair="Chair 3",
                     override_reason="Screening faxed")
    book_appointment(ctx, appointment_id=dose2.id, day="2026-03-20", time="09:00", chair="Chair 1",
                     override_reason="Travels abroad on 23 March")
    booked = appointment(ctx, course, 2)
    assert booked.override_reason == "Travels abroad on 23 March"
    too_early = next(w for w in booked.warnings if w.code == "TOO_EARLY")
    assert "11 days after dose 1" in too_early.message


def test_the_day_warning_codes_are_exactly_what_the_booking_check_gives(ctx, course):
    dose2 = appointment(ctx, course, 2)
    seen = set()
    for offset in range(0, 200, 3):
        day = date(2026, 3, 9) + timedelta(days=offset)
        seen |= {w.code for w in booking_warnings(ctx, appointment_id=dose2.id, day=day)}
    assert seen == DAY_WARNINGS
