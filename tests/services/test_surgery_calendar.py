"""Planned surgery and live vaccines through the services (issue 13): recorded on the chart with
clear refusals, voided with a reason and audited; a dose booked inside a surgery window needs a
reason, one near a live vaccine an acknowledgement; the course lists the doses in a window."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader
from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import InvalidInputs
from clinic_app.services.chart import patient_audit
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import book_appointment, booking_warnings, get_course
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.sheets import infusion_record
from clinic_app.services.surgery import (
    LIVE_VACCINE_WINDOW,
    SURGERY_WINDOW,
    list_planned_surgeries,
    list_vaccinations,
    record_planned_surgery,
    record_vaccination,
    surgery_kind_choices,
    void_planned_surgery,
    void_vaccination,
)

Counts = Callable[[], dict[str, int]]


def test_a_planned_surgery_is_recorded_and_listed_latest_first(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    record_planned_surgery(ctx, patient_id=patient.id, planned_on="2026-04-01",
                           procedure="Cataract", kind="clean")  # fmt: skip
    entry = record_planned_surgery(ctx, patient_id=patient.id, planned_on="2026-05-04",
                                   procedure=" Hip   replacement ", kind="septic",
                                   note="Orthopaedics, Dr Lis")  # fmt: skip
    assert (entry.procedure, entry.kind_name.split(",")[0], entry.note) == (
        "Hip replacement",
        "Septic or high infection risk",
        "Orthopaedics, Dr Lis",
    )
    assert [e.procedure for e in list_planned_surgeries(ctx, patient_id=patient.id)] == [
        "Hip replacement",
        "Cataract",
    ]
    assert [c.code for c in surgery_kind_choices()] == ["clean", "septic"]


def test_every_bad_surgery_field_is_named_at_once_and_nothing_is_saved(
    ctx: ServiceContext, patient: PatientSummary, table_counts: Counts
) -> None:
    before = table_counts()
    with pytest.raises(InvalidInputs) as refused:
        record_planned_surgery(ctx, patient_id=patient.id, planned_on="31.02.2026",
                               procedure="  ", kind="urgent")  # fmt: skip
    assert {e.field for e in refused.value.errors} == {"planned_on", "procedure", "kind"}
    assert "Write the planned procedure" in str(refused.value)
    assert "Choose the kind of surgery" in str(refused.value)
    assert table_counts() == before


def test_a_vaccine_given_cannot_be_in_the_future_but_one_due_can(
    ctx: ServiceContext, patient: PatientSummary, table_counts: Counts
) -> None:
    before = table_counts()
    with pytest.raises(InvalidInput, match="record a future vaccine as due"):
        record_vaccination(ctx, patient_id=patient.id, vaccine="Yellow fever", status="given",
                           on_date="2026-04-01")  # fmt: skip
    with pytest.raises(InvalidInputs) as refused:
        record_vaccination(ctx, patient_id=patient.id, vaccine="", status="maybe",
                           on_date="2026-04-01")  # fmt: skip
    assert {e.field for e in refused.value.errors} == {"vaccine", "status"}
    assert table_counts() == before
    entry = record_vaccination(ctx, patient_id=patient.id, vaccine="Yellow fever", status="due",
                               on_date="2026-04-01", note="travel to Brazil")  # fmt: skip
    assert (entry.status, entry.note) == ("due", "travel to Brazil")
    assert list_vaccinations(ctx, patient_id=patient.id) == (entry,)


def test_voiding_keeps_the_records_with_the_reason_in_the_audit_trail(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    surgery = record_planned_surgery(ctx, patient_id=patient.id, planned_on="2026-05-04",
                                     procedure="Hip replacement", kind="septic")  # fmt: skip
    vaccine = record_vaccination(ctx, patient_id=patient.id, vaccine="BCG", status="given",
                                 on_date="2026-02-01")  # fmt: skip
    voided = void_planned_surgery(ctx, surgery_id=surgery.id, reason="Operation cancelled")
    assert voided.voided is not None and voided.voided.reason == "Operation cancelled"
    gone = void_vaccination(ctx, vaccination_id=vaccine.id, reason="Wrong patient")
    assert gone.voided is not None
    with pytest.raises(InvalidInput, match="Reason is required"):
        void_vaccination(ctx, vaccination_id=vaccine.id, reason="")
    audit = patient_audit(ctx, patient_id=patient.id)
    assert {line.record for line in audit} >= {"planned surgery", "live vaccine"}
    assert any(line.field == "void_reason" and line.new == "Operation cancelled"
               for line in audit)  # fmt: skip


def test_booking_a_dose_inside_a_surgery_window_needs_a_reason(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)  # infliximab dose 1 on 2 March 2026
    dose_2 = booking.appointment_ids[1]  # due 16 March
    record_planned_surgery(ctx, patient_id=patient.id, planned_on="2026-05-04",
                           procedure="Hip replacement", kind="septic")  # fmt: skip
    (warning,) = booking_warnings(ctx, appointment_id=dose_2, day="2026-03-16")
    assert warning.code == SURGERY_WINDOW and warning.requires_override
    assert "Planned surgery on" in warning.message and "at least 2 months" in warning.message
    with pytest.raises(OverrideRequired) as needed:
        book_appointment(ctx, appointment_id=dose_2, day="2026-03-16", time="10:00",
                         chair="Chair 3")  # fmt: skip
    assert needed.value.codes == (SURGERY_WINDOW,)
    assert "Give a reason to book anyway" in str(needed.value)
    booked = book_appointment(
        ctx,
        appointment_id=dose_2,
        day="2026-03-16",
        time="10:00",
        chair="Chair 3",
        override_reason="Surgeon agrees: last dose",
    )
    assert booked.override_reason == "Surgeon agrees: last dose"


def test_a_dose_before_the_window_books_without_a_warning(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    record_planned_surgery(ctx, patient_id=patient.id, planned_on="2026-05-17",
                           procedure="Hip replacement", kind="septic")  # fmt: skip
    # 2 months before 17 May is 17 March: a dose on 16 or 17 March is outside the window
    assert booking_warnings(ctx, appointment_id=booking.appointment_ids[1],
                            day="2026-03-17") == ()  # fmt: skip
    (warning,) = booking_warnings(ctx, appointment_id=booking.appointment_ids[1],
                                  day="2026-03-18")  # fmt: skip
    assert warning.code == SURGERY_WINDOW


def test_a_live_vaccine_near_the_dose_asks_for_an_acknowledgement(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    record_vaccination(ctx, patient_id=patient.id, vaccine="Yellow fever", status="due",
                       on_date="2026-04-01")  # fmt: skip
    (warning,) = booking_warnings(ctx, appointment_id=booking.appointment_ids[1],
                                  day="2026-03-16")  # fmt: skip
    assert warning.code == LIVE_VACCINE_WINDOW and warning.requires_ack
    assert "Live vaccine Yellow fever due on" in warning.message
    with pytest.raises(OverrideRequired, match="Acknowledge to book anyway"):
        book_appointment(ctx, appointment_id=booking.appointment_ids[1], day="2026-03-16",
                         time="10:00", chair="Chair 3")  # fmt: skip
    book_appointment(
        ctx,
        appointment_id=booking.appointment_ids[1],
        day="2026-03-16",
        time="10:00",
        chair="Chair 3",
        acknowledged=(LIVE_VACCINE_WINDOW,),
    )


def test_the_schedule_marks_each_dose_still_to_give_inside_a_window(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)  # dose 1 booked today, 2 March
    record_planned_surgery(ctx, patient_id=patient.id, planned_on="2026-05-04",
                           procedure="Hip replacement", kind="septic")  # fmt: skip
    record_vaccination(ctx, patient_id=patient.id, vaccine="Yellow fever", status="given",
                       on_date="2026-02-25")  # fmt: skip
    course = get_course(ctx, course_id=booking.course_id)
    codes = {a.dose_number: [w.code for w in a.warnings if w.code.endswith("_WINDOW")]
             for a in course.appointments}  # fmt: skip
    # the septic window runs 5 March to 31 May: dose 1 (2 March) is outside it but 5 days after
    # the vaccine; dose 2 (16 March) is inside it and 19 days after the vaccine; dose 3
    # (13 April) is inside it only
    assert codes[1] == [LIVE_VACCINE_WINDOW]
    assert codes[2] == [SURGERY_WINDOW, LIVE_VACCINE_WINDOW]
    assert codes[3] == [SURGERY_WINDOW]
    (dose_3,) = [a for a in course.appointments if a.dose_number == 3]
    assert "Hip replacement" in dose_3.warnings[-1].message


def test_the_pre_check_shows_a_live_vaccine_and_a_surgery_near_todays_dose(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)  # today, 2 March 2026
    record_vaccination(ctx, patient_id=patient.id, vaccine="BCG", status="given",
                       on_date="2026-02-20")  # fmt: skip
    record_planned_surgery(ctx, patient_id=patient.id, planned_on="2026-03-20",
                           procedure="Cataract", kind="clean")  # fmt: skip
    visit = open_ready_visit(ctx, booking.appointment_id)
    surgery, vaccine = visit.surgery_and_vaccines
    assert surgery.startswith("Planned surgery on 20 Mar 2026 (Cataract; clean (sterile))")
    assert vaccine.startswith("Live vaccine BCG given on 20 Feb 2026, 10 days before this dose")


def test_the_pre_check_says_nothing_without_surgery_or_vaccines(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    assert open_ready_visit(ctx, booking.appointment_id).surgery_and_vaccines == ()


def test_the_infusion_record_prints_the_surgery_and_vaccine_warnings(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    record_vaccination(ctx, patient_id=patient.id, vaccine="BCG", status="given",
                       on_date="2026-02-20")  # fmt: skip
    visit = open_ready_visit(ctx, booking.appointment_id)
    printed = infusion_record(ctx, visit_id=visit.id)
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(printed)).pages).split()
    )
    assert "Planned surgery and live vaccines near this dose" in text
    assert "Live vaccine BCG given on 20 Feb 2026, 10 days before this dose" in text
