"""The blank checklist for the downtime stock: no patient, formula hints, minute offsets."""

from __future__ import annotations

import pytest
from report_samples import CLINIC, PRINTED_AT, WARSAW, page_sizes, page_texts

from clinic_app.domain.protocols import load_all_protocols, load_protocol
from clinic_app.reports.blank_checklist import blank_checklist_pdf
from clinic_app.reports.layout import PaperSize

BLANK_IDENTITY = "Name ________________________ MRN ____________ born ____________"


def blank(drug: str, paper: PaperSize = PaperSize.A4) -> list[str]:
    data = blank_checklist_pdf(protocol=load_protocol(drug), clinic=CLINIC, tz=WARSAW,
                               printed_at=PRINTED_AT, paper=paper)
    return page_texts(data)


def flat(texts: list[str]) -> str:
    return " ".join(" ".join(texts).split())


@pytest.mark.parametrize("paper", list(PaperSize), ids=lambda p: p.value)
@pytest.mark.parametrize("drug", [p.id for p in load_all_protocols()])
def test_every_page_has_blank_identity_lines_and_its_page_number(drug, paper):
    texts = blank(drug, paper)
    for number, text in enumerate(texts, start=1):
        assert BLANK_IDENTITY in " ".join(text.split())
        assert "ALLERGIES ____" in text
        assert f"Page {number} of {len(texts)}" in text


@pytest.mark.parametrize("paper", list(PaperSize), ids=lambda p: p.value)
def test_the_blank_sheet_names_no_patient_and_no_clock_time(paper):
    text = flat(blank("infliximab", paper))
    assert "Łukasz" not in text and "MRN 0" not in text
    assert "Start __:__ Projected end __:__ Observation until __:__" in text


@pytest.mark.parametrize("paper", list(PaperSize), ids=lambda p: p.value)
def test_the_dose_boxes_carry_the_protocols_formula_hints(paper):
    text = flat(blank("infliximab", paper))
    assert "weight ______ kg × ______ mg/kg = ______ mg" in text
    assert "100 mg vials: ______ (enough to cover the dose)" in text
    assert "each vial with 10 mL sterile water for injection = 10 mg/mL" in text
    assert "______ mg ÷ 10 mg/mL = ______ mL of drug" in text
    assert "take out ______ mL (= the drug volume)" in text
    assert "Over 1000 mg: use a 500 mL bag." in text
    assert "(must be 0.4-4 mg/mL)" in text
    assert "______ mL × 60 ÷ 120 min = ______ mL/h" in text
    assert "Crohn's disease 5 mg/kg" in text and "Range 3-10 mg/kg" in text


@pytest.mark.parametrize("paper", list(PaperSize), ids=lambda p: p.value)
def test_the_vitals_grid_shows_minute_offsets_instead_of_clock_times(paper):
    text = flat(blank("infliximab", paper))
    for row in ("before T+0 Baseline", "T+0 0 min into the infusion",
                "T+15 15 min into the infusion", "T+30 30 min", "T+60 60 min", "T+90 90 min",
                "End end of the infusion", "End+60 60 min after the end of the infusion",
                "End+120 end of the observation period (120 min)"):
        assert row in text, row


def test_the_graduated_table_is_printed_with_offsets():
    text = flat(blank("infliximab"))
    assert "Graduated rate (only when ordered after a previous reaction)" in text
    assert "1 20 T+0 T+15 15" in text
    assert "5 150 T+75 bag empty to the end" in text


def test_a_fixed_dose_drug_needs_no_weight_calculation():
    text = flat(blank("anifrolumab"))
    assert "300 mg (fixed dose, no weight calculation)" in text
    assert "Flush 25 mL 0.9% sodium chloride after the bag" in text
    assert "End+30 end of the observation period (30 min)" in text


def test_several_vial_sizes_and_the_small_patient_bag_are_hinted():
    text = flat(blank("tocilizumab"))
    assert "400 mg vials: ______ + 200 mg vials: ______ + 80 mg vials: ______" in text
    assert "least waste, then fewest vials" in text
    assert "Under 30 kg: 50 mL bag." in text
    assert "Giant cell arteritis 6 mg/kg (max 600 mg)" in text
    assert "Labs in date" in text  # the protocol's own pre-check


def test_observation_that_depends_on_the_dose_number_is_explained():
    text = flat(blank("vedolizumab"))
    assert "after the end: 120 min for doses 1-2; 60 min from dose 3" in text
    assert "End+120" in text
    assert "add the drug (nothing taken out); final volume 250 + ______ mL" in text


def test_the_blank_sheet_is_on_the_chosen_paper():
    data = blank_checklist_pdf(protocol=load_protocol("infliximab"), clinic=CLINIC, tz=WARSAW,
                               printed_at=PRINTED_AT, paper=PaperSize.LETTER)
    assert set(page_sizes(data)) == {(612, 792)}


def test_the_blank_sheet_gives_epinephrine_per_kg_never_a_fixed_adult_range():
    text = flat(blank("infliximab"))
    assert "0.01 mg/kg, at most 0.5 mg (no weight on file" in text
    assert "0.3-0.5" not in text
