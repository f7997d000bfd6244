"""The next step of a graduated table and whether a rate skips steps (issue 12)."""

from __future__ import annotations

from decimal import Decimal as D

from clinic_app.domain.graduated_rate import next_step_rate, skips_steps

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
