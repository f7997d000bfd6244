"""Infusion reactions: the catalogue of signs, when a reaction started, and what it changes.

Rules (clinical reference, "Infliximab" monitoring and reaction handling, "Anifrolumab",
"Monitoring and reactions"; seed 000, seed 001, seed 002):

- Reactions are *acute* (during the infusion or within the drug's own acute-reaction window after
  it: 2 hours for infliximab, seed 000; 24 hours for tocilizumab, label; itching, urticaria,
  angioedema, hypotension, brady- or tachycardia, anaphylaxis, fever...) or *delayed*
  (arthralgia, joint stiffness, serum-sickness-like reactions 3-12 days later, the paradoxical
  psoriasiform rash seen after the fourth infliximab infusion at week 16). Signs of an immediate
  reaction make it acute whatever the timing. The signs are data in
  ``resources/reactions/signs.toml``; their codes are the ones the protocols' watch lists use.
- A reaction to a drug changes that drug's plan only (a reaction to another drug is ignored here
  on purpose: each protocol's label speaks of reactions to that drug). What it changes is
  :func:`plan_consequences`: a severe hypersensitivity contraindicates the drug, a prior
  infusion reaction calls for premedication (and the graduated rate where the protocol has
  one), a delayed one for the prescriber's review or decision, a severe or recurrent one for
  prescriber review (infliximab label 2.10: stop for good), and any reaction sends the infusion
  back to the standard duration (EU/Swiss shortened infusion).
- CTCAE grades an event under one term: infusion related reaction, allergic reaction or
  anaphylaxis (clinical reference, "CTCAE v5.0 grading"). An acute reaction is one of these and
  the nurse grades it; a delayed skin or joint reaction may be left ungraded and described in
  notes (:func:`check_grading`).
"""

from __future__ import annotations

import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from functools import cache

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.ctcae import CtcaeTerm, GradeDefinition, grade_definition
from clinic_app.domain.dates import date_text
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
    """One sign the nurse can tick when logging a reaction.

    ``immediate``: a sign of an immediate (allergic) reaction, which makes the reaction acute
    whatever its timing (clinical reference, December 2026 additions). ``prescriber_decision``:
    after this sign the next dose needs the prescriber's decision with a reason (seed 001: the
    psoriasiform rash is first treated by stopping the drug).
    """

    code: str
    label: str
    kind: SignKind
    description: str
    source: str
    immediate: bool = False
    prescriber_decision: bool = False


def _flag(raw: dict[str, object], i: int, key: str) -> bool:
    value = raw.get(key, False)
    if not isinstance(value, bool):
        raise ProtocolError(_SIGNS_FILE, f"signs[{i}].{key}", "true or false", repr(value))
    return value


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
                        values["description"], values["source"],
                        immediate=_flag(raw, i, "immediate"),
                        prescriber_decision=_flag(raw, i, "prescriber_decision"))


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
    # after the end, within the drug's acute-reaction window (or with signs of an immediate
    # reaction whatever the timing)
    ACUTE_AFTER = "acute_after"
    DELAYED = "delayed"  # after the acute-reaction window, without immediate signs

    @property
    def is_acute(self) -> bool:
        """During the infusion, within the drug's acute-reaction window, or immediate."""
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


def minute_of(moment: datetime) -> datetime:
    """``moment`` cut to the minute it falls in (seconds and microseconds dropped)."""
    return moment.replace(second=0, microsecond=0)


def onset_at_minute_precision(onset: datetime, *, infusion_start: datetime) -> datetime:
    """The onset a nurse typed to the minute, placed against a start recorded to the second.

    Onsets are entered as "HH:MM" (the reaction dialog, the CLI) while the start is the pump's
    moment with its seconds, so a reaction in the first minute (typed 10:02 for a start at
    10:02:35) would fall before the start. An onset in the same minute as the start is taken as
    the start itself; an onset in an earlier minute is returned unchanged, so
    :func:`classify_onset` still refuses it (issue 12, "Reactions in the first minute").
    """
    if infusion_start > onset >= minute_of(infusion_start):
        return infusion_start
    return onset


def classify_onset(onset: datetime, *, infusion_start: datetime, infusion_end: datetime | None,
                   acute_window_minutes: int, signs: Sequence[str] = ()) -> Onset:
    """Classify a timed onset: during the infusion, acute after it, or delayed.

    ``infusion_end`` is None while the infusion is still running. The acute window is the drug's
    own (protocol ``[reactions] acute_window_minutes``, apart from its observation period) and
    includes its limits: seed 000, infliximab: during or within 2 hours after the infusion;
    tocilizumab label: within 24 hours. A reaction with a sign of an immediate reaction
    (urticaria, angioedema, bronchospasm, hypotension, dyspnoea, anaphylaxis: ``immediate`` in
    the signs catalogue) is acute whatever its timing (clinical reference, December 2026
    additions). Onsets before the start are refused.
    """
    for field, value in (("onset", onset), ("infusion_start", infusion_start)):
        _require_aware(field, value)
    if infusion_end is not None:
        _require_aware("infusion_end", infusion_end)
        if infusion_end < infusion_start:
            raise InvalidInput("infusion_end", "The infusion cannot end before it started.")
    if isinstance(acute_window_minutes, bool) or acute_window_minutes < 0:
        raise InvalidInput("acute_window_minutes", "The acute-reaction window must be 0 minutes "
                                                   f"or more, got {acute_window_minutes!r}.")
    if onset < infusion_start:
        raise InvalidInput("onset", "The reaction cannot start before the infusion started.")
    minutes_after_start = int((onset - infusion_start) // timedelta(minutes=1))
    if infusion_end is None or onset < infusion_end:
        return Onset(OnsetClass.DURING_INFUSION, minutes_after_start, None, None)
    after_end = onset - infusion_end
    hours = (Decimal(after_end.total_seconds()) / 3600).quantize(Decimal("0.1"), ROUND_HALF_UP)
    within = after_end <= timedelta(minutes=acute_window_minutes)
    immediate = any(sign(code).immediate for code in signs)
    onset_class = OnsetClass.ACUTE_AFTER if within or immediate else OnsetClass.DELAYED
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


def is_anaphylaxis(term: CtcaeTerm | None, signs: Sequence[str]) -> bool:
    """A reaction is anaphylaxis when graded as anaphylaxis or the anaphylaxis sign is ticked."""
    return term is CtcaeTerm.ANAPHYLAXIS or _ANAPHYLAXIS_SIGN in signs


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
        return is_anaphylaxis(self.term, self.signs)

    @property
    def is_severe(self) -> bool:
        """Grade 3 or more, or anaphylaxis (CTCAE defines it from grade 3)."""
        return self.is_anaphylaxis or (self.grade is not None and self.grade >= _SEVERE_GRADE)

    @property
    def is_infusion_reaction(self) -> bool:
        """Acute (during, within the drug's window, or immediate), or graded by the nurse under
        one of the CTCAE reaction terms (all of them infusion or hypersensitivity reactions):
        once graded, nothing says it is "not an infusion reaction"."""
        return self.onset_class.is_acute or self.term is not None

    def is_severe_hypersensitivity(self, min_grade: int) -> bool:
        """Anaphylaxis, or an infusion related or allergic reaction of ``min_grade`` or more
        (the protocol's ``hypersensitivity_min_grade``)."""
        return self.is_anaphylaxis or (
            self.term in (CtcaeTerm.INFUSION_RELATED_REACTION, CtcaeTerm.ALLERGIC_REACTION)
            and self.grade is not None and self.grade >= min_grade)

    @property
    def needs_prescriber_decision(self) -> bool:
        """A sign whose next dose needs the prescriber's decision (seed 001: psoriasiform
        rash)."""
        return any(sign(code).prescriber_decision for code in self.signs)


@dataclass(frozen=True)
class ReactionConsequences:
    """What earlier reactions to this drug change in its plan, as data and as warnings.

    ``contraindications`` are codes from ``protocol.contraindications`` for the scheduler's
    ``active_contraindications`` (it refuses to plan the drug); the other fields inform the
    infusion plan; ``warnings`` say the same to the nurse. ``prescriber_review`` (severe or
    recurrent) and ``prescriber_decision`` (a delayed sign such as the psoriasiform rash) need an
    override with a reason; ``delayed_review`` (another delayed reaction on file) an
    acknowledgement that the prescriber knows of it. Once the drug is contraindicated, nothing
    else is planned or said about its next dose.
    """

    protocol_id: str
    contraindications: tuple[str, ...]
    premedication: str | None
    graduated_titration: bool
    standard_duration_only: bool
    prescriber_review: bool
    prescriber_decision: bool
    delayed_review: bool
    warnings: tuple[ClinicalWarning, ...]


def _contraindications(protocol: Protocol, reactions: list[ReactionRecord]) -> tuple[str, ...]:
    rules = protocol.reactions
    code = rules.hypersensitivity_contraindication
    if not rules.hypersensitivity_contraindicates or code is None:
        return ()
    severe = any(r.is_severe_hypersensitivity(rules.hypersensitivity_min_grade)
                 for r in reactions)
    return (code,) if severe else ()


def _graded_text(record: ReactionRecord) -> str:
    """E.g. "infusion related reaction grade 2 on 2026-04-27"."""
    what = ("not graded" if record.term is None
            else f"{record.term.value.replace('_', ' ')} grade {record.grade}")
    return f"{what} on {date_text(record.occurred_on)}"


def _review_reasons(reactions: list[ReactionRecord]) -> list[str]:
    reasons = [f"severe reaction: {_graded_text(r)}" for r in reactions if r.is_severe]
    days = sorted({r.occurred_on for r in reactions})
    if len(days) > 1:
        reasons.append("reactions on " + ", ".join(date_text(d) for d in days) + " (recurrent)")
    return reasons


def _delayed_text(reactions: list[ReactionRecord]) -> str:
    """The delayed reactions not graded as infusion reactions, e.g. "psoriasiform rash on
    2026-04-27, not graded"."""
    parts = []
    for r in reactions:
        if not r.is_infusion_reaction:
            signs = ", ".join(sign(code).label.lower() for code in r.signs)
            parts.append(f"{signs} on {date_text(r.occurred_on)}, not graded")
    return "; ".join(parts)


def _delayed_warning(drug: str, delayed: str, decision: bool) -> ClinicalWarning:
    if decision:
        return ClinicalWarning(
            "PRESCRIBER_DECISION_AFTER_DELAYED_REACTION",
            f"Delayed reaction to {drug} ({delayed}): the prescriber decides whether {drug} is "
            "given again (a psoriasiform rash is first treated by stopping the drug). Record "
            "the prescriber's decision as the reason.", requires_override=True)
    return ClinicalWarning(
        "PRESCRIBER_REVIEW_AFTER_DELAYED_REACTION",
        f"Delayed reaction to {drug} ({delayed}): make sure the prescriber has reviewed it "
        "before the next dose; the prescriber decides whether to continue, switch or treat it.",
        requires_ack=True)


def _infusion_reaction_text(reactions: list[ReactionRecord]) -> str:
    return "; ".join(_graded_text(r) for r in reactions if r.is_infusion_reaction)


def _warnings(protocol: Protocol, result: ReactionConsequences, reactions: list[ReactionRecord],
              delayed: str) -> tuple[ClinicalWarning, ...]:
    drug = protocol.drug
    if result.contraindications:  # the drug is not given again: nothing else to plan or say
        return tuple(
            ClinicalWarning(
                "REACTION_CONTRAINDICATION",
                f"{drug} is contraindicated: {c.text}. It cannot be planned or given; the "
                "course is stopped.", requires_ack=True)
            for c in protocol.contraindications if c.code in result.contraindications)
    warnings = []
    if result.prescriber_review:
        warnings.append(ClinicalWarning(
            "PRESCRIBER_REVIEW_AFTER_REACTION",
            f"Prescriber review before the next {drug} dose "
            f"({'; '.join(_review_reasons(reactions))}): severe or recurrent reactions usually "
            "mean stopping the drug for good.", requires_override=True))
    if delayed:
        warnings.append(_delayed_warning(drug, delayed, result.prescriber_decision))
    if result.premedication is not None:
        warnings.append(ClinicalWarning(
            "PREMEDICATE_AFTER_REACTION",
            f"Previous infusion reaction to {drug} ({_infusion_reaction_text(reactions)}): "
            f"the prescriber reviews it before this dose; premedicate. {result.premedication}",
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
                      reactions: list[ReactionRecord] | tuple[ReactionRecord, ...], *,
                      shortened_allowed: bool = False) -> ReactionConsequences:
    """What the patient's logged reactions change in the next ``protocol`` infusion.

    Only reactions to this protocol's drug count (documented choice: a reaction to another drug
    does not change this plan). Rules:

    - a severe hypersensitivity (anaphylaxis, or an infusion related or allergic reaction of the
      protocol's ``hypersensitivity_min_grade`` or more) activates the protocol's
      ``hypersensitivity_contraindication`` (seed 000 and label: infliximab; seed 002:
      anifrolumab; vedolizumab and tocilizumab labels); then the drug is not planned again and
      no premedication, graduated rate or review text is given for it;
    - a prior infusion reaction (acute, or graded under a CTCAE reaction term) calls for the
      protocol's premedication with the prescriber's review (every protocol has one) and, if
      ``prior_reaction_titration``, the graduated rate (infliximab label 2.10; institutional
      table);
    - any reaction rules out the shortened infusion (EU/Swiss text); said only where the clinic
      uses the shortened infusion (``shortened_allowed``, clinic setting
      ``dosing.allow_shortened_infusion``): no warning about an infusion nobody asked for;
    - a severe or recurrent reaction (reactions on two or more days) calls for prescriber
      review with an override;
    - a delayed reaction left ungraded calls for the prescriber's review (an acknowledgement),
      or, when one of its signs asks for it (seed 001: psoriasiform rash, first treated by
      stopping the drug), the prescriber's decision recorded as an override reason.
    """
    own = [r for r in reactions if r.protocol_id == protocol.id]
    infusion_reaction = any(r.is_infusion_reaction for r in own)
    delayed = _delayed_text(own)
    rules = protocol.reactions
    contraindications = _contraindications(protocol, own)
    active = not contraindications
    result = ReactionConsequences(
        protocol_id=protocol.id,
        contraindications=contraindications,
        premedication=rules.prior_reaction_premedication
        if infusion_reaction and active else None,
        graduated_titration=infusion_reaction and rules.prior_reaction_titration and active,
        standard_duration_only=bool(own) and protocol.administration.shortened is not None
        and shortened_allowed,
        prescriber_review=bool(_review_reasons(own)) and active,
        prescriber_decision=any(r.needs_prescriber_decision for r in own
                                if not r.is_infusion_reaction) and active,
        delayed_review=bool(delayed) and active,
        warnings=(),
    )
    return replace(result, warnings=_warnings(protocol, result, own, delayed))
