"""Issue 12: the infusion record's events agree with themselves: an infusion stopped early has
one end row, "Stopped early", never an "Ended" before the "Stopped" that caused it."""

from __future__ import annotations

from dataclasses import replace

from report_samples import CLINIC, PRINTED_AT, WARSAW, at, page_texts, visit_record

from clinic_app.reports.infusion_record import infusion_record_pdf
from clinic_app.reports.records import InfusionEventRecord


def events_text(record) -> str:
    data = infusion_record_pdf(record, clinic=CLINIC, tz=WARSAW, printed_at=PRINTED_AT)
    text = " ".join(" ".join(page_texts(data)).split())
    return text[text.index("Infusion: start, pauses, rate changes, end") :]


def test_a_stop_decided_during_a_pause_is_one_row_at_the_pause_after_it():
    record = replace(
        visit_record(),
        ended_at=at(47),
        events=(
            InfusionEventRecord(at(47), "pause", "M. Kowalska", note="Hives"),
            InfusionEventRecord(at(65), "stop", "J. Wiśniewski", note="Not restarted (Dr Nowak)"),
        ),
    )
    text = events_text(record)
    paused = text.index("10:47 Paused")
    stopped = text.index(
        "10:47 Stopped early Not restarted (Dr Nowak) (the pump was paused; "
        "the stop was decided at 11:05) J. Wiśniewski"
    )
    assert paused < stopped
    assert "Ended" not in text[: text.index("Vital signs")] and "11:05 Stopped" not in text


def test_an_infusion_that_ran_to_the_end_keeps_its_ended_row():
    text = events_text(visit_record())
    assert "12:46 Ended" in text and "Stopped early" not in text
