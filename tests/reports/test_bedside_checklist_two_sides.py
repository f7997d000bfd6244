"""Issue 12: the bedside checklist of a standard infusion fits a clipboard, on two sides.

Side 1: identity, allergies, dose and preparation, lots and the double-check signatures.
Side 2: the pre-infusion checks, the vitals grid, observation and discharge. Nothing a nurse
needs is left out to get there, and no text is printed smaller than 8 pt.
"""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader
from report_samples import CLINIC, PRINTED_AT, START, WARSAW, dose_plan, order, patient

from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.domain.checklists import Phase
from clinic_app.domain.protocols import load_protocol
from clinic_app.reports.bedside_checklist import bedside_checklist_pdf, planned_checklist
from clinic_app.reports.layout import PaperSize
from clinic_app.reports.records import PlanningWeight

INFLIXIMAB = load_protocol("infliximab")
EARLIER = PlanningWeight(Decimal("72.4"), START - timedelta(days=56))
SMALLEST_TYPE = 8  # points


def checklist():
    return planned_checklist(INFLIXIMAB, dose_plan(), dose_number=3, planned_start=START)


def standard_sheet(paper: PaperSize, *, before_visit: bool) -> bytes:
    return bedside_checklist_pdf(
        clinic=CLINIC,
        patient=patient(weighed=not before_visit),
        protocol=INFLIXIMAB,
        plan=dose_plan(),
        checklist=checklist(),
        order=order(),
        tz=WARSAW,
        printed_at=PRINTED_AT,
        paper=paper,
        planned_from=EARLIER if before_visit else None,
    )


def sides(data: bytes) -> list[str]:
    """Each page's text with runs of white space made single (wrapped phrases read whole)."""
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def one_line(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(
    scope="module",
    params=[(paper, before) for paper in PaperSize for before in (False, True)],
    ids=lambda p: f"{p[0].value}-{'before-visit' if p[1] else 'open-visit'}",
)
def printed(request: pytest.FixtureRequest) -> tuple[bytes, list[str]]:
    paper, before_visit = request.param
    data = standard_sheet(paper, before_visit=before_visit)
    return data, sides(data)


def test_a_standard_infliximab_infusion_prints_on_two_sides(printed):
    _data, pages = printed
    assert len(pages) == 2
    assert "Page 1 of 2" in pages[0] and "Page 2 of 2" in pages[1]


def test_side_one_holds_identity_allergies_dose_preparation_lots_and_signatures(printed):
    _data, pages = printed
    side = pages[0]
    for wanted in (
        "Łukasz Żółć",
        "MRN 00412345",
        "Date of birth 19 Jul 1984",
        "ALLERGIES: Penicillin (rash); Latex",
        "Weight today",
        "362 mg",
        "5 mg/kg × 72.4 kg = 362 mg",
        "4 × 100 mg vials (400 mg in all); discard 38 mg",
        "36.2 mL of drug",
        "take out 36.2 mL, then add the drug",
        "125 mL/h over 120 min (2 h)",
        "1.2 micron or less",
        "Projected end",
        "Product lot numbers",
        "Lot number",
        "Expiry",
        "Dose calculated and checked by a second nurse",
        "Infusion prepared (lot numbers recorded)",
        "Observation complete, patient discharged",
        "Name and signature",
    ):
        assert wanted in side, wanted
    for elsewhere in (
        "Before the infusion",
        "Fever or signs of infection",
        "BP mmHg",
        "Before the patient goes home",
    ):
        assert elsewhere not in side, elsewhere


def test_side_two_holds_the_checks_the_vitals_grid_observation_and_discharge(printed):
    _data, pages = printed
    side = pages[1]
    for wanted in (
        "Before the infusion",
        "Vital signs during the infusion",
        "Baseline, before the start",
        "15 min into the infusion",
        "end of the infusion; 120 min into the infusion",
        "Extra (rate change, reaction)",
        "Observation after the infusion, until",
        "60 min after the end of the infusion",
        "Before the patient goes home",
        "☐ Yes ☐ No",
        "Initials",
    ):
        assert wanted in side, wanted
    assert side.count("Extra (rate change, reaction)") == 4  # 3 in the infusion, 1 after
    for elsewhere in ("Product lot numbers", "Name and signature", "Calculation"):
        assert elsewhere not in side, elsewhere


def test_every_check_and_its_stop_rule_is_still_printed_on_side_two(printed):
    _data, pages = printed
    side = pages[1]
    items = [
        i
        for i in checklist().items
        if i.phase in (Phase.PRE, Phase.OBSERVATION, Phase.DISCHARGE)
        and i.kind is not ItemKind.VITALS
    ]
    assert len(items) > 10
    for item in items:
        assert one_line(item.text) in side, item.key
        if item.action is not None and item.blocking_answer is not None:
            assert one_line(f"If {item.blocking_answer}: {item.action}") in side, item.key


def test_before_the_patient_goes_home_starts_with_observation_complete(printed):
    _data, pages = printed
    discharge = pages[1][pages[1].index("Before the patient goes home") :]
    assert (
        discharge.index("Observation complete: 120 min after the end")
        < discharge.index("Patient feels well")
        < discharge.index("Told whom to call")
    )


def test_no_text_on_the_clipboard_sheet_is_smaller_than_8_points(printed):
    data, _pages = printed
    sizes: set[float] = set()

    def collect(text, cm, tm, _font, size):
        if text.strip():
            sizes.add(round(size * tm[3] * cm[3], 2))

    for page in PdfReader(io.BytesIO(data)).pages:
        page.extract_text(visitor_text=collect)
    assert sizes and min(sizes) >= SMALLEST_TYPE
