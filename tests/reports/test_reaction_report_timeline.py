"""Issue 12: the reaction report's timeline agrees with itself: start, pauses, rate changes,
onset, end or early stop, transfer and discharge in time order, in one relative wording."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

from report_samples import CLINIC, PRINTED_AT, START, WARSAW, at, page_texts, reaction_report

from clinic_app.domain.reaction_timeline import TRANSFERRED_OUTCOME
from clinic_app.reports.reaction_report import reaction_report_pdf
from clinic_app.reports.records import InfusionEventRecord


def timeline(report) -> str:
    data = reaction_report_pdf(report, clinic=CLINIC, tz=WARSAW, printed_at=PRINTED_AT)
    text = " ".join(" ".join(page_texts(data)).split())
    return text[text.index("Timeline Time What When") : text.index("Vital signs during the")]


def in_order(text: str, *parts: str) -> None:
    places = [text.index(part) for part in parts]
    assert places == sorted(places), parts


def test_a_paused_and_resumed_infusion_reads_in_time_order_with_one_wording():
    report = replace(
        reaction_report(),
        discharged_at=at(292),
        events=(
            InfusionEventRecord(at(47), "pause", "M. Kowalska", note="Urticaria and flushing"),
            InfusionEventRecord(at(80), "resume", "M. Kowalska"),
            InfusionEventRecord(at(80), "rate_change", "M. Kowalska", Decimal("60"), "Half rate"),
        ),
    )
    text = timeline(report)
    in_order(
        text,
        "10:00 Infusion started",
        "10:47 Reaction began 47 min after the start",
        "10:47 Infusion paused: Urticaria and flushing 47 min after the start",
        "11:20 Infusion resumed 1 h 20 min after the start",
        "11:20 Rate changed to 60 mL/h: Half rate 1 h 20 min after the start",
        "12:46 Infusion ended 2 h 46 min after the start",
        "14:52 Discharged 2 h 6 min after the end",
    )
    assert ".0 h" not in text and " 0 min after" not in text


def test_a_reaction_that_stopped_the_infusion_and_went_to_emergency_care():
    """The issue's report: stopped at 12 min, onset logged in the same minute; the ED transfer
    and the later discharge are named for what they are."""
    base = reaction_report()
    reaction = replace(
        base.reaction, onset_at=at(12.5), onset_class="acute_after", outcome=TRANSFERRED_OUTCOME
    )
    report = replace(
        base,
        reaction=reaction,
        infusion_ended_at=at(12.2),
        discharged_at=at(300),
        events=(
            InfusionEventRecord(
                at(12.2), "stop", "M. Kowalska", note="Stopped for good for a reaction"
            ),
        ),
    )
    text = timeline(report)
    in_order(
        text,
        "10:00 Infusion started",
        "10:12 Infusion stopped early: Stopped for good for a reaction 12 min after the start",
        "10:12 Reaction began at the end",
        "not recorded Transferred to emergency care",
        "15:00 Discharged after the emergency-care stay 4 h 48 min after the end",
    )
    assert "Infusion ended" not in text and " 0 min after the end" not in text
    whole = " ".join(
        " ".join(
            page_texts(reaction_report_pdf(report, clinic=CLINIC, tz=WARSAW, printed_at=PRINTED_AT))
        ).split()
    )
    assert "Acute, after the infusion: at the end (within" in whole
    assert "; 12 min after the start" in whole
    assert "Infusion 2 Mar 2026, started 10:00, stopped early 10:12" in whole


def test_a_stop_decided_during_a_pause_is_one_entry_at_the_pause():
    report = replace(
        reaction_report(),
        infusion_ended_at=at(47),
        events=(
            InfusionEventRecord(at(47), "pause", "M. Kowalska", note="Hives"),
            InfusionEventRecord(at(65), "stop", "M. Kowalska", note="Not restarted (Dr Nowak)"),
        ),
    )
    text = timeline(report)
    in_order(
        text,
        "10:47 Reaction began",
        "10:47 Infusion paused: Hives",
        "10:47 Infusion stopped early: Not restarted (Dr Nowak) (the pump was paused; the "
        "stop was decided at 11:05) 47 min after the start",
    )
    assert text.count("stopped early") == 1


def test_clock_times_and_relative_times_agree_to_the_minute():
    """Seconds never make "10:12" read "11 min after" a start printed "10:00"."""
    report = replace(reaction_report(), infusion_started_at=START.replace(second=40))
    reaction = replace(report.reaction, onset_at=at(12).replace(second=10))
    assert "10:12 Reaction began 12 min after the start" in timeline(
        replace(report, reaction=reaction)
    )


def test_an_onset_the_services_placed_during_the_infusion_is_never_after_its_end():
    """The sheet prints the services' class: an onset at the moment the pump was stopped, that
    they classed as during the infusion, never reads "at the end" or "after the end"."""
    base = reaction_report()
    reaction = replace(base.reaction, onset_at=at(12), onset_class="during_infusion")
    report = replace(base, reaction=reaction, infusion_ended_at=at(12))
    data = reaction_report_pdf(report, clinic=CLINIC, tz=WARSAW, printed_at=PRINTED_AT)
    text = " ".join(" ".join(page_texts(data)).split())
    assert "2 Mar 2026 10:12: During the infusion, 12 min after the start" in text
    assert "after the end" not in text.split("Timeline")[0]
