"""High blood pressure and a low respiratory rate (issue 10): a reading of 200/120 with a
respiratory rate of 8 is flagged against the clinic settings wherever vitals flags go: the
recorded reading, the start of the infusion after flagged baseline vitals, the infusion record."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from visit_fixtures import answer_pre_checks, book_first_dose

from clinic_app.services import sheets
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import (
    BaselineFlagged,
    get_visit,
    open_visit,
    record_vitals,
    start_infusion,
)

HYPERTENSIVE = {"systolic": "200", "diastolic": "120", "heart_rate": "80",
                "temperature": "36.8", "respiratory_rate": "8", "spo2": "97"}
NEW_CODES = ("HIGH_SYSTOLIC", "HIGH_DIASTOLIC", "LOW_RESPIRATORY_RATE")


def _opened(ctx: ServiceContext, patient_id: int) -> int:
    booking = book_first_dose(ctx, patient_id)
    return open_visit(ctx, appointment_id=booking.appointment_id, weight="80").id


def test_a_reading_of_200_over_120_and_8_breaths_carries_its_three_flags(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    visit_id = _opened(ctx, patient.id)
    entry = record_vitals(ctx, visit_id=visit_id, **HYPERTENSIVE)
    assert tuple(f.code for f in entry.flags) == NEW_CODES
    again = get_visit(ctx, visit_id=visit_id).vitals[0]
    assert tuple(f.code for f in again.flags) == NEW_CODES


def test_flagged_baseline_vitals_hold_the_start_until_acknowledged_with_a_reason(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    visit_id = _opened(ctx, patient.id)
    record_vitals(ctx, visit_id=visit_id, item_key="pre.baseline_vitals", **HYPERTENSIVE)
    answer_pre_checks(ctx, visit_id)
    with pytest.raises(BaselineFlagged) as caught:
        start_infusion(ctx, visit_id=visit_id)
    assert caught.value.codes == NEW_CODES
    started = start_infusion(ctx, visit_id=visit_id, acknowledged_flags=NEW_CODES,
                             flags_reason="Dr Nowak: BP rechecked 170/100, proceed")
    assert started.status == "infusing"


def test_the_infusion_record_prints_the_flags(ctx: ServiceContext,
                                              patient: PatientSummary) -> None:
    visit_id = _opened(ctx, patient.id)
    record_vitals(ctx, visit_id=visit_id, **HYPERTENSIVE)
    data = sheets.infusion_record(ctx, visit_id=visit_id)
    page = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
                    .split())
    assert "Systolic blood pressure 200 mmHg is at or above 180 mmHg" in page
    assert "Respiratory rate 8/min is under 10/min" in page
