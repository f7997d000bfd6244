"""Sheets printed from the chart's lists: a voided record is refused with why, and the infusion
record of a dose not given says so with the reason instead of a bare status code."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from visit_fixtures import book_first_dose, infuse, open_ready_visit

from clinic_app.services import sheets
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ActionNotAllowed, NotFound
from clinic_app.services.patients import void_record
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import hold_dose


def text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_a_voided_reaction_or_visit_is_not_printed(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    reaction = log_reaction(ctx, patient_id=patient.id, visit_id=visit.id, onset=ctx.now(),
                            signs=["flushing"], term="infusion_related_reaction", grade=1)
    void_record(ctx, kind="reaction", record_id=reaction.summary.id, reason="Wrong patient")
    with pytest.raises(ActionNotAllowed, match=r"reaction was voided \(Wrong patient\)"):
        sheets.reaction_report(ctx, reaction_id=reaction.summary.id)
    void_record(ctx, kind="visit", record_id=visit.id, reason="Entered twice")
    with pytest.raises(ActionNotAllowed, match=r"visit was voided \(Entered twice\)"):
        sheets.infusion_record(ctx, visit_id=visit.id)


def test_the_infusion_record_of_a_dose_not_given_says_why(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    hold_dose(ctx, visit_id=visit.id, reason="Temp 38.4 °C; Dr Nowak: postpone 1 week")
    record = text(sheets.infusion_record(ctx, visit_id=visit.id))
    assert "Status not given: Temp 38.4 °C; Dr Nowak: postpone 1 week" in record
    assert "cancelled" not in record
    with pytest.raises(ActionNotAllowed, match=r"not given today \(Temp 38.4 °C"):
        sheets.bedside_checklist(ctx, visit_id=visit.id)


def test_a_voided_visit_has_no_monitoring_checklist(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    void_record(ctx, kind="visit", record_id=visit.id, reason="Opened for the wrong patient")
    with pytest.raises(NotFound, match="voided"):
        sheets.bedside_checklist(ctx, visit_id=visit.id)
