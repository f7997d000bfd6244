"""Sheet 6: the clinic day list (issue 4).

Printed landscape, so that each appointment reads on one or two lines. The day's appointments
by time, then chair: when the chair is taken (start to the end of the
observation period, when the durations are known), the patient with both identifiers, the drug,
dose number and dose (the order in mg/kg until the patient is weighed), the allergies and the
alerts in red, what was late when printed (clinical items in red, paperwork apart, counted the
same way in the header as on Today: :mod:`clinic_app.domain.overdue`), the nurse, and a box to
tick on arrival. Every page repeats the date, the
clinic and the column headers. After the list, the chair timeline of the day
(:mod:`clinic_app.reports.chair_timeline_blocks`) when one is given.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Table

from clinic_app.domain.chair_timeline import TimelineRow
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.overdue import total
from clinic_app.domain.units import plain
from clinic_app.reports.blocks import BOX, allergy_text
from clinic_app.reports.chair_timeline_blocks import ROW, timeline_drawings
from clinic_app.reports.formatting import fmt_date, fmt_datetime, fmt_day, fmt_number, fmt_time
from clinic_app.reports.formatting import local as in_zone
from clinic_app.reports.layout import (
    PaperSize,
    SheetIdentity,
    Styles,
    grid_table,
    heading,
    make_styles,
    para,
    render_pdf,
    usable_width,
)
from clinic_app.reports.records import ClinicContact, DayListEntry

_SHARES = (0.08, 0.08, 0.24, 0.2, 0.27, 0.1, 0.03)


def _chair_time(entry: DayListEntry, styles: Styles, tz: tzinfo) -> list[Flowable]:
    """The start in large type and when the chair is free: the booking's own chair time (as on
    the chair timeline), else the infusion and observation when known."""
    cell: list[Flowable] = [para(fmt_time(entry.starts_at, tz), styles.big)]
    if entry.chair_until is not None:
        cell.append(para(f"until {fmt_time(entry.chair_until, tz)}", styles.cell_small))
    elif entry.infusion_minutes is not None:
        minutes = entry.infusion_minutes + (entry.observation_minutes or 0)
        until = fmt_time(entry.starts_at + timedelta(minutes=minutes), tz)
        cell.append(para(f"until {until}", styles.cell_small))
    return cell


def _dose(entry: DayListEntry) -> str:
    if entry.dose_mg is not None:
        amount = f"{plain(entry.dose_mg)} mg"
        if entry.mg_per_kg is not None:
            amount += f" ({fmt_number(entry.mg_per_kg)} mg/kg)"
        return amount
    if entry.mg_per_kg is not None:
        return f"{fmt_number(entry.mg_per_kg)} mg/kg: weigh and calculate"
    return "no order on file: check the prescription"


def _overdue(entry: DayListEntry, styles: Styles) -> list[Flowable]:
    """What was late when printed: clinical items in red, paperwork apart (as Today)."""
    cells: list[Flowable] = [para(f"Overdue: {item}", styles.cell_alert)
                             for item in entry.overdue if item not in entry.overdue_paperwork]
    return cells + [para(f"Overdue paperwork: {item}", styles.cell_bold)
                    for item in entry.overdue_paperwork]


def _alerts(entry: DayListEntry, styles: Styles) -> list[Flowable]:
    allergies = allergy_text(entry.allergies, entry.no_known_allergies)
    style = styles.cell if entry.no_known_allergies and not entry.allergies else styles.cell_alert
    cells: list[Flowable] = [para("Did not attend", styles.cell_bold)] \
        if entry.did_not_attend else []
    cells += _overdue(entry, styles)
    cells.append(para(allergies, style))
    return cells + [para(alert, styles.cell_alert) for alert in entry.alerts]


def _row(entry: DayListEntry, styles: Styles, tz: tzinfo) -> list[object]:
    patient = [para(entry.patient_name, styles.cell_bold),
               para(f"MRN {entry.mrn} \u00b7 born {fmt_date(entry.date_of_birth)}",
                    styles.cell_small)]
    drug = [para(f"{entry.drug}, dose {entry.dose_number}", styles.cell_bold),
            para(_dose(entry), styles.cell)]
    return [_chair_time(entry, styles, tz), para(entry.chair, styles.cell_bold),
            patient, drug, _alerts(entry, styles), para(entry.nurse or "", styles.cell_small),
            para("\u2014", styles.big) if entry.did_not_attend else para(BOX, styles.big)]


def day_table(entries: Sequence[DayListEntry], styles: Styles, width: float,
              tz: tzinfo) -> Table:
    """The appointments by time, then chair, with a header row repeated on every page."""
    header: list[object] = [para(t, styles.cell_bold) for t in (
        "Time", "Chair", "Patient", "Drug and dose", "Allergies and alerts", "Nurse", "In")]
    ordered = sorted(entries, key=lambda e: (e.starts_at, e.chair))
    rows: list[list[object]] = [header] + [_row(e, styles, tz) for e in ordered]
    return grid_table(rows, [width * s for s in _SHARES],
                      extra=[("VALIGN", (0, 1), (-1, -1), "TOP"),
                             ("LEFTPADDING", (0, 0), (-1, -1), 4),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 4)])


def _timeline(rows: Sequence[TimelineRow], styles: Styles, width: float, day: date,
              tz: tzinfo, printed_at: datetime) -> list[Flowable]:
    """The chair timeline under its heading and what its colours mean."""
    drawings = timeline_drawings(rows, width=width, day=day, tz=tz, printed_at=printed_at)
    key = ("Each visit from its booked start to its expected discharge. Blue: expected; green: "
           "in the chair; grey: gone home; red, marked \u201cLate:\u201d: not arrived, or still "
           "in the chair after the expected end. Dashed line: when printed.")
    room = min(len(rows), 8) * ROW + 40 * mm
    return [*heading("Chair timeline", styles, room), para(key, styles.small), *drawings]


def _check_day(entries: Sequence[DayListEntry], day: date, tz: tzinfo) -> None:
    for entry in entries:
        if in_zone(entry.starts_at, tz).date() != day:
            raise InvalidInput("day", f"The appointment of {entry.patient_name} at "
                                      f"{fmt_datetime(entry.starts_at, tz)} is not on "
                                      f"{fmt_date(day)}: the day list holds one day only.")


def day_list_pdf(entries: Sequence[DayListEntry], *, day: date, clinic: ClinicContact,
                 tz: tzinfo, printed_at: datetime, paper: PaperSize = PaperSize.A4,
                 out: Path | None = None, audit_head: str = "",
                 timeline: Sequence[TimelineRow] = ()) -> bytes:
    """The day list as PDF bytes (also written to ``out`` if given).

    ``audit_head`` (e.g. "1049 entries, head 689e419ba627") is printed under the list: the
    paper copy is an outside record of the audit chain on that day, to compare with
    ``clinic-app db verify-audit`` if the database is ever suspected of being replaced or
    rewound (issue 11, item 9). ``timeline``: the day's chair timeline, printed after the list
    when a visit is on it.
    """
    _check_day(entries, day, tz)
    styles = make_styles()
    chairs = len({e.chair for e in entries})
    missed = sum(e.did_not_attend for e in entries)
    overdue = total(e.overdue_count for e in entries).text
    summary = (f"{fmt_day(day)}: {len(entries)} appointments"
               + (f" ({missed} did not attend)" if missed else "") + f", {chairs} chairs"
               + (f"; {overdue}" if overdue else ""))
    identity = SheetIdentity(title="Clinic day list", clinic_name=clinic.name,
                             patient_line=summary, printed_at=fmt_datetime(printed_at, tz))
    width = usable_width(paper, landscape=True)
    story: list[Flowable] = [day_table(entries, styles, width, tz)] if entries \
        else [para(f"No appointments on {fmt_day(day)}.", styles.body)]
    if any(row.bars for row in timeline):
        story += _timeline(timeline, styles, width, day, tz, printed_at)
    if audit_head:
        story.append(para(f"Audit trail when printed: {audit_head}", styles.small))
    return render_pdf(story, identity, paper, out, landscape=True)
