"""Issue 12: the printed day list says what is overdue as Today does, clinical items (vitals,
observation, pre-check) counted apart from paperwork (recording an end that has happened)."""

from __future__ import annotations

import io

from pypdf import PdfReader
from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.services import sheets
from clinic_app.services.clinic_day import clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import start_infusion

DAY = "2026-03-02"


def flat(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_an_unrecorded_end_is_paperwork_and_late_vitals_are_clinical_on_paper_and_today(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    booking = book_first_dose(ctx, patient.id)
    start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=190)  # type: ignore[attr-defined]  (12:40; the end was due 11:30)
    (row,) = clinic_day(ctx, day=DAY)
    assert row.overdue_paperwork == ("11:30 Record the end of the infusion",)
    clinical = [i for i in row.overdue_items if i not in row.overdue_paperwork]
    assert "09:45 Vitals: 15 min into the infusion" in clinical
    assert row.overdue_count.clinical == len(clinical) and row.overdue_count.paperwork == 1
    page = flat(sheets.day_list(ctx, day=DAY))
    assert f"overdue: {len(clinical)} clinical, 1 paperwork" in page
    assert "Overdue paperwork: 11:30 Record the end of the infusion" in page
    assert "Overdue: 09:45 Vitals: 15 min into the infusion" in page
    assert "Overdue: 11:30 Record the end" not in page


def test_nothing_late_prints_no_overdue_count(ctx: ServiceContext, patient: PatientSummary) -> None:
    book_first_dose(ctx, patient.id)
    page = flat(sheets.day_list(ctx, day=DAY))
    assert "overdue" not in page.lower()
