"""Text for the visit screens: local clock times, durations and the dose plan's numbers.

Presentation only: the numbers come from the services (already rounded by the domain); this
module only turns them into words. Clock times and dates are written by
:mod:`clinic_app.domain.dates` (aware UTC in the DTOs, shown in the clinic's zone).
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.shortened_infusion import ShortenedEligibility
from clinic_app.domain.units import plain


def span(delta: timedelta) -> str:
    """A duration as the nurse says it: ``1 h 12 min``, ``45 min``, ``0 min``."""
    minutes = max(int(delta.total_seconds() // 60), 0)
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"


def minutes_text(minutes: int) -> str:
    """A whole number of minutes as ``2 h``, ``1 h 30 min`` or ``45 min``."""
    return span(timedelta(minutes=minutes))


def number(value: Decimal) -> str:
    """A Decimal without trailing zeros (``250``, ``1.25``)."""
    return plain(value)


def dose_text(plan: DosePlan) -> str:
    """``362.0 mg`` (the dose given, to 0.1 mg as the domain rounded it)."""
    return f"{plain(plan.dose_mg)} mg"


def order_text(plan: DosePlan) -> str:
    """How the dose follows from the order: ``5 mg/kg x 72.4 kg = 362.0 mg``."""
    if plan.mg_per_kg is None:
        text = f"{plain(plan.ordered_mg)} mg ordered (fixed dose)"
    else:
        text = f"{number(plan.mg_per_kg)} mg/kg x {plan.weight} = {plain(plan.ordered_mg)} mg"
    if plan.dose_mg != plan.ordered_mg:
        text += f"; given {plain(plan.dose_mg)} mg"
    return text


def vials_text(plan: DosePlan) -> str:
    """``4 x 100 mg = 400 mg (waste 38.0 mg)``."""
    parts = " + ".join(f"{v.count} x {number(v.vial_mg)} mg" for v in plan.vials)
    return f"{parts} = {number(plan.vial_total_mg)} mg (waste {plain(plan.waste_mg)} mg)"


def drug_volume_text(plan: DosePlan) -> str:
    """``36.2 mL at 10 mg/mL`` (with the reconstitution step for powders)."""
    product = plan.product
    text = f"{plain(plan.drug_volume_ml)} mL at {number(product.concentration_mg_per_ml)} mg/mL"
    if product.reconstitute_with and product.reconstitution_ml:
        text += (f" (reconstitute each vial with {number(product.reconstitution_ml)} mL "
                 f"{product.reconstitute_with.lower()})")
    return text


def bag_text(plan: DosePlan) -> str:
    """``250 mL sodium chloride 0.9%`` (noting the small-patient bag)."""
    text = f"{number(plan.bag_volume_ml)} mL {plan.preparation.diluent}"
    small = plan.preparation.small_patient_bag
    if plan.small_patient_bag and small is not None:
        text += f" (smaller bag, under {number(small.below_kg)} kg)"
    return text


def withdraw_text(plan: DosePlan) -> str:
    """``Take 36.2 mL out of the bag first`` or ``Nothing taken out``."""
    if not plan.withdraw_ml:
        return "Nothing taken out of the bag"
    return f"Take {plain(plan.withdraw_ml)} mL out of the bag, then add the drug"


def final_text(plan: DosePlan) -> str:
    """``250 mL at 1.45 mg/mL``."""
    return f"{number(plan.final_volume_ml)} mL at {plain(plan.concentration_mg_per_ml)} mg/mL"


def rate_text(plan: DosePlan) -> str:
    """``125.0 mL/h over 2 h`` or the graduated table's summary."""
    if plan.graduated:
        return (f"Graduated: {len(plan.titration)} steps, {minutes_text(plan.duration_min)} "
                f"in all (table below)")
    shortened = " (shortened infusion)" if plan.shortened else ""
    return f"{plain(plan.rate_ml_per_h)} mL/h over {minutes_text(plan.duration_min)}{shortened}"


def shortened_caption(check: ShortenedEligibility) -> str:
    """The shortened-infusion check box's text: its minutes when eligible, else why not."""
    if check.eligible and check.minutes is not None:
        return (f"&Shortened infusion: over {check.minutes} min instead of "
                f"{check.standard_minutes} min (eligible)")
    return "&Shortened infusion: not eligible for this dose (see below)"


def shortened_reasons(check: ShortenedEligibility) -> str:
    """Every condition of the shortened infusion, one a line: ``✓`` met, ``✗`` not met (the
    words say it too: "Too few tolerated infusions: ...")."""
    return "\n".join(f"{'✓' if r.met else '✗'} {r.text}" for r in check.reasons)
