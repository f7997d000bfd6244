"""The clinic day list: appointments by time and chair, with drug, dose and alerts."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest
from report_samples import (
    CLINIC,
    PRINTED_AT,
    VISIT_DAY,
    WARSAW,
    day_entries,
    page_sizes,
    page_texts,
)

from clinic_app.domain.errors import InvalidInput
from clinic_app.reports.day_list import day_list_pdf
from clinic_app.reports.layout import PaperSize

HEADER = "Time Chair Patient Drug and dose Allergies and alerts Nurse In"


def day_list(entries=None, paper: PaperSize = PaperSize.A4, day: date = VISIT_DAY) -> bytes:
    return day_list_pdf(day_entries() if entries is None else entries, day=day, clinic=CLINIC,
                        tz=WARSAW, printed_at=PRINTED_AT, paper=paper)


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module", params=list(PaperSize), ids=lambda p: p.value)
def printed(request: pytest.FixtureRequest) -> tuple[PaperSize, bytes]:
    return request.param, day_list(paper=request.param)


def test_the_day_list_is_printed_landscape_on_the_chosen_paper(printed):
    paper, data = printed
    expected = {PaperSize.A4: (842, 595), PaperSize.LETTER: (792, 612)}[paper]
    assert set(page_sizes(data)) == {expected}


def test_each_appointment_shows_time_chair_patient_drug_dose_and_alerts(printed):
    _paper, data = printed
    text = flat(" ".join(page_texts(data)))
    assert ("08:00 until 12:00 Chair 1 Łukasz Żółć MRN 00412345 · born 3 Jan 1960 "
            "Infliximab, dose 1 362 mg (5 mg/kg) ALLERGIES: Penicillin (rash); Latex "
            "Previous reaction: premedicate, graduated rate") in text
    assert "Tocilizumab, dose 3 8 mg/kg: weigh and calculate" in text
    assert "Vedolizumab, dose 2 300 mg No known allergies" in text
    assert "ALLERGIES NOT RECORDED: ask the patient before starting" in text
    assert "Weight changed more than 10%: weigh and recalculate" in text


def test_appointments_are_sorted_by_time_then_chair():
    entries = day_entries()
    shuffled = (entries[4], entries[0], replace(entries[1], starts_at=entries[0].starts_at,
                                                chair="Chair 0"), entries[2])
    text = flat(" ".join(page_texts(day_list(shuffled))))
    order = [text.index(e) for e in ("Chair 0", "Chair 1", "Chair 3", "Chair 5")]
    assert order == sorted(order)


def test_a_long_day_repeats_the_header_date_and_page_number_on_every_page():
    texts = page_texts(day_list(day_entries(30)))
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert "Mon 2 Mar 2026: 30 appointments, 8 chairs" in text
        assert HEADER in flat(text)
        assert f"Page {number} of {len(texts)}" in text


def test_an_appointment_on_another_day_is_refused():
    other = replace(day_entries(1)[0], starts_at=datetime(2026, 3, 3, 9, 0, tzinfo=WARSAW))
    with pytest.raises(InvalidInput, match="one day only"):
        day_list((other,))


def test_an_empty_day_says_so():
    assert "No appointments on Mon 2 Mar 2026." in page_texts(day_list(()))[0]


def test_a_long_alert_wraps_in_full_instead_of_being_cut():
    """Issue 12: alerts are never truncated on the printed day list."""
    alert = ("Previous grade 3 reaction at dose 2 (bronchospasm): premedicate with cetirizine, "
             "paracetamol and hydrocortisone 100 mg IV 30 min before, graduated rate, doctor "
             "on the ward before starting, and the last words of the alert")
    entries = day_entries()
    data = day_list((replace(entries[0], alerts=(alert,)), *entries[1:]))
    assert alert in flat(" ".join(page_texts(data)))
