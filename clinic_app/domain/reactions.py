"""Infusion reactions: the catalogue of signs, when a reaction started, and what it changes.

Rules (clinical reference, "Infliximab" monitoring and reaction handling, "Anifrolumab",
"Monitoring and reactions"; seed 000, seed 001, seed 002):

- Reactions are *acute* (during the infusion or within the observation period after it: itching,
  urticaria, angioedema, hypotension, brady- or tachycardia, anaphylaxis, fever...) or *delayed*
  (arthralgia, joint stiffness, serum-sickness-like reactions 3-12 days later, the paradoxical
  psoriasiform rash seen after the fourth infliximab infusion at week 16). The signs are data in
  ``resources/reactions/signs.toml``; their codes are the ones the protocols' watch lists use.
- A reaction to a drug changes that drug's plan only (a reaction to another drug is ignored here
  on purpose: each protocol's label speaks of reactions to that drug). Anaphylaxis to a drug whose
  protocol says so (anifrolumab, tocilizumab) activates the protocol's absolute contraindication;
  a prior acute reaction calls for the protocol's premedication and, where the protocol has one,
  the graduated rate; a prior delayed reaction calls for the prescriber's review instead (the
  label's premedication and slower rate are for infusion reactions, label 2.10; seed 001 treats
  the psoriasiform rash by stopping or switching the drug, or with topical steroids); any
  reaction sends the infusion back to the standard duration (EU/Swiss shortened infusion: "go
  back to 2 hours after any reaction"); a severe (grade 3 or more, or anaphylaxis) or recurrent
  reaction calls for prescriber review, as the label advises stopping for good (infliximab label
  2.10).
- CTCAE grades an event as an infusion related reaction or as anaphylaxis (clinical reference,
  "CTCAE v5.0 grading"). An acute reaction is one of these and the nurse grades it; a delayed
  skin or joint reaction is neither, so it may be left ungraded and described in notes
  (:func:`check_grading`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.ctcae import CtcaeTerm, GradeDefinition, grade_definition
from clinic_app.domain.errors import InvalidInput, ProtocolError
from clinic_app.domain.protocol_model import Protocol
from clinic_app.resource_files import resource_path

_SIGNS_FILE = "signs.toml"
_ANAPHYLAXIS_SIGN = "anaphylaxis"
_SEVERE_GRADE = 3
NOT_GRADED_TEXT = "Not graded (delayed reaction)"  # shown where a CTCAE grade would be


class SignKind(StrEnum):
    """Whether a sign belongs to the acute or the delayed reactions."""

    ACUTE = "acute"
    DELAYED = "delayed"


@dataclass(frozen=True)
class ReactionSign:
    """One sign the nurse can tick when logging a reaction."""

    code: str
    label: str
    kind: SignKind
    description: str
    source: str


def _sign(raw: dict[str, object], i: int) -> ReactionSign:
    values: dict[str, str] = {}
    for key in ("code", "label", "kind", "description", "source"):
        value = raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise ProtocolError(_SIGNS_FILE, f"signs[{i}].{key}", "a non-empty text", repr(value))
        values[key] = value.strip()
    if values["kind"] not in set(SignKind):
        raise ProtocolError(_SIGNS_FILE, f"signs[{i}].kind", "acute or delayed", values["kind"])
    return ReactionSign(values["code"], values["label"], SignKind(values["kind"]),
                        values["description"], values["source"])


@cache
def all_signs() -> tuple[ReactionSign, ...]:
    """Every sign in the catalogue, in file order (acute first)."""
    text = resource_path("reactions", _SIGNS_FILE).read_text(encoding="utf-8")
    try:
        raw = tomllib.loads(text).get("signs", [])
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(_SIGNS_FILE, "(file)", "valid TOML", str(exc)) from None
    signs = tuple(_sign(item, i) for i, item in enumerate(raw))
    codes = [s.code for s in signs]
    if not signs or len(set(codes)) != len(codes):
        raise ProtocolError(_SIGNS_FILE, "signs", "a non-empty list of unique codes",
                            ", ".join(codes))
    return signs


def sign(code: str) -> ReactionSign:
    """The sign with this code; an unknown code is refused with the known ones named."""
    for item in all_signs():
        if item.code == code:
            return item
    known = ", ".join(s.code for s in all_signs())
    raise InvalidInput("signs", f"Unknown reaction sign {code!r}; known: {known}.")


def signs_to_watch(protocol: Protocol) -> tuple[ReactionSign, ...]:
    """The signs the protocol asks the nurse to watch for: acute ones, then delayed ones."""
    rules = protocol.reactions
    return tuple(sign(code) for code in (*rules.watch_acute, *rules.watch_delayed))


class OnsetClass(StrEnum):
    """When a reaction started relative to the infusion."""

    DURING_INFUSION = "during_infusion"
    ACUTE_AFTER = "acute_after"  # after the end, within the observation period
    DELAYED = "delayed"  # after the observation period

    @property
    def is_acute(self) -> bool:
        """During the infusion or within the observation period after it."""
        return self is not OnsetClass.DELAYED


@dataclass(frozen=True)
class Onset:
    """The class of an onset and, for the report, how long after the infusion it came."""

    onset_class: OnsetClass
    minutes_after_start: int | None
    hours_after_end: Decimal | None  # one decimal; None during the infusion or without times
    days_after_end: int | None  # whole days; None during the infusion


def _require_aware(field: str, value: datetime) -> None:
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(field, f"The {field.replace('_', ' ')} time must carry a time zone.")


def classify_onset(onset: datetime, *, infusion_start: datetime, infusion_end: datetime | None,
                   observation_minutes: int) -> Onset:
    """Classify a timed onset: during the infusion, acute after it, or delayed.

    ``infusion_end`` is None while the infusion is still running. The acute window includes its
    limits: from the end to ``observation_minutes`` after it (seed 000: acute reactions develop
    during the infusion or within the 2 hours after it). Onsets before the start are refused.
    """
    for field, value in (("onset", onset), ("infusion_start", infusion_start)):
        _require_aware(field, value)
    if infusion_end is not None:
        _require_aware("infusion_end", infusion_end)
        if infusion_end < infusion_start:
            raise InvalidInput("infusion_end", "The infusion cannot end before it started.")
    if isinstance(observation_minutes, bool) or observation_minutes < 0:
        raise InvalidInput("observation_minutes",
                           f"Observation must be 0 minutes or more, got {observation_minutes!r}.")
    if onset < infusion_start:
        raise InvalidInput("onset", "The reaction cannot start before the infusion started.")
    minutes_after_start = int((onset - infusion_start) // timedelta(minutes=1))
    if infusion_end is None or onset < infusion_end:
        return Onset(OnsetClass.DURING_INFUSION, minutes_after_start, None, None)
    after_end = onset - infusion_end
    hours = (Decimal(after_end.total_seconds()) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)
    within = after_end <= timedelta(minutes=observation_minutes)
    onset_class = OnsetClass.ACUTE_AFTER if within else OnsetClass.DELAYED
    return Onset(onset_class, minutes_after_start, hours, after_end.days)


def classify_onset_by_day(onset_on: date, *, infusion_on: date) -> Onset:
    """Classify an onset logged by date only, for a visit without recorded times.

    A day after the infusion day or later is always delayed (observation periods are counted in
    hours); on the infusion day itself the times are needed, and before it the onset is refused.
    E.g. seed 001: a psoriasiform rash noticed weeks after the fourth infusion is delayed.
    """
    days = (onset_on - infusion_on).days
    if days < 0:
        raise InvalidInput("onset", "The reaction cannot start before the infusion day.")
    if days == 0:
        raise InvalidInput("onset", "A reaction on the infusion day needs the infusion and onset "
                                    "times to tell whether it was during, acute or delayed.")
    return Onset(OnsetClass.DELAYED, None, None, days)


def check_grading(onset_class: OnsetClass | str, term: CtcaeTerm | str | None,
                  grade: int | None) -> GradeDefinition | None:
    """The CTCAE grading of a reaction being logged, checked against when it began.

    Rules (clinical reference, "CTCAE v5.0 grading" and "Monitoring and reactions"; seed 001):
    an *acute* reaction (during the infusion or within the observation period) is an infusion
    related reaction or anaphylaxis, and the nurse grades it with the CTCAE text in view, so the
    term and the grade are required. A *delayed* reaction (psoriasiform rash, serum-sickness-like
    reaction, arthralgia) is neither: it may be left ungraded (both None) and described in the
    notes, or graded. A grade given must be one the term defines (anaphylaxis 3-5, infusion
    related reaction 1-5). Returns the definition, or None for an ungraded delayed reaction;
    refusals are :class:`InvalidInput` on ``grade``.
    """
    onset = _onset_class(onset_class)
    if term is None and grade is None:
        if onset.is_acute:
            raise InvalidInput("grade", "An acute reaction (during the infusion or within the "
                                        "observation period) must be graded: choose the CTCAE "
                                        "term and grade. Only a delayed reaction may be left "
                                        "not graded.")
        return None
    if term is None or grade is None:
        if onset.is_acute:
            raise InvalidInput("grade", "An acute reaction must be graded: choose both the "
                                        "CTCAE term and the grade.")
        raise InvalidInput("grade", "Give both the CTCAE term and the grade, or leave the "
                                    "delayed reaction not graded.")
    return grade_definition(term, grade)


def _onset_class(value: OnsetClass | str) -> OnsetClass:
    if value not in set(OnsetClass):
        raise InvalidInput("onset_class", f"Unknown onset {value!r}; known: "
                                          + ", ".join(OnsetClass) + ".")
    return OnsetClass(value)


@dataclass(frozen=True)
class ReactionRecord:
    """The domain's view of a logged reaction to one drug.

    ``term`` and ``grade`` (CTCAE, chosen by the nurse) go together or are both absent, e.g. for a
    delayed rash that is not graded as an infusion reaction. :attr:`grading` carries the CTCAE
    version to store with the grade. Whether an ungraded reaction may be logged at all is
    :func:`check_grading`'s rule, applied when it is logged; a record read back from the store is
    not refused here, so a chart always opens.
    """

    protocol_id: str
    onset_class: OnsetClass
    signs: tuple[str, ...]
    occurred_on: date
    term: CtcaeTerm | None = None
    grade: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "signs", tuple(self.signs))
        object.__setattr__(self, "onset_class", _onset_class(self.onset_class))
        if not self.signs:
            raise InvalidInput("signs", "Tick at least one sign of the reaction.")
        for code in self.signs:
            sign(code)
        if (self.term is None) != (self.grade is None):
            raise InvalidInput("grade", "Give both the CTCAE term and the grade, or neither.")
        if self.term is not None and self.grade is not None:
            object.__setattr__(self, "term", grade_definition(self.term, self.grade).term)

    @property
    def grading(self) -> GradeDefinition | None:
        """The CTCAE definition (with its version) of the chosen grade, if graded."""
        if self.term is None or self.grade is None:
            return None
        return grade_definition(self.term, self.grade)

    @property
    def is_anaphylaxis(self) -> bool:
        """Graded as anaphylaxis, or the anaphylaxis sign ticked."""
        return self.term is CtcaeTerm.ANAPHYLAXIS or _ANAPHYLAXIS_SIGN in self.signs

    @property
    def is_severe(self) -> bool:
        """Grade 3 or more, or anaphylaxis (CTCAE defines it from grade 3)."""
        return self.is_anaphylaxis or (self.grade is not None and self.grade >= _SEVERE_GRADE)


@dataclass(frozen=True)
class ReactionConsequences:
    """What earlier reactions to this drug change in its plan, as data and as warnings.

    ``contraindications`` are codes from ``protocol.contraindications`` for the scheduler's
    ``active_contraindications`` (it refuses to plan the drug); the other fields inform the
    infusion plan; ``warnings`` say the same to the nurse. ``prescriber_review`` (severe or
    recurrent) needs an override with a reason; ``delayed_review`` (a delayed reaction on file)
    an acknowledgement that the prescriber knows of it.
    """

    protocol_id: str
    contraindications: tuple[str, ...]
    premedication: str | None
    graduated_titration: bool
    standard_duration_only: bool
    prescriber_review: bool
    delayed_review: bool
    warnings: tuple[ClinicalWarning, ...]


def _contraindications(protocol: Protocol, reactions: list[ReactionRecord]) -> tuple[str, ...]:
    code = protocol.reactions.anaphylaxis_contraindication
    if not protocol.reactions.anaphylaxis_contraindicates or code is None:
        return ()
    return (code,) if any(r.is_anaphylaxis for r in reactions) else ()


def _review_reasons(reactions: list[ReactionRecord]) -> list[str]:
    reasons = [f"severe reaction on {r.occurred_on.isoformat()}"
               for r in reactions if r.is_severe]
    days = sorted({r.occurred_on for r in reactions})
    if len(days) > 1:
        reasons.append("reactions on " + ", ".join(d.isoformat() for d in days) + " (recurrent)")
    return reasons


def _delayed_text(reactions: list[ReactionRecord]) -> str:
    """E.g. "psoriasiform rash on 2026-04-27, not graded"."""
    parts = []
    for r in reactions:
        if not r.onset_class.is_acute:
            signs = ", ".join(sign(code).label.lower() for code in r.signs)
            graded = "not graded" if r.grade is None else f"grade {r.grade}"
            parts.append(f"{signs} on {r.occurred_on.isoformat()}, {graded}")
    return "; ".join(parts)


def _delayed_warning(drug: str, delayed: str) -> ClinicalWarning:
    return ClinicalWarning(
        "PRESCRIBER_REVIEW_AFTER_DELAYED_REACTION",
        f"Delayed reaction to {drug} ({delayed}): make sure the prescriber has reviewed it "
        "before the next dose. It is not an infusion reaction, so it calls for no premedication "
        "or slower rate; the prescriber decides whether to continue, switch or treat it (e.g. a "
        "psoriasiform rash: stop or switch the drug, or topical steroids).",
        requires_ack=True)


def _warnings(protocol: Protocol, result: ReactionConsequences, review_reasons: list[str],
              delayed: str) -> tuple[ClinicalWarning, ...]:
    drug, warnings = protocol.drug, []
    for code in result.contraindications:
        text = next(c.text for c in protocol.contraindications if c.code == code)
        warnings.append(ClinicalWarning(
            "REACTION_CONTRAINDICATION",
            f"{drug} is contraindicated: {text}. It cannot be planned or given.",
            requires_ack=True))
    if result.prescriber_review:
        warnings.append(ClinicalWarning(
            "PRESCRIBER_REVIEW_AFTER_REACTION",
            f"Prescriber review before the next {drug} dose ({'; '.join(review_reasons)}): "
            "severe or recurrent reactions usually mean stopping the drug for good.",
            requires_override=True))
    if result.delayed_review:
        warnings.append(_delayed_warning(drug, delayed))
    if result.premedication is not None:
        warnings.append(ClinicalWarning(
            "PREMEDICATE_AFTER_REACTION",
            f"Previous reaction to {drug}: premedicate. {result.premedication}",
            requires_ack=True))
    if result.graduated_titration:
        warnings.append(ClinicalWarning(
            "GRADUATED_RATE_AFTER_REACTION",
            f"Previous reaction to {drug}: use the graduated infusion rate.", requires_ack=True))
    if result.standard_duration_only:
        warnings.append(ClinicalWarning(
            "STANDARD_DURATION_AFTER_REACTION",
            f"Previous reaction to {drug}: no shortened infusion; give over at least "
            f"{protocol.administration.duration_min} minutes.", requires_ack=True))
    return tuple(warnings)


def plan_consequences(protocol: Protocol,
                      reactions: list[ReactionRecord] | tuple[ReactionRecord, ...],
                      ) -> ReactionConsequences:
    """What the patient's logged reactions change in the next ``protocol`` infusion.

    Only reactions to this protocol's drug count (documented choice: a reaction to another drug
    does not change this plan). Rules: anaphylaxis activates the protocol's
    ``reactions.anaphylaxis_contraindication`` when ``anaphylaxis_contraindicates`` (seed 002:
    anifrolumab; tocilizumab label); a prior acute reaction calls for the protocol's
    premedication and, if ``prior_reaction_titration``, the graduated rate (infliximab label 2.10;
    institutional table); any reaction rules out the shortened infusion (EU/Swiss text); a
    severe or recurrent reaction (reactions on two or more days, acute or delayed) calls for
    prescriber review with an override.

    A delayed reaction (graded or not) calls for neither premedication nor the graduated rate:
    label 2.10 gives those for infusion reactions, and seed 001 treats the delayed psoriasiform
    rash by stopping or switching the drug, or with topical steroids. It raises instead a
    warning to acknowledge that the prescriber has reviewed it (``delayed_review``).
    """
    own = [r for r in reactions if r.protocol_id == protocol.id]
    acute = any(r.onset_class.is_acute for r in own)
    delayed = _delayed_text(own)
    rules = protocol.reactions
    reasons = _review_reasons(own)
    result = ReactionConsequences(
        protocol_id=protocol.id,
        contraindications=_contraindications(protocol, own),
        premedication=rules.prior_reaction_premedication if acute else None,
        graduated_titration=acute and rules.prior_reaction_titration,
        standard_duration_only=bool(own) and protocol.administration.shortened is not None,
        prescriber_review=bool(reasons),
        delayed_review=bool(delayed),
        warnings=(),
    )
    return replace(result, warnings=_warnings(protocol, result, reasons, delayed))
