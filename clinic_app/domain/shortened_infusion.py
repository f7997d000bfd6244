"""Whether this dose may run as the shortened infusion, with every reason in words.

Rule (infliximab EU SmPC, section 4.2; ``administration.shortened`` in the protocol, clinical
reference "Additions and corrections (December 2026)"): in adults who tolerated at least 3
initial 2-hour infusions and are on maintenance therapy, later infusions may be given over not
less than 1 hour; shortened infusions are not studied above 6 mg/kg. The US label has no
shortened infusion, so the clinic turns it on (setting ``dosing.allow_shortened_infusion``, off
by default). A dose is eligible when every condition holds:

- the protocol has a shortened infusion and the clinic setting is on;
- the patient is an adult (18 or over) on the dose day;
- the dose is a maintenance dose: past the protocol's induction doses (infliximab 0, 2 and 6
  weeks: doses 1-3 are the "initial" infusions, which always run over the standard time);
- at least ``after_tolerated_doses`` (3) infusions of the drug were run to their end with no
  reaction logged at them;
- no reaction to the drug is on file (acute or delayed, not voided): any reaction reverts the
  patient to the standard duration for every later infusion (documented reading of the
  SmPC's "tolerated" and the clinic's rule "go back to 2 hours after any reaction");
- the dose is not above ``max_mg_per_kg`` (6 mg/kg) at the dose's weight.

The observation after the infusion is not part of this rule: it stays as the protocol says.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from clinic_app.domain.patient_age import ADULT_AGE_YEARS, age_on
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.units import plain, round_mg


@dataclass(frozen=True)
class InfusionHistory:
    """The patient's history with the drug before this dose.

    ``tolerated_infusions``: infusions of the drug run to their end (not voided) with no
    reaction logged at them; ``reactions``: reactions to the drug on file (acute or delayed, not
    voided)."""

    tolerated_infusions: int
    reactions: int


@dataclass(frozen=True)
class EligibilityReason:
    """One condition of the rule: ``met`` or not, and what was found, in words."""

    met: bool
    text: str


@dataclass(frozen=True)
class ShortenedEligibility:
    """The verdict for one dose: ``minutes`` is the shortened duration when ``eligible``."""

    eligible: bool
    minutes: int | None
    standard_minutes: int
    reasons: tuple[EligibilityReason, ...]

    @property
    def not_met(self) -> tuple[str, ...]:
        """The conditions that fail, in the rule's order."""
        return tuple(r.text for r in self.reasons if not r.met)

    def refusal(self) -> str:
        """The message when the shortened infusion is asked for but not eligible."""
        return (
            f"A shortened infusion cannot be used: {' '.join(self.not_met)} "
            f"Give it over {self.standard_minutes} min."
        )


def _reason(met: bool, yes: str, no: str) -> EligibilityReason:
    return EligibilityReason(met, yes if met else no)


def _setting(allowed_by_clinic: bool) -> EligibilityReason:
    return _reason(
        allowed_by_clinic,
        "Clinic setting: dosing.allow_shortened_infusion is on.",
        "Clinic setting: dosing.allow_shortened_infusion is off.",
    )


def _adult(born: date, day: date) -> EligibilityReason:
    years = age_on(born, day)
    return _reason(
        years >= ADULT_AGE_YEARS,
        f"Adult: {years} years old on the dose day.",
        f"Not an adult: {years} years old on the dose day (the shortened infusion "
        f"is for adults, {ADULT_AGE_YEARS} and over).",
    )


def _maintenance(protocol: Protocol, dose_number: int) -> EligibilityReason:
    induction = len(protocol.schedule.induction_offsets_weeks)
    doses = "dose 1" if induction == 1 else f"doses 1-{induction}"
    return _reason(
        dose_number > induction,
        f"Maintenance: dose {dose_number} (induction is {doses}).",
        f"Induction dose: dose {dose_number} is one of the initial infusions "
        f"({doses}), which run over the standard time.",
    )


def _tolerated(protocol: Protocol, needed: int, history: InfusionHistory) -> EligibilityReason:
    count = history.tolerated_infusions
    return _reason(
        count >= needed,
        f"Tolerated: {count} standard infusions of {protocol.drug} without a "
        f"reaction ({needed} needed).",
        f"Too few tolerated infusions: it needs {needed} tolerated standard "
        f"infusions first ({count} so far).",
    )


def _no_reaction(protocol: Protocol, history: InfusionHistory) -> EligibilityReason:
    count = history.reactions
    return _reason(
        count == 0,
        f"No reaction: none to {protocol.drug} on file.",
        f"Not after a reaction: there was a reaction to {protocol.drug} ({count} on "
        f"file); the infusion reverts to the standard "
        f"{protocol.administration.duration_min} min.",
    )


def _dose(max_mg_per_kg: Decimal | None, dose_mg: Decimal, weight_kg: Decimal) -> EligibilityReason:
    if max_mg_per_kg is None:
        return EligibilityReason(True, f"Dose: {plain(dose_mg)} mg (no mg/kg limit).")
    limit = round_mg(max_mg_per_kg * weight_kg)
    return _reason(
        dose_mg <= limit,
        f"Dose: {plain(dose_mg)} mg is within {plain(max_mg_per_kg)} mg/kg "
        f"({plain(limit)} mg at {plain(weight_kg)} kg).",
        f"Dose above the limit: {plain(dose_mg)} mg is above "
        f"{plain(max_mg_per_kg)} mg/kg ({plain(limit)} mg at {plain(weight_kg)} kg); "
        "the shortened infusion is not studied above it.",
    )


def shortened_eligibility(
    protocol: Protocol,
    *,
    allowed_by_clinic: bool,
    date_of_birth: date,
    dose_day: date,
    dose_number: int,
    history: InfusionHistory,
    dose_mg: Decimal,
    weight_kg: Decimal,
) -> ShortenedEligibility:
    """Whether dose ``dose_number`` on ``dose_day`` may run as the shortened infusion (module
    rules), with every condition met or not met, in the rule's order."""
    standard = protocol.administration.duration_min
    short = protocol.administration.shortened
    if short is None:
        reason = EligibilityReason(
            False, f"{protocol.drug} has no shortened infusion in its protocol."
        )
        return ShortenedEligibility(False, None, standard, (reason,))
    reasons = (
        _setting(allowed_by_clinic),
        _adult(date_of_birth, dose_day),
        _maintenance(protocol, dose_number),
        _tolerated(protocol, short.after_tolerated_doses, history),
        _no_reaction(protocol, history),
        _dose(short.max_mg_per_kg, dose_mg, weight_kg),
    )
    eligible = all(r.met for r in reasons)
    return ShortenedEligibility(
        eligible, short.duration_min if eligible else None, standard, reasons
    )
