"""The reaction report for the prescriber or the pharmacovigilance contact."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from report_samples import (
    CLINIC,
    NAMES,
    PRINTED_AT,
    START,
    WARSAW,
    page_sizes,
    page_texts,
    reaction_report,
)

from clinic_app.domain.errors import InvalidInput
from clinic_app.reports.layout import PaperSize
from clinic_app.reports.reaction_report import reaction_report_pdf
from clinic_app.reports.records import DoseGiven


def report_texts(report=None, paper: PaperSize = PaperSize.A4) -> list[str]:
    data = reaction_report_pdf(report or reaction_report(), clinic=CLINIC, tz=WARSAW,
                               printed_at=PRINTED_AT, paper=paper)
    return page_texts(data)


def flat(texts: list[str]) -> str:
    return " ".join(" ".join(texts).split())


@pytest.fixture(scope="module", params=list(PaperSize), ids=lambda p: p.value)
def printed(request: pytest.FixtureRequest) -> list[str]:
    return report_texts(reaction_report(NAMES["spanish"]), request.param)


def test_every_page_has_the_patient_and_its_page_number(printed):
    for number, text in enumerate(printed, start=1):
        assert "José Muñoz" in text and "MRN 00412345" in text
        assert f"Page {number} of {len(printed)}" in text


def test_who_reports_to_whom_is_printed(printed):
    text = flat(printed)
    assert "To Dr Anna Nowak; pharmacovigilance contact" in text
    assert "From Maria Kowalska, Infusion nurse (+48 22 555 01 23, m.kowalska@example.org)" \
        in text
    assert "Reported 2 Mar 2026 15:00" in text


def test_the_weight_is_the_one_measured_at_the_infusion_not_today(printed):
    text = flat(printed)
    assert "Weight at the infusion 72.4 kg, measured 2 Mar 2026 09:20" in text
    assert "Weight today" not in text


def test_the_suspect_drug_dose_number_dose_and_lots_are_printed(printed):
    text = flat(printed)
    assert "Suspect drug Infliximab, dose number 3" in text
    assert "362 mg (5 mg/kg × 72.4 kg), IV in 250 mL, 125 mL/h" in text
    assert "Infliximab 100 mg vial: lot IFX24B117, expiry 31 May 2027" in text
    assert "Infusion 2 Mar 2026, started 10:00, ended 12:46" in text


def test_onset_signs_and_grade_with_its_ctcae_definition_are_printed(printed):
    text = flat(printed)
    assert "2 Mar 2026 10:47: During the infusion, 47 min after the start" in text
    assert "Urticaria (hives); Itching (pruritus); Flushing" in text
    assert ("Infusion related reaction, grade 2 (CTCAE v5.0): Therapy or infusion interruption "
            "indicated but responds promptly to symptomatic treatment") in text


def test_actions_medications_vitals_and_outcome_are_printed(printed):
    text = flat(printed)
    assert "Infusion stopped 10:47, line kept open" in text
    assert "10:52 Clemastine 2 mg IV M. Kowalska" in text
    assert "10:48 Reaction 118/78 96 38.2" in text
    assert "Resolved within 25 minutes" in text
    assert "Name and signature" in text


def test_an_acute_onset_after_the_end_prints_the_drugs_window_as_recorded():
    report = reaction_report()
    later = replace(report.reaction, onset_at=START + timedelta(minutes=196),
                    onset_class="acute_after")
    text = flat(report_texts(replace(report, reaction=later)))
    assert ("Acute, after the infusion: 30 min after the end (within the drug's 2 h "
            "acute-reaction window, or with signs of an immediate reaction); 3 h 16 min after "
            "the start") in text


def test_a_delayed_timed_onset_prints_as_delayed_never_reclassified_by_the_sheet():
    report = reaction_report()
    later = replace(report.reaction, onset_at=START + timedelta(minutes=166 + 300),
                    onset_class="delayed", signs=("arthralgia",))
    text = flat(report_texts(replace(report, reaction=later)))
    assert "Delayed: 5 h after the end of the infusion (after the drug's 2 h" in text


def test_a_delayed_reaction_days_later_is_placed_by_day():
    report = reaction_report()
    rash = replace(report.reaction, onset_at=None, onset_on=date(2026, 3, 20),
                   signs=("psoriasiform_rash",), ctcae_term=None, grade=None,
                   ctcae_version=None, notes="Scaly plaques on both palms and the scalp.",
                   medications=(), vitals=())
    text = flat(report_texts(replace(report, reaction=rash)))
    assert "20 Mar 2026: delayed, 18 days after the infusion of 2 Mar 2026" in text
    assert "Psoriasiform rash" in text
    assert "Grade Not graded (delayed reaction)" in text
    assert "Notes Scaly plaques on both palms and the scalp." in text
    assert "CTCAE v5.0)" not in text.split("Grade Not graded")[1]
    assert "Vital signs during the reaction None recorded with this reaction." in text


def test_an_infusion_stopped_early_gives_the_dose_prepared_and_the_dose_actually_given():
    report = replace(reaction_report(), given=DoseGiven(
        state="partial", reason="Stopped for the reaction", infused_ml=Decimal("97.9"),
        given_mg=Decimal("142")))
    text = flat(report_texts(report))
    assert "Dose prepared 362 mg (5 mg/kg × 72.4 kg), IV in 250 mL, 125 mL/h" in text
    assert ("Dose given \u2248142 mg of 362 mg prepared (97.9 of 250 mL infused; ended "
            "early: Stopped for the reaction)") in text


def test_a_whole_bag_given_prints_one_dose_row():
    text = flat(report_texts(replace(reaction_report(), given=DoseGiven(state="full"))))
    assert "Dose 362 mg (5 mg/kg × 72.4 kg)" in text
    assert "Dose given" not in text and "Dose prepared" not in text


def test_the_notes_of_a_graded_reaction_are_printed():
    text = flat(report_texts(reaction_report()))
    assert "Notes Hives on the chest and arms, itching, facial flushing." in text


def test_a_grade_recorded_under_another_ctcae_version_is_not_given_a_v5_definition():
    report = reaction_report()
    graded = replace(report.reaction, ctcae_version="CTCAE v6.0")
    text = flat(report_texts(replace(report, reaction=graded)))
    assert "grade 2 (CTCAE v6.0: see that version for the definition)" in text
    assert "responds promptly to symptomatic treatment" not in text


def test_an_onset_before_the_infusion_started_is_refused():
    report = reaction_report()
    early = replace(report.reaction, onset_at=START - timedelta(minutes=5))
    with pytest.raises(InvalidInput, match="before the infusion started"):
        report_texts(replace(report, reaction=early))


def test_the_report_is_on_the_chosen_paper():
    data = reaction_report_pdf(reaction_report(), clinic=CLINIC, tz=WARSAW,
                               printed_at=PRINTED_AT, paper=PaperSize.LETTER)
    assert set(page_sizes(data)) == {(612, 792)}


@pytest.mark.parametrize(("after_end", "wording"), [
    (0, "at the end (within the drug's 2 h acute-reaction window, or with signs of an "
        "immediate reaction); 2 h 46 min after the start"),
    (65, "1 h 5 min after the end (within the drug's 2 h acute-reaction window, or with signs "
         "of an immediate reaction); 3 h 51 min after the start"),
    (74, "1 h 14 min after the end (within the drug's 2 h acute-reaction window, or with "
         "signs of an immediate reaction); 4 h after the start"),
])
def test_relative_times_read_in_one_format_never_a_decimal_hour(after_end, wording):
    """Issue 12: no "0.0 h after the end ... 12 min after the start"; one wording for both."""
    report = reaction_report()
    assert report.infusion_ended_at == START + timedelta(minutes=166)
    later = replace(report.reaction, onset_at=START + timedelta(minutes=166 + after_end),
                    onset_class="acute_after")
    text = flat(report_texts(replace(report, reaction=later)))
    assert f"Acute, after the infusion: {wording}" in text
    assert ".0 h" not in text
