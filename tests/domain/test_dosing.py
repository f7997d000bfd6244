"""Dose calculation: the worked examples from the issue, computed by hand, and every refusal."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dosing import DosePlan, calculate_dose
from clinic_app.domain.errors import DoseRefused, ImpossibleWeight, InvalidInput
from clinic_app.domain.protocol_model import Protocol, TitrationStep
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.settings import ClinicSettings, DosingSettings

D = Decimal
ROUNDING_ON = ClinicSettings(dosing=DosingSettings(round_to_whole_vials=True))
SHORTENED_ON = ClinicSettings(dosing=DosingSettings(allow_shortened_infusion=True))


@pytest.fixture(scope="module")
def infliximab() -> Protocol:
    return load_protocol("infliximab")


@pytest.fixture(scope="module")
def tocilizumab() -> Protocol:
    return load_protocol("tocilizumab")


def _vials(plan: DosePlan) -> list[tuple[Decimal, int]]:
    return [(v.vial_mg, v.count) for v in plan.vials]


def _warning(plan: DosePlan, code: str) -> ClinicalWarning:
    matches = [w for w in plan.warnings if w.code == code]
    assert len(matches) == 1, plan.warning_codes
    return matches[0]


# --- Worked examples -------------------------------------------------------------------------


def test_infliximab_5_mg_per_kg_at_70_kg_is_the_textbook_250_ml_bag(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=5)
    # 5 mg/kg x 70 kg = 350 mg; 100 mg vials: 4 vials = 400 mg, waste 400 - 350 = 50 mg.
    # 350 mg / 10 mg/mL = 35 mL of drug; take 35 mL out of the 250 mL bag, final 250 mL.
    # 350 mg / 250 mL = 1.4 mg/mL (inside 0.4-4); 250 mL / 2 h = 125 mL/h; 250 / 125 h = 120 min.
    assert plan.ordered_mg == plan.dose_mg == D("350.0")
    assert _vials(plan) == [(D(100), 4)]
    assert plan.waste_mg == D(50)
    assert plan.drug_volume_ml == D("35.0")
    assert (plan.bag_volume_ml, plan.withdraw_ml, plan.final_volume_ml) == (250, D("35.0"), 250)
    assert plan.concentration_mg_per_ml == D("1.4")
    assert plan.rate_ml_per_h == D("125.0")
    assert plan.duration_min == 120
    assert plan.warnings == ()
    assert not plan.needs_override and not plan.needs_ack


def test_infliximab_over_1000_mg_goes_into_the_500_ml_bag(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 120, mg_per_kg=10)
    # 10 x 120 = 1200 mg: in 250 mL 4.8 mg/mL (> 4), in 500 mL 2.4 mg/mL: the 500 mL bag.
    # 12 vials, no waste; 120 mL of drug out of 500 mL; 500 mL / 2 h = 250 mL/h.
    assert plan.dose_mg == 1200 and _vials(plan) == [(D(100), 12)] and plan.waste_mg == 0
    assert (plan.bag_volume_ml, plan.withdraw_ml, plan.final_volume_ml) == (500, 120, 500)
    assert plan.concentration_mg_per_ml == D("2.4")
    assert (plan.rate_ml_per_h, plan.duration_min) == (250, 120)


def test_infliximab_1000_mg_still_fits_the_250_ml_bag_because_bounds_are_inclusive(
    infliximab: Protocol,
) -> None:
    plan = calculate_dose(infliximab, 100, mg_per_kg=10)
    # 1000 mg / 250 mL = 4 mg/mL, exactly the upper bound.
    assert plan.bag_volume_ml == 250 and plan.concentration_mg_per_ml == 4


def test_infliximab_12_mg_per_kg_is_above_the_label_and_needs_an_override(
    infliximab: Protocol,
) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=12)
    # 12 x 70 = 840 mg > 10 x 70 = 700 mg (label maximum); still under 20 mg/kg (1400 mg).
    warning = _warning(plan, "ABOVE_LABEL_MAX")
    assert warning.requires_override
    assert "10 mg/kg" in warning.message and "700 mg" in warning.message
    assert plan.dose_mg == 840 and plan.needs_override


def test_an_override_reason_keeps_the_warning_and_clears_needs_override(
    infliximab: Protocol,
) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=12, override_reason="Loss of response, Dr K")
    warning = _warning(plan, "ABOVE_LABEL_MAX")
    assert warning.requires_override and "Loss of response, Dr K" in warning.message
    assert plan.override_reason == "Loss of response, Dr K"
    assert not plan.needs_override


def test_a_blank_override_reason_counts_as_none(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=12, override_reason="   ")
    assert plan.override_reason is None and plan.needs_override


def test_infliximab_21_mg_per_kg_is_refused_above_the_hard_ceiling(infliximab: Protocol) -> None:
    with pytest.raises(DoseRefused) as refused:
        calculate_dose(infliximab, 70, mg_per_kg=21)
    assert refused.value.code == "ABOVE_HARD_CEILING"
    assert "21 mg/kg" in str(refused.value) and "20 mg/kg" in str(refused.value)


def test_infliximab_20_mg_per_kg_is_at_the_ceiling_and_not_refused(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=20, override_reason="trial protocol")
    # 20 x 70 = 1400 mg: 500 mL bag (2.8 mg/mL).
    assert plan.dose_mg == 1400 and plan.bag_volume_ml == 500


def test_infliximab_below_3_mg_per_kg_is_warned(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 100, mg_per_kg=2)
    # 2 x 100 = 200 mg < 3 x 100 = 300 mg; 200 mg / 250 mL = 0.8 mg/mL is fine.
    assert "BELOW_LABEL_MIN" in plan.warning_codes and not plan.needs_override


def test_anifrolumab_300_mg_is_one_vial_in_100_ml_over_30_minutes() -> None:
    plan = calculate_dose(load_protocol("anifrolumab"), 62)
    # 300 mg fixed; 1 x 300 mg/2 mL vial; take 2 mL out of 100 mL; 300 / 100 = 3 mg/mL;
    # 100 mL / 0.5 h = 200 mL/h; 30 min.
    assert plan.dose_mg == 300 and plan.mg_per_kg is None
    assert _vials(plan) == [(D(300), 1)] and plan.waste_mg == 0
    assert (plan.drug_volume_ml, plan.withdraw_ml, plan.final_volume_ml) == (2, 2, 100)
    assert plan.concentration_mg_per_ml == 3
    assert (plan.rate_ml_per_h, plan.duration_min) == (200, 30)


def test_anifrolumab_above_300_mg_is_refused() -> None:
    with pytest.raises(DoseRefused) as refused:
        calculate_dose(load_protocol("anifrolumab"), 62, fixed_mg=600)
    assert refused.value.code == "ABOVE_HARD_CEILING" and "300 mg" in str(refused.value)


def test_vedolizumab_adds_the_drug_without_withdrawing_so_the_bag_holds_255_ml() -> None:
    plan = calculate_dose(load_protocol("vedolizumab"), 80, indication="crohns")
    # 300 mg = 5 mL at 60 mg/mL added to 250 mL: 255 mL; 300 / 255 = 1.18 mg/mL;
    # 255 mL / 0.5 h = 510 mL/h over 30 min.
    assert plan.dose_mg == 300 and plan.indication_id == "crohns"
    assert (plan.withdraw_ml, plan.drug_volume_ml, plan.final_volume_ml) == (0, 5, 255)
    assert plan.concentration_mg_per_ml == D("1.18")
    assert (plan.rate_ml_per_h, plan.duration_min) == (510, 30)


def test_tocilizumab_880_mg_is_capped_at_800_mg_in_two_400_mg_vials(
    tocilizumab: Protocol,
) -> None:
    plan = calculate_dose(tocilizumab, 110, mg_per_kg=8)
    # 8 x 110 = 880 mg > 800 mg per infusion: 800 mg = 2 x 400 mg, 40 mL out of 100 mL,
    # 800 / 100 = 8 mg/mL (the upper bound).
    assert (plan.ordered_mg, plan.dose_mg) == (880, 800)
    assert "CAPPED" in plan.warning_codes and "800 mg" in _warning(plan, "CAPPED").message
    assert _vials(plan) == [(D(400), 2)] and plan.waste_mg == 0
    assert plan.concentration_mg_per_ml == 8 and plan.dose_mg_per_kg == D("7.27")


def test_tocilizumab_560_mg_uses_400_plus_two_80_mg_vials_with_no_waste(
    tocilizumab: Protocol,
) -> None:
    plan = calculate_dose(tocilizumab, 70, mg_per_kg=8)
    # 8 x 70 = 560 = 400 + 80 + 80 (3 vials, 0 waste); 200 + 200 + 80 + 80 also has no waste
    # but needs 4 vials. 560 / 20 = 28 mL out of 100 mL.
    assert _vials(plan) == [(D(400), 1), (D(80), 2)] and plan.waste_mg == 0
    assert plan.drug_volume_ml == 28


def test_tocilizumab_giant_cell_arteritis_is_capped_at_600_mg(tocilizumab: Protocol) -> None:
    plan = calculate_dose(tocilizumab, 110, indication="giant_cell_arteritis")
    # default 6 mg/kg x 110 = 660 mg > 600 mg (indication cap) = 400 + 200.
    assert (plan.mg_per_kg, plan.ordered_mg, plan.dose_mg) == (6, 660, 600)
    assert "giant cell arteritis" in _warning(plan, "CAPPED").message.lower()
    assert _vials(plan) == [(D(400), 1), (D(200), 1)]


def test_tocilizumab_pjia_under_30_kg_is_10_mg_per_kg_in_the_50_ml_bag(
    tocilizumab: Protocol,
) -> None:
    plan = calculate_dose(tocilizumab, 25, indication="polyarticular_jia")
    # under 30 kg: 10 mg/kg x 25 = 250 mg; 200 + 80 = 280 (waste 30) beats 400 (waste 150);
    # 250 / 20 = 12.5 mL out of the 50 mL bag: 5 mg/mL; 50 mL over 60 min = 50 mL/h.
    assert (plan.mg_per_kg, plan.dose_mg) == (10, 250)
    assert _vials(plan) == [(D(200), 1), (D(80), 1)] and plan.waste_mg == 30
    assert (plan.bag_volume_ml, plan.withdraw_ml, plan.final_volume_ml) == (50, D("12.5"), 50)
    assert plan.concentration_mg_per_ml == 5 and plan.rate_ml_per_h == 50
    assert plan.small_patient_bag and plan.warnings == ()
    assert any("50 mL" in line and "under 30 kg" in line for line in plan.summary_lines())


def test_tocilizumab_pjia_at_30_kg_is_8_mg_per_kg_in_the_100_ml_bag(
    tocilizumab: Protocol,
) -> None:
    plan = calculate_dose(tocilizumab, 30, indication="polyarticular_jia")
    # at or above 30 kg: 8 x 30 = 240 mg = 3 x 80 mg; 100 mL bag.
    assert (plan.mg_per_kg, plan.dose_mg, plan.bag_volume_ml) == (8, 240, 100)
    assert not plan.small_patient_bag
    assert _vials(plan) == [(D(80), 3)]


def test_tocilizumab_pjia_label_maximum_is_the_indications_10_mg_per_kg(
    tocilizumab: Protocol,
) -> None:
    plan = calculate_dose(tocilizumab, 25, mg_per_kg=10, indication="polyarticular_jia")
    assert "ABOVE_LABEL_MAX" not in plan.warning_codes
    # without the indication the drug's 8 mg/kg maximum applies
    assert "ABOVE_LABEL_MAX" in calculate_dose(tocilizumab, 25, mg_per_kg=10).warning_codes


def test_a_weight_in_pounds_gives_the_same_plan_as_in_kilograms(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, "154.32", weight_unit="lb", mg_per_kg=5)
    # 154.32 lb x 0.45359237 = 69.998... kg; 5 mg/kg = 349.99 mg -> 350 mg.
    assert abs(plan.weight_kg - 70) < D("0.01")
    assert plan.dose_mg == D("350.0") and plan.final_volume_ml == 250
    assert "154.32 lb" in str(plan.weight)


@pytest.mark.parametrize(
    ("weight", "error", "words"),
    [
        (0, ImpossibleWeight, "more than 0"),
        (-5, ImpossibleWeight, "-5"),
        (351, ImpossibleWeight, "maximum of 350 kg"),
        ("abc", InvalidInput, "'abc' is not a number"),
        ("", InvalidInput, "missing"),
        ("70,5", InvalidInput, "decimal point"),
        ("nan", InvalidInput, "finite"),
        (True, InvalidInput, "must be a number"),
    ],
)
def test_unusable_weights_are_refused_with_a_specific_message(
    infliximab: Protocol, weight: object, error: type[Exception], words: str
) -> None:
    with pytest.raises(error) as refused:
        calculate_dose(infliximab, weight, mg_per_kg=5)  # type: ignore[arg-type]
    assert words in str(refused.value)
    assert refused.value.field == "weight"  # type: ignore[attr-defined]


def test_800_lb_is_refused_and_the_message_gives_the_kilograms(infliximab: Protocol) -> None:
    with pytest.raises(ImpossibleWeight, match=r"800 lb \(362\.9 kg\)"):
        calculate_dose(infliximab, 800, weight_unit="lb", mg_per_kg=5)


def test_an_unknown_weight_unit_is_refused(infliximab: Protocol) -> None:
    with pytest.raises(InvalidInput, match="use kg or lb") as refused:
        calculate_dose(infliximab, 70, weight_unit="stone", mg_per_kg=5)
    assert refused.value.field == "weight_unit"


def test_an_implausible_weight_is_accepted_but_must_be_acknowledged(
    infliximab: Protocol,
) -> None:
    plan = calculate_dose(infliximab, 300, mg_per_kg=3)
    # 300 kg > 250 kg plausible maximum; 3 x 300 = 900 mg in 250 mL = 3.6 mg/mL.
    warning = _warning(plan, "IMPLAUSIBLE_WEIGHT")
    assert warning.requires_ack and "15-250 kg" in warning.message and plan.needs_ack


def test_a_weight_change_over_10_percent_is_warned_with_both_weights(
    infliximab: Protocol,
) -> None:
    plan = calculate_dose(infliximab, 80, mg_per_kg=5, previous_weight_kg=70)
    # (80 - 70) / 70 = +14.3 % > 10 %.
    warning = _warning(plan, "WEIGHT_CHANGE")
    assert warning.requires_ack
    assert "70 kg" in warning.message and "80 kg" in warning.message
    assert "+14.3 %" in warning.message


def test_a_weight_change_of_exactly_10_percent_is_not_warned(infliximab: Protocol) -> None:
    # (77 - 70) / 70 = 10 %, not more than 10 %.
    plan = calculate_dose(infliximab, 77, mg_per_kg=5, previous_weight_kg=70)
    assert "WEIGHT_CHANGE" not in plan.warning_codes


def test_an_impossible_previous_weight_is_refused(infliximab: Protocol) -> None:
    with pytest.raises(InvalidInput) as refused:
        calculate_dose(infliximab, 70, mg_per_kg=5, previous_weight_kg=0)
    assert refused.value.field == "previous_weight_kg"


# --- Orders ----------------------------------------------------------------------------------


def test_the_indication_default_is_used_when_no_dose_is_given(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 60, indication="rheumatoid_arthritis")
    # RA: 3 mg/kg x 60 = 180 mg.
    assert (plan.mg_per_kg, plan.dose_mg, plan.indication_id) == (3, 180, "rheumatoid_arthritis")


def test_a_weight_based_protocol_without_an_order_is_refused(infliximab: Protocol) -> None:
    with pytest.raises(InvalidInput, match="mg/kg") as refused:
        calculate_dose(infliximab, 70)
    assert refused.value.field == "mg_per_kg"


def test_giving_both_mg_per_kg_and_mg_is_refused(infliximab: Protocol) -> None:
    with pytest.raises(InvalidInput, match="not both"):
        calculate_dose(infliximab, 70, mg_per_kg=5, fixed_mg=350)


def test_mg_per_kg_on_a_fixed_dose_protocol_is_refused() -> None:
    with pytest.raises(InvalidInput, match="fixed dose") as refused:
        calculate_dose(load_protocol("vedolizumab"), 70, mg_per_kg=4)
    assert refused.value.field == "mg_per_kg"


def test_an_order_in_mg_on_a_weight_based_protocol_is_checked_as_mg_per_kg(
    infliximab: Protocol,
) -> None:
    plan = calculate_dose(infliximab, 70, fixed_mg=400)
    # 400 mg / 70 kg = 5.71 mg/kg: within label, exactly 4 vials.
    assert plan.mg_per_kg is None and plan.dose_mg == 400 and plan.waste_mg == 0
    with pytest.raises(DoseRefused, match="1500 mg"):
        calculate_dose(infliximab, 70, fixed_mg=1500)  # > 20 x 70 = 1400 mg


def test_an_unknown_indication_is_refused_naming_the_known_ones(infliximab: Protocol) -> None:
    with pytest.raises(InvalidInput, match="crohns") as refused:
        calculate_dose(infliximab, 70, indication="gout")
    assert refused.value.field == "indication"


@pytest.mark.parametrize("dose", [0, -1, "five", "", float("inf")])
def test_an_unusable_mg_per_kg_is_refused(infliximab: Protocol, dose: object) -> None:
    with pytest.raises(InvalidInput) as refused:
        calculate_dose(infliximab, 70, mg_per_kg=dose)  # type: ignore[arg-type]
    assert refused.value.field == "mg_per_kg"


def test_a_dose_that_rounds_to_nothing_is_refused(tocilizumab: Protocol) -> None:
    with pytest.raises(DoseRefused) as refused:
        calculate_dose(tocilizumab, 70, mg_per_kg="0.0001")  # 0.007 mg -> 0 mg
    assert refused.value.code == "DOSE_TOO_SMALL"


def test_a_dose_too_small_to_draw_up_is_refused(tocilizumab: Protocol) -> None:
    with pytest.raises(DoseRefused, match="too small to measure") as refused:
        calculate_dose(tocilizumab, 70, fixed_mg="0.5")  # 0.5 mg / 20 mg/mL = 0.025 mL -> 0.0
    assert refused.value.code == "DOSE_TOO_SMALL"


def test_text_inputs_are_read_as_decimals(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, " 70.5 ", mg_per_kg="5")
    # 5 x 70.5 = 352.5 mg, 35.3 mL (35.25 rounded half up).
    assert plan.dose_mg == D("352.5") and plan.drug_volume_ml == D("35.3")


# --- Bags ------------------------------------------------------------------------------------


def test_a_dose_too_dilute_for_every_bag_is_refused_naming_the_range(
    infliximab: Protocol,
) -> None:
    with pytest.raises(DoseRefused) as refused:
        calculate_dose(infliximab, 25, mg_per_kg=3)
    # 3 x 25 = 75 mg: 75 / 250 = 0.3 mg/mL < 0.4; 75 / 500 = 0.15 mg/mL.
    assert refused.value.code == "NO_SUITABLE_BAG"
    message = str(refused.value)
    assert "75 mg" in message and "0.4-4 mg/mL" in message and "0.3 mg/mL" in message


def test_a_dose_too_large_for_the_biggest_bag_is_refused(infliximab: Protocol) -> None:
    with pytest.raises(DoseRefused) as refused:
        calculate_dose(infliximab, 150, mg_per_kg=15, override_reason="trial")
    # 15 x 150 = 2250 mg: 2250 / 500 = 4.5 mg/mL > 4.
    assert refused.value.code == "NO_SUITABLE_BAG" and "too concentrated" in str(refused.value)


# --- Rounding to whole vials (clinic policy) -------------------------------------------------


def test_rounding_is_off_by_default(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 76, mg_per_kg=5)
    assert plan.dose_mg == 380 and "ROUNDED_TO_VIAL" not in plan.warning_codes


@pytest.mark.parametrize(
    ("weight", "ordered", "rounded", "change"),
    [
        (73, 365, 400, "+9.6 %"),  # 400 / 365 = +9.6 %; 300 would be -17.8 %
        (76, 380, 400, "+5.3 %"),  # 400 / 380 = +5.3 %
        (62, 310, 300, "-3.2 %"),  # 300 / 310 = -3.2 %, nearer than 400 (+29 %)
    ],
)
def test_rounding_on_goes_to_the_nearest_whole_vial_total_within_10_percent(
    infliximab: Protocol, weight: int, ordered: int, rounded: int, change: str
) -> None:
    plan = calculate_dose(infliximab, weight, mg_per_kg=5, settings=ROUNDING_ON)
    assert (plan.ordered_mg, plan.dose_mg) == (ordered, rounded) and plan.waste_mg == 0
    warning = _warning(plan, "ROUNDED_TO_VIAL")
    assert warning.requires_ack and change in warning.message
    assert f"ordered {ordered} mg" in warning.message and f"to {rounded} mg" in warning.message


def test_rounding_leaves_a_dose_more_than_10_percent_from_any_vial_total(
    infliximab: Protocol,
) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=5, settings=ROUNDING_ON)
    # 350 mg: 300 is -14.3 %, 400 is +14.3 %.
    assert plan.dose_mg == 350 and "ROUNDED_TO_VIAL" not in plan.warning_codes


def test_rounding_never_goes_above_the_hard_ceiling(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 69, mg_per_kg=20, settings=ROUNDING_ON,
                          override_reason="trial")
    # 20 x 69 = 1380 mg = the ceiling; 1400 (+1.4 %) is above it, so 1300 (-5.8 %).
    assert plan.dose_mg == 1300


def test_rounding_does_not_push_an_on_label_dose_above_the_label(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 76, mg_per_kg=10, settings=ROUNDING_ON)
    # 10 x 76 = 760 mg (on label, max 760); 800 would be 10.5 mg/kg, so 700 (-7.9 %).
    assert plan.dose_mg == 700 and not plan.needs_override


def test_rounding_never_goes_above_the_per_infusion_cap(tocilizumab: Protocol) -> None:
    cap_630 = replace(tocilizumab, dosing=replace(tocilizumab.dosing, per_infusion_max_mg=D(630)))
    plan = calculate_dose(cap_630, 110, mg_per_kg=6, settings=ROUNDING_ON)
    # 660 -> capped 630; whole-vial totals 600 (-4.8 %) and 640 (+1.6 %, above the cap): 600.
    assert plan.dose_mg == 600 and {"CAPPED", "ROUNDED_TO_VIAL"} <= set(plan.warning_codes)


# --- Rates -----------------------------------------------------------------------------------


def test_the_rate_is_rounded_down_and_the_duration_up(tocilizumab: Protocol) -> None:
    slow = replace(tocilizumab, administration=replace(tocilizumab.administration,
                                                       duration_min=70))
    plan = calculate_dose(slow, 70, mg_per_kg=8)
    # 100 mL / 70 min = 85.714 mL/h -> 85.7 mL/h; 100 / 85.7 h = 70.01 min -> 71 min.
    assert (plan.rate_ml_per_h, plan.duration_min) == (D("85.7"), 71)


def test_infliximab_graduated_infusion_follows_the_table_to_137_minutes(
    infliximab: Protocol,
) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=5, graduated=True)
    # 20 mL/h x 15 min = 5 mL; 40 x 15 = 10 mL; 80 x 15 = 20 mL; 120 x 30 = 60 mL: 95 mL in
    # 75 min; the last 155 mL at 150 mL/h = 62 min: 137 min in all.
    steps = [(s.rate_ml_per_h, s.start_min, s.minutes, s.volume_ml) for s in plan.titration]
    assert steps == [(20, 0, 15, 5), (40, 15, 15, 10), (80, 30, 15, 20), (120, 45, 30, 60),
                     (150, 75, 62, 155)]
    assert plan.duration_min == 137 and plan.graduated and plan.rate_ml_per_h == 20
    assert plan.warnings == ()


def test_a_bigger_bag_runs_the_same_rates_for_longer(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 120, mg_per_kg=10, graduated=True)
    # 500 mL: 95 mL in 75 min, then 405 mL at 150 mL/h = 162 min: 237 min.
    assert [s.rate_ml_per_h for s in plan.titration] == [20, 40, 80, 120, 150]
    assert plan.titration[-1].minutes == 162 and plan.duration_min == 237


def test_a_bag_that_empties_early_cuts_the_table_short(infliximab: Protocol) -> None:
    big_steps = replace(infliximab, administration=replace(
        infliximab.administration,
        titration=(TitrationStep(D(100), 60), TitrationStep(D(200), 60), TitrationStep(D(300),
                                                                                      None)),
    ))
    plan = calculate_dose(big_steps, 70, mg_per_kg=5, graduated=True)
    # 100 mL in the first hour, then 150 mL at 200 mL/h = 45 min: the 300 mL/h step never runs,
    # and 105 min < 120 min, so the last step is slowed: 150 mL over 60 min = 150 mL/h.
    assert [(s.rate_ml_per_h, s.minutes) for s in plan.titration] == [(100, 60), (150, 60)]
    assert plan.duration_min == 120 and "TITRATION_SLOWED" in plan.warning_codes


def test_a_table_that_runs_under_the_minimum_slows_its_last_step(infliximab: Protocol) -> None:
    quick = replace(infliximab, administration=replace(
        infliximab.administration,
        titration=(*(TitrationStep(D(r), 15) for r in (10, 20, 40, 80, 150)),
                   TitrationStep(D(250), None)),
    ))
    plan = calculate_dose(quick, 70, mg_per_kg=5, graduated=True)
    # 2.5 + 5 + 10 + 20 + 37.5 = 75 mL in 75 min; 175 mL at 250 mL/h = 42 min: 117 min < 120.
    # Slowed: 175 mL over the 45 min left = 233.33 -> 233.3 mL/h; 175 / 233.3 h = 45.006 min
    # -> 46 min, so the infusion ends at minute 121 (never before 120).
    last = plan.titration[-1]
    assert (last.rate_ml_per_h, last.start_min, last.minutes) == (D("233.3"), 75, 46)
    assert plan.duration_min == 121
    warning = _warning(plan, "TITRATION_SLOWED")
    assert "117 min" in warning.message and "233.3 mL/h" in warning.message


def test_a_table_whose_last_step_is_too_small_to_slow_is_refused(infliximab: Protocol) -> None:
    odd = replace(infliximab, administration=replace(
        infliximab.administration,
        titration=(TitrationStep(D("999.5"), 15), TitrationStep(D(1000), None)),
    ))
    # 999.5 mL/h x 15 min = 249.875 mL; the last 0.125 mL over the 105 min left would need
    # 0.07 mL/h, below the pump's 0.1 mL/h step.
    with pytest.raises(DoseRefused) as refused:
        calculate_dose(odd, 70, mg_per_kg=5, graduated=True)
    assert refused.value.code == "TITRATION_TOO_SHORT"


def test_a_graduated_infusion_of_a_drug_without_a_table_is_refused_naming_it(
    tocilizumab: Protocol,
) -> None:
    with pytest.raises(InvalidInput, match="Tocilizumab") as refused:
        calculate_dose(tocilizumab, 70, mg_per_kg=8, graduated=True)
    assert refused.value.field == "graduated"


def test_a_shortened_infusion_is_refused_while_the_clinic_setting_is_off(
    infliximab: Protocol,
) -> None:
    with pytest.raises(DoseRefused, match="allow_shortened_infusion") as refused:
        calculate_dose(infliximab, 70, mg_per_kg=5, shortened=True, tolerated_doses=3)
    assert refused.value.code == "SHORTENED_NOT_ALLOWED"


def test_a_shortened_infusion_runs_over_one_hour_when_allowed(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=5, shortened=True, tolerated_doses=3,
                          settings=SHORTENED_ON)
    # 250 mL / 1 h = 250 mL/h, 60 min.
    assert (plan.rate_ml_per_h, plan.duration_min, plan.shortened) == (250, 60, True)


@pytest.mark.parametrize(
    ("protocol_id", "mg_per_kg", "tolerated", "words"),
    [
        ("infliximab", 5, 2, "3 tolerated"),
        ("infliximab", 7, 5, "6 mg/kg"),  # not studied above 6 mg/kg
        ("tocilizumab", 8, 5, "no shortened infusion"),
    ],
)
def test_a_shortened_infusion_is_refused_with_the_reason(
    protocol_id: str, mg_per_kg: int, tolerated: int, words: str
) -> None:
    with pytest.raises(DoseRefused, match=words) as refused:
        calculate_dose(load_protocol(protocol_id), 70, mg_per_kg=mg_per_kg, shortened=True,
                       tolerated_doses=tolerated, settings=SHORTENED_ON)
    assert refused.value.code == "SHORTENED_NOT_ALLOWED"


def test_graduated_and_shortened_together_are_refused(infliximab: Protocol) -> None:
    with pytest.raises(InvalidInput, match="cannot also be shortened"):
        calculate_dose(infliximab, 70, mg_per_kg=5, graduated=True, shortened=True,
                       settings=SHORTENED_ON, tolerated_doses=3)


def test_negative_tolerated_doses_are_refused(infliximab: Protocol) -> None:
    with pytest.raises(InvalidInput) as refused:
        calculate_dose(infliximab, 70, mg_per_kg=5, tolerated_doses=-1)
    assert refused.value.field == "tolerated_doses"


# --- What the nurse sees ---------------------------------------------------------------------


def test_the_summary_shows_every_step_of_the_calculation(infliximab: Protocol) -> None:
    lines = calculate_dose(infliximab, 70, mg_per_kg=5).summary_lines()
    assert lines[0] == "Weight: 70 kg"
    assert lines[1] == "Dose: 5 mg/kg x 70 kg = 350 mg"
    assert "Vials: 4 x 100 mg = 400 mg; waste 50 mg" in lines
    assert "Drug: 35 mL at 10 mg/mL" in lines
    assert any("take 35 mL out of the 250 mL" in line for line in lines)
    assert "Final: 250 mL at 1.4 mg/mL" in lines
    assert lines[-1] == "Rate: 125 mL/h over 120 min"


def test_the_summary_shows_a_capped_dose_and_its_warning(tocilizumab: Protocol) -> None:
    lines = calculate_dose(tocilizumab, 110, mg_per_kg=8).summary_lines()
    assert "Dose: 8 mg/kg x 110 kg = 880 mg; given 800 mg (7.27 mg/kg)" in lines
    assert lines[-1].startswith("Warning (CAPPED):")


def test_the_plan_is_frozen(infliximab: Protocol) -> None:
    plan = calculate_dose(infliximab, 70, mg_per_kg=5)
    with pytest.raises(AttributeError):
        plan.dose_mg = D(1)  # type: ignore[misc]


@pytest.mark.parametrize(("dose_mg", "tolerated", "allowed", "offered"), [
    ("362.5", 3, True, 60),   # 5 mg/kg at 72.5 kg after 3 tolerated infusions
    ("725", 3, True, None),   # 10 mg/kg: not studied above 6 mg/kg
    ("362.5", 2, True, None),  # too few tolerated infusions
    ("362.5", 3, False, None),  # the clinic does not use it
])
def test_the_shortened_infusion_is_offered_only_when_every_condition_holds(
        dose_mg, tolerated, allowed, offered):
    from clinic_app.domain.infusion_rate import shortened_offer

    assert shortened_offer(load_protocol("infliximab"), allowed_by_clinic=allowed,
                           tolerated_doses=tolerated, dose_mg=Decimal(dose_mg),
                           weight_kg=Decimal("72.5")) == offered
    assert shortened_offer(load_protocol("vedolizumab"), allowed_by_clinic=True,
                           tolerated_doses=5, dose_mg=Decimal(300),
                           weight_kg=Decimal(70)) is None  # no shortened infusion in its label
