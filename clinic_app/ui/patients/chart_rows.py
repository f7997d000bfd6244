"""The chart's lists as table rows: what each column shows for each record (no decisions here).

Times are the DTOs' aware UTC moments shown in the clinic's time zone; a voided record keeps its
row with "Voided <when> by <nurse>: <reason>".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import tzinfo

from clinic_app.domain.audit_words import audit_sentence
from clinic_app.domain.dates import date_text, date_time_text
from clinic_app.domain.units import plain
from clinic_app.services.chart.dto import AuditLine
from clinic_app.services.courses.dto import CourseSummary
from clinic_app.services.labs.dto import LabResultEntry
from clinic_app.services.patients.dto import (
    AllergyEntry,
    ContraindicationEntry,
    DiagnosisEntry,
    ReactionSummary,
    ScreeningEntry,
    VisitSummary,
    Voiding,
    WeightEntry,
)
from clinic_app.ui.patients.record_table import RecordRow

WEIGHT_COLUMNS = ("Measured", "Weight", "Kind", "Recorded by")
ALLERGY_COLUMNS = ("Substance", "Reaction", "Severity")
DIAGNOSIS_COLUMNS = ("Diagnosis", "Code", "Diagnosed")
SCREENING_COLUMNS = ("Test", "Taken", "Result", "Valid until", "Note")
LAB_COLUMNS = ("Test", "Value", "Unit", "Reference", "Taken", "Source")
CONTRAINDICATION_COLUMNS = ("Contraindication", "Note", "Source")
COURSE_COLUMNS = ("Drug", "Indication", "Order", "Prescriber", "Started", "Every",
                  "Next due", "Status")
VISIT_COLUMNS = ("Started", "Drug", "Status", "Weight used", "Ended", "Nurse")
VISIT_STATUS_TEXT = {
    "checked_in": "Pre-check (not started)",
    "infusing": "Infusing",
    "observation": "In observation",
    "completed": "Completed",
    "stopped": "Stopped",
    "cancelled": "Not given",
}
REACTION_COLUMNS = ("Onset", "Drug", "Reaction", "Grade", "Signs", "Notes", "Actions", "Outcome",
                    "Nurse")
REACTION_TEXT_COLUMNS = ("Notes", "Actions", "Outcome")
AUDIT_COLUMNS = ("When", "Nurse", "Record", "Action", "Field", "Old value", "New value",
                 "What changed")


def voided_text(voided: Voiding | None, tz: tzinfo) -> str:
    """"Voided 2026-03-02 09:30 by Anna Keller: wrong patient" ('' when not voided)."""
    if voided is None:
        return ""
    return f"Voided {date_time_text(voided.at, tz)} by {voided.by}: {voided.reason}"


def weight_rows(weights: Sequence[WeightEntry], tz: tzinfo) -> list[RecordRow]:
    """Newest first, as the chart gives them; in kg as stored."""
    return [RecordRow(w.id, (date_time_text(w.measured_at, tz), f"{plain(w.weight_kg)} kg",
                             w.kind.capitalize(), w.recorded_by),
                      voided_text(w.voided, tz)) for w in weights]


def allergy_rows(allergies: Sequence[AllergyEntry], tz: tzinfo) -> list[RecordRow]:
    return [RecordRow(a.id, (a.substance, a.reaction, a.severity.capitalize()),
                      voided_text(a.voided, tz)) for a in allergies]


def diagnosis_rows(diagnoses: Sequence[DiagnosisEntry], tz: tzinfo) -> list[RecordRow]:
    return [RecordRow(d.id, (d.description, d.code, date_text(d.diagnosed_on)),
                      voided_text(d.voided, tz)) for d in diagnoses]


def screening_rows(screenings: Sequence[ScreeningEntry], kinds: Mapping[str, str],
                   tz: tzinfo) -> list[RecordRow]:
    return [RecordRow(s.id, (kinds.get(s.kind, s.kind), date_text(s.taken_on),
                             s.outcome.capitalize(), date_text(s.valid_until), s.note),
                      voided_text(s.voided, tz)) for s in screenings]


def lab_rows(results: Sequence[LabResultEntry], tz: tzinfo) -> list[RecordRow]:
    """Laboratory results, the latest taken first (as the service lists them)."""
    return [RecordRow(r.id, (r.test_name, plain(r.value), r.unit, r.reference,
                             date_text(r.taken_on), r.source),
                      voided_text(r.voided, tz)) for r in results]


def contraindication_rows(flags: Sequence[ContraindicationEntry], texts: Mapping[str, str],
                          reactions: Sequence[ReactionSummary], tz: tzinfo) -> list[RecordRow]:
    """Flags on file stand out in red while they stand; one a reaction raised names the
    reaction's day (the reaction is on the Reactions tab)."""
    onsets = {r.id: date_text(r.onset_at.astimezone(tz).date()) for r in reactions}
    return [RecordRow(f.id, (texts.get(f.code, f.code), f.note, _source(f, onsets)),
                      voided_text(f.voided, tz), alert=f.voided is None) for f in flags]


def _source(flag: ContraindicationEntry, onsets: Mapping[int, str]) -> str:
    if flag.reaction_id is not None:
        day = onsets.get(flag.reaction_id)
        return f"Reaction on {day}" if day else "A reaction"
    return "Entered by a nurse" if flag.source == "manual" else flag.source.capitalize()


def course_rows(courses: Sequence[CourseSummary]) -> list[RecordRow]:
    return [RecordRow(c.id, (c.drug, c.indication, c.order_text, c.prescriber,
                             date_text(c.start_date), f"{c.interval_weeks} weeks",
                             date_text(c.next_due), c.status.capitalize()),
                      "Voided" if c.voided else "") for c in courses]


DAY_STATUS_TEXT = {"pre_check": "pre-check", "did_not_attend": "did not attend",
                   "not_given": "not given"}


def day_status_text(status: str) -> str:
    """Today's appointment status in words ("pre-check", "not given")."""
    return DAY_STATUS_TEXT.get(status, status.replace("_", " "))


def visit_status_text(status: str, not_given_reason: str | None = None) -> str:
    """The visit's status as the nurse reads it: a visit closed before the start (status
    "cancelled") reads "Not given", with the reason when one is on file."""
    text = VISIT_STATUS_TEXT.get(status, status.replace("_", " ").capitalize())
    return f"{text}: {not_given_reason}" if not_given_reason else text


def visit_rows(visits: Sequence[VisitSummary], drugs: Mapping[str, str],
               tz: tzinfo) -> list[RecordRow]:
    """A visit not started says so where the start would be; its status says why."""
    def weight(v: VisitSummary) -> str:
        return f"{plain(v.weight_kg_used)} kg" if v.weight_kg_used is not None else ""

    return [RecordRow(v.id, (date_time_text(v.started_at, tz) or "not started",
                             drugs.get(v.protocol_id, v.protocol_id),
                             visit_status_text(v.status, v.not_given_reason), weight(v),
                             date_time_text(v.ended_at, tz), v.nurse),
                      voided_text(v.voided, tz)) for v in visits]


def _reaction_grading(r: ReactionSummary) -> tuple[str, str]:
    """The Reaction and Grade cells: the CTCAE term and grade, or a delayed one not graded."""
    if r.term is None or r.grade is None:
        return "Delayed, not graded", "—"
    return r.term.replace("_", " ").capitalize(), f"{r.grade} ({r.ctcae_version})"


def reaction_rows(reactions: Sequence[ReactionSummary], sign_labels: Mapping[str, str],
                  tz: tzinfo, drugs: Mapping[int, str]) -> list[RecordRow]:
    """Signs by their catalogue label ("Itching (pruritus)"); the drug of the infusion each
    reaction followed (``drugs`` by visit id)."""
    return [RecordRow(r.id, (date_time_text(r.onset_at, tz),
                             "" if r.visit_id is None else drugs.get(r.visit_id, ""),
                             *_reaction_grading(r),
                             ", ".join(sign_labels.get(code, code) for code in r.signs),
                             r.notes, r.actions, r.outcome, r.nurse),
                      voided_text(r.voided, tz)) for r in reactions]


def audit_rows(lines: Sequence[AuditLine], tz: tzinfo) -> list[RecordRow]:
    """Newest change first; the last column says it in words
    (:func:`clinic_app.domain.audit_words.audit_sentence`)."""
    return [RecordRow(line.record_id, (date_time_text(line.at, tz), line.nurse,
                                       f"{line.record} #{line.record_id}", line.action,
                                       line.field, _value(line.old), _value(line.new),
                                       audit_sentence(action=line.action, field=line.field,
                                                      old=line.old, new=line.new,
                                                      nurse=line.nurse,
                                                      at_local=line.at.astimezone(tz))))
            for line in reversed(lines)]


def _value(value: object) -> str:
    return "" if value is None else str(value)
