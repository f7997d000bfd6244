"""Doses the label does not cover (issue 10): each indication's own label maximum, weight-banded
maxima, fixed-dose drugs at another dose, and a capped dose that differs from the order."""

from __future__ import annotations

from decimal import Decimal

import pytest

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dosing import DosePlan, calculate_dose
from clinic_app.domain.order_checks import order_warnings
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.protocols import load_protocol

D = Decimal
FIVE_MG_PER_KG = ("crohns", "ulcerative_colitis", "ankylosing_spondylitis", "psoriatic_arthritis",
                  "plaque_psoriasis")
TEN_MG_PER_KG = ("crohns_loss_of_response", "rheumatoid_arthritis")


@pytest.fixture(scope="module")
def infliximab() -> Protocol:
    return load_protocol("infliximab")


@pytest.fixture(scope="module")
def tocilizumab() -> Protocol:
    return load_protocol("tocilizumab")


def _warning(plan: DosePlan, code: str) -> ClinicalWarning:
    matches = [w for w in plan.warnings if w.code == code]
    assert len(matches) == 1, plan.warning_codes
    return matches[0]


# --- Infliximab: each indication's label maximum -------------------------------------------


@pytest.mark.parametrize("indication", FIVE_MG_PER_KG)
def test_infliximab_above_5_mg_per_kg_needs_an_override_for_a_5_mg_per_kg_indication(
        infliximab: Protocol, indication: str) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=10, indication=indication)
    # 10 x 70 = 700 mg > 5 x 70 = 350 mg, the label maximum for this indication.
    warning = _warning(plan, "ABOVE_LABEL_MAX")
    name = infliximab.dosing.indication(indication).name
    assert warning.requires_override and plan.needs_override
    assert f"5 mg/kg for {name} (350 mg at 70" in warning.message
    assert plan.dose_mg == 700  # an override lets the prescribed dose through, never refused


@pytest.mark.parametrize("indication", FIVE_MG_PER_KG)
def test_infliximab_5_mg_per_kg_is_within_the_label_for_every_5_mg_per_kg_indication(
        infliximab: Protocol, indication: str) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=5, indication=indication)
    assert "ABOVE_LABEL_MAX" not in plan.warning_codes and not plan.needs_override


@pytest.mark.parametrize("indication", TEN_MG_PER_KG)
def test_infliximab_10_mg_per_kg_is_labelled_for_loss_of_response_and_rheumatoid_arthritis(
        infliximab: Protocol, indication: str) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=10, indication=indication)
    assert "ABOVE_LABEL_MAX" not in plan.warning_codes
    above = calculate_dose(infliximab, 70, mg_per_kg="10.5", indication=indication)
    assert "10 mg/kg for " in _warning(above, "ABOVE_LABEL_MAX").message


def test_infliximab_the_hard_ceiling_stays_a_refusal_whatever_the_indication(
        infliximab: Protocol) -> None:
    from clinic_app.domain.errors import DoseRefused

    with pytest.raises(DoseRefused) as refused:
        calculate_dose(infliximab, 70, mg_per_kg=21, indication="crohns_loss_of_response")
    assert refused.value.code == "ABOVE_HARD_CEILING"


def test_infliximab_an_order_in_mg_is_checked_through_its_mg_per_kg(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 70, fixed_mg=400, indication="ulcerative_colitis")
    # 400 mg / 70 kg = 5.71 mg/kg > 5 mg/kg.
    assert "5.71 mg/kg" in _warning(plan, "ABOVE_LABEL_MAX").message


# --- Tocilizumab pJIA: the label maximum follows the weight band -----------------------------


def test_tocilizumab_pjia_10_mg_per_kg_under_30_kg_is_within_the_label(
        tocilizumab: Protocol) -> None:
    plan = calculate_dose(tocilizumab, "29.9", mg_per_kg=10, indication="polyarticular_jia")
    assert "ABOVE_LABEL_MAX" not in plan.warning_codes


def test_tocilizumab_pjia_10_mg_per_kg_at_30_kg_needs_an_override(tocilizumab: Protocol) -> None:
    plan = calculate_dose(tocilizumab, 30, mg_per_kg=10, indication="polyarticular_jia")
    # 10 x 30 = 300 mg > 8 x 30 = 240 mg: the band at 30 kg or more allows 8 mg/kg.
    message = _warning(plan, "ABOVE_LABEL_MAX").message
    assert "8 mg/kg for Polyarticular juvenile idiopathic arthritis at 30 kg or more" in message
    assert plan.needs_override


def test_tocilizumab_pjia_above_10_mg_per_kg_under_30_kg_needs_an_override(
        tocilizumab: Protocol) -> None:
    plan = calculate_dose(tocilizumab, 20, mg_per_kg=11, indication="polyarticular_jia")
    assert "10 mg/kg for Polyarticular juvenile idiopathic arthritis under 30 kg" in _warning(
        plan, "ABOVE_LABEL_MAX").message


# --- Fixed-dose drugs ------------------------------------------------------------------------


@pytest.mark.parametrize(("protocol_id", "mg"), [("vedolizumab", "150"), ("vedolizumab", "299"),
                                                 ("anifrolumab", "150"), ("anifrolumab", "299")])
def test_a_fixed_dose_drug_at_another_dose_needs_an_override(protocol_id: str, mg: str) -> None:
    protocol = load_protocol(protocol_id)
    plan = calculate_dose(protocol, 70, fixed_mg=mg)
    warning = _warning(plan, "OFF_LABEL_DOSE")
    assert warning.requires_override and plan.needs_override
    assert f"{mg} mg is off-label" in warning.message and "300 mg" in warning.message
    reasoned = calculate_dose(protocol, 70, fixed_mg=mg, override_reason="Dr Lis: trial dose")
    assert not reasoned.needs_override
    assert "Dr Lis: trial dose" in _warning(reasoned, "OFF_LABEL_DOSE").message


@pytest.mark.parametrize("protocol_id", ["vedolizumab", "anifrolumab"])
def test_a_fixed_dose_drug_at_its_labelled_dose_has_no_warning(protocol_id: str) -> None:
    assert calculate_dose(load_protocol(protocol_id), 70, fixed_mg=300).warnings == ()


# --- A capped dose differs from the order ----------------------------------------------------


def test_a_capped_tocilizumab_dose_says_the_order_and_the_dose_and_needs_an_acknowledgement(
        tocilizumab: Protocol) -> None:
    plan = calculate_dose(tocilizumab, 175, mg_per_kg=8)
    # 8 x 175 = 1400 mg > 800 mg per infusion: 800 mg is prepared.
    warning = _warning(plan, "CAPPED")
    assert warning.message.startswith(
        "Ordered 1400 mg (8 mg/kg × 175 kg) is above the label cap of 800 mg per infusion: "
        "800 mg will be prepared.")
    assert warning.requires_ack and not warning.requires_override
    assert plan.needs_ack and (plan.ordered_mg, plan.dose_mg) == (1400, 800)


def test_a_capped_order_in_mg_says_the_mg_ordered(tocilizumab: Protocol) -> None:
    plan = calculate_dose(tocilizumab, 110, fixed_mg=850)
    assert _warning(plan, "CAPPED").message.startswith("Ordered 850 mg is above the label cap")


# --- The order as written --------------------------------------------------------------------


def test_an_order_above_the_indications_label_maximum_is_questioned_where_it_is_written(
        infliximab: Protocol) -> None:
    crohns = infliximab.dosing.indication("crohns")
    (warning,) = order_warnings(infliximab, crohns, mg_per_kg=D(10), fixed_mg=None,
                                weight_kg=None)
    assert warning.code == "ABOVE_LABEL_MAX" and warning.requires_override
    assert "10 mg/kg" in warning.message and "5 mg/kg for Crohn's disease" in warning.message
    loss = infliximab.dosing.indication("crohns_loss_of_response")
    assert order_warnings(infliximab, loss, mg_per_kg=D(10), fixed_mg=None, weight_kg=None) == ()


def test_an_order_in_mg_for_a_weight_based_drug_is_checked_with_the_last_weight_on_file(
        infliximab: Protocol) -> None:
    uc = infliximab.dosing.indication("ulcerative_colitis")
    assert order_warnings(infliximab, uc, mg_per_kg=None, fixed_mg=D(500), weight_kg=None) == ()
    (warning,) = order_warnings(infliximab, uc, mg_per_kg=None, fixed_mg=D(500),
                                weight_kg=D(80))
    assert "500 mg (6.25 mg/kg at 80 kg)" in warning.message


def test_a_banded_order_uses_the_band_of_the_last_weight_or_else_the_highest_band(
        tocilizumab: Protocol) -> None:
    jia = tocilizumab.dosing.indication("polyarticular_jia")
    assert order_warnings(tocilizumab, jia, mg_per_kg=D(10), fixed_mg=None, weight_kg=None) == ()
    assert order_warnings(tocilizumab, jia, mg_per_kg=D(10), fixed_mg=None,
                          weight_kg=D(25)) == ()
    (warning,) = order_warnings(tocilizumab, jia, mg_per_kg=D(10), fixed_mg=None,
                                weight_kg=D(40))
    assert "at 30 kg or more" in warning.message


@pytest.mark.parametrize("protocol_id", ["vedolizumab", "anifrolumab"])
def test_a_fixed_dose_order_other_than_the_labelled_dose_needs_a_reason(protocol_id: str) -> None:
    protocol = load_protocol(protocol_id)
    indication = protocol.dosing.indications[0]
    (warning,) = order_warnings(protocol, indication, mg_per_kg=None, fixed_mg=D(150),
                                weight_kg=None)
    assert warning.code == "OFF_LABEL_DOSE" and warning.requires_override
    assert order_warnings(protocol, indication, mg_per_kg=None, fixed_mg=D(300),
                          weight_kg=None) == ()
    reasoned = order_warnings(protocol, indication, mg_per_kg=None, fixed_mg=D(150),
                              weight_kg=None, override_reason="Dr Lis: tolerability")
    assert "Override reason recorded: Dr Lis: tolerability" in reasoned[0].message
