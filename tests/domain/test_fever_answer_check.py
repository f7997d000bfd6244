"""A "No fever" answer against a measured fever is flagged (issue 12)."""

from __future__ import annotations

from decimal import Decimal

from clinic_app.domain.answer_checks import FEVER_ANSWER_CODE, fever_answer_disagreement
from clinic_app.domain.settings import VitalsFlags

LIMITS = VitalsFlags()


def test_no_fever_answered_against_38_2_is_flagged_and_needs_acknowledgement() -> None:
    found = fever_answer_disagreement("no", Decimal("38.2"), LIMITS)
    assert found is not None and found.code == FEVER_ANSWER_CODE and found.requires_ack
    assert "38.2 C" in found.message and "38.0 C" in found.message


def test_the_threshold_itself_counts_and_below_it_agrees() -> None:
    assert fever_answer_disagreement("no", Decimal("38.0"), LIMITS) is not None
    assert fever_answer_disagreement("no", Decimal("37.9"), LIMITS) is None


def test_a_yes_a_missing_answer_or_a_missing_temperature_is_not_a_disagreement() -> None:
    assert fever_answer_disagreement("yes", Decimal("38.5"), LIMITS) is None
    assert fever_answer_disagreement(None, Decimal("38.5"), LIMITS) is None
    assert fever_answer_disagreement("no", None, LIMITS) is None


def test_the_threshold_follows_the_clinic_settings() -> None:
    strict = VitalsFlags(temperature_at_or_above_c=Decimal("37.5"))
    assert fever_answer_disagreement("no", Decimal("37.6"), strict) is not None
