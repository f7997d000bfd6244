"""Sheet 5: the patient's schedule handout (issue 4; plain words, issue 10).

For the patient to take home, in larger type and in plain words: no staff instructions and no
medical terms (no mg/kg, "induction", "prescriber review", sign names such as "arthralgia").

- The next infusion dates come from :func:`clinic_app.domain.scheduling.plan_schedule` (the
  first doses not given yet): the booked day and time where an appointment exists, otherwise
  the planned day and the days it may move to. An overdue dose reads "as soon as possible". A
  dose that needs the prescriber's review first (``GAP_REVIEW``: e.g. infliximab after more than
  16 weeks without an infusion, seed 000) reads "we will contact you after your doctor's
  review", and no later dates are listed: they follow from the day that dose is given.
- What to watch for at home: the drug's delayed signs, its own signs and the signs of infection,
  in the patient's words (:mod:`clinic_app.domain.handout_words`, ``resources/handout.toml``).
- Who to call: the emergency number (clinic setting ``[clinic] emergency_number``) at once for
  difficulty breathing, swelling of the face, lips or throat, or fainting; the clinic's phone
  (``[clinic] phone``) for the signs above, other questions and appointments (discharge item
  "told whom to call"). Both are needed to print.
- After whom to call, the course's drug levels and antibody results not voided (issue 13):
  a short table (day
  drawn, the dose it preceded, the result, the assay) and the latest in words; printed only
  when the course has any. The response review's dose and week, with the prescriber's
  decision (who, which day) or "decision not recorded yet"; printed only when the course has
  a review.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from clinic_app.domain.dates import short_date_text
from clinic_app.domain.drug_levels import DrugLevel, LevelKind
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.handout_words import HandoutWords, handout_words
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.schedule_model import PlannedDose, SchedulePlan
from clinic_app.reports.blocks import identity_line
from clinic_app.reports.formatting import fmt_date, fmt_datetime, fmt_long_day, fmt_time, local
from clinic_app.reports.layout import (
    HEADING_ROOM,
    PaperSize,
    SheetIdentity,
    grid_table,
    make_styles,
    para,
    render_pdf,
    usable_width,
)
from clinic_app.reports.records import (
    BookedDose,
    ClinicContact,
    CourseLevels,
    PatientHeader,
    ReviewRecord,
)

DEFAULT_COUNT = 4
REVIEW_CODE = "GAP_REVIEW"


@dataclass(frozen=True)
class _Styles:
    """Larger type for patients."""

    text: ParagraphStyle
    bold: ParagraphStyle
    big: ParagraphStyle
    heading: ParagraphStyle


def _styles() -> _Styles:
    base = make_styles()

    def larger(style: ParagraphStyle, size: float) -> ParagraphStyle:
        return ParagraphStyle(f"handout_{style.name}", parent=style, fontSize=size,
                              leading=size * 1.3)

    return _Styles(text=larger(base.body, 11.5), bold=larger(base.bold, 11.5),
                   big=larger(base.big, 14), heading=larger(base.heading, 14))


def _needs_review(dose: PlannedDose, plan: SchedulePlan) -> bool:
    """The prescriber reviews before this dose: its own gap, or (the next dose) the time
    already passed since the last infusion."""
    own = any(w.code == REVIEW_CODE for w in dose.warnings)
    since_last = dose is plan.next_dose and any(w.code == REVIEW_CODE for w in plan.warnings)
    return own or since_last


def _when(dose: PlannedDose, booked: BookedDose | None, review: bool,
          tz: tzinfo) -> tuple[str, str]:
    """The date and the time (or what to expect) of one dose, as the patient reads them."""
    if booked is not None:
        return fmt_long_day(local(booked.at, tz).date()), fmt_time(booked.at, tz)
    if review:
        return "To be arranged", "We will contact you after your doctor's review."
    day = fmt_long_day(dose.suggested or dose.due)
    if dose.is_overdue:
        return f"As soon as possible (from {day})", "We will call you to book."
    return day, (f"Not booked yet: between {short_date_text(dose.earliest, dose.latest.year)} "
                 f"and {fmt_date(dose.latest)}. We will call you.")


def _dates_table(plan: SchedulePlan, booked: Sequence[BookedDose], count: int,
                 styles: _Styles, width: float, tz: tzinfo) -> Table:
    by_dose = {b.dose_number: b for b in booked}
    header: list[object] = [para(t, styles.bold) for t in ("Infusion", "Date", "Time")]
    rows: list[list[object]] = [header]
    for dose in [d for d in plan.doses if d.given is None][:count]:
        booking = by_dose.get(dose.number)
        review = booking is None and _needs_review(dose, plan)
        day, time = _when(dose, booking, review, tz)
        rows.append([para(f"No. {dose.number}", styles.text), para(day, styles.big),
                     para(time, styles.big if booking is not None else styles.text)])
        if review:
            break  # the later dates follow from the day this one is given
    return grid_table(rows, [width * 0.14, width * 0.44, width * 0.42],
                      extra=[("TOPPADDING", (0, 1), (-1, -1), 5),
                             ("BOTTOMPADDING", (0, 1), (-1, -1), 6)])


def _heading(text: str, styles: _Styles) -> list[Flowable]:
    return [CondPageBreak(HEADING_ROOM), para(text, styles.heading)]


def _watch_for(protocol: Protocol, words: HandoutWords, styles: _Styles) -> list[Flowable]:
    return [Paragraph(f"\u2022 <b>{escape(sign.label)}</b>: {escape(sign.text)}", styles.text)
            for sign in words.signs_to_watch(protocol)]


def _number(text: str) -> str:
    """A phone number that never breaks across lines."""
    return text.replace(" ", "\u00a0").replace("-", "\u2011")


def _call_table(clinic: ClinicContact, words: HandoutWords, styles: _Styles,
                width: float) -> Table:
    assert clinic.phone is not None and clinic.emergency_number is not None  # checked below
    rows: list[list[object]] = [
        [para(f"Emergency: {words.emergency_signs}. Call at once.", styles.bold),
         [para("Emergency number", styles.text),
          para(_number(clinic.emergency_number), styles.big)]],
        [para("Any of the signs above, other questions, or to change an appointment",
              styles.text),
         [para("The clinic", styles.text), para(_number(clinic.phone), styles.big)]],
    ]
    if clinic.after_hours_phone:
        rows.append([para("Evenings, nights and weekends", styles.text),
                     [para("Out of hours", styles.text),
                      para(_number(clinic.after_hours_phone), styles.big)]])
    return grid_table(rows, [width * 0.58, width * 0.42], header_rows=0,
                      extra=[("VALIGN", (0, 0), (-1, -1), "TOP")])


def _result(level: DrugLevel) -> str:
    """ "Trough 2.1 µg/mL", "Antibodies 12 ng/mL (cutoff 10): positive"."""
    kind = "Trough" if level.kind is LevelKind.TROUGH else "Antibodies"
    return f"{kind} {level.text}"


def _levels(levels: CourseLevels, styles: _Styles, width: float) -> list[Flowable]:
    """The drug levels table and the latest in words; nothing when none is on file."""
    if not levels.levels:
        return []
    rows: list[list[object]] = [
        [para(t, styles.bold) for t in ("Date drawn", "Before dose", "Result", "Assay")]
    ]
    for level in levels.levels:
        before = "" if level.before_dose is None else f"No. {level.before_dose}"
        rows.append([para(fmt_date(level.drawn_on), styles.text), para(before, styles.text),
                     para(_result(level), styles.text), para(level.assay, styles.text)])
    table = grid_table(rows, [width * 0.2, width * 0.16, width * 0.44, width * 0.2])
    return [*_heading("Drug levels", styles), table, Spacer(1, 3),
            para(levels.summary, styles.text)]


def review_line(review: ReviewRecord) -> str:
    """ "Response review due at dose 4 (week 14): decision continue by Dr Ewa Nowak on 10 Mar
    2026", or "...: decision not recorded yet"."""
    head = f"Response review due at dose {review.dose_number} (week {review.week})"
    if review.decision is None:
        return f"{head}: decision not recorded yet"
    by = f" by {review.prescriber}" if review.prescriber else ""
    on = f" on {fmt_date(review.decided_on)}" if review.decided_on else ""
    return f"{head}: decision {review.decision.lower()}{by}{on}"


def schedule_handout_pdf(*, patient: PatientHeader, protocol: Protocol, plan: SchedulePlan,
                         clinic: ClinicContact, tz: tzinfo, printed_at: datetime,
                         booked: Sequence[BookedDose] = (), count: int = DEFAULT_COUNT,
                         levels: CourseLevels | None = None, review: ReviewRecord | None = None,
                         paper: PaperSize = PaperSize.A4, out: Path | None = None) -> bytes:
    """The handout as PDF bytes (also written to ``out`` if given); ``clinic.phone`` and
    ``clinic.emergency_number`` are needed (:class:`InvalidInput` naming the one missing).

    ``count`` is how many of the next doses are listed; ``booked`` holds the appointments
    already made (their time is printed; other doses show the days they may be booked on).
    ``levels`` and ``review`` are the course's drug levels and response review (None: none).
    """
    if not clinic.phone:
        raise InvalidInput("phone", "The schedule handout needs the clinic's phone number: "
                                    "set it before printing.")
    if not clinic.emergency_number:
        raise InvalidInput("emergency_number", "The schedule handout needs the emergency "
                                               "number: set it before printing.")
    styles, words = _styles(), handout_words()
    width = usable_width(paper)
    given = [d.given for d in plan.doses if d.given is not None]
    story: list[Flowable] = [
        para(f"Your {protocol.drug} infusions", styles.heading),
        para(f"Last infusion: {fmt_long_day(given[-1])}" if given else
             "You have not had an infusion yet.", styles.text),
        _dates_table(plan, booked, count, styles, width, tz),
        Spacer(1, 4),
        para("If you cannot come, call the clinic to book another day: we will tell you any "
             "new dates.", styles.text),
        *_heading("What to watch for at home", styles),
        para("Reactions can appear days or weeks after an infusion. Call the clinic if you "
             "notice:", styles.text),
        *_watch_for(protocol, words, styles),
        KeepTogether([para("Who to call", styles.heading),
                      _call_table(clinic, words, styles, width)]),
        *(_levels(levels, styles, width) if levels is not None else []),
        *([Spacer(1, 6), para(review_line(review), styles.text)] if review is not None else []),
    ]
    identity = SheetIdentity(title=f"Your {protocol.drug} schedule", clinic_name=clinic.name,
                             patient_line=identity_line(patient),
                             printed_at=fmt_datetime(printed_at, tz))
    return render_pdf(story, identity, paper, out)
