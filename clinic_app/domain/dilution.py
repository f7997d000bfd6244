"""Drawing up the drug and diluting it into an infusion bag.

The drug volume is the dose over the vials' concentration (all sizes share it; the loader checks),
rounded to 0.1 mL, the smallest volume a syringe measures here.

Rules (protocol ``[preparation]``, from each label): the bag is the smallest stocked size whose
final concentration (dose / final volume) lies within the allowed range, bounds included, and that
can take the withdrawal. When ``withdraw_drug_volume`` is set, a volume equal to the drug volume is
first taken out of the bag, so the final volume is the bag volume (infliximab, anifrolumab,
tocilizumab); otherwise the drug is added and the final volume is bag + drug (vedolizumab:
250 mL + 5 mL = 255 mL). Below the weight of a ``small_patient_bag`` only that bag is used
(tocilizumab label: dilute to 50 mL under 30 kg). When no bag fits the dose is refused
(``NO_SUITABLE_BAG``) rather than prepared outside the labelled range.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from clinic_app.domain.errors import DoseRefused
from clinic_app.domain.protocol_model import Preparation, Product
from clinic_app.domain.units import plain, round_concentration, round_ml


@dataclass(frozen=True)
class Dilution:
    """The bag and what is done to it."""

    bag_volume_ml: Decimal
    withdraw_ml: Decimal
    final_volume_ml: Decimal
    concentration_mg_per_ml: Decimal  # 0.01 mg/mL, for display
    small_patient_bag: bool


def drug_volume(product: Product, *, drug: str, dose_mg: Decimal) -> Decimal:
    """The volume of drug to draw up, to 0.1 mL; a dose under 0.05 mL cannot be measured."""
    volume = round_ml(dose_mg / product.concentration_mg_per_ml)
    if volume <= 0:
        raise DoseRefused(
            "DOSE_TOO_SMALL",
            f"{plain(dose_mg)} mg of {drug} is less than 0.1 mL at "
            f"{plain(product.concentration_mg_per_ml)} mg/mL: too small to measure. "
            "Check the weight and the order.",
        )
    return volume


def dilute(
    preparation: Preparation, *, drug: str, dose_mg: Decimal, drug_volume_ml: Decimal,
    weight_kg: Decimal,
) -> Dilution:
    """The smallest bag that keeps the final concentration in range, or ``NO_SUITABLE_BAG``."""
    low = preparation.min_concentration_mg_per_ml
    high = preparation.max_concentration_mg_per_ml
    small_bag = preparation.small_patient_bag
    small = small_bag is not None and weight_kg < small_bag.below_kg
    bags = (small_bag.bag_ml,) if small_bag is not None and small else preparation.bag_sizes_ml
    reasons = []
    for bag in bags:
        withdraw = drug_volume_ml if preparation.withdraw_drug_volume else Decimal(0)
        final = bag if preparation.withdraw_drug_volume else bag + drug_volume_ml
        if withdraw >= bag:
            reasons.append(f"{plain(bag)} mL cannot take {plain(drug_volume_ml)} mL of drug")
            continue
        exact = dose_mg / final
        if low <= exact <= high:
            return Dilution(
                bag_volume_ml=bag, withdraw_ml=withdraw, final_volume_ml=final,
                concentration_mg_per_ml=round_concentration(exact), small_patient_bag=small,
            )
        side = "too dilute" if exact < low else "too concentrated"
        reasons.append(f"{plain(bag)} mL gives {plain(round_concentration(exact))} mg/mL, {side}")
    raise DoseRefused(
        "NO_SUITABLE_BAG",
        f"No bag fits {plain(dose_mg)} mg of {drug}: the final concentration must be "
        f"{plain(low)}-{plain(high)} mg/mL. {'; '.join(reasons)}. "
        "Check the order, or ask the pharmacy for another bag size.",
    )
