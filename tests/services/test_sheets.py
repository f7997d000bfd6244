"""Printed sheets from what is on record: the services map their DTOs onto the reports."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from visit_fixtures import PRODUCT_INFLIXIMAB, book_first_dose, infuse, open_ready_visit

from clinic_app.domain.errors import InvalidInput
from clinic_app.services import sheets
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients import add_allergy, record_weight
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import record_lot
from clinic_app.services.visits.dto import MedicationForm


def text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_an_appointment_checklist_uses_the_last_weight_or_asks_for_one(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    with pytest.raises(InvalidInput) as missing:
        sheets.bedside_checklist(ctx, appointment_id=booking.appointment_id)
    assert missing.value.field == "weight"
    record_weight(ctx, patient_id=patient.id, weight="71")
    add_allergy(ctx, patient_id=patient.id, substance="Penicillin", reaction="rash")
    page = text(sheets.bedside_checklist(ctx, appointment_id=booking.appointment_id))
    assert "355" in page and "Penicillin (rash)" in page and "GARCÍA, José" in page


def test_a_checklist_printed_before_the_visit_is_opened_never_shows_an_old_weight_as_today(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    """A visit not yet opened has no weight for today: the dose is provisional."""
    record_weight(ctx, patient_id=patient.id, weight="71")
    clock.advance(days=14)  # type: ignore[attr-defined]
    booking = book_first_dose(ctx, patient.id, day=ctx.local_now().date().isoformat())
    page = " ".join(text(sheets.bedside_checklist(
        ctx, appointment_id=booking.appointment_id)).split())
    assert "Weight today ____________ kg (weigh today)" in page
    assert "Last weight on file 71 kg, measured" in page
    assert "PROVISIONAL DOSE: planned from the last weight on file (71 kg" in page
    assert "Provisional dose 355" in page and "Calculated dose" not in page
    typed = " ".join(text(sheets.bedside_checklist(
        ctx, appointment_id=booking.appointment_id, weight="160", unit="lb")).split())
    assert "Weight given when printing 72.57 kg (not a recorded weight)" in typed
    assert "Weight today ____________ kg (weigh today)" in typed
    visit = open_ready_visit(ctx, booking.appointment_id)
    opened = " ".join(text(sheets.bedside_checklist(ctx, visit_id=visit.id)).split())
    assert "Weight today 72.5 kg, measured" in opened
    assert "PROVISIONAL" not in opened and "Last weight on file" not in opened
    assert "Calculated dose" in opened


def test_the_infusion_record_and_reaction_report_carry_what_was_recorded(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    record_lot(ctx, visit_id=visit.id, product_name=PRODUCT_INFLIXIMAB, lot="IFX77",
               expiry="2027-01-31")
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    reaction = log_reaction(
        ctx, patient_id=patient.id, visit_id=visit.id, onset=ctx.now(), signs=["flushing"],
        term="infusion_related_reaction", grade=1,
        medications=[MedicationForm(drug="Paracetamol", dose="1000", dose_unit="mg",
                                    route="PO")])
    record = text(sheets.infusion_record(ctx, visit_id=visit.id))
    assert "IFX77" in record and "Anna Keller" in record and "362.5" in record
    report = text(sheets.reaction_report(ctx, reaction_id=reaction.summary.id,
                                         recipient="Pharmacovigilance"))
    assert "Paracetamol" in report and "IFX77" in report


def test_an_ungraded_delayed_rash_prints_not_graded_with_its_notes(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    clock.advance(days=12)  # type: ignore[attr-defined]
    reaction = log_reaction(ctx, patient_id=patient.id, onset="2026-03-12 08:00",
                            signs=["psoriasiform_rash"], notes="Plaques on both palms")
    for sheet in (sheets.reaction_report(ctx, reaction_id=reaction.summary.id),
                  sheets.infusion_record(ctx, visit_id=visit.id)):
        page = " ".join(text(sheet).split())
        assert "Not graded (delayed reaction)" in page
        assert "Plaques on both palms" in page
        assert "Psoriasiform rash" in page


def test_the_day_list_and_the_schedule_print_on_letter_paper(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    day = sheets.day_list(ctx, day="2026-03-02", paper="letter")
    box = PdfReader(io.BytesIO(day)).pages[0].mediabox
    assert sorted((box.width, box.height)) == [612, 792]  # US Letter (landscape)
    assert "GARCÍA, José" in text(day)
    assert "Infliximab" in text(sheets.schedule_handout(ctx, course_id=booking.course_id))


def test_the_schedule_handout_names_the_emergency_number_and_the_clinic_from_settings(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    page = " ".join(text(sheets.schedule_handout(ctx, course_id=booking.course_id)).split())
    page = page.replace("\u00a0", " ").replace("\u2011", "-")
    emergency = ctx.settings.clinic.emergency_number
    assert emergency and f"Call at once. Emergency number {emergency}" in page
    assert f"The clinic {ctx.clinic_phone}" in page
    assert "Give the late dose" not in page


def test_bad_sheet_requests_are_refused_by_field(ctx: ServiceContext,
                                                 patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    for call, field in (
            (lambda: sheets.day_list(ctx, day="2026-03-02", paper="a3"), "paper"),
            (lambda: sheets.bedside_checklist(ctx, visit_id=1,
                                              appointment_id=booking.appointment_id),
             "visit_id"),
            (lambda: sheets.blank_checklist(ctx, protocol_id="aspirin"), "protocol_id")):
        with pytest.raises(InvalidInput) as refused:
            call()
        assert refused.value.field == field


def test_the_day_list_prints_a_fixed_dose_before_the_patient_is_weighed(
        ctx: ServiceContext, make_patient) -> None:
    """Issue 12: vedolizumab 300 mg read "dose not calculated" on the day list until the visit
    was opened; a fixed dose needs no weight. A weight-based dose still asks to weigh."""
    vedolizumab = make_patient()
    infliximab = make_patient(mrn="MRN002", family_name="Nowak", given_names="Ewa")
    book_first_dose(ctx, vedolizumab.id, protocol="vedolizumab", time="09:00", chair="Chair 1")
    book_first_dose(ctx, infliximab.id, time="10:00", chair="Chair 2")
    page = " ".join(text(sheets.day_list(ctx, day="2026-03-02")).split())
    assert "Vedolizumab, dose 1 300 mg" in page
    assert "dose not calculated" not in page
    assert "5 mg/kg: weigh and calculate" in page


def test_the_day_list_lists_a_missed_appointment_marked_as_today_does(
        ctx: ServiceContext, make_patient) -> None:
    """Issue 12: the printed day list left out who did not attend, so paper and Today differed."""
    from clinic_app.services.courses import mark_did_not_attend

    missed = make_patient()
    booking = book_first_dose(ctx, missed.id, protocol="vedolizumab", time="08:00")
    mark_did_not_attend(ctx, appointment_id=booking.appointment_id)
    page = " ".join(text(sheets.day_list(ctx, day="2026-03-02")).split())
    assert "1 appointments (1 did not attend)" in page
    assert "GARCÍA, José" in page and "Did not attend" in page
