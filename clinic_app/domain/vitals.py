"""Vital signs: one reading as the nurse types it, checked, and the flags it raises.

Vitals are blood pressure, heart rate, temperature, respiratory rate and SpO2, taken at baseline,
during the infusion, at the end and at the end of observation (clinical reference, "Monitoring and
reactions"). Flags come from the clinic settings (:class:`~clinic_app.domain.settings.VitalsFlags`,
defaults from the clinical reference): systolic under 90 mmHg or a fall of more than 20 mmHg from
baseline; high blood pressure, systolic 180 mmHg or more or diastolic 110 mmHg or more
(hypertensive urgency; December 2026 additions); heart rate over 120 or under 50; temperature
38.0 C or more; SpO2 under 92 %; respiratory rate over 24 or under 10 (December 2026
additions). A flag asks the nurse to look; it never grades a reaction.

The possible ranges below are a data-entry check (a reading outside them is a typing error, e.g.
systolic 400 or 50 C), not clinical thresholds: they are wide enough for any real reading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.settings import VitalsFlags

_WHOLE = re.compile(r"-?\d+")
_DECIMAL = re.compile(r"-?\d+(?:[.,]\d+)?")
_TENTH = Decimal("0.1")


@dataclass(frozen=True)
class _Field:
    label: str
    unit: str
    low: Decimal
    high: Decimal
    whole: bool


_FIELDS: dict[str, _Field] = {
    "systolic": _Field("Systolic blood pressure", "mmHg", Decimal(40), Decimal(300), True),
    "diastolic": _Field("Diastolic blood pressure", "mmHg", Decimal(20), Decimal(200), True),
    "heart_rate": _Field("Heart rate", "beats/min", Decimal(20), Decimal(300), True),
    "temperature_c": _Field("Temperature", "C", Decimal("25.0"), Decimal("45.0"), False),
    "respiratory_rate": _Field("Respiratory rate", "breaths/min", Decimal(4), Decimal(80), True),
    "spo2": _Field("SpO2", "%", Decimal(20), Decimal(100), True),
}


class TemperatureUnit(StrEnum):
    """The unit a temperature was typed in; readings are kept in Celsius."""

    CELSIUS = "C"
    FAHRENHEIT = "F"


def _out_of_range(name: str, value: Decimal | int, unit: str, low: Decimal,
                  high: Decimal) -> InvalidInput:
    spec = _FIELDS[name]
    return InvalidInput(name, f"{spec.label} {value} {unit} is outside the possible range "
                              f"{low}-{high} {unit}: check the reading.")


def _check(name: str, value: object) -> None:
    spec = _FIELDS[name]
    kind, expected = (int, "a whole number") if spec.whole else (Decimal, "a Decimal")
    if isinstance(value, bool) or not isinstance(value, kind):
        raise InvalidInput(name, f"{spec.label} must be {expected}, got {value!r}.")
    if not spec.low <= value <= spec.high:
        raise _out_of_range(name, value, spec.unit, spec.low, spec.high)


@dataclass(frozen=True)
class VitalSigns:
    """One set of vitals; any may be missing, but not all. Temperature is in Celsius."""

    systolic: int | None = None
    diastolic: int | None = None
    heart_rate: int | None = None
    temperature_c: Decimal | None = None
    respiratory_rate: int | None = None
    spo2: int | None = None

    def __post_init__(self) -> None:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        if all(v is None for v in values.values()):
            raise InvalidInput("vitals", "Enter at least one vital sign.")
        for name, value in values.items():
            if value is not None:
                _check(name, value)
        if self.systolic is not None and self.diastolic is not None \
                and self.diastolic >= self.systolic:
            raise InvalidInput("diastolic", f"Diastolic {self.diastolic} mmHg must be lower than "
                                            f"systolic {self.systolic} mmHg: check the reading.")


def _parse_whole(name: str, text: str) -> int:
    spec = _FIELDS[name]
    cleaned = text.strip().removesuffix("%").strip() if name == "spo2" else text.strip()
    if not _WHOLE.fullmatch(cleaned):
        raise InvalidInput(name, f"{spec.label} must be a whole number in {spec.unit}, "
                                 f"got {text!r}.")
    return int(cleaned)


def _parse_temperature(text: str, unit: TemperatureUnit) -> Decimal:
    cleaned = text.strip()
    if not _DECIMAL.fullmatch(cleaned):
        raise InvalidInput("temperature_c", f"Temperature must be a number in degrees {unit}, "
                                            f"got {text!r}.")
    value = Decimal(cleaned.replace(",", "."))
    if unit is TemperatureUnit.CELSIUS:
        return value
    spec = _FIELDS["temperature_c"]
    low, high = (c * 9 / 5 + 32 for c in (spec.low, spec.high))
    if not low <= value <= high:
        raise _out_of_range("temperature_c", value, "F", low, high)
    return ((value - 32) * 5 / 9).quantize(_TENTH, ROUND_HALF_UP)


def _whole(name: str, text: str | None) -> int | None:
    return None if text is None or not text.strip() else _parse_whole(name, text)


def _temperature_unit(value: TemperatureUnit | str) -> TemperatureUnit:
    """C or F; anything else is refused on the ``temperature_unit`` field."""
    if isinstance(value, str) and value in list(TemperatureUnit):
        return TemperatureUnit(value)
    raise InvalidInput("temperature_unit",
                       f"The temperature unit must be C or F, not {value!r}.")


def _temperature(text: str | None, unit: TemperatureUnit) -> Decimal | None:
    return None if text is None or not text.strip() else _parse_temperature(text, unit)


def parse_vitals(*, systolic: str | None = None, diastolic: str | None = None,
                 heart_rate: str | None = None, temperature: str | None = None,
                 temperature_unit: TemperatureUnit | str = TemperatureUnit.CELSIUS,
                 respiratory_rate: str | None = None, spo2: str | None = None) -> VitalSigns:
    """Build a reading from the text of the nurse's fields; blank fields are not taken.

    Text in a number field, or an impossible value, raises :class:`InvalidInput` naming the field
    and the possible range. Temperatures typed in Fahrenheit are converted to Celsius (0.1 C).
    A comma is accepted as the decimal mark in temperatures; SpO2 may end with "%".
    """
    unit = _temperature_unit(temperature_unit)
    return VitalSigns(
        systolic=_whole("systolic", systolic), diastolic=_whole("diastolic", diastolic),
        heart_rate=_whole("heart_rate", heart_rate),
        temperature_c=_temperature(temperature, unit),
        respiratory_rate=_whole("respiratory_rate", respiratory_rate), spo2=_whole("spo2", spo2),
    )


def _warning(code: str, message: str) -> ClinicalWarning:
    return ClinicalWarning(code, message, requires_ack=True)


def _high_pressure_flags(reading: VitalSigns, limits: VitalsFlags) -> list[ClinicalWarning]:
    found: list[ClinicalWarning] = []
    systolic, diastolic = reading.systolic, reading.diastolic
    if systolic is not None and systolic >= limits.systolic_at_or_above:
        found.append(_warning("HIGH_SYSTOLIC", f"Systolic blood pressure {systolic} mmHg is at "
                                               f"or above {limits.systolic_at_or_above} mmHg."))
    if diastolic is not None and diastolic >= limits.diastolic_at_or_above:
        found.append(_warning("HIGH_DIASTOLIC",
                              f"Diastolic blood pressure {diastolic} mmHg is at or above "
                              f"{limits.diastolic_at_or_above} mmHg."))
    return found


def _pressure_flags(reading: VitalSigns, baseline: VitalSigns | None,
                    limits: VitalsFlags) -> list[ClinicalWarning]:
    found = _high_pressure_flags(reading, limits)
    systolic = reading.systolic
    if systolic is None:
        return found
    if systolic < limits.systolic_below:
        found.append(_warning("LOW_SYSTOLIC", f"Systolic blood pressure {systolic} mmHg is below "
                                              f"{limits.systolic_below} mmHg."))
    if baseline is not None and baseline.systolic is not None:
        fall = baseline.systolic - systolic
        if fall > limits.systolic_drop_from_baseline:
            found.append(_warning(
                "SYSTOLIC_DROP",
                f"Systolic blood pressure fell {fall} mmHg from the baseline {baseline.systolic} "
                f"mmHg (flag: a fall of more than {limits.systolic_drop_from_baseline} mmHg)."))
    return found


def _other_flags(reading: VitalSigns, limits: VitalsFlags) -> list[ClinicalWarning]:
    found: list[ClinicalWarning] = []
    rate, temp = reading.heart_rate, reading.temperature_c
    spo2, breaths = reading.spo2, reading.respiratory_rate
    if rate is not None and rate > limits.heart_rate_above:
        found.append(_warning("HIGH_HEART_RATE", f"Heart rate {rate}/min is over "
                                                 f"{limits.heart_rate_above}/min."))
    if rate is not None and rate < limits.heart_rate_below:
        found.append(_warning("LOW_HEART_RATE", f"Heart rate {rate}/min is under "
                                                f"{limits.heart_rate_below}/min."))
    if temp is not None and temp >= limits.temperature_at_or_above_c:
        found.append(_warning("FEVER", f"Temperature {temp} C is at or above "
                                       f"{limits.temperature_at_or_above_c} C."))
    if spo2 is not None and spo2 < limits.spo2_below:
        found.append(_warning("LOW_SPO2", f"SpO2 {spo2} % is under {limits.spo2_below} %."))
    if breaths is not None and breaths > limits.respiratory_rate_above:
        found.append(_warning("HIGH_RESPIRATORY_RATE",
                              f"Respiratory rate {breaths}/min is over "
                              f"{limits.respiratory_rate_above}/min."))
    if breaths is not None and breaths < limits.respiratory_rate_below:
        found.append(_warning("LOW_RESPIRATORY_RATE",
                              f"Respiratory rate {breaths}/min is under "
                              f"{limits.respiratory_rate_below}/min."))
    return found


def flags(reading: VitalSigns, baseline: VitalSigns | None,
          limits: VitalsFlags) -> list[ClinicalWarning]:
    """The out-of-range flags for ``reading``, each to be acknowledged by the nurse.

    ``baseline`` is the reading taken before the infusion started (None if there is none: the
    fall from baseline is then not checked). ``limits`` is ``settings.vitals_flags``.
    """
    return _pressure_flags(reading, baseline, limits) + _other_flags(reading, limits)
