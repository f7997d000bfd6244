"""The result of a dose calculation: every number the nurse prepares and checks.

The plan keeps each step visible (clinical reference, "show every step"): the weight, the mg/kg,
the ordered and the given mg, the vials and the waste, the mL of drug, the mL taken out of the
bag, the final volume and concentration, and the rate (or the graduated steps). The projected end
time is not here: it depends on when the infusion starts (see ``infusion_timeline``).

Warnings: ``needs_override`` is True while a warning that requires an override (e.g.
``ABOVE_LABEL_MAX``) has no recorded reason; once a reason is given the warning is still listed,
with the reason in its text, and ``needs_override`` is False. ``needs_ack`` is True when a warning
must be acknowledged by the nurse (e.g. ``WEIGHT_CHANGE``, ``ROUNDED_TO_VIAL``); recording the
acknowledgement is the caller's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.infusion_rate import TitrationStepPlan
from clinic_app.domain.protocol_model import Preparation, Product
from clinic_app.domain.units import Weight, plain, round_mg_per_kg
from clinic_app.domain.vials import VialUse


@dataclass(frozen=True)
class DosePlan:
    """A prepared dose: how much, from which vials, into which bag, at what rate."""

    protocol_id: str
    drug: str
    indication_id: str | None
    weight: Weight
    mg_per_kg: Decimal | None  # the mg/kg ordered (None for an order in mg)
    ordered_mg: Decimal  # mg/kg x kg (or the mg ordered), 0.1 mg
    dose_mg: Decimal  # after the per-infusion cap and the rounding policy, 0.1 mg
    product: Product  # the vial presentation (all sizes share its concentration)
    preparation: Preparation
    vials: tuple[VialUse, ...]  # largest vial first
    waste_mg: Decimal
    drug_volume_ml: Decimal  # 0.1 mL
    bag_volume_ml: Decimal
    small_patient_bag: bool  # the protocol's smaller bag, used under its weight limit
    withdraw_ml: Decimal
    final_volume_ml: Decimal
    concentration_mg_per_ml: Decimal  # 0.01 mg/mL
    rate_ml_per_h: Decimal  # the pump rate; for a graduated infusion, the first step's rate
    duration_min: int
    shortened: bool
    titration: tuple[TitrationStepPlan, ...]  # empty unless a graduated infusion was asked for
    warnings: tuple[ClinicalWarning, ...]
    override_reason: str | None

    @property
    def weight_kg(self) -> Decimal:
        """The weight the dose is calculated from, in kg (exact, also when entered in lb)."""
        return self.weight.kg

    @property
    def dose_mg_per_kg(self) -> Decimal:
        """The dose given per kg, to 0.01 mg/kg (differs from the order when capped/rounded)."""
        return round_mg_per_kg(self.dose_mg / self.weight.kg)

    @property
    def vial_total_mg(self) -> Decimal:
        """The drug in all opened vials."""
        return sum((v.mg for v in self.vials), Decimal(0))

    @property
    def vial_count(self) -> int:
        """How many vials are opened."""
        return sum(v.count for v in self.vials)

    @property
    def graduated(self) -> bool:
        """True when the infusion follows a graduated (titration) table."""
        return bool(self.titration)

    @property
    def pump_steps(self) -> tuple[tuple[Decimal, int | None], ...]:
        """The pump steps as (rate mL/h, minutes): the graduated steps, or one rate until the
        bag is empty (the last step's minutes are None: it runs to the end)."""
        if not self.titration:
            return ((self.rate_ml_per_h, None),)
        *timed, last = self.titration
        return (*((s.rate_ml_per_h, s.minutes) for s in timed), (last.rate_ml_per_h, None))

    @property
    def warning_codes(self) -> tuple[str, ...]:
        """The codes of the warnings, in order."""
        return tuple(w.code for w in self.warnings)

    @property
    def needs_override(self) -> bool:
        """True while an override-requiring warning has no recorded reason."""
        return self.override_reason is None and any(w.requires_override for w in self.warnings)

    @property
    def needs_ack(self) -> bool:
        """True when at least one warning must be acknowledged by the nurse."""
        return any(w.requires_ack for w in self.warnings)

    def summary_lines(self) -> tuple[str, ...]:
        """The calculation step by step, as the nurse checks it."""
        return (
            f"Weight: {self.weight}",
            self._order_line(),
            *self._vial_lines(),
            *self._bag_lines(),
            *self._rate_lines(),
            *(f"Warning ({w.code}): {w.message}" for w in self.warnings),
        )

    def _order_line(self) -> str:
        if self.mg_per_kg is not None:
            line = (f"Dose: {plain(self.mg_per_kg)} mg/kg x {self.weight} = "
                    f"{plain(self.ordered_mg)} mg")
        else:
            line = f"Dose: {plain(self.ordered_mg)} mg ordered"
        if self.dose_mg != self.ordered_mg:
            line += f"; given {plain(self.dose_mg)} mg ({plain(self.dose_mg_per_kg)} mg/kg)"
        return line

    def _vial_lines(self) -> list[str]:
        vials = " + ".join(f"{v.count} x {plain(v.vial_mg)} mg" for v in self.vials)
        lines = [f"Vials: {vials} = {plain(self.vial_total_mg)} mg; "
                 f"waste {plain(self.waste_mg)} mg"]
        if self.product.reconstitute_with and self.product.reconstitution_ml:
            lines.append(f"Reconstitute each vial with {plain(self.product.reconstitution_ml)} "
                         f"mL {self.product.reconstitute_with.lower()} "
                         f"({plain(self.product.concentration_mg_per_ml)} mg/mL)")
        lines.append(f"Drug: {plain(self.drug_volume_ml)} mL at "
                     f"{plain(self.product.concentration_mg_per_ml)} mg/mL")
        return lines

    def _bag_lines(self) -> list[str]:
        bag = f"{plain(self.bag_volume_ml)} mL {self.preparation.diluent} bag"
        small = self.preparation.small_patient_bag
        if self.small_patient_bag and small is not None:
            bag += f" (used under {plain(small.below_kg)} kg)"
        if self.withdraw_ml:
            prepare = f"take {plain(self.withdraw_ml)} mL out of the {bag}, then add the drug"
        else:
            prepare = f"add the drug to the {bag} (nothing taken out)"
        return [
            f"Bag: {prepare}",
            f"Final: {plain(self.final_volume_ml)} mL at "
            f"{plain(self.concentration_mg_per_ml)} mg/mL",
        ]

    def _rate_lines(self) -> list[str]:
        if not self.titration:
            kind = " (shortened infusion)" if self.shortened else ""
            return [f"Rate: {plain(self.rate_ml_per_h)} mL/h over {self.duration_min} min{kind}"]
        return [f"Graduated infusion, {self.duration_min} min in all:", *(
            f"  {plain(s.rate_ml_per_h)} mL/h from minute {s.start_min} for {s.minutes} min "
            f"({plain(s.volume_ml)} mL)" for s in self.titration
        )]
