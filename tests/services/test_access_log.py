"""Who looked (issue 11, item 14): opening a chart and printing a sheet with patient data are
logged, and only the administrator reads and exports the log.

Before the fix nothing recorded a look: a nurse could read any chart, print it and leave no
trace. Anna Keller (the first account) is the administrator, Beat Meier a nurse.
"""

from __future__ import annotations

import csv
import io

import pytest
from clinic_testing import FakeClock
from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.services import sheets
from clinic_app.services.access_log import access_log, export_access_log
from clinic_app.services.chart import get_chart
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound, NotPermitted
from clinic_app.services.patients.dto import PatientSummary


def test_opening_a_chart_logs_who_when_and_which_patient(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary,
        clock: FakeClock) -> None:
    assert access_log(ctx) == ()
    get_chart(second_ctx, patient_id=patient.id)
    (line,) = access_log(ctx)
    assert (line.nurse, line.mrn, line.patient, line.action) == (
        "Beat Meier", patient.mrn, "García, José", "Opened the chart")
    assert line.at == clock.now and line.at.utcoffset() is not None
    assert " / " in line.via  # this computer and its operating-system user


def test_the_screen_refreshing_the_same_chart_is_one_look_until_ten_minutes_pass(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary,
        clock: FakeClock) -> None:
    get_chart(second_ctx, patient_id=patient.id)
    clock.advance(minutes=9)
    get_chart(second_ctx, patient_id=patient.id)
    get_chart(ctx, patient_id=patient.id)  # another nurse: another look
    assert [line.nurse for line in access_log(ctx)] == ["Beat Meier", "Anna Keller"]
    clock.advance(minutes=2)
    get_chart(second_ctx, patient_id=patient.id)
    assert [line.nurse for line in access_log(ctx)] == ["Beat Meier", "Anna Keller",
                                                        "Beat Meier"]


def test_printing_a_sheet_with_patient_data_is_logged_with_the_sheet(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary,
        clock: FakeClock) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    sheets.bedside_checklist(second_ctx, visit_id=visit.id)
    sheets.schedule_handout(second_ctx, course_id=booking.course_id)
    sheets.day_list(second_ctx, day="2026-03-02")
    sheets.blank_checklist(second_ctx, protocol_id="infliximab")  # no patient data: not logged
    printed = [(line.nurse, line.mrn, line.detail) for line in access_log(ctx)
               if line.action == "Printed"]
    assert printed == [
        ("Beat Meier", patient.mrn, f"bedside checklist, visit {visit.id}"),
        ("Beat Meier", patient.mrn, f"schedule handout, course {booking.course_id}"),
        ("Beat Meier", "", "day list 2 Mar 2026, 1 patient"),
    ]


def test_a_print_without_a_nurse_signed_in_names_the_computer_and_its_user(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    sheets.schedule_handout(ctx.signed_out(), course_id=booking.course_id)
    (line,) = access_log(ctx)
    assert line.nurse == "(no nurse signed in)" and line.via


def test_only_an_administrator_reads_the_log(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary) -> None:
    get_chart(second_ctx, patient_id=patient.id)
    with pytest.raises(NotPermitted, match=r"^Only an administrator may read or export the "
                                           r"access log\.$"):
        access_log(second_ctx)
    with pytest.raises(NotPermitted):
        export_access_log(second_ctx)


def test_the_log_is_filtered_by_patient_and_by_clinic_local_days(
        ctx: ServiceContext, make_patient, clock: FakeClock) -> None:
    jose = make_patient()
    ewa = make_patient(mrn="MRN002", family_name="Nowak", given_names="Ewa")
    get_chart(ctx, patient_id=jose.id)
    clock.advance(days=1)
    get_chart(ctx, patient_id=ewa.id)
    assert [line.mrn for line in access_log(ctx, mrn="MRN002")] == ["MRN002"]
    assert [line.mrn for line in access_log(ctx, since="2026-03-03")] == ["MRN002"]
    assert [line.mrn for line in access_log(ctx, until="2026-03-02")] == [jose.mrn]
    with pytest.raises(NotFound, match="No patient with MRN NOPE"):
        access_log(ctx, mrn="NOPE")


def test_the_export_is_csv_with_a_header_and_is_itself_logged(
        ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary) -> None:
    get_chart(second_ctx, patient_id=patient.id)
    rows = list(csv.reader(io.StringIO(export_access_log(ctx, mrn=patient.mrn))))
    assert rows[0] == ["When", "Nurse", "MRN", "Patient", "What", "Detail", "Computer / user"]
    assert rows[1][1:5] == ["Beat Meier", patient.mrn, "García, José", "Opened the chart"]
    assert len(rows) == 2
    last = access_log(ctx)[-1]
    assert (last.nurse, last.action, last.detail) == (
        "Anna Keller", "Exported the access log", f"1 rows, MRN {patient.mrn}")
