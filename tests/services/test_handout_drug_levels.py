"""Issue 13 "printed": the course's schedule handout carries its drug levels (voided ones left
out, with the latest in words) and its response review (the dose and week, the decision by whom
and when, or "not recorded yet")."""

from __future__ import annotations

import io
import os
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from visit_fixtures import book_first_dose

from clinic_app.services import sheets
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import record_review_decision
from clinic_app.services.drug_levels import record_drug_level, void_drug_level
from clinic_app.services.drug_levels.dto import DrugLevelForm
from clinic_app.services.patients.dto import PatientSummary


def flat(data: bytes) -> str:
    pages = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(pages.split())


def _level(ctx: ServiceContext, course_id: int, **form: str) -> int:
    return record_drug_level(ctx, course_id=course_id, form=DrugLevelForm(**form)).id


def test_the_handout_prints_the_levels_on_file_and_the_review_decision(
    ctx: ServiceContext, patient: PatientSummary, tmp_path: Path
) -> None:
    course_id = book_first_dose(ctx, patient.id).course_id
    _level(ctx, course_id, kind="trough", drawn_on="2026-03-02", value="2.50", assay="ELISA",
           before_dose="1")  # fmt: skip
    _level(ctx, course_id, kind="antibody", drawn_on="2026-03-02", value="12.0", unit="ng/mL",
           cutoff="10.00", assay="Drug-tolerant ELISA")  # fmt: skip
    wrong = _level(ctx, course_id, kind="trough", drawn_on="2026-03-02", value="99")
    void_drug_level(ctx, level_id=wrong, reason="Wrong patient's result")
    record_review_decision(ctx, course_id=course_id, decision="continue", decided_on="2026-03-02")

    data = sheets.schedule_handout(ctx, course_id=course_id)
    text = flat(data)
    assert "Drug levels Date drawn Before dose Result Assay" in text
    assert "2 Mar 2026 No. 1 Trough 2.5 µg/mL ELISA" in text
    assert "Antibodies 12 ng/mL (cutoff 10): positive" in text and "Drug-tolerant" in text
    assert "99" not in text  # the voided result is left out
    assert "Latest trough 2.5 µg/mL on 2 Mar 2026, before dose 1" in text
    assert (
        "Response review due at dose 4 (week 14): decision continue by Dr Ewa Nowak on "
        "2 Mar 2026" in text
    )
    assert "2.50" not in text and "12.0 " not in text  # numbers without trailing zeros

    pdf = tmp_path / "handout.pdf"
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")],
                   check=True)  # fmt: skip
    pngs = sorted(tmp_path.glob("page*.png"))
    assert pngs
    if keep := os.environ.get("KEEP_HANDOUT_PNG"):  # to look at the page by hand
        for png in pngs:
            Path(keep).joinpath(png.name).write_bytes(png.read_bytes())


def test_without_levels_no_table_and_the_review_reads_not_recorded_yet(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    course_id = book_first_dose(ctx, patient.id).course_id
    text = flat(sheets.schedule_handout(ctx, course_id=course_id))
    assert "Drug levels" not in text and "Date drawn" not in text
    assert "Response review due at dose 4 (week 14): decision not recorded yet" in text


@pytest.mark.parametrize("protocol", ["tocilizumab"])
def test_a_course_without_a_review_prints_no_review_line(
    ctx: ServiceContext, patient: PatientSummary, protocol: str
) -> None:
    course_id = book_first_dose(ctx, patient.id, protocol=protocol).course_id
    assert "Response review" not in flat(sheets.schedule_handout(ctx, course_id=course_id))
