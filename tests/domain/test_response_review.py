"""Response reviews: the label's checkpoints as protocol data and the dose at which the review
falls (issue 13, "Response reviews")."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.errors import ProtocolError
from clinic_app.domain.protocol_table import ProtocolTable
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.response_review import (
    ResponseCheckpoint,
    checkpoint_for,
    parse_response_reviews,
    plan_review_point,
    review_point,
)
from clinic_app.domain.scheduling import IntervalChange, plan_schedule
from clinic_app.domain.settings import ClosedDays

OPEN_EVERY_DAY = ClosedDays(weekdays=frozenset())
WEEK_14 = ResponseCheckpoint(week=14, indications=(), text="No benefit by week 14.", source="x")
START = date(2026, 1, 5)


def test_infliximab_crohns_checkpoint_is_week_14_with_its_source() -> None:
    checkpoint = checkpoint_for(load_protocol("infliximab").response_reviews, "crohns")
    assert checkpoint is not None and checkpoint.week == 14
    assert "week 14" in checkpoint.text and "US label 2.1" in checkpoint.source


def test_infliximab_other_indications_have_no_week_14_checkpoint() -> None:
    reviews = load_protocol("infliximab").response_reviews
    assert checkpoint_for(reviews, "rheumatoid_arthritis") is None
    assert checkpoint_for(reviews, "crohns_loss_of_response") is None


def test_vedolizumab_checkpoint_holds_for_every_indication() -> None:
    reviews = load_protocol("vedolizumab").response_reviews
    for indication in ("crohns", "ulcerative_colitis"):
        checkpoint = checkpoint_for(reviews, indication)
        assert checkpoint is not None and checkpoint.week == 14
        assert "benefit" in checkpoint.text


def test_drugs_without_a_label_checkpoint_have_none() -> None:
    assert load_protocol("tocilizumab").response_reviews == ()
    assert load_protocol("anifrolumab").response_reviews == ()


def test_the_review_falls_at_dose_4_of_an_infliximab_crohns_course() -> None:
    protocol = load_protocol("infliximab")
    plan = plan_schedule(protocol, START, count=6, closed=OPEN_EVERY_DAY, indication="crohns")
    point = plan_review_point(protocol, "crohns", plan)
    assert point is not None
    assert point.dose_number == 4
    assert point.checkpoint_day == START + timedelta(weeks=14) == point.due
    assert point.headline == "Response review due at dose 4 (week 14)"


def test_a_four_weekly_interval_moves_the_review_to_the_dose_at_week_14() -> None:
    protocol = load_protocol("infliximab")
    plan = plan_schedule(
        protocol,
        START,
        count=6,
        closed=OPEN_EVERY_DAY,
        indication="crohns",
        interval_override=IntervalChange(4, 4),
    )
    point = plan_review_point(protocol, "crohns", plan)
    assert point is not None and point.dose_number == 5  # weeks 0, 2, 6, 10, 14


def test_a_dose_given_a_little_early_keeps_the_review_at_that_dose() -> None:
    # dose 3 given 2 days early: dose 4 is due 2 days before week 14, inside its booking window
    protocol = load_protocol("infliximab")
    given = [START, START + timedelta(weeks=2), START + timedelta(weeks=6, days=-2)]
    plan = plan_schedule(
        protocol, START, given=given, count=6, closed=OPEN_EVERY_DAY, indication="crohns"
    )
    point = plan_review_point(protocol, "crohns", plan)
    assert point is not None and point.dose_number == 4


def test_no_review_for_an_indication_without_a_checkpoint() -> None:
    protocol = load_protocol("infliximab")
    plan = plan_schedule(
        protocol, START, count=6, closed=OPEN_EVERY_DAY, indication="rheumatoid_arthritis"
    )
    assert plan_review_point(protocol, "rheumatoid_arthritis", plan) is None


def test_no_review_point_while_the_listed_doses_stop_short_of_the_checkpoint() -> None:
    assert review_point(WEEK_14, [START, START + timedelta(weeks=2)]) is None
    assert review_point(WEEK_14, []) is None


def _table(data: dict[str, Any]) -> ProtocolTable:
    return ProtocolTable("test.toml", data)


def test_a_checkpoint_naming_an_unknown_indication_is_refused() -> None:
    data = {
        "response_reviews": [{"week": 14, "indications": ["crohn"], "text": "t", "source": "s"}]
    }
    with pytest.raises(ProtocolError, match="indications"):
        parse_response_reviews(_table(data), ["crohns"])


def test_a_checkpoint_needs_a_source_and_a_week_of_at_least_one() -> None:
    with pytest.raises(ProtocolError, match="source"):
        parse_response_reviews(_table({"response_reviews": [{"week": 14, "text": "t"}]}), [])
    with pytest.raises(ProtocolError, match="week"):
        parse_response_reviews(
            _table({"response_reviews": [{"week": 0, "text": "t", "source": "s"}]}), []
        )


gaps = st.lists(st.integers(min_value=1, max_value=70), min_size=0, max_size=12)


@given(
    gaps=gaps,
    week=st.integers(min_value=1, max_value=60),
    early=st.integers(min_value=0, max_value=10),
)
def test_the_review_dose_is_the_first_after_dose_1_to_reach_the_checkpoint(
    gaps: list[int], week: int, early: int
) -> None:
    dues = [START]
    for gap in gaps:
        dues.append(dues[-1] + timedelta(days=gap))
    checkpoint = ResponseCheckpoint(week=week, indications=(), text="t", source="s")
    point = review_point(checkpoint, dues, early_days=early)
    reached = START + timedelta(weeks=week) - timedelta(days=early)
    later = dues[1:]
    if not any(d >= reached for d in later):
        assert point is None
        return
    assert point is not None
    assert point.checkpoint_day == START + timedelta(weeks=week)
    assert dues[point.dose_number - 1] == point.due >= reached
    assert all(d < reached for d in dues[1 : point.dose_number - 1])
    assert point.dose_number >= 2
