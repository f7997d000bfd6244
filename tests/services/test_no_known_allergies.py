""""No known allergies" (NKA): a voidable, audited statement that a new allergy supersedes, shown
alike on the chart, the visit and every sheet (issue 12, "Allergies")."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.domain.allergy_status import NOT_RECORDED_TEXT, allergy_line
from clinic_app.domain.errors import InvalidInput
from clinic_app.services.chart import get_chart, patient_audit
from clinic_app.services.clinic_day import clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients import add_allergy, record_no_known_allergies, void_record
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.sheets import day_list, infusion_record
from clinic_app.services.visits import get_appointment


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_a_patient_without_allergy_records_reads_not_recorded(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    chart = get_chart(ctx, patient_id=patient.id)
    assert chart.allergy_state == "not_recorded" and chart.allergy_line == NOT_RECORDED_TEXT


def test_no_known_allergies_is_recorded_and_shown_on_chart_visit_and_day(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    entry = record_no_known_allergies(ctx, patient_id=patient.id)
    assert entry.stated_on == ctx.local_now().date() and entry.voided is None
    chart = get_chart(ctx, patient_id=patient.id)
    assert chart.allergy_state == "none_known" and chart.allergy_line == "No known allergies"
    booking = book_first_dose(ctx, patient.id)
    assert get_appointment(ctx, appointment_id=booking.appointment_id).no_known_allergies
    visit = open_ready_visit(ctx, booking.appointment_id)
    assert visit.no_known_allergies and visit.allergies == ()
    day = ctx.local_now().date()
    row = next(r for r in clinic_day(ctx, day=day) if r.patient.id == patient.id)
    assert row.no_known_allergies
    assert "No known allergies" in _pdf_text(day_list(ctx, day=day))


def test_the_infusion_record_prints_no_known_allergies(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    record_no_known_allergies(ctx, patient_id=patient.id)
    visit = open_ready_visit(ctx, book_first_dose(ctx, patient.id).appointment_id)
    text = _pdf_text(infusion_record(ctx, visit_id=visit.id))
    assert "No known allergies" in text and "NOT RECORDED" not in text


def test_an_allergy_supersedes_no_known_allergies_with_an_audited_void(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    record_no_known_allergies(ctx, patient_id=patient.id)
    add_allergy(ctx, patient_id=patient.id, substance="Penicillin", reaction="rash")
    chart = get_chart(ctx, patient_id=patient.id)
    assert chart.allergy_line == "Allergies: Penicillin (rash)"
    (statement,) = chart.no_known_allergies
    assert statement.voided is not None and "Penicillin" in statement.voided.reason
    assert any(line.record == "no known allergies" for line in
               patient_audit(ctx, patient_id=patient.id))


def test_no_known_allergies_is_refused_while_an_allergy_stands(
        ctx: ServiceContext, patient: PatientSummary,
        table_counts: object) -> None:
    allergy = add_allergy(ctx, patient_id=patient.id, substance="Latex")
    before = table_counts()  # type: ignore[operator]
    with pytest.raises(InvalidInput, match="void the allergy first") as refused:
        record_no_known_allergies(ctx, patient_id=patient.id)
    assert refused.value.field == "allergies" and "Latex" in str(refused.value)
    assert table_counts() == before  # type: ignore[operator]
    void_record(ctx, kind="allergy", record_id=allergy.id, reason="Entered for the wrong patient")
    record_no_known_allergies(ctx, patient_id=patient.id)
    assert get_chart(ctx, patient_id=patient.id).allergy_state == "none_known"


def test_no_known_allergies_is_voidable_and_not_recorded_twice(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    entry = record_no_known_allergies(ctx, patient_id=patient.id)
    with pytest.raises(InvalidInput, match="already recorded"):
        record_no_known_allergies(ctx, patient_id=patient.id)
    void_record(ctx, kind="no_known_allergies", record_id=entry.id, reason="Not asked yet")
    assert get_chart(ctx, patient_id=patient.id).allergy_line == NOT_RECORDED_TEXT


def test_the_allergy_line_never_reads_none_known_beside_an_allergy() -> None:
    assert allergy_line(["Latex"], True) == "Allergies: Latex"
    assert allergy_line([], True) == "No known allergies"
    assert allergy_line([], False) == NOT_RECORDED_TEXT
