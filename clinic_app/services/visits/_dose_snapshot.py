"""The dose plan of a visit as it was shown, kept as JSON on the visit and read back whole.

The snapshot is self-contained (the product, the bag and every number), so a visit prints and
reads the same after the protocol file changes. Decimals are stored as text, never as floats.
Vial presentations are stored once and referred to by position. ``acknowledged`` holds the
warning codes the nurse acknowledged when the visit was opened.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.infusion_rate import TitrationStepPlan
from clinic_app.domain.protocol_model import Preparation, Product, SmallPatientBag
from clinic_app.domain.units import Weight, WeightUnit
from clinic_app.domain.vials import VialUse

SNAPSHOT_VERSION = 1

_PRODUCT_DECIMALS = ("vial_mg", "volume_ml", "concentration_mg_per_ml", "reconstitution_ml")
_PLAN_DECIMALS = ("mg_per_kg", "ordered_mg", "dose_mg", "waste_mg", "drug_volume_ml",
                  "bag_volume_ml", "withdraw_ml", "final_volume_ml", "concentration_mg_per_ml",
                  "rate_ml_per_h")


@dataclass(frozen=True)
class DoseSnapshot:
    """A stored dose plan and what the nurse acknowledged when it was accepted."""

    plan: DosePlan
    acknowledged: tuple[str, ...] = ()


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _undec(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _product_json(product: Product) -> dict[str, Any]:
    data: dict[str, Any] = {
        "name": product.name, "form": product.form, "source": product.source,
        "reconstitute_with": product.reconstitute_with,
    }
    data.update({key: _dec(getattr(product, key)) for key in _PRODUCT_DECIMALS})
    return data


def _product(data: dict[str, Any]) -> Product:
    return Product(name=data["name"], form=data["form"], source=data["source"],
                   reconstitute_with=data["reconstitute_with"],
                   vial_mg=Decimal(data["vial_mg"]), volume_ml=Decimal(data["volume_ml"]),
                   concentration_mg_per_ml=Decimal(data["concentration_mg_per_ml"]),
                   reconstitution_ml=_undec(data["reconstitution_ml"]))


def _preparation_json(prep: Preparation) -> dict[str, Any]:
    small = prep.small_patient_bag
    return {
        "diluent": prep.diluent, "bag_sizes_ml": [str(b) for b in prep.bag_sizes_ml],
        "min_concentration_mg_per_ml": str(prep.min_concentration_mg_per_ml),
        "max_concentration_mg_per_ml": str(prep.max_concentration_mg_per_ml),
        "withdraw_drug_volume": prep.withdraw_drug_volume, "in_line_filter": prep.in_line_filter,
        "flush_ml": str(prep.flush_ml), "stability": prep.stability, "source": prep.source,
        "small_patient_bag": None if small is None else {
            "below_kg": str(small.below_kg), "bag_ml": str(small.bag_ml), "source": small.source},
    }


def _preparation(data: dict[str, Any]) -> Preparation:
    small = data["small_patient_bag"]
    return Preparation(
        diluent=data["diluent"], bag_sizes_ml=tuple(Decimal(b) for b in data["bag_sizes_ml"]),
        min_concentration_mg_per_ml=Decimal(data["min_concentration_mg_per_ml"]),
        max_concentration_mg_per_ml=Decimal(data["max_concentration_mg_per_ml"]),
        withdraw_drug_volume=data["withdraw_drug_volume"], in_line_filter=data["in_line_filter"],
        flush_ml=Decimal(data["flush_ml"]), stability=data["stability"], source=data["source"],
        small_patient_bag=None if small is None else SmallPatientBag(
            below_kg=Decimal(small["below_kg"]), bag_ml=Decimal(small["bag_ml"]),
            source=small["source"]),
    )


def _products_of(plan: DosePlan) -> list[Product]:
    products = [plan.product]
    for use in plan.vials:
        if use.product not in products:
            products.append(use.product)
    return products


def snapshot_json(plan: DosePlan, acknowledged: tuple[str, ...] = ()) -> dict[str, Any]:
    """The plan (and the acknowledged warning codes) as a JSON-ready dict."""
    products = _products_of(plan)
    data: dict[str, Any] = {
        "snapshot_version": SNAPSHOT_VERSION, "acknowledged": list(acknowledged),
        "protocol_id": plan.protocol_id, "drug": plan.drug, "indication_id": plan.indication_id,
        "weight": {"entered": str(plan.weight.entered), "unit": plan.weight.unit.value,
                   "kg": str(plan.weight.kg)},
        "products": [_product_json(p) for p in products],
        "vials": [[products.index(v.product), v.count] for v in plan.vials],
        "preparation": _preparation_json(plan.preparation),
        "small_patient_bag": plan.small_patient_bag, "duration_min": plan.duration_min,
        "shortened": plan.shortened, "override_reason": plan.override_reason,
        "titration": [[str(s.rate_ml_per_h), s.start_min, s.minutes, str(s.volume_ml)]
                      for s in plan.titration],
        "warnings": [[w.code, w.message, w.requires_override, w.requires_ack]
                     for w in plan.warnings],
    }
    data.update({key: _dec(getattr(plan, key)) for key in _PLAN_DECIMALS})
    return data


def read_snapshot(data: dict[str, Any]) -> DoseSnapshot:
    """The plan stored by :func:`snapshot_json`."""
    if data.get("snapshot_version") != SNAPSHOT_VERSION:
        raise ValueError(f"unknown dose plan snapshot version {data.get('snapshot_version')!r}")
    products = [_product(p) for p in data["products"]]
    weight = data["weight"]
    plan = DosePlan(
        protocol_id=data["protocol_id"], drug=data["drug"], indication_id=data["indication_id"],
        weight=Weight(entered=Decimal(weight["entered"]), unit=WeightUnit(weight["unit"]),
                      kg=Decimal(weight["kg"])),
        product=products[0], preparation=_preparation(data["preparation"]),
        vials=tuple(VialUse(products[index], count) for index, count in data["vials"]),
        small_patient_bag=data["small_patient_bag"], duration_min=data["duration_min"],
        shortened=data["shortened"], override_reason=data["override_reason"],
        titration=tuple(TitrationStepPlan(Decimal(rate), start, minutes, Decimal(volume))
                        for rate, start, minutes, volume in data["titration"]),
        warnings=tuple(ClinicalWarning(code, message, override, ack)
                       for code, message, override, ack in data["warnings"]),
        mg_per_kg=_undec(data["mg_per_kg"]), ordered_mg=Decimal(data["ordered_mg"]),
        dose_mg=Decimal(data["dose_mg"]), waste_mg=Decimal(data["waste_mg"]),
        drug_volume_ml=Decimal(data["drug_volume_ml"]),
        bag_volume_ml=Decimal(data["bag_volume_ml"]), withdraw_ml=Decimal(data["withdraw_ml"]),
        final_volume_ml=Decimal(data["final_volume_ml"]),
        concentration_mg_per_ml=Decimal(data["concentration_mg_per_ml"]),
        rate_ml_per_h=Decimal(data["rate_ml_per_h"]),
    )
    return DoseSnapshot(plan=plan, acknowledged=tuple(data["acknowledged"]))
