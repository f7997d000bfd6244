"""The bedside checklist: what the nurse must see at the chair, on A4 and US Letter."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from report_samples import (
    CLINIC,
    NAMES,
    NEW_YORK,
    PRINTED_AT,
    START,
    WARSAW,
    dose_plan,
    order,
    page_sizes,
    page_texts,
    patient,
)

from clinic_app.domain.dosing import calculate_dose
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.protocols import load_protocol
from clinic_app.reports.bedside_checklist import bedside_checklist_pdf, planned_checklist
from clinic_app.reports.layout import PaperSize
from clinic_app.reports.records import PlanningWeight

INFLIXIMAB = load_protocol("infliximab")
PAPER_POINTS = {PaperSize.A4: (595, 842), PaperSize.LETTER: (612, 792)}


def sheet(paper: PaperSize = PaperSize.A4, *, graduated: bool = False, who=None, tz=WARSAW,
          printed_at: datetime = PRINTED_AT, out=None,
          planned_from: PlanningWeight | None = None, reaction_card: bool = False) -> bytes:
    plan = dose_plan(graduated=graduated)
    checklist = planned_checklist(INFLIXIMAB, plan, dose_number=3, planned_start=START,
                                  previous_reaction=graduated)
    return bedside_checklist_pdf(clinic=CLINIC, patient=who or patient(), protocol=INFLIXIMAB,
                                 plan=plan, checklist=checklist, order=order(), tz=tz,
                                 printed_at=printed_at, planned_from=planned_from,
                                 paper=paper, out=out, reaction_card=reaction_card)


def whole(texts: list[str]) -> str:
    """All pages as one text, lines joined by single spaces (wrapped phrases read whole)."""
    return " ".join(" ".join(texts).split())


def lines(texts: list[str]) -> list[str]:
    return [line.strip() for text in texts for line in text.splitlines()]


@pytest.fixture(scope="module", params=list(PaperSize), ids=lambda p: p.value)
def printed(request: pytest.FixtureRequest) -> tuple[PaperSize, list[str], bytes]:
    data = sheet(request.param, reaction_card=True)
    return request.param, page_texts(data), data


def test_the_sheet_is_on_the_chosen_paper(printed):
    paper, _texts, data = printed
    assert set(page_sizes(data)) == {PAPER_POINTS[paper]}


def test_every_page_carries_the_patient_identity_and_allergies(printed):
    _paper, texts, _data = printed
    for text in texts:
        assert "Łukasz Żółć" in text
        assert "MRN 00412345" in text
        assert "born 19 Jul 1984" in text
        assert "ALLERGIES: Penicillin (rash); Latex" in text


def test_every_page_is_numbered_page_x_of_y(printed):
    _paper, texts, _data = printed
    total = len(texts)
    assert total > 1
    for number, text in enumerate(texts, start=1):
        assert f"Page {number} of {total}" in text


def test_the_dose_and_its_preparation_are_printed(printed):
    _paper, texts, _data = printed
    text = whole(texts)
    assert "362 mg" in text
    assert "5 mg/kg × 72.4 kg = 362 mg" in text
    assert "4 × 100 mg vials (400 mg in all); discard 38 mg" in text
    assert "each vial with 10 mL sterile water for injection (10 mg/mL)" in text
    assert "36.2 mL of drug" in text
    assert "take out 36.2 mL, then add the drug" in text
    assert "250 mL at 1.45 mg/mL" in text
    assert "125 mL/h over 120 min (2 h)" in text
    assert "1.2 micron or less" in text


def test_the_order_and_todays_weight_are_printed(printed):
    _paper, texts, _data = printed
    text = whole(texts)
    assert "prescribed by Dr Anna Nowak" in text
    assert "Crohn's disease" in text
    assert "72.4 kg, measured 2 Mar 2026 09:20" in text


def test_the_vitals_grid_has_the_planned_clock_times_in_local_time(printed):
    _paper, texts, _data = printed
    text, cells = whole(texts), lines(texts)
    assert "before 10:00 Baseline, before the start" in text
    for due in ("10:15", "10:30", "11:00", "11:30", "12:00", "13:00", "14:00"):
        assert due in cells, due
    assert "10:15 15 min into the infusion" in text
    assert "13:00 60 min after the end of the infusion" in text
    assert "Observation after the infusion, until 14:00 (120 min)" in text
    assert "Projected end" in text


def test_the_checks_have_tick_boxes_and_say_what_blocks_the_start(printed):
    _paper, texts, _data = printed
    text = whole(texts)
    assert "☐ Yes ☐ No" in text
    assert "Anaphylaxis kit at hand and in date" in text
    assert "If no: Do not start until a complete, in-date anaphylaxis kit is" in text
    assert "Cannula removed and site checked" in text


def test_lot_boxes_signatures_and_reaction_guidance_are_on_the_sheet(printed):
    _paper, texts, _data = printed
    text = whole(texts)
    assert "Product lot numbers" in text
    assert "Lot number" in text and "Expiry" in text
    assert "Name and signature" in text
    assert "Urticaria (hives)" in text and "Serum-sickness-like" in text
    assert "Epinephrine (adrenaline) 1 mg/mL IM into the outer thigh: 0.5 mg = 0.5 mL" in text
    assert "0.3-0.5" not in text
    assert "Grades and definitions: CTCAE v5.0" in text


def test_a_graduated_infusion_prints_its_steps_with_clock_times():
    text = whole(page_texts(sheet(graduated=True)))
    assert "Graduated: 137 min (2 h 17 min), see the table" in text
    assert "4 120 10:45 11:15 30 60.0" in text
    assert "5 150 11:15 12:17 62 155.0" in text
    assert "Premedication given as prescribed" in text


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
@pytest.mark.parametrize("paper", list(PaperSize), ids=lambda p: p.value)
def test_polish_spanish_and_cyrillic_names_print_as_typed(name, paper):
    texts = page_texts(sheet(paper, who=patient(name)))
    assert all(name in text for text in texts)


def test_times_print_in_the_clinics_time_zone():
    text = whole(page_texts(sheet(tz=NEW_YORK)))
    assert "before 04:00" in text  # 10:00 in Warsaw is 04:00 in New York
    assert "Printed 2 Mar 2026 03:05" in text


def test_a_patient_without_recorded_allergies_is_flagged_to_be_asked():
    unknown = replace(patient(), allergies=())
    text = whole(page_texts(sheet(who=unknown)))
    assert "ALLERGIES NOT RECORDED: ask the patient before starting" in text
    asked = replace(patient(), allergies=(), no_known_allergies=True)
    assert "No known allergies" in whole(page_texts(sheet(who=asked)))


def test_the_file_written_holds_the_same_pdf_as_the_bytes_returned(tmp_path):
    out = tmp_path / "checklist.pdf"
    data = sheet(out=out)
    assert out.read_bytes() == data
    assert data.startswith(b"%PDF")


def test_a_naive_printed_at_is_refused():
    with pytest.raises(InvalidInput, match="time zone"):
        sheet(printed_at=datetime(2026, 3, 2, 9, 5))


# ---- printed before the visit is opened: no weight for today yet -----------------------------

LAST_ON_FILE = PlanningWeight(Decimal("72.40"), START - timedelta(days=56))


def test_before_todays_weight_the_dose_is_provisional_and_weight_today_is_blank():
    texts = page_texts(sheet(who=patient(weighed=False), planned_from=LAST_ON_FILE))
    text = whole(texts)
    assert "Weight today ____________ kg (weigh today)" in text
    assert "Last weight on file 72.4 kg, measured 5 Jan 2026 10:00" in text
    assert ("PROVISIONAL DOSE: planned from the last weight on file (72.4 kg, 5 Jan 2026), not "
            "from today's weight.") in text
    assert "Do not prepare from this sheet." in text
    assert "Provisional dose 362 mg, provisional" in text
    assert "Calculated dose" not in text
    assert "Weight today 72.4" not in text
    for page in texts:
        assert "Infliximab, dose 3, Mon 2 Mar 2026, provisional dose" in " ".join(page.split())


def test_a_weight_given_when_printing_is_not_presented_as_recorded():
    typed = PlanningWeight(Decimal("72.4"))
    text = whole(page_texts(sheet(who=patient(weighed=False), planned_from=typed)))
    assert "Weight given when printing 72.4 kg (not a recorded weight)" in text
    assert "PROVISIONAL DOSE: planned from a weight given when printing (72.4 kg)" in text


def test_a_fixed_dose_before_todays_weight_is_not_provisional_but_weight_today_is_blank():
    vedolizumab = load_protocol("vedolizumab")
    plan = calculate_dose(vedolizumab, "72.4", fixed_mg=300)
    checklist = planned_checklist(vedolizumab, plan, dose_number=3, planned_start=START)
    text = whole(page_texts(bedside_checklist_pdf(
        clinic=CLINIC, patient=patient(weighed=False), protocol=vedolizumab, plan=plan,
        checklist=checklist, tz=WARSAW, printed_at=PRINTED_AT, planned_from=LAST_ON_FILE)))
    assert "Weight today ____________ kg (weigh today)" in text
    assert "Last weight on file 72.4 kg" in text
    assert "PROVISIONAL" not in text.upper()
    assert "Calculated dose 300" in text


def test_an_earlier_weight_with_a_weight_for_today_is_refused():
    with pytest.raises(InvalidInput) as refused:
        sheet(planned_from=LAST_ON_FILE)
    assert refused.value.field == "planned_from"


@pytest.mark.parametrize("paper", list(PaperSize), ids=lambda p: p.value)
def test_without_the_reaction_card_the_sheet_is_short_and_signatures_are_on_the_first_pages(
        paper):
    """Issue 12: the reaction reference is printed on request; the second nurse's dose check
    signs next to the dose and lots, before the pre-infusion checks."""
    texts = page_texts(sheet(paper))
    text = whole(texts)
    assert "What to do, by grade" not in text and "Reaction card" not in text
    assert len(texts) == 2  # was 7 with the reaction reference: two sides for the clipboard
    signed = text.index("Dose calculated and checked by a second nurse")
    assert text.index("Product lot numbers") < signed < text.index("Before the infusion")


@pytest.mark.parametrize("paper", list(PaperSize), ids=lambda p: p.value)
def test_the_reaction_card_starts_on_its_own_page_with_anaphylaxis_and_epinephrine_first(
        paper):
    plain_pages = len(page_texts(sheet(paper)))
    texts = page_texts(sheet(paper, reaction_card=True))
    card = whole(texts[plain_pages:])
    assert card.index("Reaction card: Infliximab") < card.index("What to do, by grade")
    grades = card[card.index("What to do, by grade"):]
    first_row = grades.index("grade", grades.index("What to do", len("What to do, by grade")))
    assert grades[:first_row].rstrip().endswith("Anaphylaxis")
    assert grades.index("Epinephrine (adrenaline)") < grades.index("Infusion related reaction")
    assert grades.index("Death") > grades.index("Allergic reaction")


@pytest.mark.parametrize("graduated", [False, True], ids=["standard", "graduated"])
def test_before_the_visit_times_are_offsets_from_the_start_and_the_dose_is_provisional(
        graduated):
    """Issue 12: printed before the visit, the real start is not known: T+0, T+15 min ..."""
    texts = page_texts(sheet(who=patient(weighed=False), planned_from=LAST_ON_FILE,
                             graduated=graduated))
    text = whole(texts)
    assert "Planned start T+0 (booked for 10:00; the times below count from the real start)" \
        in text
    assert "Provisional dose 362 mg, provisional (weigh on the day)" in text
    grid = text[text.index("Vital signs during the infusion"):]
    assert "before T+0 Baseline" in grid and "T+15 min 15 min into the infusion" in grid
    assert "T+1 h 60 min into the infusion" in grid
    for clock_time in ("10:15", "10:30", "11:00", "12:00", "14:00"):
        assert clock_time not in grid
    if graduated:
        steps = text[text.index("Graduated rate"):text.index("Product lot numbers")]
        assert "T+0" in steps and "10:" not in steps


def test_an_open_visit_keeps_clock_times():
    grid = whole(page_texts(sheet()))
    assert "10:15 15 min into the infusion" in grid and "T+15" not in grid
