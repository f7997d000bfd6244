"""Observation after a severe reaction at the visit: longer than the routine period.

Rule (clinical reference, December 2026 additions; issue 10): biphasic reactions occur hours
later, so observation after anaphylaxis is longer than the routine post-infusion period (RCUK
2021: at least 6 hours after two doses of adrenaline or a severe reaction; shorter only with a
prompt full response and clear criteria). The clinic sets the period
(``[observation] after_severe_reaction_minutes``, default 4 hours, local policy); the app uses
the longer of that and the protocol's own observation.

It applies when, at this visit, an acute reaction of CTCAE grade 3 or more or an anaphylaxis was
logged, or any epinephrine (adrenaline) was given for a reaction. It runs from the later of the
onset and the last epinephrine dose (a repeat dose means the reaction had not settled; the
store keeps no "resolved at" time, so this is the latest moment on record), and discharge then
needs the prescriber's clearance recorded by name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from clinic_app.domain.ctcae import epinephrine_rule
from clinic_app.domain.reactions import ReactionRecord


@dataclass(frozen=True)
class MedicationGiven:
    """A medication given for a reaction: its name as typed and when it was given."""

    drug: str
    given_at: datetime


@dataclass(frozen=True)
class ReactionAtVisit:
    """A reaction logged at this visit, with when it began and what was given for it."""

    record: ReactionRecord
    onset_at: datetime
    medications: tuple[MedicationGiven, ...] = ()


@dataclass(frozen=True)
class ObservationExtension:
    """Observation extended after a reaction: from ``from_at`` for ``minutes``, until
    ``until``; ``cause`` says why in words ("anaphylaxis grade 3 and epinephrine")."""

    from_at: datetime
    minutes: int
    cause: str

    @property
    def until(self) -> datetime:
        """When the extended observation ends."""
        return self.from_at + timedelta(minutes=self.minutes)


def is_epinephrine(drug: str) -> bool:
    """True when a medication name is epinephrine by any of its names (``guidance.toml``
    [epinephrine] names: epinephrine, adrenaline, auto-injector brands)."""
    text = drug.casefold()
    return any(name in text for name in epinephrine_rule().names)


def _cause(record: ReactionRecord, epinephrine: bool) -> str:
    """E.g. "anaphylaxis grade 3 and epinephrine given", "infusion related reaction grade 4"."""
    if record.term is not None and record.grade is not None:
        what = f"{record.term.value.replace('_', ' ')} grade {record.grade}"
    else:
        what = "anaphylaxis"  # severe without a grade: the anaphylaxis sign
    if record.is_anaphylaxis and "anaphylaxis" not in what:
        what = f"anaphylaxis ({what})"
    return f"{what} and epinephrine given" if epinephrine else what


def observation_extension(reactions: Sequence[ReactionAtVisit], *, protocol_minutes: int,
                          after_severe_reaction_minutes: int) -> ObservationExtension | None:
    """The extended observation the visit's reactions call for, or None.

    Triggers: an acute reaction of grade 3 or more or an anaphylaxis, or any epinephrine given.
    The latest trigger wins; the period is the longer of the protocol's observation and the
    clinic's ``after_severe_reaction_minutes``.
    """
    minutes = max(protocol_minutes, after_severe_reaction_minutes)
    found: list[ObservationExtension] = []
    for reaction in reactions:
        epinephrine = [m.given_at for m in reaction.medications if is_epinephrine(m.drug)]
        severe = reaction.record.onset_class.is_acute and reaction.record.is_severe
        if severe or epinephrine:
            found.append(ObservationExtension(
                from_at=max([reaction.onset_at, *epinephrine]), minutes=minutes,
                cause=_cause(reaction.record, bool(epinephrine)) if severe else
                "epinephrine given"))
    return max(found, key=lambda e: e.from_at, default=None)
