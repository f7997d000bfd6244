"""The next step of a graduated table and whether a rate skips steps (issue 12)."""

from __future__ import annotations

from decimal import Decimal as D

from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.graduated_rate import next_step_due_after, next_step_rate, skips_steps

TABLE = [D(20), D(40), D(80), D(150), D(250)]


def test_the_next_step_is_the_lowest_step_above_the_current_rate() -> None:
    assert next_step_rate(TABLE, D(20)) == D(40)
    assert next_step_rate(TABLE, D(30)) == D(40)  # slowed after a reaction, between steps
    assert next_step_rate(TABLE, D(250)) is None


def test_a_rate_above_the_next_step_skips_steps() -> None:
    assert skips_steps(TABLE, D(20), D(120))
    assert not skips_steps(TABLE, D(20), D(40))
    assert not skips_steps(TABLE, D(20), D(10))  # slowing down never skips
    assert skips_steps(TABLE, D(250), D(300))  # above the top step
    assert not skips_steps(TABLE, D(250), D(250))


def test_a_single_rate_plan_never_skips() -> None:
    assert not skips_steps([], D(100), D(400))


INFLIXIMAB_STEPS = [(D(20), 15), (D(40), 15), (D(80), 15), (D(120), 30), (D(150), None)]


def test_after_a_change_by_hand_the_rate_is_held_as_long_as_the_step_it_reached() -> None:
    assert next_step_due_after(INFLIXIMAB_STEPS, D(40)) == (D(80), 15)
    assert next_step_due_after(INFLIXIMAB_STEPS, D(120)) == (D(150), 30)
    assert next_step_due_after(INFLIXIMAB_STEPS, D(100)) == (D(120), 15)  # between steps


def test_restarted_below_the_first_step_it_holds_as_long_as_the_first_step() -> None:
    assert next_step_due_after(INFLIXIMAB_STEPS, D(10)) == (D(20), 15)


def test_at_or_above_the_top_step_or_on_one_rate_nothing_is_due() -> None:
    assert next_step_due_after(INFLIXIMAB_STEPS, D(150)) is None
    assert next_step_due_after(INFLIXIMAB_STEPS, D(400)) is None
    assert next_step_due_after([(D(250), None)], D(100)) is None


@given(st.decimals(min_value=1, max_value=500, places=1))
def test_the_step_due_is_always_the_next_step_up_and_held_a_step_length(rate: D) -> None:
    due = next_step_due_after(INFLIXIMAB_STEPS, rate)
    if rate >= D(150):
        assert due is None
        return
    assert due is not None
    following, hold = due
    assert following == next_step_rate([r for r, _ in INFLIXIMAB_STEPS], rate)
    assert following > rate
    assert hold in {m for _, m in INFLIXIMAB_STEPS if m is not None}
