"""Eligibility for the shortened infliximab infusion (EU SmPC 4.2: adults, after 3 tolerated
initial 2-hour infusions, maintenance, not above 6 mg/kg; any reaction reverts to 2 hours)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.shortened_infusion import (
    InfusionHistory,
    ShortenedEligibility,
    shortened_eligibility,
)

INFLIXIMAB = load_protocol("infliximab")
DOSE_DAY = date(2026, 6, 8)
ADULT = date(1980, 5, 1)


def _check(
    protocol: Protocol = INFLIXIMAB,
    *,
    allowed: bool = True,
    born: date = ADULT,
    dose_number: int = 4,
    tolerated: int = 3,
    reactions: int = 0,
    dose_mg: str = "362.5",
    weight_kg: str = "72.5",
) -> ShortenedEligibility:
    return shortened_eligibility(
        protocol,
        allowed_by_clinic=allowed,
        date_of_birth=born,
        dose_day=DOSE_DAY,
        dose_number=dose_number,
        history=InfusionHistory(tolerated, reactions),
        dose_mg=Decimal(dose_mg),
        weight_kg=Decimal(weight_kg),
    )


def test_an_adult_on_maintenance_after_three_tolerated_infusions_is_eligible_for_60_min() -> None:
    result = _check()
    assert result.eligible and result.minutes == 60 and result.standard_minutes == 120
    assert all(r.met for r in result.reasons)
    assert [r.text.split(":")[0] for r in result.reasons] == [
        "Clinic setting",
        "Adult",
        "Maintenance",
        "Tolerated",
        "No reaction",
        "Dose",
    ]
    assert "Adult: 46 years old on the dose day." in [r.text for r in result.reasons]
    assert "Dose: 362.5 mg is within 6 mg/kg (435 mg at 72.5 kg)." in [
        r.text for r in result.reasons
    ]


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"allowed": False}, "dosing.allow_shortened_infusion is off"),
        ({"born": date(2009, 6, 9)}, "Not an adult: 16 years old"),
        ({"dose_number": 3}, "Induction dose: dose 3 is one of the initial infusions (doses 1-3)"),
        ({"tolerated": 2}, "it needs 3 tolerated standard infusions first (2 so far)"),
        (
            {"reactions": 1},
            "there was a reaction to Infliximab (1 on file); the infusion reverts "
            "to the standard 120 min",
        ),
        ({"dose_mg": "500"}, "500 mg is above 6 mg/kg (435 mg at 72.5 kg)"),
    ],
)
def test_each_condition_not_met_makes_the_dose_ineligible_and_says_why(
    changes: dict[str, object], words: str
) -> None:
    result = _check(**changes)  # type: ignore[arg-type]
    assert not result.eligible and result.minutes is None
    assert len(result.not_met) == 1 and words in result.not_met[0]
    assert words in result.refusal() and result.refusal().endswith("Give it over 120 min.")


def test_the_18th_birthday_itself_counts_as_adult() -> None:
    assert _check(born=date(2008, 6, 8)).eligible
    assert not _check(born=date(2008, 6, 9)).eligible


def test_exactly_6_mg_per_kg_is_within_the_limit() -> None:
    assert _check(dose_mg="435").eligible


def test_a_drug_without_a_shortened_infusion_is_never_eligible() -> None:
    result = _check(load_protocol("vedolizumab"), dose_number=5, tolerated=10)
    assert not result.eligible
    assert result.not_met == ("Vedolizumab has no shortened infusion in its protocol.",)


@settings(max_examples=200, deadline=None)
@given(
    allowed=st.booleans(),
    born=st.dates(min_value=date(1930, 1, 1), max_value=DOSE_DAY),
    dose_number=st.integers(min_value=1, max_value=40),
    tolerated=st.integers(min_value=0, max_value=40),
    reactions=st.integers(min_value=0, max_value=3),
    dose=st.decimals(min_value=50, max_value=1500, places=1),
    weight=st.decimals(min_value=20, max_value=200, places=1),
)
def test_eligible_exactly_when_every_condition_holds_and_any_reaction_reverts(
    allowed: bool,
    born: date,
    dose_number: int,
    tolerated: int,
    reactions: int,
    dose: Decimal,
    weight: Decimal,
) -> None:
    result = _check(
        allowed=allowed,
        born=born,
        dose_number=dose_number,
        tolerated=tolerated,
        reactions=reactions,
        dose_mg=str(dose),
        weight_kg=str(weight),
    )
    adult = (
        DOSE_DAY.year - born.year - ((DOSE_DAY.month, DOSE_DAY.day) < (born.month, born.day))
    ) >= 18
    expected = (
        allowed
        and adult
        and dose_number > 3
        and tolerated >= 3
        and reactions == 0
        and dose <= (6 * weight).quantize(Decimal("0.1"))
    )
    assert result.eligible == expected
    assert (result.minutes == 60) == expected and (result.minutes is None) != expected
    assert len(result.reasons) == 6 and result.eligible == all(r.met for r in result.reasons)
    if reactions:
        assert not result.eligible and any("reverts" in text for text in result.not_met)
