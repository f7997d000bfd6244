"""From the order to the dose in mg: the limits it is checked against, the cap and rounding.

Rules, all read from the protocol's ``[dosing]`` table and the clinic settings:

- The order is in mg/kg (weight-based protocols), or in mg (fixed-dose protocols; a weight-based
  protocol also accepts an order in mg, checked through its mg/kg equivalent). Without an order the
  indication's default is used (weight bands first, e.g. tocilizumab pJIA 10 mg/kg under 30 kg,
  8 mg/kg at or above); the protocol's fixed dose is the default of a fixed-dose protocol.
- An order above the hard ceiling is refused (``ABOVE_HARD_CEILING``; infliximab seed 000: no
  toxicity up to 20 mg/kg, nothing above is accepted).
- A per-infusion cap (indication first, then drug; tocilizumab label: 800 mg, GCA 600 mg) lowers
  the dose to the cap (``CAPPED``, to be acknowledged: the dose prepared differs from the order,
  and the warning says both, e.g. "Ordered 1400 mg (8 mg/kg × 175 kg) is above the label cap of
  800 mg per infusion: 800 mg will be prepared").
- Optional clinic policy (``dosing.round_to_whole_vials``, off by default; HOPA recommendation for
  monoclonal antibodies): the dose goes to the nearest whole-vial total within the tolerance
  (default 10 %), the lower one on a tie, never above the hard ceiling or the cap, and never above
  the label maximum when the dose was within it (``ROUNDED_TO_VIAL``, to be acknowledged).
- The dose given is then compared with the label: above the label maximum needs an override with
  a recorded reason (``ABOVE_LABEL_MAX``). The maximum is the indication's weight band's, else the
  indication's, else the drug's (infliximab US label: 10 mg/kg only for Crohn's loss of response
  and rheumatoid arthritis, 5 mg/kg for Crohn's disease, ulcerative colitis, ankylosing
  spondylitis, psoriatic arthritis and plaque psoriasis; tocilizumab pJIA: 10 mg/kg under 30 kg,
  8 mg/kg at or above). Below the labelled minimum mg/kg is warned (``BELOW_LABEL_MIN``).
- A fixed-dose drug (vedolizumab 300 mg, anifrolumab 300 mg; labels) given at any other dose is
  off-label and needs an override with a recorded reason (``OFF_LABEL_DOSE``; clinical
  reference, December 2026 additions).

Limits in mg/kg become limits in mg for this weight, rounded like the dose (0.1 mg, half up), so a
dose equal to the limit after rounding is within it.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.errors import DoseRefused, InvalidInput
from clinic_app.domain.protocol_model import Indication, Protocol
from clinic_app.domain.settings import DosingSettings
from clinic_app.domain.units import (
    Weight,
    parse_number,
    percent_change,
    plain,
    round_kg_used,
    round_mg,
    round_mg_per_kg,
)
from clinic_app.domain.vials import whole_vial_neighbours


@dataclass(frozen=True)
class DoseOrder:
    """What the prescriber ordered: mg/kg or mg (exactly one), and for which indication."""

    mg_per_kg: Decimal | None
    fixed_mg: Decimal | None
    indication: Indication | None


@dataclass(frozen=True)
class Limit:
    """A limit in mg for this patient and the words that explain where it comes from."""

    mg: Decimal
    text: str


@dataclass(frozen=True)
class DoseDecision:
    """The dose in mg before and after the cap and the rounding policy, with the warnings."""

    ordered_mg: Decimal
    dose_mg: Decimal
    warnings: tuple[ClinicalWarning, ...]


def _positive(value: object, field: str, label: str) -> Decimal:
    number = parse_number(value, field=field, label=label)
    if number <= 0:
        raise InvalidInput(field, f"{label} must be more than 0, got {plain(number)}.")
    return number


def _indication(protocol: Protocol, indication_id: str | None) -> Indication | None:
    if indication_id is None:
        return None
    try:
        return protocol.dosing.indication(indication_id)
    except KeyError as exc:
        raise InvalidInput("indication", f"{protocol.drug}: {exc.args[0]}") from None


def resolve_order(
    protocol: Protocol, weight: Weight, *, mg_per_kg: object, fixed_mg: object,
    indication: str | None,
) -> DoseOrder:
    """The order to calculate, with defaults filled in; :class:`InvalidInput` when it is unclear."""
    ind = _indication(protocol, indication)
    mpk = None if mg_per_kg is None else _positive(mg_per_kg, "mg_per_kg", "Dose in mg/kg")
    mg = None if fixed_mg is None else _positive(fixed_mg, "fixed_mg", "Dose in mg")
    if mpk is not None and mg is not None:
        raise InvalidInput("dose", "Give the dose either in mg/kg or in mg, not both.")
    if not protocol.is_weight_based:
        if mpk is not None:
            raise InvalidInput("mg_per_kg", f"{protocol.drug} is a fixed dose: give it in mg, "
                                            "not in mg/kg.")
        if mg is None:
            mg = ind.fixed_mg if ind is not None and ind.fixed_mg is not None \
                else protocol.dosing.fixed_mg
        return DoseOrder(None, mg, ind)
    if mpk is None and mg is None:
        mpk = None if ind is None else ind.default_mg_per_kg(weight.kg)
        if mpk is None:
            raise InvalidInput("mg_per_kg", f"{protocol.drug} is dosed by weight: give the dose "
                                            "in mg/kg (or choose an indication with a default).")
    return DoseOrder(mpk, mg, ind)


@dataclass(frozen=True)
class DoseLimits:
    """The limits in mg for this patient, indication first, then drug; ``labelled`` is the
    single labelled dose of a fixed-dose protocol (None for a weight-based one)."""

    hard_ceiling: Limit
    label_max: Limit
    label_min: Limit | None
    cap: Limit | None
    labelled: Limit | None = None


def _loaded(value: Decimal | None) -> Decimal:
    """A value that is always present here: the protocol loader requires the limits of each
    dosing mode, and :func:`resolve_order` fills in the mg/kg or the mg."""
    assert value is not None, "guaranteed by the protocol loader or resolve_order"
    return value


def _per_kg_limit(mg_per_kg: Decimal, weight: Weight, what: str = "") -> Limit:
    mg = round_mg(mg_per_kg * weight.kg)
    return Limit(mg, f"{plain(mg_per_kg)} mg/kg{what} ({plain(mg)} mg at {weight})")


def indication_label_max(
    protocol: Protocol, indication: Indication | None, weight_kg: Decimal | None
) -> tuple[Decimal, str]:
    """The label maximum in mg/kg for the indication at this weight, and where it comes from
    (" for Polyarticular JIA at 30 kg or more"; '' for the drug's own maximum).

    The weight band's maximum first, then the indication's, then the drug's (module rules);
    with banded maxima and no weight known, the highest band's (see
    :meth:`~clinic_app.domain.protocol_model.Indication.label_max_for`).
    """
    own = None if indication is None else indication.label_max_for(weight_kg)
    if indication is None or own is None:
        return _loaded(protocol.dosing.label_max_mg_per_kg), ""
    band = None if weight_kg is None or not indication.banded_label_max \
        else indication.band_for(weight_kg)
    where = "" if band is None else f" {band.text}"
    return own, f" for {indication.name}{where}"


def _mg_limit(mg: Decimal, what: str = "") -> Limit:
    return Limit(round_mg(mg), f"{plain(mg)} mg{what}")


def dose_limits(protocol: Protocol, indication: Indication | None, weight: Weight) -> DoseLimits:
    """The hard ceiling, label range and per-infusion cap that apply to this patient."""
    dosing, ind = protocol.dosing, indication
    cap = None
    if ind is not None and ind.per_infusion_max_mg is not None:
        cap = _mg_limit(ind.per_infusion_max_mg, f" per infusion ({ind.name})")
    elif dosing.per_infusion_max_mg is not None:
        cap = _mg_limit(dosing.per_infusion_max_mg, " per infusion")
    if not protocol.is_weight_based:
        labelled = ind.fixed_mg if ind is not None and ind.fixed_mg is not None \
            else dosing.fixed_mg
        return DoseLimits(hard_ceiling=_mg_limit(_loaded(dosing.hard_ceiling_mg)),
                          label_max=_mg_limit(_loaded(dosing.label_max_mg)),
                          label_min=None, cap=cap,
                          labelled=_mg_limit(_loaded(labelled),
                                             "" if ind is None else f" for {ind.name}"))
    label_max, where = indication_label_max(protocol, ind, weight.kg)
    return DoseLimits(
        hard_ceiling=_per_kg_limit(_loaded(dosing.hard_ceiling_mg_per_kg), weight),
        label_max=_per_kg_limit(label_max, weight, where),
        label_min=None if dosing.min_mg_per_kg is None
        else _per_kg_limit(dosing.min_mg_per_kg, weight),
        cap=cap,
    )


def _check_hard_ceiling(
    protocol: Protocol, order: DoseOrder, weight: Weight, ceiling: Limit
) -> None:
    """Compared before any multiplication, so an absurd order is refused, not overflowed."""
    dosing = protocol.dosing
    if order.mg_per_kg is not None:  # only weight-based protocols take mg/kg orders
        above = order.mg_per_kg > _loaded(dosing.hard_ceiling_mg_per_kg)
        ordered = f"{plain(order.mg_per_kg)} mg/kg"
    else:
        fixed = _loaded(order.fixed_mg)
        limit = (_loaded(dosing.hard_ceiling_mg_per_kg) * weight.kg if protocol.is_weight_based
                 else _loaded(dosing.hard_ceiling_mg))
        above, ordered = fixed > limit, f"{plain(fixed)} mg"
    if above:
        raise DoseRefused(
            "ABOVE_HARD_CEILING",
            f"Refused: {ordered} of {protocol.drug} is above the hard ceiling of {ceiling.text}. "
            "Check the order with the prescriber.",
        )


def _round_to_vials(
    protocol: Protocol, dose: Decimal, highest: Decimal, rules: DosingSettings, *, capped: bool
) -> tuple[Decimal, ClinicalWarning | None]:
    """The nearest whole-vial total within the tolerance and not above ``highest``."""
    below, above = whole_vial_neighbours(protocol.products, dose)
    tolerance = rules.round_to_vial_tolerance_percent
    candidates = [
        total for total in (below, above)
        if total is not None and total <= highest and abs(total - dose) * 100 <= tolerance * dose
    ]
    if dose in (below, above) or not candidates:
        return dose, None
    rounded = round_mg(min(candidates, key=lambda total: (abs(total - dose), total)))
    return rounded, ClinicalWarning(
        "ROUNDED_TO_VIAL",
        f"Dose rounded to whole vials (clinic policy, within {plain(tolerance)} %): "
        f"{'capped' if capped else 'ordered'} {plain(dose)} mg, rounded to {plain(rounded)} mg "
        f"({percent_change(rounded, dose):+} %). "
        "Confirm before preparing.",
        requires_ack=True,
    )


def _label_warnings(
    protocol: Protocol, dose: Decimal, weight: Weight, limits: DoseLimits,
    override_reason: str | None,
) -> list[ClinicalWarning]:
    warnings = []
    given = f"{plain(dose)} mg of {protocol.drug}"
    if protocol.is_weight_based:
        per_kg = plain(round_mg_per_kg(dose / weight.kg))
        given = f"{plain(dose)} mg ({per_kg} mg/kg) of {protocol.drug}"
    then = (f"Override reason recorded: {override_reason}" if override_reason
            else "It needs an override with a recorded reason")
    if dose > limits.label_max.mg:
        warnings.append(ClinicalWarning(
            "ABOVE_LABEL_MAX",
            f"{given} is above the label maximum of {limits.label_max.text}. {then}.",
            requires_override=True,
        ))
    elif limits.labelled is not None and dose != limits.labelled.mg:
        warnings.append(ClinicalWarning(
            "OFF_LABEL_DOSE",
            f"{protocol.drug} is labelled as a fixed dose of {limits.labelled.text}: "
            f"{plain(dose)} mg is off-label. {then}.",
            requires_override=True,
        ))
    if limits.label_min is not None and dose < limits.label_min.mg:
        warnings.append(ClinicalWarning(
            "BELOW_LABEL_MIN",
            f"{given} is below the labelled minimum of {limits.label_min.text}. Check the order.",
        ))
    return warnings


def _capped(order: DoseOrder, weight: Weight, ordered: Decimal, cap: Limit) -> ClinicalWarning:
    """The order and the dose prepared differ: acknowledged before the dose is prepared."""
    how = "" if order.mg_per_kg is None else (
        f" ({plain(order.mg_per_kg)} mg/kg × {plain(round_kg_used(weight.kg))} kg)")
    return ClinicalWarning(
        "CAPPED",
        f"Ordered {plain(ordered)} mg{how} is above the label cap of {cap.text}: "
        f"{plain(cap.mg)} mg will be prepared. The dose given differs from the order: "
        "acknowledge it.",
        requires_ack=True,
    )


def decide_dose(
    protocol: Protocol, order: DoseOrder, weight: Weight, rules: DosingSettings,
    override_reason: str | None,
) -> DoseDecision:
    """The dose in mg to prepare, or :class:`DoseRefused` when the order cannot be given."""
    limits = dose_limits(protocol, order.indication, weight)
    _check_hard_ceiling(protocol, order, weight, limits.hard_ceiling)
    exact = _loaded(order.fixed_mg) if order.mg_per_kg is None else order.mg_per_kg * weight.kg
    ordered = dose = round_mg(exact)
    if ordered <= 0:
        raise DoseRefused("DOSE_TOO_SMALL", f"The order comes to {plain(ordered)} mg once "
                                            "rounded to 0.1 mg: check the weight and the order.")
    warnings: list[ClinicalWarning] = []
    if limits.cap is not None and dose > limits.cap.mg:
        dose = limits.cap.mg
        warnings.append(_capped(order, weight, ordered, limits.cap))
    if rules.round_to_whole_vials:
        highest = min(limit.mg for limit in (
            limits.hard_ceiling, limits.cap,
            limits.label_max if dose <= limits.label_max.mg else None,
        ) if limit is not None)
        dose, rounded = _round_to_vials(protocol, dose, highest, rules, capped=dose != ordered)
        warnings.extend([rounded] if rounded is not None else [])
    warnings.extend(_label_warnings(protocol, dose, weight, limits, override_reason))
    return DoseDecision(ordered, dose, tuple(warnings))
