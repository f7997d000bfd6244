"""CTCAE v5.0 grades for infusion reactions, and the guidance shown for each grade.

Rule (clinical reference, "CTCAE v5.0 grading" and its December 2026 additions; source NCI CTCAE
v5.0): an event is graded under one term only, as an *infusion related reaction* (grades 1-5), an
*allergic reaction* (grades 1-5) or *anaphylaxis* (grades 3-5; grades 1 and 2 are not defined),
and the version is recorded with each grade. The nurse picks the grade with
the definitions in view; vital signs may suggest a grade, they never decide it, so this module
offers the text and checks the choice but does not grade.

The definitions live in ``resources/reactions/ctcae_v5.toml`` and the first-response steps in
``resources/reactions/guidance.toml`` (clinical reference, "Monitoring and reactions"; infliximab
label 2.10), combined with the protocol's own ``[reactions].guidance`` text.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal
from enum import StrEnum
from functools import cache
from typing import Any

from clinic_app.domain.errors import InvalidInput, ProtocolError
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.units import plain
from clinic_app.resource_files import resource_path

_CTCAE_FILE = "ctcae_v5.toml"
_GUIDANCE_FILE = "guidance.toml"
_MILD_MODERATE_MAX_GRADE = 2  # CTCAE grades 1 and 2: mild and moderate


class CtcaeTerm(StrEnum):
    """The CTCAE terms a reaction is graded under (one per event)."""

    INFUSION_RELATED_REACTION = "infusion_related_reaction"
    ALLERGIC_REACTION = "allergic_reaction"
    ANAPHYLAXIS = "anaphylaxis"


@dataclass(frozen=True)
class GradeDefinition:
    """One CTCAE grade of a term, with its text and the CTCAE version it comes from."""

    term: CtcaeTerm
    term_name: str
    grade: int
    definition: str
    version: str


@dataclass(frozen=True)
class _Grading:
    version: str
    note: str
    grades: dict[CtcaeTerm, tuple[GradeDefinition, ...]]
    undefined_notes: dict[CtcaeTerm, str]


def _read(file_name: str) -> dict[str, Any]:
    text = resource_path("reactions", file_name).read_text(encoding="utf-8")
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(file_name, "(file)", "valid TOML", str(exc)) from None


def _text(file_name: str, table: dict[str, Any], key: str, where: str = "") -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ProtocolError(file_name, f"{where}{key}", "a non-empty text", repr(value))
    return value.strip()


def _term_grades(version: str, raw: dict[str, Any], where: str) -> tuple[GradeDefinition, ...]:
    term_id = _text(_CTCAE_FILE, raw, "id", where)
    if term_id not in set(CtcaeTerm):
        raise ProtocolError(_CTCAE_FILE, f"{where}id", "one of " + ", ".join(CtcaeTerm), term_id)
    name = _text(_CTCAE_FILE, raw, "name", where)
    grades = []
    for i, item in enumerate(raw.get("grades", [])):
        grade = item.get("grade")
        if isinstance(grade, bool) or grade not in range(1, 6):
            raise ProtocolError(_CTCAE_FILE, f"{where}grades[{i}].grade", "1 to 5", repr(grade))
        definition = _text(_CTCAE_FILE, item, "definition", f"{where}grades[{i}].")
        grades.append(GradeDefinition(CtcaeTerm(term_id), name, grade, definition, version))
    if not grades:
        raise ProtocolError(_CTCAE_FILE, f"{where}grades", "at least one grade", "none")
    return tuple(sorted(grades, key=lambda g: g.grade))


@cache
def _grading() -> _Grading:
    data = _read(_CTCAE_FILE)
    version = _text(_CTCAE_FILE, data, "version")
    grades: dict[CtcaeTerm, tuple[GradeDefinition, ...]] = {}
    notes: dict[CtcaeTerm, str] = {}
    for i, raw in enumerate(data.get("terms", [])):
        term_grades = _term_grades(version, raw, f"terms[{i}].")
        term = term_grades[0].term
        grades[term] = term_grades
        if "undefined_grades_note" in raw:
            notes[term] = _text(_CTCAE_FILE, raw, "undefined_grades_note", f"terms[{i}].")
    missing = [t.value for t in CtcaeTerm if t not in grades]
    if missing:
        raise ProtocolError(_CTCAE_FILE, "terms", "every term: " + ", ".join(CtcaeTerm),
                            "missing " + ", ".join(missing))
    return _Grading(version, _text(_CTCAE_FILE, data, "note"), grades, notes)


def ctcae_version() -> str:
    """The CTCAE version recorded with each grade (e.g. "CTCAE v5.0")."""
    return _grading().version


def grading_note() -> str:
    """The rule shown beside the grade picker: one term per event, not both."""
    return _grading().note


def parse_term(value: CtcaeTerm | str) -> CtcaeTerm:
    """The term for ``value``; an unknown term is refused with the known ones named."""
    if isinstance(value, CtcaeTerm):
        return value
    try:
        return CtcaeTerm(value)
    except ValueError:
        known = ", ".join(CtcaeTerm)
        raise InvalidInput("term", f"Unknown CTCAE term {value!r}; known: {known}.") from None


def grades_for(term: CtcaeTerm | str) -> tuple[GradeDefinition, ...]:
    """Every defined grade of ``term``, lowest first, for the UI to show with the picker."""
    return _grading().grades[parse_term(term)]


def grade_definition(term: CtcaeTerm | str, grade: object) -> GradeDefinition:
    """The definition of ``grade`` for ``term``; a grade the term does not define is refused.

    E.g. anaphylaxis grade 2 raises :class:`InvalidInput`: CTCAE v5.0 defines anaphylaxis at
    grades 3-5 only.
    """
    term = parse_term(term)
    if isinstance(grade, bool) or not isinstance(grade, int):
        raise InvalidInput("grade", f"The CTCAE grade must be a whole number, got {grade!r}.")
    for item in grades_for(term):
        if item.grade == grade:
            return item
    defined = ", ".join(str(g.grade) for g in grades_for(term))
    note = _grading().undefined_notes.get(term, "")
    raise InvalidInput(
        "grade",
        f"{ctcae_version()} does not define grade {grade} for {term.value.replace('_', ' ')}; "
        f"defined grades: {defined}. {note}".rstrip(),
    )


@dataclass(frozen=True)
class _GradeGuidance:
    steps: tuple[str, ...]
    protocol_guidance: bool  # the protocol's general [reactions].guidance
    mild_moderate: bool  # the protocol's mild_moderate_guidance (grades 1 and 2)


@dataclass(frozen=True)
class EpinephrineRule:
    """Epinephrine for anaphylaxis by weight: ``mg_per_kg`` IM, at most ``max_mg``."""

    mg_per_kg: Decimal
    max_mg: Decimal
    concentration_mg_per_ml: Decimal
    names: tuple[str, ...]  # lower-case names a medication is recognised by
    source: str

    def dose_text(self, weight_kg: Decimal | None) -> str:
        """E.g. "0.15 mg = 0.15 mL (0.01 mg/kg × 15 kg)", "0.5 mg = 0.5 mL (0.01 mg/kg, at most
        0.5 mg)", or the rule itself when the weight is not known."""
        rule = f"{plain(self.mg_per_kg)} mg/kg, at most {plain(self.max_mg)} mg"
        if weight_kg is None or weight_kg <= 0:
            return f"{rule} (no weight on file: weigh or estimate the weight)"
        dose = min(self.max_mg, (self.mg_per_kg * weight_kg).quantize(Decimal("0.01"),
                                                                      ROUND_DOWN))
        volume = dose / self.concentration_mg_per_ml
        how = (f"{rule}" if dose == self.max_mg
               else f"{plain(self.mg_per_kg)} mg/kg × {plain(weight_kg)} kg")
        return f"{plain(dose)} mg = {plain(volume)} mL ({how})"


@dataclass(frozen=True)
class _Guidance:
    steps: dict[str, str]
    record_step: str
    per_grade: dict[tuple[CtcaeTerm, int], _GradeGuidance]
    epinephrine: EpinephrineRule


def _flag(raw: dict[str, Any], where: str, key: str) -> bool:
    value = raw.get(key)
    if not isinstance(value, bool):
        raise ProtocolError(_GUIDANCE_FILE, f"{where}{key}", "true or false", repr(value))
    return value


def _number(raw: dict[str, Any], key: str) -> Decimal:
    value = raw.get(key)
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise ProtocolError(_GUIDANCE_FILE, f"epinephrine.{key}", "a number above 0", repr(value))
    return Decimal(str(value))


def _epinephrine(data: dict[str, Any]) -> EpinephrineRule:
    raw = data.get("epinephrine")
    if not isinstance(raw, dict):
        raise ProtocolError(_GUIDANCE_FILE, "epinephrine", "a table", repr(raw))
    names = raw.get("names")
    if not isinstance(names, list) or not names or not all(
            isinstance(n, str) and n.strip() for n in names):
        raise ProtocolError(_GUIDANCE_FILE, "epinephrine.names", "a list of names", repr(names))
    return EpinephrineRule(mg_per_kg=_number(raw, "mg_per_kg"), max_mg=_number(raw, "max_mg"),
                           concentration_mg_per_ml=_number(raw, "concentration_mg_per_ml"),
                           names=tuple(n.strip().casefold() for n in names),
                           source=_text(_GUIDANCE_FILE, raw, "source", "epinephrine."))


def _guidance_rule(raw: dict[str, Any], i: int,
                   steps: dict[str, str]) -> tuple[tuple[CtcaeTerm, int], _GradeGuidance]:
    where = f"grades[{i}]."
    try:
        definition = grade_definition(_text(_GUIDANCE_FILE, raw, "term", where), raw.get("grade"))
    except InvalidInput as exc:
        raise ProtocolError(_GUIDANCE_FILE, f"{where}grade", "a CTCAE term and a grade it defines",
                            str(exc)) from None
    ids = raw.get("steps")
    if not isinstance(ids, list) or not ids or any(s not in steps for s in ids):
        raise ProtocolError(_GUIDANCE_FILE, f"{where}steps",
                            "a list of step ids from [steps]", repr(ids))
    mild_moderate = _flag(raw, where, "mild_moderate")
    if mild_moderate and definition.grade > _MILD_MODERATE_MAX_GRADE:
        raise ProtocolError(_GUIDANCE_FILE, f"{where}mild_moderate",
                            f"false above grade {_MILD_MODERATE_MAX_GRADE}", "true")
    return (definition.term, definition.grade), _GradeGuidance(
        tuple(ids), _flag(raw, where, "protocol_guidance"), mild_moderate)


@cache
def _guidance() -> _Guidance:
    data = _read(_GUIDANCE_FILE)
    steps = {key: _text(_GUIDANCE_FILE, data.get("steps", {}), key, "steps.")
             for key in data.get("steps", {})}
    record = _text(_GUIDANCE_FILE, data, "record_step")
    if record not in steps:
        raise ProtocolError(_GUIDANCE_FILE, "record_step", "a step id from [steps]", record)
    per_grade = {}
    for i, raw in enumerate(data.get("grades", [])):
        key, rule = _guidance_rule(raw, i, steps)
        per_grade[key] = rule
    for term in CtcaeTerm:
        for item in grades_for(term):
            if (term, item.grade) not in per_grade:
                raise ProtocolError(_GUIDANCE_FILE, "grades", "guidance for every CTCAE grade",
                                    f"none for {term.value} grade {item.grade}")
    return _Guidance(steps, record, per_grade, _epinephrine(data))


def epinephrine_rule() -> EpinephrineRule:
    """The weight-based epinephrine dose for anaphylaxis (``guidance.toml`` [epinephrine])."""
    return _guidance().epinephrine


def guidance_for(protocol: Protocol, term: CtcaeTerm | str, grade: int, *,
                 weight_kg: Decimal | None = None) -> list[str]:
    """The action lines shown to the nurse for a reaction of this grade to this drug.

    First-response steps for the grade (stop or slow, saline line, vitals every 5 minutes, call
    the prescriber, medications per local protocol; for anaphylaxis epinephrine by weight,
    oxygen and IV fluids), then the protocol's own text (its mild or moderate advice for grades
    1 and 2 only, issue 10), then what to record. ``weight_kg`` is the visit's weight: the
    epinephrine dose is 0.01 mg/kg up to 0.5 mg, never a fixed adult range for a child.
    """
    definition = grade_definition(term, grade)
    guidance = _guidance()
    rule = guidance.per_grade[(definition.term, definition.grade)]
    epinephrine = guidance.epinephrine.dose_text(weight_kg)
    lines = [guidance.steps[step].replace("{dose}", epinephrine) for step in rule.steps]
    rules = protocol.reactions
    if rule.mild_moderate:
        lines.append(f"{protocol.drug}: {rules.mild_moderate_guidance}")
    if rule.protocol_guidance:
        lines.append(f"{protocol.drug}: {rules.guidance}")
    lines.append(guidance.steps[guidance.record_step])
    return lines
