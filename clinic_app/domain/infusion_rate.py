"""Pump rate and duration: standard, shortened, or graduated after a reaction.

Rules:

- Standard: the final volume over the protocol's ``administration.duration_min`` (label: "over not
  less than" that time), the rate rounded *down* to 0.1 mL/h so the infusion is never faster than
  the minimum; the reported duration is volume / rate rounded *up* to whole minutes.
- Shortened (``administration.shortened``; infliximab EU/Swiss text: 1 hour after 3 tolerated
  2-hour infusions, not studied above 6 mg/kg): only when the clinic setting
  ``dosing.allow_shortened_infusion`` is on (off by default), the protocol has one, enough doses
  were tolerated and the dose is within its mg/kg limit. Asked for but not allowed, it is refused
  (``DoseRefused`` code ``SHORTENED_NOT_ALLOWED``) with the reason, never silently ignored.
- Graduated (``administration.titration``; institutional table, not label, for patients with a
  previous reaction): each step runs at its rate for its minutes against the actual final volume
  (rates are not scaled: a bigger bag just runs longer, and a bag that empties early cuts the
  table short); the last step runs until the bag is empty. If the whole runs under the labelled
  minimum duration, the last step is slowed (rate down to 0.1 mL/h) so that it ends at the minimum
  or, by rounding, a minute or two after it, and a ``TITRATION_SLOWED`` warning says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.errors import DoseRefused, InvalidInput
from clinic_app.domain.protocol_model import Protocol, TitrationStep
from clinic_app.domain.units import minutes_up, plain, round_mg, round_ml, round_rate_down


@dataclass(frozen=True)
class TitrationStepPlan:
    """One step of a graduated infusion, against the actual final volume."""

    rate_ml_per_h: Decimal
    start_min: int
    minutes: int
    volume_ml: Decimal  # 0.1 mL

    @property
    def end_min(self) -> int:
        """The minute this step ends (and the next one starts)."""
        return self.start_min + self.minutes


@dataclass(frozen=True)
class InfusionPlan:
    """How the bag runs: one rate, or graduated steps (``rate_ml_per_h`` is then the first)."""

    rate_ml_per_h: Decimal
    duration_min: int
    steps: tuple[TitrationStepPlan, ...] = ()
    warnings: tuple[ClinicalWarning, ...] = ()


def standard_rate(final_volume_ml: Decimal, minimum_min: int) -> InfusionPlan:
    """The fastest rate (down to 0.1 mL/h) that runs the bag over at least ``minimum_min``."""
    rate = round_rate_down(final_volume_ml * 60 / minimum_min)
    return InfusionPlan(rate, minutes_up(final_volume_ml * 60 / rate))


def shortened_minimum(
    protocol: Protocol, *, allowed_by_clinic: bool, tolerated_doses: int, dose_mg: Decimal,
    weight_kg: Decimal,
) -> int:
    """The shortened infusion's minimum duration, or ``SHORTENED_NOT_ALLOWED`` with the reason."""
    short = protocol.administration.shortened
    if short is None:
        reason = f"{protocol.drug} has no shortened infusion in its protocol."
    elif not allowed_by_clinic:
        reason = "the clinic setting dosing.allow_shortened_infusion is off."
    elif tolerated_doses < short.after_tolerated_doses:
        reason = (f"it needs {short.after_tolerated_doses} tolerated standard infusions first "
                  f"({tolerated_doses} so far).")
    elif short.max_mg_per_kg is not None and dose_mg > round_mg(short.max_mg_per_kg * weight_kg):
        reason = (f"it is not studied above {plain(short.max_mg_per_kg)} mg/kg "
                  f"({plain(round_mg(short.max_mg_per_kg * weight_kg))} mg at this weight; "
                  f"the dose is {plain(dose_mg)} mg).")
    else:
        return short.duration_min
    raise DoseRefused(
        "SHORTENED_NOT_ALLOWED",
        f"A shortened infusion cannot be used: {reason} "
        f"Give it over {protocol.administration.duration_min} min.",
    )


def shortened_offer(
    protocol: Protocol, *, allowed_by_clinic: bool, tolerated_doses: int, dose_mg: Decimal,
    weight_kg: Decimal,
) -> int | None:
    """The shortened infusion's minutes when it may be offered for this dose, else None (the
    same rules as :func:`shortened_minimum`, asked before the nurse chooses it)."""
    try:
        return shortened_minimum(protocol, allowed_by_clinic=allowed_by_clinic,
                                 tolerated_doses=tolerated_doses, dose_mg=dose_mg,
                                 weight_kg=weight_kg)
    except DoseRefused:
        return None


def _pieces(
    table: tuple[TitrationStep, ...], final_volume_ml: Decimal
) -> list[tuple[Decimal, Decimal, int | None]]:
    """(rate, volume, minutes) per step until the bag is empty; minutes None when computed."""
    pieces: list[tuple[Decimal, Decimal, int | None]] = []
    remaining = final_volume_ml
    for step in table:
        if remaining <= 0:
            break
        full = None if step.minutes is None else step.rate_ml_per_h * step.minutes / 60
        if full is not None and full <= remaining:
            pieces.append((step.rate_ml_per_h, full, step.minutes))
            remaining -= full
        else:
            pieces.append((step.rate_ml_per_h, remaining, None))
            remaining = Decimal(0)
    return pieces


def _step_plans(pieces: list[tuple[Decimal, Decimal, int | None]]) -> list[TitrationStepPlan]:
    steps, start = [], 0
    for rate, volume, minutes in pieces:
        length = minutes if minutes is not None else minutes_up(volume * 60 / rate)
        steps.append(TitrationStepPlan(rate, start, length, round_ml(volume)))
        start += length
    return steps


def graduated_infusion(protocol: Protocol, final_volume_ml: Decimal) -> InfusionPlan:
    """The graduated steps for this bag, slowed at the end if under the labelled minimum."""
    table = protocol.administration.titration
    if not table:
        raise InvalidInput(
            "graduated",
            f"{protocol.drug} has no graduated-rate table in its protocol: "
            "a graduated infusion cannot be planned for it.",
        )
    pieces = _pieces(table, final_volume_ml)
    steps = _step_plans(pieces)
    minimum = protocol.administration.duration_min
    if steps[-1].end_min >= minimum:
        return InfusionPlan(steps[0].rate_ml_per_h, steps[-1].end_min, tuple(steps))
    last, volume = steps[-1], pieces[-1][1]
    rate = round_rate_down(volume * 60 / (minimum - last.start_min))
    if rate <= 0:
        raise DoseRefused(
            "TITRATION_TOO_SHORT",
            f"The graduated table runs {plain(final_volume_ml)} mL in {last.end_min} min and its "
            f"last {plain(round_ml(volume))} mL cannot be slowed to reach the {minimum}-minute "
            "minimum: check the titration table in the protocol.",
        )
    slowed = TitrationStepPlan(
        rate, last.start_min, minutes_up(volume * 60 / rate), last.volume_ml
    )
    warning = ClinicalWarning(
        "TITRATION_SLOWED",
        f"The graduated table would run {plain(final_volume_ml)} mL in {last.end_min} min, under "
        f"the {minimum}-minute minimum: the last step is slowed from "
        f"{plain(last.rate_ml_per_h)} to {plain(slowed.rate_ml_per_h)} mL/h.",
    )
    steps[-1] = slowed
    return InfusionPlan(steps[0].rate_ml_per_h, slowed.end_min, tuple(steps), (warning,))


def plan_infusion(
    protocol: Protocol, final_volume_ml: Decimal, *, graduated: bool, shortened: bool,
    allow_shortened: bool, tolerated_doses: int, dose_mg: Decimal, weight_kg: Decimal,
) -> InfusionPlan:
    """Graduated, shortened or standard, as asked and allowed."""
    if graduated:
        return graduated_infusion(protocol, final_volume_ml)
    minimum = protocol.administration.duration_min
    if shortened:
        minimum = shortened_minimum(protocol, allowed_by_clinic=allow_shortened,
                                    tolerated_doses=tolerated_doses, dose_mg=dose_mg,
                                    weight_kg=weight_kg)
    return standard_rate(final_volume_ml, minimum)
