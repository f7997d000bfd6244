"""A logged reaction on paper: onset, signs, CTCAE grade with its definition, actions, outcome.

Shared by the infusion record and the reaction report. Rules:

- The onset prints in the class the services recorded (during the infusion, acute within the
  drug's acute-reaction window or with signs of an immediate reaction, or delayed:
  :func:`clinic_app.domain.reactions.classify_onset`), never classified again here; with the day
  only, :func:`~clinic_app.domain.reactions.classify_onset_by_day`.
- Signs print with their catalogue labels (an unknown code prints as stored, never dropped).
- The grade prints with its definition from the CTCAE version in use (v5.0). A grade recorded
  under another version prints without a definition, naming that version: the text of one
  version is never printed for a grade chosen under another. A reaction left ungraded (only a
  delayed one may be: it is neither an infusion reaction nor anaphylaxis) prints "Not graded
  (delayed reaction)"; the nurse's notes describe it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, tzinfo

from reportlab.platypus import Flowable, Spacer, Table

from clinic_app.domain.ctcae import ctcae_version, grade_definition, parse_term
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.reactions import (
    NOT_GRADED_TEXT,
    OnsetClass,
    classify_onset_by_day,
    sign,
)
from clinic_app.reports.blocks import label_table
from clinic_app.reports.formatting import (
    fmt_date,
    fmt_datetime,
    fmt_number,
    fmt_time,
    local,
)
from clinic_app.reports.layout import Styles, grid_table, para
from clinic_app.reports.records import MedicationGiven, ReactionDetails
from clinic_app.reports.spans import after_end_text, relative_text


def sign_label(code: str) -> str:
    """The catalogue label of a sign code, or the code itself when the catalogue lacks it."""
    try:
        return sign(code).label
    except InvalidInput:
        return code


def _window(reaction: ReactionDetails) -> str:
    minutes = reaction.acute_window_minutes
    if minutes is None:
        return "the drug's acute-reaction window"
    span = f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"
    return f"the drug's {span} acute-reaction window"


def _timed_onset(reaction: ReactionDetails, onset: datetime, start: datetime,
                 end: datetime | None) -> str:
    """The onset against the infusion's times, in the class the services recorded."""
    if onset < start:
        raise InvalidInput("onset", "The reaction cannot start before the infusion started.")
    after_start = relative_text(onset, start, None)
    # the services' class wins: a reaction that stopped the pump began while it ran, even
    # when its onset and the end are the same moment
    if end is None or onset < end or reaction.onset_class == OnsetClass.DURING_INFUSION:
        return f"During the infusion, {after_start}"
    when = after_end_text(onset, end)
    if reaction.onset_class == OnsetClass.ACUTE_AFTER:
        return (f"Acute, after the infusion: {when} (within "
                f"{_window(reaction)}, or with signs of an immediate reaction); {after_start}")
    if reaction.onset_class == OnsetClass.DELAYED:
        return f"Delayed: {when} of the infusion (after {_window(reaction)})"
    return f"{when} of the infusion"


def onset_text(reaction: ReactionDetails, *, infusion_on: date, started_at: datetime | None,
               ended_at: datetime | None, tz: tzinfo) -> str:
    """When the reaction began, in clock time and relative to the infusion."""
    if reaction.onset_at is not None and started_at is not None:
        return (f"{fmt_datetime(reaction.onset_at, tz)}: "
                + _timed_onset(reaction, reaction.onset_at, started_at, ended_at))
    day = local(reaction.onset_at, tz).date() if reaction.onset_at else reaction.onset_on
    assert day is not None  # ReactionDetails requires one of the two
    shown = fmt_datetime(reaction.onset_at, tz) if reaction.onset_at else fmt_date(day)
    if day == infusion_on:
        return f"{shown}: on the infusion day (infusion times not recorded)"
    days = classify_onset_by_day(day, infusion_on=infusion_on).days_after_end
    return f"{shown}: delayed, {days} days after the infusion of {fmt_date(infusion_on)}"


def grade_text(reaction: ReactionDetails) -> str:
    """"Infusion related reaction, grade 2 (CTCAE v5.0): <definition>", or "Not graded
    (delayed reaction)"."""
    if reaction.ctcae_term is None or reaction.grade is None:
        return NOT_GRADED_TEXT
    version = reaction.ctcae_version or "version not recorded"
    if reaction.ctcae_version != ctcae_version():
        name = reaction.ctcae_term.replace("_", " ").capitalize()
        return f"{name}, grade {reaction.grade} ({version}: see that version for the definition)"
    definition = grade_definition(parse_term(reaction.ctcae_term), reaction.grade)
    return (f"{definition.term_name}, grade {definition.grade} ({definition.version}): "
            f"{definition.definition}")


def medication_table(medications: Sequence[MedicationGiven], styles: Styles, width: float,
                     tz: tzinfo) -> Table:
    """Medications given for the reaction: time, drug, dose, route, who gave it."""
    header: list[object] = [para(t, styles.cell_bold)
                            for t in ("Time", "Medication", "Dose", "Route", "Given by")]
    rows: list[list[object]] = [header] + [
        [fmt_time(m.given_at, tz), para(m.drug, styles.cell_bold),
         para(f"{fmt_number(m.dose)} {m.dose_unit or ''}".strip(), styles.cell),
         para(m.route or "", styles.cell), para(m.given_by, styles.cell)]
        for m in medications
    ]
    shares = (0.12, 0.34, 0.16, 0.13, 0.25)
    return grid_table(rows, [width * s for s in shares])


def reaction_rows(reaction: ReactionDetails, onset: str, tz: tzinfo) -> list[tuple[str, str]]:
    """The reaction as label/value rows, in the order a prescriber reads it."""
    rows = [("Onset", onset),
            ("Signs", "; ".join(sign_label(code) for code in reaction.signs)),
            ("Grade", grade_text(reaction))]
    if reaction.notes:
        rows.append(("Notes", reaction.notes))
    if reaction.pump_action:
        rows.append(("Infusion", reaction.pump_action))
    rows.append(("Actions", reaction.actions or "None recorded"))
    rows.append(("Outcome", reaction.outcome or "Not recorded"))
    recorded = reaction.recorded_by
    if reaction.recorded_at is not None:
        recorded += f", {fmt_datetime(reaction.recorded_at, tz)}"
    rows.append(("Recorded by", recorded))
    return rows


def reaction_block(reaction: ReactionDetails, onset: str, styles: Styles, width: float,
                   tz: tzinfo) -> list[Flowable]:
    """The reaction's rows, then its medications (if any)."""
    flowables: list[Flowable] = [label_table(reaction_rows(reaction, onset, tz), styles, width,
                                             label_share=0.2)]
    if reaction.medications:
        flowables += [Spacer(1, 6), para("Medications given", styles.bold),
                      medication_table(reaction.medications, styles, width, tz)]
    return flowables
