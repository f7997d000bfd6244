"""Premedication before an infusion: the set the clinic gives after an earlier reaction.

Rules:

- after an earlier acute infusion reaction to this drug, the next infusions start after
  premedication (infliximab label 2.10: restart "with premedication (H1/H2 antihistamine,
  acetaminophen, corticosteroid)"; clinical reference, "Infliximab" and "Monitoring and
  reactions"). The protocols say so (``prior_reaction_premedication``); this module says
  *which* drugs and doses are suggested: the clinic's standing set, clinic setting
  ``[premedication]`` in ``resources/clinic_settings.toml`` (the labels give the drug classes,
  never the doses: the doses are local practice, with a safe adult default a clinic replaces);
- with no earlier reaction nothing is suggested (:func:`suggested_premedication`);
- each suggested item has a ``kind`` (antihistamine, antipyretic, corticosteroid): the nurse may
  record another drug of that kind (e.g. loratadine for cetirizine) and the kind is still given
  (:func:`missing_premedication`); the start gate asks for a reason when a kind is missing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_validation import normalise_line
from clinic_app.domain.units import parse_number, plain

KINDS = ("antihistamine", "antipyretic", "corticosteroid")
UNITS = ("mg", "g", "mcg", "mL", "mg/kg")
ROUTES = ("oral", "IV", "IM", "SC")
MAX_DOSE = Decimal(10_000)
DOSES_NOTE = "Doses: clinic setting (adult default); check them against the prescription."


@dataclass(frozen=True)
class PremedicationItem:
    """One premedication: its ``kind`` (one of :data:`KINDS`, or None for an extra drug),
    the drug, the dose with its unit and the route."""

    kind: str | None
    drug: str
    dose: Decimal
    unit: str
    route: str

    @property
    def text(self) -> str:
        """ "cetirizine 10 mg oral": the dose without trailing zeros."""
        return f"{self.drug} {plain(self.dose)} {self.unit} {self.route}"


DEFAULT_SET = (
    PremedicationItem("antihistamine", "cetirizine", Decimal(10), "mg", "oral"),
    PremedicationItem("antipyretic", "paracetamol (acetaminophen)", Decimal(1000), "mg", "oral"),
    PremedicationItem("corticosteroid", "hydrocortisone", Decimal(100), "mg", "IV"),
)


@dataclass(frozen=True)
class PremedicationSettings:
    """The clinic's premedication set after an earlier reaction (``after_reaction``), where the
    rule comes from (``source``, given in the settings file) and the note shown with the doses
    (``doses_note``: they are a clinic setting). Safe default :data:`DEFAULT_SET`."""

    after_reaction: tuple[PremedicationItem, ...] = DEFAULT_SET
    source: str = ""
    doses_note: str = DOSES_NOTE


def suggested_premedication(
    settings: PremedicationSettings, *, previous_reaction: bool
) -> tuple[PremedicationItem, ...]:
    """The premedication to give before this infusion: the clinic's set after an earlier acute
    reaction to the drug, nothing otherwise (label 2.10; clinic setting for the doses)."""
    return settings.after_reaction if previous_reaction else ()


def missing_premedication(
    suggested: Iterable[PremedicationItem], given: Iterable[PremedicationItem]
) -> tuple[PremedicationItem, ...]:
    """The suggested items whose kind was not given (any drug of the same kind counts; an item
    without a kind counts only for the same drug)."""
    kinds = {item.kind for item in given if item.kind is not None}
    drugs = {item.drug.casefold() for item in given}
    return tuple(
        item
        for item in suggested
        if (item.kind not in kinds if item.kind is not None else item.drug.casefold() not in drugs)
    )


def _choice(value: str, choices: tuple[str, ...], *, name: str, label: str) -> str:
    text = " ".join(str(value).split())
    for choice in choices:
        if text.casefold() == choice.casefold():
            return choice
    raise InvalidInput(name, f"{label} {text!r} is not one of {', '.join(choices)}.")


def premedication_item(
    *, kind: str | None, drug: str, dose: object, unit: str, route: str
) -> PremedicationItem:
    """A premedication as typed, checked: a drug name (up to 120 characters), a dose above 0
    and at most :data:`MAX_DOSE`, a unit of :data:`UNITS`, a route of :data:`ROUTES`."""
    name = normalise_line(drug, field="drug", label="The drug name", max_length=120)
    if not name:
        raise InvalidInput("drug", "Enter the drug given (e.g. cetirizine).")
    amount = parse_number(dose, field="dose", label=f"Dose of {name}")
    if amount <= 0 or amount > MAX_DOSE:
        raise InvalidInput(
            "dose",
            f"The dose of {name} must be more than 0 and at most "
            f"{plain(MAX_DOSE)}, got {plain(amount)}.",
        )
    if amount != amount.quantize(Decimal("0.001")):
        raise InvalidInput("dose", f"Type the dose of {name} to 0.001 at most.")
    if kind is not None and kind not in KINDS:
        raise InvalidInput("kind", f"Unknown premedication kind {kind!r}.")
    return PremedicationItem(
        kind=kind,
        drug=name,
        dose=amount,
        unit=_choice(unit, UNITS, name="unit", label="Unit"),
        route=_choice(route, ROUTES, name="route", label="Route"),
    )


def premedication_settings(values: Mapping[str, Any]) -> PremedicationSettings:
    """The ``[premedication]`` settings section: ``source`` and ``[[premedication.after_reaction]]``
    items (kind, drug, dose, unit, route); a bad item is refused naming its position."""
    unknown = set(values) - {"source", "after_reaction", "doses_note"}
    if unknown:
        raise ValueError(f"unknown setting PremedicationSettings.{sorted(unknown)[0]}")
    items = []
    for number, raw in enumerate(values.get("after_reaction", DEFAULT_AS_DATA), start=1):
        try:
            items.append(
                premedication_item(
                    kind=raw.get("kind"),
                    drug=raw.get("drug", ""),
                    dose=raw.get("dose"),
                    unit=raw.get("unit", ""),
                    route=raw.get("route", ""),
                )
            )
        except InvalidInput as exc:
            raise ValueError(f"setting premedication.after_reaction {number}: {exc}") from None
    return PremedicationSettings(
        after_reaction=tuple(items),
        source=str(values.get("source", "")),
        doses_note=str(values.get("doses_note", DOSES_NOTE)),
    )


DEFAULT_AS_DATA = tuple(
    {"kind": i.kind, "drug": i.drug, "dose": str(i.dose), "unit": i.unit, "route": i.route}
    for i in DEFAULT_SET
)
