"""Infliximab in pregnancy (issue 10): current US/EU labels do not contraindicate it, so it is a
caution the prescriber decides (an override with a reason), with the label's advice on live
vaccines for an infant exposed in utero; the seed's text stays in the source."""

from __future__ import annotations

import pytest

from clinic_app.domain.errors import Contraindicated, ProtocolError
from clinic_app.domain.protocols import load_protocol, parse_protocol
from clinic_app.domain.schedule_checks import contraindication_warnings
from clinic_app.resource_files import resource_path


def test_pregnancy_is_a_prescriber_decision_with_the_seed_and_its_correction_as_source():
    pregnancy = next(c for c in load_protocol("infliximab").contraindications
                     if c.code == "pregnancy")
    assert pregnancy.severity == "prescriber_decision"
    assert "Seed 000" in pregnancy.source and "'pregnancy and lactation'" in pregnancy.source
    assert "December 2026" in pregnancy.source
    assert pregnancy.advice is not None
    assert "6 to 12 months after birth" in pregnancy.advice
    assert "baby's doctor" in pregnancy.advice


def test_pregnancy_on_file_needs_the_prescribers_decision_not_a_refusal():
    (warning,) = contraindication_warnings(load_protocol("infliximab"), ["pregnancy"])
    assert warning.code == "CONTRAINDICATION_DECISION"
    assert warning.requires_override and not warning.requires_ack
    assert "not a contraindication in the current labels" in warning.message
    assert "live vaccines" in warning.message and "12 months in the EU" in warning.message


def test_breastfeeding_stays_a_contraindication_as_the_seed_says():
    with pytest.raises(Contraindicated, match="Breastfeeding"):
        contraindication_warnings(load_protocol("infliximab"), ["breastfeeding"])


def test_an_unknown_severity_names_the_three_allowed():
    text = resource_path("protocols", "infliximab.toml").read_text(encoding="utf-8")
    broken = text.replace('severity = "prescriber_decision"', 'severity = "maybe"', 1)
    with pytest.raises(ProtocolError) as caught:
        parse_protocol(broken, "x.toml")
    assert caught.value.expected == "one of absolute, caution, prescriber_decision"
