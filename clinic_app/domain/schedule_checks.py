"""Patient checks attached to a dose schedule: screening tests on file and contraindications.

Rules (protocol ``[[screening]]`` and ``[[contraindications]]`` tables, each with its source):

- ``SCREENING_DUE`` (override needed): a required test has no result of that kind on file taken
  by the dose's day, its latest result is indeterminate, or that result is out of date on the
  dose's day. A result is in date up to its ``valid_until``, else ``taken_on + valid_days``
  (days after the test, e.g. infliximab TB test yearly: clinic setting), else forever. The dose's
  day is the later of its due date and its suggested day. A ``course`` requirement is flagged on
  the first planned dose that lacks it only (the same new test covers the doses after it); an
  ``each_dose`` requirement on every planned dose that lacks it.
- ``SCREENING_POSITIVE`` (override needed, on the plan): the latest result of a required kind is
  positive; the message is the requirement's ``positive_action`` (infliximab TB: treat TB first,
  seed 000).
- An ``absolute`` contraindication among the patient's active ones refuses the plan
  (:class:`Contraindicated`, e.g. anifrolumab after anaphylaxis to it, seed 002); a ``caution``
  one gives ``CONTRAINDICATION_CAUTION`` (acknowledge) on the plan; a ``prescriber_decision``
  one gives ``CONTRAINDICATION_DECISION`` (override with the prescriber's decision as the
  reason), with the label's advice (infliximab in pregnancy: not contraindicated by current
  US/EU labels; no live vaccines for an infant exposed in utero for 6 months, US label, or 12
  months, EU SmPC; clinical reference, December 2026 additions).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import Contraindicated
from clinic_app.domain.protocol_model import Contraindication, Protocol, ScreeningRequirement
from clinic_app.domain.records import ScreeningOutcome, ScreeningResult

if TYPE_CHECKING:
    from clinic_app.domain.scheduling import PlannedDose


def contraindication_warnings(
    protocol: Protocol, active: Iterable[str]
) -> tuple[ClinicalWarning, ...]:
    """Caution and prescriber-decision warnings for the patient's active contraindication
    codes; refuse absolute ones (module rules).

    Codes the protocol does not list (e.g. another drug's) do not concern this drug.
    """
    codes = set(active)
    matched = [c for c in protocol.contraindications if c.code in codes]
    absolute = [c.text for c in matched if c.severity == "absolute"]
    if absolute:
        raise Contraindicated(f"{protocol.drug} is contraindicated: {'; '.join(absolute)}.")
    return tuple(_caution(protocol, c) for c in matched)


def _caution(protocol: Protocol, found: Contraindication) -> ClinicalWarning:
    advice = f" {found.advice}" if found.advice else ""
    if found.severity == "prescriber_decision":
        return ClinicalWarning(
            "CONTRAINDICATION_DECISION",
            f"{found.text} and {protocol.drug}: a caution, not a contraindication in the "
            "current labels; the prescriber decides whether to give it (record the "
            f"prescriber's decision as the reason).{advice}",
            requires_override=True,
        )
    return ClinicalWarning("CONTRAINDICATION_CAUTION",
                           f"Caution with {protocol.drug}: {found.text}.{advice}",
                           requires_ack=True)


def screening_positive_warnings(
    requirements: Sequence[ScreeningRequirement], results: Sequence[ScreeningResult]
) -> tuple[ClinicalWarning, ...]:
    """``SCREENING_POSITIVE`` for each required kind whose latest result is positive."""
    warnings = []
    for requirement in requirements:
        latest = _latest(requirement.kind, results, on_or_before=None)
        if latest is not None and latest.outcome is ScreeningOutcome.POSITIVE:
            warnings.append(ClinicalWarning(
                "SCREENING_POSITIVE",
                f"{requirement.name} of {date_text(latest.taken_on)} is positive. "
                f"{requirement.positive_action}",
                requires_override=True,
            ))
    return tuple(warnings)


def with_screening_due(
    doses: Sequence[PlannedDose],
    requirements: Sequence[ScreeningRequirement],
    results: Sequence[ScreeningResult],
) -> tuple[PlannedDose, ...]:
    """The doses with ``SCREENING_DUE`` warnings added to the planned ones that need a test."""
    flagged: set[str] = set()
    out = []
    for dose in doses:
        extra = []
        if dose.given is None:
            for requirement in requirements:
                if requirement.before == "course" and requirement.kind in flagged:
                    continue
                warning = _screening_due(requirement, results, dose.number, _dose_day(dose))
                if warning is not None:
                    flagged.add(requirement.kind)
                    extra.append(warning)
        out.append(replace(dose, warnings=dose.warnings + tuple(extra)) if extra else dose)
    return tuple(out)


def _dose_day(dose: PlannedDose) -> date:
    return max(dose.due, dose.suggested or dose.due)


def _latest(
    kind: str, results: Sequence[ScreeningResult], on_or_before: date | None
) -> ScreeningResult | None:
    usable = [
        r for r in results
        if r.kind == kind and (on_or_before is None or r.taken_on <= on_or_before)
    ]
    return max(usable, key=lambda r: r.taken_on, default=None)


def _expires(requirement: ScreeningRequirement, result: ScreeningResult) -> date | None:
    if result.valid_until is not None:
        return result.valid_until
    if requirement.valid_days is not None:
        return result.taken_on + timedelta(days=requirement.valid_days)
    return None


def screening_gaps(
    protocol: Protocol, results: Sequence[ScreeningResult], *, on: date
) -> tuple[ClinicalWarning, ...]:
    """The protocol's screening that is missing, indeterminate or expired on ``on``.

    For the chart's alert badges: the same rule as the ``SCREENING_DUE`` warning on a planned
    dose (protocol ``[[screening]]``, e.g. infliximab TB test, chest X-ray, hepatitis B; seed 000).
    """
    gaps = (_screening_due(req, results, f"(checked {date_text(on)})", on)
            for req in protocol.screening)
    return tuple(g for g in gaps if g is not None)


def _screening_due(
    requirement: ScreeningRequirement,
    results: Sequence[ScreeningResult],
    number: int | str,
    day: date,
) -> ClinicalWarning | None:
    latest = _latest(requirement.kind, results, on_or_before=day)
    before = (f"before dose {number} ({date_text(day)})" if isinstance(number, int)
              else number)
    if latest is None:
        problem = f"No {requirement.name} on file {before}."
    elif latest.outcome is ScreeningOutcome.INDETERMINATE:
        problem = (f"{requirement.name} of {date_text(latest.taken_on)} was indeterminate: "
                   f"repeat it {before}.")
    else:
        expires = _expires(requirement, latest)
        if expires is None or expires >= day:
            return None
        problem = (f"{requirement.name} of {date_text(latest.taken_on)} is valid until "
                   f"{date_text(expires)}: repeat it {before}.")
    return ClinicalWarning("SCREENING_DUE", problem, requires_override=True)
