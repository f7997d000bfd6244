"""Laboratory results: the tests the clinic records, their units, and the latest value of each.

The tests are the ones the biologics' labels monitor (issue 13, "Laboratory results and gates";
clinical reference, Tocilizumab IV): neutrophils (ANC), platelets, ALT, AST, haemoglobin and
CRP. A result keeps its value, unit, reference range (optional, in the result's unit), the date
the sample was taken and its source (the laboratory or report it came from).

Units: a count is typed as reported, in x10^9/L or per mm3; 1 x10^9/L = 1000/mm3 exactly
(1 mm3 = 1 uL = 10^-6 L), so the label's thresholds in cells/mm3 apply to either. Haemoglobin in
g/L or g/dL (1 g/dL = 10 g/L), CRP in mg/L or mg/dL (1 mg/dL = 10 mg/L). ALT and AST in U/L; the
label's rules compare them to the upper limit of normal (ULN) of the result's own reference
range.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.units import parse_number, plain

VALUE_MAX = Decimal("99999999")
STEP = Decimal("0.001")  # the record keeps 3 decimals


@dataclass(frozen=True)
class LabUnit:
    """A unit a test is reported in and its factor to the test's canonical unit."""

    name: str
    factor: Decimal


@dataclass(frozen=True)
class LabTest:
    """A test the clinic records; ``units[0]`` is prefilled, ``canonical`` is the rules' unit."""

    code: str
    name: str
    canonical: str
    units: tuple[LabUnit, ...]

    def unit(self, name: str) -> LabUnit:
        """The unit called ``name``; :class:`InvalidInput` naming the allowed units otherwise."""
        for unit in self.units:
            if unit.name == name:
                return unit
        allowed = ", ".join(u.name for u in self.units)
        raise InvalidInput("unit", f"{self.name} is recorded in {allowed}; got {name!r}.")


_COUNT_UNITS = (LabUnit("x10^9/L", Decimal(1000)), LabUnit("/mm3", Decimal(1)))
LAB_TESTS: dict[str, LabTest] = {
    t.code: t
    for t in (
        LabTest("anc", "Neutrophils (ANC)", "/mm3", _COUNT_UNITS),
        LabTest("platelets", "Platelets", "/mm3", _COUNT_UNITS),
        LabTest("alt", "ALT", "U/L", (LabUnit("U/L", Decimal(1)),)),
        LabTest("ast", "AST", "U/L", (LabUnit("U/L", Decimal(1)),)),
        LabTest("haemoglobin", "Haemoglobin", "g/L",
                (LabUnit("g/L", Decimal(1)), LabUnit("g/dL", Decimal(10)))),
        LabTest("crp", "CRP", "mg/L", (LabUnit("mg/L", Decimal(1)), LabUnit("mg/dL", Decimal(10)))),
    )
}  # fmt: skip


def lab_test(code: str) -> LabTest:
    """The test called ``code``; :class:`InvalidInput` naming the known tests otherwise."""
    test = LAB_TESTS.get(code)
    if test is None:
        known = ", ".join(t.name for t in LAB_TESTS.values())
        raise InvalidInput("test", f"Choose the test from the list ({known}).")
    return test


@dataclass(frozen=True)
class LabValue:
    """One result as the rules read it (value and range in ``unit``)."""

    test: str
    value: Decimal
    unit: str
    taken_on: date
    ref_low: Decimal | None = None
    ref_high: Decimal | None = None

    @property
    def canonical(self) -> Decimal:
        """The value in the test's canonical unit (e.g. 1.5 x10^9/L -> 1500/mm3)."""
        return self.value * lab_test(self.test).unit(self.unit).factor

    @property
    def times_uln(self) -> Decimal | None:
        """The value as a multiple of the upper limit of normal; None without a ULN."""
        if self.ref_high is None or self.ref_high <= 0:
            return None
        return self.value / self.ref_high

    @property
    def text(self) -> str:
        """E.g. "ALT 95 U/L (ref. 0-40)"."""
        shown = f"{lab_test(self.test).name} {plain(self.value)} {self.unit}"
        reference = reference_text(self.ref_low, self.ref_high)
        return f"{shown} (ref. {reference})" if reference else shown


def reference_text(low: Decimal | None, high: Decimal | None) -> str:
    """A reference range as printed: "0-40", "up to 40", "from 1.8", or "" when none."""
    if low is not None and high is not None:
        return f"{plain(low)}-{plain(high)}"
    if high is not None:
        return f"up to {plain(high)}"
    return f"from {plain(low)}" if low is not None else ""


def _number(text: object, *, field: str, label: str) -> Decimal:
    number = parse_number(text, field=field, label=label)
    if number < 0:
        raise InvalidInput(field, f"{label} cannot be negative, got {plain(number)}.")
    if number > VALUE_MAX:
        raise InvalidInput(field, f"{label} is too large ({plain(number)}): check the unit.")
    if number != number.quantize(STEP):
        raise InvalidInput(field, f"{label} is kept to 3 decimals at most, got {plain(number)}.")
    return number


def _optional(text: object, *, field: str, label: str) -> Decimal | None:
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    return _number(text, field=field, label=label)


def lab_value(
    *,
    test: str,
    value: object,
    unit: str,
    taken_on: date,
    ref_low: object = None,
    ref_high: object = None,
) -> LabValue:
    """A typed result, checked: a known test and one of its units, a value and range that are
    numbers not below 0, the range's low end not above its high end. Raises
    :class:`InvalidInput` naming the field."""
    known = lab_test(test)
    known.unit(unit)
    number = _number(value, field="value", label=f"The {known.name} value")
    low = _optional(ref_low, field="ref_low", label="The low end of the reference range")
    high = _optional(ref_high, field="ref_high", label="The high end of the reference range")
    if low is not None and high is not None and low > high:
        raise InvalidInput(
            "ref_high",
            f"The reference range's high end ({plain(high)}) is below its low end ({plain(low)}).",
        )
    return LabValue(
        test=test, value=number, unit=unit, taken_on=taken_on, ref_low=low, ref_high=high
    )


@dataclass(frozen=True)
class LatestLab:
    """The latest result of one test and its age in days on the day asked."""

    value: LabValue
    age_days: int


def latest_values(results: Iterable[LabValue], today: date) -> dict[str, LatestLab]:
    """The latest result of each test taken on or before ``today`` (the later of two on the
    same day is the one listed last), with its age."""
    latest: dict[str, LabValue] = {}
    for result in results:
        if result.taken_on > today:
            continue
        held = latest.get(result.test)
        if held is None or result.taken_on >= held.taken_on:
            latest[result.test] = result
    return {code: LatestLab(v, (today - v.taken_on).days) for code, v in latest.items()}
