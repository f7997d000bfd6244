"""The independent double check: a second nurse checks the dose plan and the prepared bag.

Rules:

- infusion safety standards ask that a second nurse check the dose calculation and the prepared
  infusion independently before it is given (ASCO/ONS chemotherapy administration safety
  standards; issue 13, "The independent double check"). Whether this clinic asks for it is a
  clinic setting per protocol (``[double_check]`` in ``resources/clinic_settings.toml``):
  ``off`` (not asked), ``optional`` (shown as done or not done, the start is not held) or
  ``required`` (the infusion does not start until both are signed). Neither the clinical
  reference nor the seed documents give a mode, so the shipped default is ``optional`` and the
  settings file says it is uncertain;
- two things are signed apart: the dose plan (:data:`DOSE_PLAN`: weight, dose, vials, volumes,
  rate) and the bag as prepared (:data:`BAG`);
- a signature is for the plan it saw: it keeps the plan's fingerprint
  (:func:`plan_fingerprint`), and it no longer counts once the plan differs (a new weight, a
  changed dose, other vials or rate): the second nurse checks again;
- the second nurse signs in with her own account; the nurse whose session it is may not check
  her own work (the service refuses it).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from types import MappingProxyType
from typing import Any

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.units import plain

DOSE_PLAN = "dose_plan"
BAG = "bag"
#: What a second nurse signs, in the order it is done, with its words.
CHECKED_THINGS: Mapping[str, str] = MappingProxyType(
    {
        DOSE_PLAN: "dose plan (weight, dose, vials, volumes, rate)",
        BAG: "prepared bag (drug, dose, volume, label, against the plan)",
    }
)
SHORT_NAMES: Mapping[str, str] = MappingProxyType({DOSE_PLAN: "dose plan", BAG: "bag"})


class DoubleCheckMode(StrEnum):
    """Whether the clinic asks for the second nurse's check, for one protocol."""

    OFF = "off"
    OPTIONAL = "optional"
    REQUIRED = "required"


def parse_mode(value: object, where: str) -> DoubleCheckMode:
    """The mode named by a setting; :class:`ValueError` naming ``where`` otherwise."""
    try:
        return DoubleCheckMode(str(value))
    except ValueError:
        choices = ", ".join(m.value for m in DoubleCheckMode)
        raise ValueError(f"setting {where} must be one of {choices}; got {value!r}") from None


@dataclass(frozen=True)
class DoubleCheckSettings:
    """Clinic setting ``[double_check]``: ``default`` mode for every protocol and
    ``protocols`` ((protocol id, mode) pairs) for those that differ."""

    default: DoubleCheckMode = DoubleCheckMode.OPTIONAL
    protocols: tuple[tuple[str, DoubleCheckMode], ...] = ()
    source: str = ""

    def mode_for(self, protocol_id: str) -> DoubleCheckMode:
        """The mode of ``protocol_id``."""
        return dict(self.protocols).get(protocol_id, self.default)


def double_check_settings(values: Mapping[str, Any]) -> DoubleCheckSettings:
    """The settings from the TOML table ``[double_check]``."""
    unknown = set(values) - {"default", "protocols", "source"}
    if unknown:
        raise ValueError(f"unknown setting double_check.{sorted(unknown)[0]}")
    default = parse_mode(values.get("default", "optional"), "double_check.default")
    protocols = tuple(
        (str(key), parse_mode(mode, f"double_check.protocols.{key}"))
        for key, mode in dict(values.get("protocols", {})).items()
    )
    return DoubleCheckSettings(default=default, protocols=protocols,
                               source=str(values.get("source", "")))  # fmt: skip


def _n(value: Any) -> str | None:
    return None if value is None else plain(value)


def plan_fingerprint(plan: DosePlan) -> str:
    """A fingerprint of what the second nurse checks in ``plan``: drug and product, weight,
    dose, vials, volumes, concentration, rate, duration and graduated steps (decimals without
    trailing zeros, so 72.50 kg and 72.5 kg are the same plan). Warnings and the nurse's
    acknowledgements are not part of it."""
    content = {
        "protocol": plan.protocol_id, "drug": plan.drug, "product": plan.product.name,
        "weight_kg": _n(plan.weight.kg), "mg_per_kg": _n(plan.mg_per_kg),
        "ordered_mg": _n(plan.ordered_mg), "dose_mg": _n(plan.dose_mg),
        "vials": [[_n(v.vial_mg), v.count] for v in plan.vials],
        "drug_ml": _n(plan.drug_volume_ml), "diluent": plan.preparation.diluent,
        "bag_ml": _n(plan.bag_volume_ml), "withdraw_ml": _n(plan.withdraw_ml),
        "final_ml": _n(plan.final_volume_ml), "mg_per_ml": _n(plan.concentration_mg_per_ml),
        "rate": _n(plan.rate_ml_per_h), "minutes": plan.duration_min,
        "shortened": plan.shortened,
        "steps": [[_n(s.rate_ml_per_h), s.start_min, s.minutes, _n(s.volume_ml)]
                  for s in plan.titration],
    }  # fmt: skip
    text = json.dumps(content, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Signature:
    """A second nurse's signature as the rule sees it: what she checked, who, when, and the
    fingerprint of the plan she saw (voided signatures are left out by the caller)."""

    what: str
    nurse: str
    signed_at: datetime
    fingerprint: str


@dataclass(frozen=True)
class CheckState:
    """Where one thing stands: ``signed`` by a signature that counts (``by``/``at``), or
    ``stale`` (signed for a plan that has changed since), or neither (not done)."""

    what: str
    signed: bool
    stale: bool = False
    by: str = ""
    at: datetime | None = None

    @property
    def text(self) -> str:
        """ "dose plan: not done", "bag: plan changed since checked": for the screen."""
        name = SHORT_NAMES[self.what]
        if self.signed:
            return f"{name}: checked by {self.by}"
        if self.stale:
            return f"{name}: plan changed since {self.by} checked it; check again"
        return f"{name}: not done"


def check_states(signatures: Iterable[Signature], fingerprint: str) -> tuple[CheckState, ...]:
    """The dose plan and the bag, each signed (the latest signature for this plan), stale (only
    signatures for another plan) or not done."""
    rows = sorted(signatures, key=lambda s: s.signed_at)
    states = []
    for what in CHECKED_THINGS:
        mine = [s for s in rows if s.what == what]
        valid = [s for s in mine if s.fingerprint == fingerprint]
        if valid:
            states.append(CheckState(what, True, by=valid[-1].nurse, at=valid[-1].signed_at))
        elif mine:
            states.append(CheckState(what, False, stale=True, by=mine[-1].nurse,
                                     at=mine[-1].signed_at))  # fmt: skip
        else:
            states.append(CheckState(what, False))
    return tuple(states)


def start_refusal(mode: DoubleCheckMode, states: Iterable[CheckState]) -> str | None:
    """Why the infusion may not start yet (``required`` and something not signed for this
    plan), or None."""
    missing = [s for s in states if not s.signed]
    if mode is not DoubleCheckMode.REQUIRED or not missing:
        return None
    return (
        "A second nurse's independent check is required before the start: "
        + "; ".join(s.text for s in missing)
        + ". Ask a second nurse to sign with 'Second nurse check…'."
    )
