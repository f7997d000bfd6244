"""Dose-calculation boxes for the blank checklist, with the protocol's numbers as hints.

In downtime the nurse calculates by hand; each box shows the formula with blanks and the
protocol's own values (labelled mg/kg per indication, limits, vial sizes, reconstitution, bag
sizes and the concentration range, the minimum duration), so nothing is left to memory. All the
numbers come from the protocol TOML; the arithmetic rules are those of
:mod:`clinic_app.domain.dosing` (least-waste vials, the drug volume taken out of the bag when the
protocol says so, the smallest bag in range, never faster than the labelled duration).
"""

from __future__ import annotations

from decimal import Decimal

from clinic_app.domain.protocol_model import Indication, Monitoring, Protocol
from clinic_app.domain.units import plain
from clinic_app.reports.formatting import BLANK, SHORT_BLANK

_B = SHORT_BLANK


def _indication_dose(indication: Indication) -> str:
    if indication.weight_bands:
        bands = []
        for band in indication.weight_bands:
            where = "and above" if band.below_kg is None else f"under {plain(band.below_kg)} kg"
            bands.append(f"{plain(band.mg_per_kg)} mg/kg {where}")
        dose = ", ".join(bands)
    elif indication.mg_per_kg is not None:
        dose = f"{plain(indication.mg_per_kg)} mg/kg"
    elif indication.fixed_mg is not None:
        dose = f"{plain(indication.fixed_mg)} mg"
    else:
        dose = "as ordered"
    if indication.per_infusion_max_mg is not None:
        dose += f" (max {plain(indication.per_infusion_max_mg)} mg)"
    return dose


def _mg(value: Decimal | None) -> str:
    """A protocol number as printed; "?" when the protocol gives none (never a made-up 0)."""
    return "?" if value is None else plain(value)


def _labelled_doses(protocol: Protocol) -> str:
    doses = "; ".join(f"{i.name} {_indication_dose(i)}" for i in protocol.dosing.indications)
    dosing = protocol.dosing
    if protocol.is_weight_based:
        limits = (f"Range {_mg(dosing.min_mg_per_kg)}-"
                  f"{_mg(dosing.label_max_mg_per_kg)} mg/kg; above "
                  f"{_mg(dosing.label_max_mg_per_kg)} mg/kg only with the prescriber's "
                  f"written reason; above {_mg(dosing.hard_ceiling_mg_per_kg)} mg/kg: "
                  "do not give.")
    else:
        limits = f"Fixed dose {_mg(dosing.fixed_mg)} mg."
    if dosing.per_infusion_max_mg is not None:
        limits += f" No more than {plain(dosing.per_infusion_max_mg)} mg per infusion."
    return f"{doses}. {limits}" if doses else limits


def _vials(protocol: Protocol) -> str:
    sizes = " + ".join(f"{plain(p.vial_mg)} mg vials: {_B}" for p in
                       sorted(protocol.products, key=lambda p: p.vial_mg, reverse=True))
    rule = ("least waste, then fewest vials" if len(protocol.products) > 1
            else "enough to cover the dose")
    return f"{sizes}  ({rule})  = {_B} mg;  discard {_B} mg"


def _bag(protocol: Protocol) -> str:
    prep = protocol.preparation
    first = prep.bag_sizes_ml[0]
    if prep.withdraw_drug_volume:
        text = (f"{plain(first)} mL {prep.diluent}: take out {_B} mL (= the drug volume), "
                f"then add the drug; final volume {plain(first)} mL.")
    else:
        text = (f"{plain(first)} mL {prep.diluent}: add the drug (nothing taken out); final "
                f"volume {plain(first)} + {_B} mL = {_B} mL.")
    if len(prep.bag_sizes_ml) > 1:
        over = plain(prep.max_concentration_mg_per_ml * first)
        larger = " or ".join(f"{plain(b)} mL" for b in prep.bag_sizes_ml[1:])
        text += f" Over {over} mg: use a {larger} bag."
    if prep.small_patient_bag is not None:
        small = prep.small_patient_bag
        text += f" Under {plain(small.below_kg)} kg: {plain(small.bag_ml)} mL bag."
    return text


def _concentration(protocol: Protocol) -> str:
    prep = protocol.preparation
    low, high = prep.min_concentration_mg_per_ml, prep.max_concentration_mg_per_ml
    allowed = (f"must be {plain(low)}-{plain(high)} mg/mL" if low > 0
               else f"at most {plain(high)} mg/mL")
    return f"{_B} mg \u00f7 {_B} mL = {_B} mg/mL  ({allowed})"


def dose_hint_rows(protocol: Protocol) -> list[tuple[str, str]]:
    """The calculation boxes, in the order the nurse works."""
    product = protocol.products[0]
    concentration = plain(product.concentration_mg_per_ml)
    duration = protocol.administration.duration_min
    if protocol.is_weight_based:
        dose = f"weight {_B} kg \u00d7 {_B} mg/kg = {_B} mg"
    else:
        dose = f"{_mg(protocol.dosing.fixed_mg)} mg (fixed dose, no weight calculation)"
    rows = [
        ("Order", f"{_B} {'mg/kg' if protocol.is_weight_based else 'mg'}   prescribed by "
                  f"{BLANK}   indication {BLANK}"),
        ("Labelled doses", _labelled_doses(protocol)),
        ("Dose", dose),
        ("Vials", _vials(protocol)),
    ]
    if product.reconstitute_with and product.reconstitution_ml:
        rows.append(("Reconstitute", f"each vial with {plain(product.reconstitution_ml)} mL "
                                     f"{product.reconstitute_with.lower()} = {concentration} "
                                     "mg/mL"))
    rows += [
        ("Draw up", f"{_B} mg \u00f7 {concentration} mg/mL = {_B} mL of drug"),
        ("Bag", _bag(protocol)),
        ("Concentration", _concentration(protocol)),
        ("Rate", f"{_B} mL \u00d7 60 \u00f7 {duration} min = {_B} mL/h  (over at least "
                 f"{duration} min: never faster)"),
        ("Filter", protocol.preparation.in_line_filter),
    ]
    if protocol.preparation.flush_ml:
        rows.append(("Flush", f"{plain(protocol.preparation.flush_ml)} mL "
                              f"{protocol.preparation.diluent} after the bag"))
    rows.append(("Stability", protocol.preparation.stability))
    return rows


def observation_rule_text(monitoring: Monitoring) -> str:
    """"120 min after the end", or per dose: "after the end: 120 min for doses 1-2; 60 min from
    dose 3"."""
    rules = sorted(monitoring.observation, key=lambda r: r.from_dose)
    if not rules:
        return "no observation period in the protocol"
    if len(rules) == 1:
        return f"{rules[0].minutes} min after the end"
    parts = []
    for rule, following in zip(rules, [*rules[1:], None], strict=True):
        if following is None:
            parts.append(f"{rule.minutes} min from dose {rule.from_dose}")
        elif following.from_dose - 1 == rule.from_dose:
            parts.append(f"{rule.minutes} min for dose {rule.from_dose}")
        else:
            parts.append(f"{rule.minutes} min for doses {rule.from_dose}-"
                         f"{following.from_dose - 1}")
    return "after the end: " + "; ".join(parts)
