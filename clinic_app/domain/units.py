"""Numbers a nurse types, weight units, and the rounding rules used by the dose calculation.

Rounding rules (one place, used everywhere in dosing):

- doses to 0.1 mg, half up (weights are used exactly, shown to 0.1 kg);
- drug volumes to 0.1 mL, half up;
- concentrations to 0.01 mg/mL, half up (for display: range checks use the exact value);
- infusion rates *down* to 0.1 mL/h, so a pump is never set faster than the labelled minimum
  duration allows;
- durations *up* to whole minutes.

The pound is the international avoirdupois pound, 0.45359237 kg exactly (international yard and
pound agreement, 1959), so a weight in pounds converts to kilograms without rounding.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation, Overflow, localcontext
from enum import StrEnum

from clinic_app.domain.errors import ImpossibleWeight, InvalidInput

KG_PER_LB = Decimal("0.45359237")
TENTH = Decimal("0.1")
HUNDREDTH = Decimal("0.01")

#: What a caller may pass for a number: a Decimal, an int, a float or the text a nurse typed.
NumberInput = Decimal | int | float | str


class WeightUnit(StrEnum):
    """The unit a weight was entered in."""

    KG = "kg"
    LB = "lb"


def _quantize(value: Decimal, step: Decimal, rounding: str) -> Decimal:
    """``value`` to ``step``; magnitudes too large to hold at that step (absurd input that is
    only ever shown in a refusal or warning) are returned as they are."""
    if value.is_finite() and value.adjusted() < 20:
        return value.quantize(step, rounding)
    return value


def round_mg(value: Decimal) -> Decimal:
    """A dose to 0.1 mg, half up."""
    return _quantize(value, TENTH, ROUND_HALF_UP)


def round_kg(value: Decimal) -> Decimal:
    """A weight to 0.1 kg, half up (display only: doses use the exact weight)."""
    return _quantize(value, TENTH, ROUND_HALF_UP)


def round_kg_used(value: Decimal) -> Decimal:
    """A weight to 0.01 kg, half up: the weight as stored and shown in a dose calculation."""
    return _quantize(value, HUNDREDTH, ROUND_HALF_UP)


def round_ml(value: Decimal) -> Decimal:
    """A volume to 0.1 mL, half up."""
    return _quantize(value, TENTH, ROUND_HALF_UP)


def round_concentration(value: Decimal) -> Decimal:
    """A concentration to 0.01 mg/mL, half up (display only; range checks use the exact value)."""
    return _quantize(value, HUNDREDTH, ROUND_HALF_UP)


def round_mg_per_kg(value: Decimal) -> Decimal:
    """A dose per kg to 0.01 mg/kg, half up (display only)."""
    return _quantize(value, HUNDREDTH, ROUND_HALF_UP)


def round_rate_down(value: Decimal) -> Decimal:
    """A pump rate down to 0.1 mL/h: rounding down never runs faster than intended."""
    return _quantize(value, TENTH, ROUND_DOWN)


def minutes_up(value: Decimal) -> int:
    """A duration up to whole minutes."""
    return math.ceil(value)


def percent_change(new: Decimal, old: Decimal) -> Decimal:
    """The change from ``old`` to ``new`` in percent of ``old``, to 0.1 %."""
    return _quantize((new - old) * 100 / old, TENTH, ROUND_HALF_UP)


def plain(value: Decimal) -> str:
    """A Decimal as text without exponent or trailing zeros: ``250``, ``0.4``, ``1.25``.

    Absurd magnitudes (only ever seen in refused input) keep the compact scientific form.
    """
    if not value.is_finite() or not -12 <= value.adjusted() <= 12:
        return str(value)
    return f"{value.normalize():f}"


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def parse_number(value: object, *, field: str, label: str) -> Decimal:
    """A finite Decimal from what the caller passed, or :class:`InvalidInput` saying why not.

    Text is read as a plain decimal number (``"70.5"``, ``" 70 "``); a decimal comma is refused
    rather than guessed, because ``"1,000"`` could mean one or a thousand.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        raise InvalidInput(field, f"{label} is missing: enter a number.")
    if isinstance(value, bool) or not isinstance(value, Decimal | int | float | str):
        raise InvalidInput(field, f"{label} must be a number, got {_shown(value)}.")
    if isinstance(value, str):
        number = _parse_text(value.strip(), field=field, label=label)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        number = Decimal(value)
    if not number.is_finite():
        raise InvalidInput(field, f"{label} must be a finite number, got {_shown(value)}.")
    return number


def _parse_text(text: str, *, field: str, label: str) -> Decimal:
    if "," in text:
        raise InvalidInput(
            field, f"{label} {_shown(text)}: use a decimal point, not a comma (e.g. 70.5)."
        )
    try:
        return Decimal(text)
    except (InvalidOperation, ValueError):
        raise InvalidInput(field, f"{label} {_shown(text)} is not a number.") from None


def parse_weight_unit(unit: object) -> WeightUnit:
    """``"kg"`` or ``"lb"`` (any case), or a :class:`WeightUnit`."""
    if isinstance(unit, str):
        try:
            return WeightUnit(unit.strip().lower())
        except ValueError:
            pass
    raise InvalidInput("weight_unit", f"Weight unit {_shown(unit)} is not known: use kg or lb.")


@dataclass(frozen=True)
class Weight:
    """A patient's weight as entered and in kilograms (exact: no rounding on conversion)."""

    entered: Decimal
    unit: WeightUnit
    kg: Decimal

    def __str__(self) -> str:
        """The weight the dose is calculated from, to 0.01 kg and without trailing zeros
        ("72.45 kg", "72.4 kg", "70 kg", "72.57 kg (160 lb)"), so the calculation line can be
        checked by hand (review of the visit screen, 2026-11-22: 72.45 kg was shown as
        72.5 kg)."""
        kg = f"{plain(round_kg_used(self.kg))} kg"
        return kg if self.unit is WeightUnit.KG else f"{kg} ({plain(self.entered)} lb)"


def to_kg(value: Decimal, unit: WeightUnit) -> Decimal:
    """``value`` in kilograms; an absurdly large number becomes Infinity instead of overflowing."""
    if unit is WeightUnit.KG:
        return value
    with localcontext() as ctx:
        ctx.traps[Overflow] = False
        return value * KG_PER_LB


def parse_weight(value: object, unit: object, *, max_kg: Decimal) -> Weight:
    """A usable weight, or :class:`ImpossibleWeight` (<= 0, or above ``max_kg``).

    ``max_kg`` is the clinic setting ``dosing.max_weight_kg`` (default 350 kg): anything heavier is
    taken as a typing or unit error, not a patient.
    """
    weight_unit = parse_weight_unit(unit)
    number = parse_number(value, field="weight", label="Weight")
    if number <= 0:
        raise ImpossibleWeight(
            f"Weight must be more than 0 {weight_unit}, got {plain(number)} {weight_unit}."
        )
    kg = to_kg(number, weight_unit)
    if kg > max_kg:
        in_kg = (f" ({plain(round_kg(kg))} kg)" if weight_unit is WeightUnit.LB
                 and kg.is_finite() else "")
        raise ImpossibleWeight(
            f"Weight {plain(number)} {weight_unit}{in_kg} is above the maximum of "
            f"{plain(max_kg)} kg: check the scale and the unit."
        )
    return Weight(entered=number, unit=weight_unit, kg=kg)
