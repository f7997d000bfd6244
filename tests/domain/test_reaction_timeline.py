"""The timeline of an infusion with a reaction: one entry per event, in an order that agrees
with itself (issue 12)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from clinic_app.domain.reaction_timeline import (
    TRANSFERRED_OUTCOME,
    PumpEvent,
    Step,
    is_transfer,
    reaction_timeline,
)

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def at(minutes: float) -> datetime:
    return START + timedelta(minutes=minutes)


def steps(entries) -> list[Step]:
    return [e.step for e in entries]


def test_entries_run_in_time_order_with_the_onset_before_the_pause_it_caused():
    events = (
        PumpEvent(at(80), "rate_change", Decimal(60), "Half rate"),
        PumpEvent(at(47), "pause", note="Hives"),
        PumpEvent(at(80), "resume"),
    )
    entries = reaction_timeline(
        started_at=START, events=events, onset_at=at(47), ended_at=at(166), discharged_at=at(292)
    )
    assert steps(entries) == [
        Step.START,
        Step.ONSET,
        Step.PAUSE,
        Step.RESUME,
        Step.RATE_CHANGE,
        Step.END,
        Step.DISCHARGE,
    ]
    assert [e.at for e in entries] == sorted(e.at for e in entries)


def test_an_infusion_stopped_early_has_one_stop_entry_and_no_separate_end():
    events = (PumpEvent(at(12), "stop", note="Stopped for a reaction"),)
    entries = reaction_timeline(started_at=START, events=events, onset_at=at(12), ended_at=at(12))
    assert steps(entries) == [Step.START, Step.ONSET, Step.STOPPED_EARLY]
    assert entries[-1].note == "Stopped for a reaction" and entries[-1].decided_at is None


def test_a_stop_decided_during_a_pause_sits_at_the_pause_and_says_when_it_was_decided():
    events = (
        PumpEvent(at(12), "pause", note="Flushing"),
        PumpEvent(at(30), "stop", note="Not restarted"),
    )
    entries = reaction_timeline(started_at=START, events=events, onset_at=at(11), ended_at=at(12))
    assert steps(entries) == [Step.START, Step.ONSET, Step.PAUSE, Step.STOPPED_EARLY]
    assert entries[-1].at == at(12) and entries[-1].decided_at == at(30)


def test_a_transfer_comes_after_the_onset_and_before_the_discharge():
    entries = reaction_timeline(
        started_at=START,
        events=(),
        onset_at=at(20),
        ended_at=at(21),
        transferred=True,
        discharged_at=at(300),
    )
    assert steps(entries) == [Step.START, Step.ONSET, Step.END, Step.TRANSFER, Step.DISCHARGE]
    assert entries[3].at is None


def test_a_delayed_onset_after_the_discharge_is_placed_after_it():
    entries = reaction_timeline(
        started_at=START,
        events=(),
        onset_at=at(60 * 30),
        ended_at=at(120),
        discharged_at=at(240),
        transferred=True,
    )
    assert steps(entries) == [Step.START, Step.END, Step.DISCHARGE, Step.ONSET, Step.TRANSFER]


def test_the_transfer_outcome_is_recognised_in_the_nurses_words():
    assert is_transfer(TRANSFERRED_OUTCOME)
    assert is_transfer("transferred to emergency care by ambulance")
    assert not is_transfer("Resolved") and not is_transfer(None)
