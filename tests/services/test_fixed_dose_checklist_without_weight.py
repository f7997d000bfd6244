"""Issue 12: the checklist of a fixed-dose appointment prints without a weight on file (from the
command line too); a weight-based one still asks for one. A fixed dose never reads "dose not
calculated" on any sheet."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from visit_fixtures import book_first_dose

from clinic_app.cli import main
from clinic_app.domain.errors import InvalidInput
from clinic_app.services import sheets
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary


def flat(data: bytes) -> str:
    return " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).split())


def test_the_command_line_prints_a_fixed_dose_checklist_for_a_patient_never_weighed(
    ctx: ServiceContext,
    patient: PatientSummary,
    db_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    booking = book_first_dose(ctx, patient.id, protocol="vedolizumab")
    out = tmp_path / "checklist.pdf"
    code = main(
        [
            "--db",
            str(db_path),
            "print",
            "checklist",
            "--appointment",
            str(booking.appointment_id),
            "--with-reaction-card",
            "-o",
            str(out),
        ]
    )
    captured = capsys.readouterr()
    assert (code, captured.err) == (0, ""), captured.err
    text = flat(out.read_bytes())
    assert "Calculated dose 300 mg" in text and "300 mg ordered (fixed dose)" in text
    assert "Weight today ____________ kg (weigh today)" in text
    assert "Last weight on file none: weigh the patient (the fixed dose needs no weight)" in text
    assert "PROVISIONAL" not in text.upper() and "dose not calculated" not in text
    assert "70 kg" not in text  # the nominal weight the plan was worked at is nobody's
    assert "0.01 mg/kg" in text  # the reaction card gives the epinephrine rule per kg
    assert "Planned start T+0 (booked for " in text  # before the visit: T+ offsets


def test_a_weight_based_appointment_without_a_weight_is_still_refused(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    with pytest.raises(InvalidInput) as refused:
        sheets.bedside_checklist(ctx, appointment_id=booking.appointment_id)
    assert refused.value.field == "weight"


def test_a_fixed_dose_reads_its_dose_on_the_day_list_and_the_checklist_before_weighing(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id, protocol="vedolizumab")
    day = flat(sheets.day_list(ctx, day="2026-03-02"))
    checklist = flat(sheets.bedside_checklist(ctx, appointment_id=booking.appointment_id))
    for page in (day, checklist):
        assert "300 mg" in page and "dose not calculated" not in page
