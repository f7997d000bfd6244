"""Reactions on paper: the signs to watch for, and what to do for each CTCAE grade.

The signs are the protocol's watch lists (acute, then delayed) from the sign catalogue
(:func:`clinic_app.domain.reactions.signs_to_watch`); the grades and their definitions come
from :mod:`clinic_app.domain.ctcae` (CTCAE v5.0) and the actions from
:func:`clinic_app.domain.ctcae.guidance_for`. The drug's own guidance and the recording step
are the same for every grade, so the sheet prints them once, above the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from reportlab.platypus import Flowable, Spacer, Table

from clinic_app.domain.ctcae import CtcaeTerm, ctcae_version, grades_for, grading_note, guidance_for
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.reactions import ReactionSign, SignKind, signs_to_watch
from clinic_app.reports.blocks import bullets
from clinic_app.reports.layout import SHADE, Styles, grid_table, para

_SECTION_TITLES = {
    SignKind.ACUTE: "During the infusion and the observation period",
    SignKind.DELAYED: "Later, at home (days to weeks after): tell the patient",
}


def sign_rows(signs: tuple[ReactionSign, ...], kind: SignKind,
              styles: Styles) -> list[list[object]]:
    """The section title row, then one row per sign of that kind."""
    chosen = [s for s in signs if s.kind is kind]
    if not chosen:
        return []
    rows: list[list[object]] = [[para(_SECTION_TITLES[kind], styles.cell_bold), ""]]
    rows += [[para(s.label, styles.cell_bold), para(s.description, styles.cell)] for s in chosen]
    return rows


def signs_table(protocol: Protocol, styles: Styles, width: float) -> Table:
    """The protocol's signs to watch for, acute first, with what each looks like."""
    signs = signs_to_watch(protocol)
    header: list[object] = [para("Sign", styles.cell_bold),
                            para("What it looks like", styles.cell_bold)]
    rows: list[list[object]] = [header]
    extra: list[tuple[object, ...]] = []
    for kind in SignKind:
        section = sign_rows(signs, kind, styles)
        if section:
            at = len(rows)
            extra += [("SPAN", (0, at), (1, at)), ("BACKGROUND", (0, at), (1, at), SHADE)]
        rows += section
    return grid_table(rows, [width * 0.28, width * 0.72], extra=extra)


@dataclass(frozen=True)
class GradeRow:
    """One row of the grade table: the terms it applies to, the grade, its definition and the
    actions (the drug's guidance and the recording step left out: printed once)."""

    terms: tuple[str, ...]
    grade: int
    definition: str
    steps: tuple[str, ...]


_DEATH = 5  # CTCAE grade 5, shared by every term: printed last
_ANAPHYLAXIS_FIRST = (CtcaeTerm.ANAPHYLAXIS,
                      *(t for t in CtcaeTerm if t is not CtcaeTerm.ANAPHYLAXIS))


def grade_rows(protocol: Protocol,
               weight_kg: Decimal | None = None) -> tuple[list[GradeRow], str]:
    """Every CTCAE grade of every term, anaphylaxis first (issue 12: the most urgent rows
    lead), grades that read the same under several terms (grade 5)
    merged into one row; and the recording step shown for every grade. The epinephrine dose
    is computed from ``weight_kg`` (:func:`guidance_for`)."""
    shared = _protocol_line(protocol)
    merged: dict[tuple[int, str, tuple[str, ...]], list[str]] = {}
    record = ""
    for term in _ANAPHYLAXIS_FIRST:
        for grade in grades_for(term):
            lines = guidance_for(protocol, term, grade.grade, weight_kg=weight_kg)
            record = lines[-1]
            steps = tuple(line for line in lines[:-1] if line != shared)
            merged.setdefault((grade.grade, grade.definition, steps), []).append(grade.term_name)
    rows = [GradeRow(tuple(names), number, definition, steps)
            for (number, definition, steps), names in merged.items()]
    return sorted(rows, key=lambda row: row.grade == _DEATH), record


def _protocol_line(protocol: Protocol) -> str:
    """The drug's own guidance line, as :func:`guidance_for` adds it."""
    return f"{protocol.drug}: {protocol.reactions.guidance}"


def grade_table(protocol: Protocol, styles: Styles, width: float, *,
                weight_kg: Decimal | None = None) -> list[Flowable]:
    """Each CTCAE grade with its definition and the actions; shared lines printed once."""
    header: list[object] = [para(t, styles.cell_bold)
                            for t in ("Grade", "Definition", "What to do")]
    grades, record = grade_rows(protocol, weight_kg)
    rows: list[list[object]] = [header] + [
        [para(f"{' or '.join(row.terms)}\ngrade {row.grade}", styles.cell_bold),
         para(row.definition, styles.cell_small), bullets(row.steps, styles)]
        for row in grades
    ]
    table = grid_table(rows, [width * 0.15, width * 0.29, width * 0.56],
                       extra=[("VALIGN", (0, 1), (-1, -1), "TOP"),
                              ("TOPPADDING", (0, 1), (-1, -1), 2),
                              ("BOTTOMPADDING", (0, 1), (-1, -1), 3)])
    return [
        para(f"For every reaction: {_protocol_line(protocol)}", styles.body),
        para(record, styles.bold),
        Spacer(1, 4),
        para(f"Grades and definitions: {ctcae_version()}. {grading_note()}", styles.small),
        table,
    ]
