"""The infusion timeline: volume infused, end time and clock times of infusing minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.infusion_timeline import (
    InfusionState,
    InfusionTimeline,
    Pause,
    RateChange,
    SegmentOrigin,
)
from clinic_app.domain.protocol_model import TitrationStep
from clinic_app.domain.protocols import load_protocol

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def at(hour: int, minute: int, second: int = 0) -> datetime:
    return datetime(2026, 3, 2, hour, minute, second, tzinfo=UTC)


def infliximab_bag(**events: object) -> InfusionTimeline:
    """250 mL at 125 mL/h from 10:00: two hours."""
    return InfusionTimeline.at_rate(volume_ml=Decimal(250), rate_ml_per_h=Decimal(125),
                                    started_at=START, **events)  # type: ignore[arg-type]


def test_a_250_ml_bag_at_125_ml_per_hour_ends_two_hours_after_the_start() -> None:
    timeline = infliximab_bag()
    assert timeline.end_time == at(12, 0)
    assert timeline.volume_infused(at(11, 0)) == Decimal(125)
    assert timeline.infusing_minutes(at(11, 0)) == 60
    assert timeline.remaining_volume(at(11, 0)) == Decimal(125)


def test_nothing_is_infused_before_the_start_and_the_whole_bag_after_the_end() -> None:
    timeline = infliximab_bag()
    assert timeline.volume_infused(at(9, 0)) == 0
    assert timeline.volume_infused(at(15, 0)) == Decimal(250)
    assert timeline.infusing_minutes(at(15, 0)) == 120


def test_a_twenty_minute_pause_moves_later_times_and_the_end_by_twenty_minutes() -> None:
    timeline = infliximab_bag(pauses=[Pause(at(10, 40), at(11, 0))])
    assert timeline.clock_time(60) == at(11, 20)
    assert timeline.clock_time(30) == at(10, 30)
    assert timeline.end_time == at(12, 20)
    assert timeline.volume_infused(at(10, 50)) == Decimal(125) * 40 / 60
    assert timeline.infusing_minutes(at(11, 10)) == 50


def test_a_minute_reached_as_the_pump_is_paused_maps_to_the_pause_time() -> None:
    timeline = infliximab_bag(pauses=[Pause(at(10, 40), at(11, 0))])
    assert timeline.clock_time(40) == at(10, 40)


def test_two_pauses_add_up() -> None:
    timeline = infliximab_bag(pauses=[Pause(at(10, 40), at(11, 0)), Pause(at(11, 10), at(11, 15))])
    assert timeline.clock_time(60) == at(11, 25)
    assert timeline.end_time == at(12, 25)


def test_while_paused_the_end_is_unknown_until_the_pump_restarts() -> None:
    timeline = infliximab_bag(pauses=[Pause(at(10, 40))])
    assert timeline.end_time is None
    assert timeline.clock_time(60) is None
    assert timeline.clock_time(40) == at(10, 40)
    assert timeline.state(at(10, 50)) is InfusionState.PAUSED
    assert timeline.volume_infused(at(11, 30)) == Decimal(125) * 40 / 60


def test_the_end_if_resumed_now_counts_the_pause_up_to_now() -> None:
    timeline = infliximab_bag(pauses=[Pause(at(10, 40))])
    assert timeline.projected_end_if_resumed_at(at(11, 0)) == at(12, 20)


def test_the_end_if_resumed_now_is_the_end_when_the_pump_is_running() -> None:
    assert infliximab_bag().projected_end_if_resumed_at(at(11, 0)) == at(12, 0)


def test_a_slower_rate_at_10_45_moves_the_end_to_13_15() -> None:
    timeline = infliximab_bag(rate_changes=[RateChange(at(10, 45), Decimal("62.5"))])
    # 93.75 mL by 10:45, then 156.25 mL at 62.5 mL/h = 150 min.
    assert timeline.volume_infused(at(10, 45)) == Decimal("93.75")
    assert timeline.volume_infused(at(11, 45)) == Decimal("156.25")
    assert timeline.end_time == at(13, 15)


def test_the_pump_may_restart_at_a_new_rate_at_the_resume_time() -> None:
    timeline = infliximab_bag(pauses=[Pause(at(10, 40), at(11, 0))],
                              rate_changes=[RateChange(at(11, 0), Decimal("62.5"))])
    # 83.33 mL by 10:40, then 166.67 mL at 62.5 mL/h = 160 min from 11:00.
    assert timeline.end_time == at(13, 40)


def test_the_graduated_infliximab_table_runs_a_250_ml_bag_in_137_minutes() -> None:
    steps = load_protocol("infliximab").administration.titration
    timeline = InfusionTimeline(volume_ml=Decimal(250), steps=steps, started_at=START)
    assert timeline.end_time == at(12, 17)
    assert timeline.volume_infused(at(10, 15)) == Decimal(5)
    assert timeline.volume_infused(at(11, 15)) == Decimal(95)
    assert [s.number for s in timeline.segments] == [1, 2, 3, 4, 5]


def test_steps_may_be_given_as_plain_rate_and_minutes_pairs() -> None:
    pairs = InfusionTimeline(volume_ml=Decimal(100), started_at=START,
                             steps=[(Decimal(30), 20), (Decimal(120), None)])
    objects = InfusionTimeline(
        volume_ml=Decimal(100), started_at=START,
        steps=[TitrationStep(Decimal(30), 20), TitrationStep(Decimal(120), None)])
    # 10 mL in 20 min, then 90 mL at 120 mL/h = 45 min.
    assert pairs.end_time == objects.end_time == at(11, 5)


def test_a_rate_change_replaces_the_rest_of_the_graduated_table() -> None:
    steps = load_protocol("infliximab").administration.titration
    timeline = InfusionTimeline(volume_ml=Decimal(250), steps=steps, started_at=START,
                                rate_changes=[RateChange(at(10, 20), Decimal(60))])
    origins = [(s.origin, s.number) for s in timeline.segments]
    assert origins == [(SegmentOrigin.STEP, 1), (SegmentOrigin.STEP, 2),
                       (SegmentOrigin.RATE_CHANGE, 1)]
    infused = Decimal(5) + Decimal(40) * 5 / 60
    minutes_left = 250 - infused  # at 60 mL/h, one minute per mL
    assert timeline.infusing_minutes(at(23, 0)) == pytest.approx(20 + minutes_left)


def test_a_bag_that_empties_during_a_step_ends_there() -> None:
    timeline = InfusionTimeline(volume_ml=Decimal(10), started_at=START,
                                steps=[(Decimal(20), 60), (Decimal(100), None)])
    assert timeline.end_time == at(10, 30)
    assert len(timeline.segments) == 1


def test_an_infusion_stopped_early_ends_at_the_recorded_time_with_part_of_the_bag() -> None:
    timeline = infliximab_bag(ended_at=at(11, 0))
    assert timeline.end_time == at(11, 0)
    assert timeline.volume_infused(at(12, 0)) == Decimal(125)
    assert timeline.state(at(11, 0)) is InfusionState.ENDED


def test_a_pump_that_finishes_late_ends_at_the_recorded_time_without_infusing_more() -> None:
    timeline = infliximab_bag(ended_at=at(12, 6))
    assert timeline.end_time == at(12, 6)
    assert timeline.volume_infused(at(12, 6)) == Decimal(250)


def test_the_state_follows_the_infusion() -> None:
    timeline = infliximab_bag(pauses=[Pause(at(10, 40), at(11, 0))])
    assert timeline.state(at(9, 59)) is InfusionState.NOT_STARTED
    assert timeline.state(at(10, 0)) is InfusionState.RUNNING
    assert timeline.state(at(10, 40)) is InfusionState.PAUSED
    assert timeline.state(at(11, 0)) is InfusionState.RUNNING
    assert timeline.state(at(12, 20)) is InfusionState.ENDED


def test_an_aware_time_in_another_zone_is_the_same_moment() -> None:
    paris = datetime(2026, 3, 2, 12, 0, tzinfo=ZoneInfo("Europe/Paris"))
    assert infliximab_bag().volume_infused(paris) == Decimal(125)


def _bag(**kwargs: object) -> None:
    args: dict[str, object] = {"volume_ml": Decimal(250), "steps": [(Decimal(125), None)],
                               "started_at": START}
    args.update(kwargs)
    InfusionTimeline(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(("kwargs", "field", "message"), [
    ({"started_at": datetime(2026, 3, 2, 10, 0)}, "started_at", "time zone"),
    ({"volume_ml": Decimal(0)}, "volume_ml", "more than 0"),
    ({"volume_ml": 250.0}, "volume_ml", "Decimal"),
    ({"volume_ml": Decimal("NaN")}, "volume_ml", "more than 0"),
    ({"steps": []}, "steps", "at least one rate step"),
    ({"steps": [(Decimal(0), None)]}, "steps", "rate of step 1"),
    ({"steps": [(Decimal(125), 30)]}, "steps", "runs until the bag is empty"),
    ({"steps": [(Decimal(20), None), (Decimal(125), None)]}, "steps", "step 1 needs a duration"),
    ({"pauses": [Pause(datetime(2026, 3, 2, 10, 40), None)]}, "pauses", "time zone"),
    ({"pauses": [Pause(at(9, 50), at(10, 10))]}, "pauses", "before the start"),
    ({"pauses": [Pause(at(10, 40), at(10, 40))]}, "pauses", "not after it began"),
    ({"pauses": [Pause(at(10, 40), at(11, 0)), Pause(at(10, 50), at(11, 10))]}, "pauses",
     "must not overlap"),
    ({"pauses": [Pause(at(11, 0), at(11, 10)), Pause(at(10, 30), at(10, 40))]}, "pauses",
     "in order"),
    ({"pauses": [Pause(at(10, 40)), Pause(at(11, 0), at(11, 10))]}, "pauses", "never resumed"),
    ({"rate_changes": [RateChange(at(9, 30), Decimal(60))]}, "rate_changes", "before the start"),
    ({"rate_changes": [RateChange(at(10, 30), Decimal(0))]}, "rate_changes", "more than 0"),
    ({"rate_changes": [RateChange(at(10, 30), Decimal(60)), RateChange(at(10, 20), Decimal(90))]},
     "rate_changes", "must be in order"),
    ({"rate_changes": [RateChange(at(10, 50), Decimal(60))],
      "pauses": [Pause(at(10, 40), at(11, 0))]}, "rate_changes", "while the infusion is paused"),
    ({"rate_changes": [RateChange(at(10, 50), Decimal(60))], "pauses": [Pause(at(10, 40))]},
     "rate_changes", "while the infusion is paused"),
    ({"ended_at": at(10, 0)}, "ended_at", "after the start"),
    ({"ended_at": at(11, 0), "pauses": [Pause(at(10, 40))]}, "ended_at", "still paused"),
    ({"ended_at": at(10, 50), "pauses": [Pause(at(10, 40), at(11, 0))]}, "ended_at",
     "before the last recorded"),
    ({"ended_at": datetime(2026, 3, 2, 12, 0)}, "ended_at", "time zone"),
])
def test_bad_inputs_are_refused_with_a_clear_message(kwargs: dict[str, object], field: str,
                                                    message: str) -> None:
    with pytest.raises(InvalidInput, match=message) as caught:
        _bag(**kwargs)
    assert caught.value.field == field


def test_a_naive_moment_is_refused_when_asking_for_the_volume() -> None:
    with pytest.raises(InvalidInput, match="time zone"):
        infliximab_bag().volume_infused(datetime(2026, 3, 2, 11, 0))


def test_a_negative_infusing_minute_has_no_clock_time() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        infliximab_bag().clock_time(-1)


# ---- properties -------------------------------------------------------------------------------

volumes = st.decimals(min_value=Decimal(1), max_value=Decimal(1000), places=1)
rates = st.decimals(min_value=Decimal(5), max_value=Decimal(600), places=1)
gaps = st.integers(min_value=1, max_value=90)


@st.composite
def timelines(draw: st.DrawFn) -> InfusionTimeline:
    """A bag with a graduated start, then random closed pauses and rate changes."""
    steps = draw(st.lists(st.tuples(rates, st.integers(1, 40)), max_size=3))
    plan = [*steps, (draw(rates), None)]
    moment, pauses, changes = START, [], []
    for kind, gap, length, rate in draw(st.lists(
            st.tuples(st.sampled_from(["pause", "change"]), gaps, gaps, rates), max_size=5)):
        moment += timedelta(minutes=gap)
        if kind == "pause":
            pauses.append(Pause(moment, moment + timedelta(minutes=length)))
            moment += timedelta(minutes=length)
        else:
            changes.append(RateChange(moment, rate))
    return InfusionTimeline(volume_ml=draw(volumes), steps=plan, started_at=START,
                            pauses=pauses, rate_changes=changes)


@given(timelines(), st.lists(st.integers(min_value=-60, max_value=2000), min_size=1))
def test_the_volume_infused_never_exceeds_the_bag_and_never_goes_down(
        timeline: InfusionTimeline, offsets: list[int]) -> None:
    moments = sorted(START + timedelta(minutes=m) for m in offsets)
    infused = [timeline.volume_infused(m) for m in moments]
    assert all(0 <= v <= timeline.volume_ml for v in infused)
    assert infused == sorted(infused)


@given(timelines())
def test_the_whole_bag_is_infused_at_the_end(timeline: InfusionTimeline) -> None:
    end = timeline.end_time
    assert end is not None
    assert timeline.volume_infused(end) == pytest.approx(timeline.volume_ml, abs=Decimal("1e-6"))


@given(volumes, rates, st.lists(st.floats(0.01, 0.99), unique=True, max_size=4),
       st.lists(gaps, min_size=4, max_size=4))
def test_end_minus_start_minus_pauses_is_volume_over_rate_for_one_rate(
        volume: Decimal, rate: Decimal, fractions: list[float], lengths: list[int]) -> None:
    running = timedelta(hours=float(volume / rate))
    pauses, paused = [], timedelta(0)
    for fraction, length in zip(sorted(fractions), lengths, strict=False):
        # A point inside the running time, so every pause begins before the end.
        begins = START + running * fraction + paused
        pauses.append(Pause(begins, begins + timedelta(minutes=length)))
        paused += timedelta(minutes=length)
    timeline = InfusionTimeline.at_rate(volume_ml=volume, rate_ml_per_h=rate, started_at=START,
                                        pauses=pauses)
    end = timeline.end_time
    assert end is not None
    expected_seconds = volume / rate * 3600
    actual_seconds = Decimal((end - START - paused) // timedelta(microseconds=1)) / 1_000_000
    assert abs(actual_seconds - expected_seconds) <= Decimal("0.000001")


@given(timelines(), st.decimals(min_value=0, max_value=1, places=3))
def test_the_clock_time_of_an_infusing_minute_maps_back_to_that_minute(
        timeline: InfusionTimeline, fraction: Decimal) -> None:
    minute = timeline.end_minute * fraction
    moment = timeline.clock_time(minute)
    assert moment is not None
    assert abs(timeline.infusing_minutes(moment) - minute) <= Decimal("0.00001")
