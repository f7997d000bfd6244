"""Properties of the dose calculation that must hold for every weight, order and protocol."""

from __future__ import annotations

import itertools
import math
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from clinic_app.domain.dose_rules import dose_limits, indication_label_max
from clinic_app.domain.dosing import DosePlan, calculate_dose
from clinic_app.domain.errors import ClinicalError, DoseRefused
from clinic_app.domain.protocol_model import Product, Protocol
from clinic_app.domain.protocols import load_all_protocols
from clinic_app.domain.settings import ClinicSettings, DosingSettings
from clinic_app.domain.units import KG_PER_LB, plain, round_mg
from clinic_app.domain.vials import select_vials

D = Decimal
PROTOCOLS = {p.id: p for p in load_all_protocols() if p.id in
             ("infliximab", "anifrolumab", "vedolizumab", "tocilizumab")}
SETTINGS = [
    ClinicSettings(),
    ClinicSettings(dosing=DosingSettings(round_to_whole_vials=True)),
    ClinicSettings(dosing=DosingSettings(allow_shortened_infusion=True)),
]
PROPERTY = settings(max_examples=300, deadline=None,
                    suppress_health_check=[HealthCheck.filter_too_much])

protocols = st.sampled_from(sorted(PROTOCOLS.values(), key=lambda p: p.id))
weights_kg = st.decimals(min_value=D("0.1"), max_value=D(350), places=1)
mg_per_kg = st.decimals(min_value=D("0.1"), max_value=D(25), places=2)
fixed_mg = st.decimals(min_value=D(1), max_value=D(2000), places=1)
clinic_settings = st.sampled_from(SETTINGS)


@st.composite
def orders(draw: st.DrawFn, protocol: Protocol) -> dict[str, object]:
    """A valid-looking order for the protocol: mg/kg, mg, or an indication's default."""
    indication = draw(st.none() | st.sampled_from([i.id for i in protocol.dosing.indications]))
    if protocol.is_weight_based:
        kind = draw(st.sampled_from(["mg_per_kg", "fixed_mg", "default"]))
    else:
        kind = draw(st.sampled_from(["fixed_mg", "default"]))
    if kind == "default":
        return {"indication": indication or protocol.dosing.indications[0].id}
    value = draw(mg_per_kg if kind == "mg_per_kg" else fixed_mg)
    return {kind: value, "indication": indication}


@st.composite
def plans(draw: st.DrawFn) -> tuple[Protocol, DosePlan, ClinicSettings]:
    """A plan that was not refused, with what it was calculated from."""
    protocol = draw(protocols)
    options = draw(orders(protocol))
    clinic = draw(clinic_settings)
    graduated = bool(protocol.administration.titration) and draw(st.booleans())
    try:
        plan = calculate_dose(protocol, draw(weights_kg), settings=clinic, graduated=graduated,
                              override_reason=draw(st.none() | st.just("prescriber's order")),
                              **options)  # type: ignore[arg-type]
    except DoseRefused:
        assume(False)
        raise
    return protocol, plan, clinic


# --- Vials -----------------------------------------------------------------------------------

vial_sizes = st.lists(st.sampled_from([D(5), D(20), D(80), D("12.5"), D(100), D(200), D(400)]),
                      min_size=1, max_size=3, unique=True)


def _products(sizes: list[Decimal]) -> tuple[Product, ...]:
    template = PROTOCOLS["tocilizumab"].products[0]
    return tuple(replace(template, vial_mg=s, volume_ml=s / 20) for s in sizes)


def _best_by_brute_force(sizes: list[Decimal], dose: Decimal) -> tuple[Decimal, int]:
    """The least (total mg, vial count) over every combination that covers the dose."""
    ranges = [range(math.ceil(dose / s) + 1) for s in sizes]
    return min(
        (sum((s * c for s, c in zip(sizes, counts, strict=True)), D(0)), sum(counts))
        for counts in itertools.product(*ranges)
        if sum((s * c for s, c in zip(sizes, counts, strict=True)), D(0)) >= dose
    )


@PROPERTY
@given(sizes=vial_sizes, dose=st.decimals(min_value=D("0.1"), max_value=D(1000), places=1))
def test_vials_always_cover_the_dose_with_the_least_waste_then_fewest_vials(
    sizes: list[Decimal], dose: Decimal
) -> None:
    selection = select_vials(_products(sizes), dose)
    assert selection.total_mg >= dose
    assert (selection.total_mg, selection.vial_count) == _best_by_brute_force(sizes, dose)


# --- Plans -----------------------------------------------------------------------------------


@PROPERTY
@given(plans())
def test_a_returned_plan_keeps_the_concentration_in_the_allowed_range(
    case: tuple[Protocol, DosePlan, ClinicSettings],
) -> None:
    protocol, plan, _ = case
    prep = protocol.preparation
    exact = plan.dose_mg / plan.final_volume_ml
    assert prep.min_concentration_mg_per_ml <= exact <= prep.max_concentration_mg_per_ml
    assert plan.withdraw_ml < plan.bag_volume_ml
    expected_final = plan.bag_volume_ml + (0 if prep.withdraw_drug_volume else plan.drug_volume_ml)
    assert plan.final_volume_ml == expected_final


@PROPERTY
@given(plans())
def test_the_dose_is_never_above_the_hard_ceiling_nor_the_cap(
    case: tuple[Protocol, DosePlan, ClinicSettings],
) -> None:
    protocol, plan, _ = case
    indication = (None if plan.indication_id is None
                  else protocol.dosing.indication(plan.indication_id))
    limits = dose_limits(protocol, indication, plan.weight)
    assert 0 < plan.dose_mg <= limits.hard_ceiling.mg
    assert limits.cap is None or plan.dose_mg <= limits.cap.mg
    assert plan.dose_mg == round_mg(plan.dose_mg)
    assert plan.vial_total_mg >= plan.dose_mg and plan.waste_mg == plan.vial_total_mg - plan.dose_mg


@PROPERTY
@given(plans())
def test_the_infusion_never_runs_faster_than_the_labelled_minimum(
    case: tuple[Protocol, DosePlan, ClinicSettings],
) -> None:
    protocol, plan, _ = case
    assert plan.duration_min >= protocol.administration.duration_min
    if plan.graduated:
        steps = plan.titration
        assert steps[0].start_min == 0 and plan.duration_min == steps[-1].end_min
        assert all(a.end_min == b.start_min for a, b in itertools.pairwise(steps))
        assert all(s.rate_ml_per_h * s.minutes / 60 >= s.volume_ml - D("0.05") for s in steps)
        assert abs(sum(s.volume_ml for s in steps) - plan.final_volume_ml) <= D("0.05") * len(
            steps)
    else:
        assert plan.rate_ml_per_h * plan.duration_min / 60 >= plan.final_volume_ml
        assert plan.final_volume_ml * 60 / plan.rate_ml_per_h >= \
            protocol.administration.duration_min


@PROPERTY
@given(plans())
def test_only_an_unexplained_override_warning_sets_needs_override(
    case: tuple[Protocol, DosePlan, ClinicSettings],
) -> None:
    _, plan, _ = case
    overriding = any(w.requires_override for w in plan.warnings)
    assert plan.needs_override == (overriding and plan.override_reason is None)


@PROPERTY
@given(protocol=protocols, pounds=st.decimals(min_value=D(1), max_value=D(770), places=2),
       data=st.data())
def test_a_weight_in_pounds_and_the_same_weight_in_kg_give_the_same_plan(
    protocol: Protocol, pounds: Decimal, data: st.DataObject
) -> None:
    options = data.draw(orders(protocol))
    outcomes = []
    for weight, unit in ((pounds, "lb"), (pounds * KG_PER_LB, "kg")):
        try:
            plan = calculate_dose(protocol, weight, weight_unit=unit, **options)  # type: ignore[arg-type]
        except ClinicalError as exc:
            outcomes.append((type(exc).__name__, getattr(exc, "code", None)))
            continue
        outcomes.append((plan.weight_kg, plan.dose_mg, plan.vials, plan.final_volume_ml,
                         plan.rate_ml_per_h, plan.duration_min, plan.warning_codes))
    assert outcomes[0] == outcomes[1]


@PROPERTY
@given(plans())
def test_a_dose_above_the_indications_label_maximum_always_needs_an_override(
    case: tuple[Protocol, DosePlan, ClinicSettings],
) -> None:
    protocol, plan, _ = case
    indication = (None if plan.indication_id is None
                  else protocol.dosing.indication(plan.indication_id))
    limits = dose_limits(protocol, indication, plan.weight)
    if protocol.is_weight_based:
        top, _where = indication_label_max(protocol, indication, plan.weight_kg)
        assert limits.label_max.mg == round_mg(top * plan.weight_kg)
    overriding = {w.code for w in plan.warnings if w.requires_override}
    assert (plan.dose_mg > limits.label_max.mg) == ("ABOVE_LABEL_MAX" in overriding)


@PROPERTY
@given(plans())
def test_a_fixed_dose_drug_at_any_other_dose_always_needs_an_override(
    case: tuple[Protocol, DosePlan, ClinicSettings],
) -> None:
    protocol, plan, _ = case
    assume(not protocol.is_weight_based)
    indication = (None if plan.indication_id is None
                  else protocol.dosing.indication(plan.indication_id))
    labelled = dose_limits(protocol, indication, plan.weight).labelled
    assert labelled is not None
    overriding = {w.code for w in plan.warnings if w.requires_override}
    assert (plan.dose_mg != labelled.mg) == bool(overriding & {"OFF_LABEL_DOSE",
                                                                "ABOVE_LABEL_MAX"})


@PROPERTY
@given(plans())
def test_a_dose_lowered_to_the_cap_is_always_acknowledged_with_both_numbers(
    case: tuple[Protocol, DosePlan, ClinicSettings],
) -> None:
    _, plan, _ = case
    capped = [w for w in plan.warnings if w.code == "CAPPED"]
    if not capped:
        assert plan.dose_mg == plan.ordered_mg or "ROUNDED_TO_VIAL" in plan.warning_codes
        return
    (warning,) = capped
    assert warning.requires_ack and plan.needs_ack
    assert f"Ordered {plain(plan.ordered_mg)} mg" in warning.message
    assert plan.dose_mg < plan.ordered_mg


# --- Refusals --------------------------------------------------------------------------------

anything = (st.none() | st.text(max_size=12) | st.integers() | st.booleans()
            | st.floats(allow_nan=True, allow_infinity=True)
            | st.decimals(allow_nan=True, allow_infinity=True)
            | st.sampled_from(["70", "1e999999999", "-0", "0.0001", "1_000", "٣٠", "sNaN"]))
plausible_or_anything = st.one_of(weights_kg, mg_per_kg.map(str), anything)


@PROPERTY
@given(protocol=protocols, weight=plausible_or_anything,
       unit=st.sampled_from(["kg", "lb", "KG", "stone", ""]),
       dose=st.none() | plausible_or_anything, fixed=st.none() | plausible_or_anything,
       previous=st.none() | plausible_or_anything, clinic=clinic_settings,
       indication=st.none() | st.sampled_from(["crohns", "polyarticular_jia", "sle", "x"]),
       graduated=st.booleans(), shortened=st.booleans(),
       tolerated=st.integers(min_value=-2, max_value=5))
def test_every_refusal_is_a_clinical_error_never_another_exception(
    protocol: Protocol, weight: object, unit: str, dose: object, fixed: object,
    previous: object, clinic: ClinicSettings, indication: str | None, graduated: bool,
    shortened: bool, tolerated: int,
) -> None:
    try:
        plan = calculate_dose(
            protocol, weight, weight_unit=unit, mg_per_kg=dose, fixed_mg=fixed,  # type: ignore[arg-type]
            previous_weight_kg=previous, indication=indication, graduated=graduated,  # type: ignore[arg-type]
            shortened=shortened, tolerated_doses=tolerated, settings=clinic,
        )
    except ClinicalError as exc:
        assert str(exc).strip()
    else:
        assert plan.dose_mg > 0 and plan.final_volume_ml > 0


@pytest.mark.parametrize("protocol_id", sorted(PROTOCOLS))
def test_an_absurd_order_is_refused_not_overflowed(protocol_id: str) -> None:
    protocol = PROTOCOLS[protocol_id]
    key = "mg_per_kg" if protocol.is_weight_based else "fixed_mg"
    with pytest.raises(DoseRefused) as refused:
        calculate_dose(protocol, 70, **{key: "1e999999999"})  # type: ignore[arg-type]
    assert refused.value.code == "ABOVE_HARD_CEILING"
