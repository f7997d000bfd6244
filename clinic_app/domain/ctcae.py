"""CTCAE v5.0 grades for infusion reactions, and the guidance shown for each grade.

Rule (clinical reference, "CTCAE v5.0 grading"; source NCI CTCAE v5.0): an event is graded as an
*infusion related reaction* (grades 1-5) or as *anaphylaxis* (grades 3-5; grades 1 and 2 are not
defined), never both, and the version is recorded with each grade. The nurse picks the grade with
the definitions in view; vital signs may suggest a grade, they never decide it, so this module
offers the text and checks the choice but does not grade.

The definitions live in ``resources/reactions/ctcae_v5.toml`` and the first-response steps in
``resources/reactions/guidance.toml`` (clinical reference, "Monitoring and reactions"; infliximab
label 2.10), combined with the protocol's own ``[reactions].guidance`` text.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from typing import Any

from clinic_app.domain.errors import InvalidInput, ProtocolError
from clinic_app.domain.protocol_model import Protocol
from clinic_app.resource_files import resource_path

_CTCAE_FILE = "ctcae_v5.toml"
_GUIDANCE_FILE = "guidance.toml"


class CtcaeTerm(StrEnum):
    """The CTCAE terms a reaction is graded under."""

    INFUSION_RELATED_REACTION = "infusion_related_reaction"
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
class _Guidance:
    steps: dict[str, str]
    record_step: str
    per_grade: dict[tuple[CtcaeTerm, int], tuple[tuple[str, ...], bool]]


def _guidance_rule(raw: dict[str, Any], i: int,
                   steps: dict[str, str]) -> tuple[tuple[CtcaeTerm, int], tuple[str, ...], bool]:
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
    with_protocol = raw.get("protocol_guidance")
    if not isinstance(with_protocol, bool):
        raise ProtocolError(_GUIDANCE_FILE, f"{where}protocol_guidance", "true or false",
                            repr(with_protocol))
    return (definition.term, definition.grade), tuple(ids), with_protocol


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
        key, ids, with_protocol = _guidance_rule(raw, i, steps)
        per_grade[key] = (ids, with_protocol)
    for term in CtcaeTerm:
        for item in grades_for(term):
            if (term, item.grade) not in per_grade:
                raise ProtocolError(_GUIDANCE_FILE, "grades", "guidance for every CTCAE grade",
                                    f"none for {term.value} grade {item.grade}")
    return _Guidance(steps, record, per_grade)


def guidance_for(protocol: Protocol, term: CtcaeTerm | str, grade: int) -> list[str]:
    """The action lines shown to the nurse for a reaction of this grade to this drug.

    First-response steps for the grade (stop or slow, saline line, vitals every 5 minutes, call
    the prescriber, medications per local protocol; for anaphylaxis epinephrine 0.3-0.5 mg IM,
    oxygen and IV fluids), then the protocol's own reaction guidance, then what to record.
    """
    definition = grade_definition(term, grade)
    guidance = _guidance()
    ids, with_protocol = guidance.per_grade[(definition.term, definition.grade)]
    lines = [guidance.steps[step] for step in ids]
    if with_protocol:
        lines.append(f"{protocol.drug}: {protocol.reactions.guidance}")
    lines.append(guidance.steps[guidance.record_step])
    return lines
