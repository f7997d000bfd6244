"""The infusion record of a completed visit: everything recorded, with times and nurses."""

from __future__ import annotations

from dataclasses import replace

import pytest
from report_samples import (
    CLINIC,
    NAMES,
    PRINTED_AT,
    WARSAW,
    page_sizes,
    page_texts,
    visit_record,
)

from clinic_app.reports.infusion_record import infusion_record_pdf
from clinic_app.reports.layout import PaperSize
from clinic_app.reports.records import ReactionDetails

VITALS_HEADER = "Time Time point BP mmHg Pulse /min Temp °C Resp /min SpO2 % Flags Nurse"


def record_texts(record=None, paper: PaperSize = PaperSize.A4) -> list[str]:
    data = infusion_record_pdf(record or visit_record(), clinic=CLINIC, tz=WARSAW,
                               printed_at=PRINTED_AT, paper=paper)
    return page_texts(data)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=list(PaperSize), ids=lambda p: p.value)
def record(request: pytest.FixtureRequest) -> str:
    return flat(" ".join(record_texts(paper=request.param)))


def test_the_dose_given_and_the_visit_times_are_printed(record):
    assert "Dose given 362 mg (5 mg/kg × 72.4 kg)" in record
    assert "Vials 4 x 100 mg" in record
    assert "36.2 mL taken out" in record
    assert "Started 2 Mar 2026 10:00" in record
    assert "Ended 2 Mar 2026 12:46" in record
    assert "Observation 120 min, until 14:46" in record
    assert "Discharged 2 Mar 2026 14:52" in record
    assert "Responsible nurse Maria Kowalska" in record


def test_the_weight_is_named_as_the_infusions_not_todays(record):
    assert "Weight at the infusion 72.4 kg, measured 2 Mar 2026 09:20" in record
    assert "Weight today" not in record


def test_lots_are_printed_with_expiry_and_who_recorded_them(record):
    assert "Infliximab 100 mg vial IFX24B117 31 May 2027 4 09:40 M. Kowalska" in record
    assert "NS2511-04" in record


def test_pauses_and_rate_changes_are_printed_with_their_time_and_nurse(record):
    assert "10:00 Started 125.0 Maria Kowalska" in record
    assert "10:47 Paused Urticaria and flushing M. Kowalska" in record
    assert "11:20 Resumed Symptoms resolved M. Kowalska" in record
    assert "11:20 Rate changed 60 Restart at half rate (Dr Nowak) M. Kowalska" in record
    assert "11:50 Rate changed 125 Back to the planned rate J. Wiśniewski" in record
    assert "12:46 Ended" in record


def test_vitals_are_printed_with_flags_and_nurse(record):
    assert "09:50 Baseline 124/78 72 36.7 16 98 M. Kowalska" in record
    assert "10:48 Reaction 118/78 96 38.2 16 98 Temperature 38.2 C is at or above 38.0 C." \
        in record
    assert "14:46 End of observation" in record


def test_checklist_answers_are_printed_with_time_and_nurse(record):
    assert "09:32 Fever or signs of infection today? no M. Kowalska" in record
    assert "09:20 Weight measured today 72.4 kg M. Kowalska" in record


def test_the_reaction_is_printed_with_onset_grade_and_medications(record):
    assert "Onset 2 Mar 2026 10:47: During the infusion, 47 min after the start" in record
    assert "Signs Urticaria (hives); Itching (pruritus); Flushing" in record
    assert "Infusion related reaction, grade 2 (CTCAE v5.0): Therapy or infusion " \
           "interruption indicated" in record
    assert "10:52 Clemastine 2 mg IV M. Kowalska" in record
    assert "10:55 Hydrocortisone 100 mg IV M. Kowalska" in record
    assert "Outcome Resolved within 25 minutes" in record


def test_notes_are_printed(record):
    assert "11:40 Patient comfortable, eating lunch. M. Kowalska" in record


@pytest.mark.parametrize("paper", list(PaperSize), ids=lambda p: p.value)
def test_a_long_record_spans_pages_each_with_identity_page_number_and_header_row(paper):
    extra = 90
    texts = record_texts(visit_record(NAMES["russian"], extra_vitals=extra), paper)
    assert len(texts) >= 3
    vitals_pages = [t for t in texts if "Extra " in t]
    assert len(vitals_pages) >= 2
    for number, text in enumerate(texts, start=1):
        assert "Анна Иванова" in text and "MRN 00412345" in text
        assert "ALLERGIES: Penicillin (rash); Latex" in text
        assert f"Page {number} of {len(texts)}" in text
    for text in vitals_pages:
        assert VITALS_HEADER in flat(text)


def test_no_vitals_row_is_split_or_lost_across_a_page_break():
    extra = 90
    texts = [flat(t) for t in record_texts(visit_record(extra_vitals=extra))]
    for i in range(extra):
        label = f"Extra {i + 1} "
        holding = [t for t in texts if label in t]
        assert len(holding) == 1, label
        assert f"{label}{130 + i % 7}/78" in holding[0]


def test_a_reaction_logged_days_later_is_placed_as_delayed():
    late = ReactionDetails(signs=("arthralgia", "rash"), recorded_by="J. Wiśniewski",
                           onset_on=visit_record().started_at.date().replace(day=11),
                           notes="Knees and wrists; faint rash on the forearms.")
    record = replace(visit_record(), reactions=(late,))
    text = flat(" ".join(record_texts(record)))
    assert "Onset 11 Mar 2026: delayed, 9 days after the infusion of 2 Mar 2026" in text
    assert "Grade Not graded (delayed reaction)" in text
    assert "Notes Knees and wrists; faint rash on the forearms." in text


def test_the_record_is_on_the_chosen_paper():
    data = infusion_record_pdf(visit_record(), clinic=CLINIC, tz=WARSAW,
                               printed_at=PRINTED_AT, paper=PaperSize.LETTER)
    assert set(page_sizes(data)) == {(612, 792)}


def test_a_shortened_infusion_is_named_with_its_minutes():
    from report_samples import dose_plan

    from clinic_app.reports.records import DoseSummary

    shortened = replace(dose_plan(), shortened=True, duration_min=60,
                        rate_ml_per_h=dose_plan().final_volume_ml)
    record = replace(visit_record(), dose=DoseSummary.from_plan(shortened))
    text = flat(" ".join(record_texts(record)))
    assert "Planned rate 250 mL/h over 60 min (1 h); Shortened infusion (60 min)" in text
    assert "Shortened infusion" not in flat(" ".join(record_texts()))
