"""The patient's schedule handout: next dates, what to watch for at home, whom to call."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from report_samples import (
    CLINIC,
    NAMES,
    PRINTED_AT,
    WARSAW,
    booked,
    page_sizes,
    page_texts,
    patient,
    schedule,
)

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.scheduling import plan_schedule
from clinic_app.reports.layout import PaperSize
from clinic_app.reports.schedule_handout import schedule_handout_pdf

INFLIXIMAB = load_protocol("infliximab")


def handout(*, plan=None, who=None, clinic=CLINIC, count: int = 4,
            paper: PaperSize = PaperSize.A4) -> bytes:
    return schedule_handout_pdf(patient=who or patient(), protocol=INFLIXIMAB,
                                plan=plan or schedule(), booked=booked(), clinic=clinic,
                                tz=WARSAW, printed_at=PRINTED_AT, count=count, paper=paper)


def flat(data: bytes) -> str:
    return " ".join(" ".join(page_texts(data)).split())


@pytest.fixture(scope="module", params=list(PaperSize), ids=lambda p: p.value)
def printed(request: pytest.FixtureRequest) -> bytes:
    return handout(paper=request.param)


def test_the_next_dates_are_listed_with_the_booked_time(printed):
    text = flat(printed)
    assert "Last infusion: Monday 2 Mar 2026" in text
    assert "No. 4 Monday 27 Apr 2026 09:30" in text
    assert "No. 5 Monday 22 Jun 2026 Not booked yet: between 15 Jun and 29 Jun 2026." in text
    assert "No. 7 Monday 12 Oct 2026" in text
    assert "No. 8" not in text


def test_what_to_watch_for_at_home_lists_the_delayed_reactions_in_plain_words(printed):
    text = flat(printed)
    for sign in ("Joint pain", "Muscle pain", "Stiff joints", "Skin rash", "Scaly skin patches",
                 "Fever with a rash or aching joints", "Signs of infection"):
        assert f"• {sign}:" in text, sign
    assert "3 to 12 days after an infusion" in text
    assert "palms, the soles of the feet or the scalp" in text


def test_who_to_call_gives_the_emergency_number_the_clinic_and_out_of_hours(printed):
    text = flat(printed).replace("\u00a0", " ")
    assert "Who to call" in text
    assert ("Emergency: difficulty breathing, swelling of the face, lips or throat, or "
            "fainting. Call at once. Emergency number 112") in text
    assert ("Any of the signs above, other questions, or to change an appointment The clinic "
            "+48 22 555 01 23") in text
    assert "Out of hours +48 22 555 09 99" in text


def test_the_handout_fits_one_page_with_the_patient_identity(printed):
    texts = page_texts(printed)
    assert len(texts) == 1
    assert "Łukasz Żółć" in texts[0] and "Page 1 of 1" in texts[0]


def test_count_limits_how_many_dates_are_listed():
    text = flat(handout(count=2))
    assert "No. 5" in text and "No. 6" not in text


def test_an_overdue_dose_is_asked_for_as_soon_as_possible():
    late = plan_schedule(INFLIXIMAB, date(2026, 1, 5), given=(date(2026, 1, 5),
                                                              date(2026, 1, 19)),
                         as_of=date(2026, 3, 20))
    text = flat(handout(plan=late))
    assert "No. 3 As soon as possible" in text


@pytest.mark.parametrize("name", NAMES.values(), ids=NAMES.keys())
def test_names_in_any_script_print_on_the_handout(name):
    assert name in page_texts(handout(who=patient(name)))[0]


def test_a_handout_without_the_clinic_phone_is_refused():
    with pytest.raises(InvalidInput, match="phone"):
        handout(clinic=replace(CLINIC, phone=None))


def test_a_handout_without_the_emergency_number_is_refused():
    with pytest.raises(InvalidInput) as refused:
        handout(clinic=replace(CLINIC, emergency_number=None))
    assert refused.value.field == "emergency_number"


def test_a_dose_after_a_long_gap_waits_for_the_doctors_review_not_as_soon_as_possible():
    long_gap = plan_schedule(INFLIXIMAB, date(2025, 9, 1), given=(date(2025, 9, 1),
                                                                 date(2025, 9, 15)),
                             as_of=date(2026, 3, 2))
    text = flat(schedule_handout_pdf(patient=patient(), protocol=INFLIXIMAB, plan=long_gap,
                                     clinic=CLINIC, tz=WARSAW, printed_at=PRINTED_AT))
    assert "No. 3 To be arranged We will contact you after your doctor's review." in text
    assert "As soon as possible" not in text
    assert "No. 4" not in text  # later dates follow from the day dose 3 is given


# Staff words a patient is not expected to know; none is explained on the handout.
JARGON = ("mg/kg", " mg", " mL", "induction", "maintenance", "prescriber", "review is required",
          "Give the late dose", "arthralgia", "myalgia", "psoriasi", "serum", "oedema", "edema",
          "anti-TNF", "systemic", "annular", "CTCAE", "PML", "leukoencephalopathy",
          "contraindicat", "hypersensitivity", "anaphyla", "infusion reaction")


@pytest.mark.parametrize("drug", ["infliximab", "anifrolumab", "vedolizumab", "tocilizumab"])
def test_the_handout_is_in_plain_words_for_every_drug(drug):
    protocol = load_protocol(drug)
    late = plan_schedule(protocol, date(2026, 1, 5), given=(date(2026, 1, 5),),
                         as_of=date(2026, 3, 20))
    for plan in (late, plan_schedule(protocol, date(2026, 3, 2), as_of=date(2026, 3, 2))):
        text = flat(schedule_handout_pdf(patient=patient(), protocol=protocol, plan=plan,
                                         clinic=CLINIC, tz=WARSAW, printed_at=PRINTED_AT))
        found = [word for word in JARGON if word.lower() in text.lower()]
        assert found == [], drug


def test_vedolizumab_patients_are_told_the_signs_of_a_rare_brain_infection():
    vedolizumab = load_protocol("vedolizumab")
    plan = plan_schedule(vedolizumab, date(2026, 3, 2), as_of=date(2026, 3, 2))
    text = flat(schedule_handout_pdf(patient=patient(), protocol=vedolizumab, plan=plan,
                                     clinic=CLINIC, tz=WARSAW, printed_at=PRINTED_AT))
    assert "• New confusion, weakness or problems seeing:" in text
    assert "weakness on one side of the body" in text
    assert "Tell us straight away" in text


def test_the_handout_is_on_the_chosen_paper():
    assert set(page_sizes(handout(paper=PaperSize.LETTER))) == {(612, 792)}
