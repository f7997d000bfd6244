"""Sheet 5: the patient's schedule handout (issue 4).

For the patient to take home, in larger type: the next planned infusion dates (booked times where
an appointment exists, otherwise the planned day and the days it may move to), what to watch for
at home, and whom to call.

- Dates come from :func:`clinic_app.domain.scheduling.plan_schedule` (the first doses not given
  yet); an overdue dose is shown "as soon as possible".
- What to watch for: the protocol's delayed signs from the sign catalogue (infliximab: joint and
  muscle pain, stiffness, rash, psoriasiform rash, serum-sickness-like reaction 3-12 days
  later), and signs of infection (the pre-infusion check "fever or signs of infection" and the
  discharge item "told what to watch for at home ... and signs of infection",
  ``resources/checklists``; labels: serious infections are a risk of every drug here).
- Whom to call: the clinic's phone (an input) for those signs and appointments, and the
  emergency number for breathing difficulty or swelling of the face or throat (discharge item
  "told whom to call").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
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

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.reactions import SignKind, signs_to_watch
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
from clinic_app.reports.records import BookedDose, ClinicContact, PatientHeader

DEFAULT_COUNT = 4
INFECTION_SIGNS = ("Signs of infection", "fever, cough, burning when passing urine, a wound or "
                   "skin infection, or feeling unwell. This treatment lowers your defences "
                   "against infection.")
EMERGENCY_SIGNS = "difficulty breathing, swelling of the face, lips or throat, or fainting"


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


def _when(dose: PlannedDose, booked: BookedDose | None, tz: tzinfo) -> tuple[str, str]:
    """The date and the time (or what to expect) of one dose, as the patient reads them."""
    if booked is not None:
        return fmt_long_day(local(booked.at, tz).date()), fmt_time(booked.at, tz)
    day = fmt_long_day(dose.suggested or dose.due)
    if dose.is_overdue:
        return f"As soon as possible (from {day})", "We will call you to book"
    return day, (f"Not booked yet: between {_short(dose.earliest)} and "
                 f"{fmt_date(dose.latest)}. We will call you.")


def _short(day: date) -> str:
    """"15 Jun" (the year follows in the same sentence)."""
    return fmt_date(day).rsplit(" ", 1)[0]


def _dates_table(plan: SchedulePlan, booked: Sequence[BookedDose], count: int,
                 styles: _Styles, width: float, tz: tzinfo) -> Table:
    by_dose = {b.dose_number: b for b in booked}
    header: list[object] = [para(t, styles.bold) for t in ("Infusion", "Date", "Time")]
    rows: list[list[object]] = [header]
    for dose in [d for d in plan.doses if d.given is None][:count]:
        day, time = _when(dose, by_dose.get(dose.number), tz)
        rows.append([para(f"No. {dose.number}", styles.text), para(day, styles.big),
                     para(time, styles.big if dose.number in by_dose else styles.text)])
    return grid_table(rows, [width * 0.14, width * 0.44, width * 0.42],
                      extra=[("TOPPADDING", (0, 1), (-1, -1), 5),
                             ("BOTTOMPADDING", (0, 1), (-1, -1), 6)])


def _heading(text: str, styles: _Styles) -> list[Flowable]:
    return [CondPageBreak(HEADING_ROOM), para(text, styles.heading)]


def _watch_for(protocol: Protocol, styles: _Styles) -> list[Flowable]:
    delayed = [(s.label, s.description) for s in signs_to_watch(protocol)
               if s.kind is SignKind.DELAYED]
    return [Paragraph(f"\u2022 <b>{escape(label)}</b>: {escape(text)}", styles.text)
            for label, text in [*delayed, INFECTION_SIGNS]]


def _number(text: str) -> str:
    """A phone number that never breaks across lines."""
    return text.replace(" ", "\u00a0").replace("-", "\u2011")


def _call_table(clinic: ClinicContact, styles: _Styles, width: float) -> Table:
    assert clinic.phone is not None  # checked by schedule_handout_pdf
    rows: list[list[object]] = []
    if clinic.emergency_number:
        rows.append([para(f"At once for {EMERGENCY_SIGNS}", styles.bold),
                     [para("Emergency number", styles.text),
                      para(_number(clinic.emergency_number), styles.big)]])
    rows.append([para("Any of the signs above, questions, or to change an appointment",
                      styles.text),
                 [para("The clinic", styles.text), para(_number(clinic.phone), styles.big)]])
    if clinic.after_hours_phone:
        rows.append([para("Evenings, nights and weekends", styles.text),
                     [para("Out of hours", styles.text),
                      para(_number(clinic.after_hours_phone), styles.big)]])
    return grid_table(rows, [width * 0.58, width * 0.42], header_rows=0,
                      extra=[("VALIGN", (0, 0), (-1, -1), "TOP")])


def schedule_handout_pdf(*, patient: PatientHeader, protocol: Protocol, plan: SchedulePlan,
                         clinic: ClinicContact, tz: tzinfo, printed_at: datetime,
                         booked: Sequence[BookedDose] = (), count: int = DEFAULT_COUNT,
                         paper: PaperSize = PaperSize.A4, out: Path | None = None) -> bytes:
    """The handout as PDF bytes (also written to ``out`` if given); ``clinic.phone`` is needed.

    ``count`` is how many of the next doses are listed; ``booked`` holds the appointments
    already made (their time is printed; other doses show the days they may be booked on).
    """
    if not clinic.phone:
        raise InvalidInput("phone", "The schedule handout needs the clinic's phone number: "
                                    "set it before printing.")
    styles = _styles()
    width = usable_width(paper)
    given = [d.given for d in plan.doses if d.given is not None]
    story: list[Flowable] = [
        para(f"Your {protocol.drug} infusions", styles.heading),
        para(f"Last infusion: {fmt_long_day(given[-1])}" if given else
             "You have not had an infusion yet.", styles.text),
        _dates_table(plan, booked, count, styles, width, tz),
        Spacer(1, 4),
        para(f"If you cannot come, call the clinic to book another day. "
             f"{protocol.schedule.missed_dose_text}", styles.text),
        *_heading("What to watch for at home", styles),
        para("Reactions can appear days or weeks after an infusion. Call the clinic if you "
             "notice:", styles.text),
        *_watch_for(protocol, styles),
        KeepTogether([para("Whom to call", styles.heading), _call_table(clinic, styles, width)]),
    ]
    identity = SheetIdentity(title=f"Your {protocol.drug} schedule", clinic_name=clinic.name,
                             patient_line=identity_line(patient),
                             printed_at=fmt_datetime(printed_at, tz))
    return render_pdf(story, identity, paper, out)
