"""Sheet 3: the infusion record of a completed visit (issue 4).

Everything recorded, each entry with its time and the nurse who recorded it: the dose as given,
the lots, the premedication given (and why any suggested was not), the infusion's start, pauses,
rate changes, stop and end, every set of vitals with its flags, the checklist answers, any
reaction with its grade and medications, and the notes. A long
record runs over several pages: tables break between rows only and repeat their header row, and
every page carries the patient identity.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, tzinfo
from pathlib import Path

from reportlab.platypus import Flowable, Table

from clinic_app.domain.units import plain
from clinic_app.reports.blocks import (
    VISIT_WEIGHT_LABEL,
    allergy_box,
    label_table,
    patient_block,
    sheet_identity,
)
from clinic_app.reports.dose_blocks import given_text
from clinic_app.reports.formatting import (
    fmt_date,
    fmt_datetime,
    fmt_day,
    fmt_minutes,
    fmt_number,
    fmt_time,
    local,
)
from clinic_app.reports.layout import (
    PaperSize,
    Styles,
    grid_table,
    heading,
    make_styles,
    para,
    render_pdf,
    usable_width,
)
from clinic_app.reports.reaction_details import onset_text, reaction_block
from clinic_app.reports.recorded_vitals import vitals_table
from clinic_app.reports.records import (
    ClinicContact,
    DoseSummary,
    InfusionEventRecord,
    ReactionDetails,
    VisitRecord,
)

_EVENT_NAMES = {"pause": "Paused", "resume": "Resumed", "rate_change": "Rate changed",
                "stop": "Stopped"}


def _decision_rows(record: VisitRecord) -> list[tuple[str, str]]:
    """The dose warnings the nurse decided on, each with its decision and reason."""
    rows = []
    for item in record.decisions:
        what = (f"overridden: {item.reason}" if item.decision == "overridden"
                else "acknowledged")
        rows.append(("Dose warning", f"{item.message} ({what})"))
    return rows


def _rate_text(dose: DoseSummary) -> str:
    if dose.graduated:
        return f"Graduated, from {plain(dose.rate_ml_per_h)} mL/h; {fmt_minutes(dose.duration_min)}"
    rate = f"{plain(dose.rate_ml_per_h)} mL/h over {fmt_minutes(dose.duration_min)}"
    if dose.shortened:
        return f"{rate}; Shortened infusion ({dose.duration_min} min)"
    return rate


def _visit_rows(record: VisitRecord, tz: tzinfo) -> list[tuple[str, str]]:
    dose = record.dose
    bag = f"{fmt_number(dose.bag_volume_ml)} mL {dose.diluent}"
    bag += (f", {plain(dose.withdraw_ml)} mL taken out" if dose.withdraw_ml
            else ", nothing taken out")
    rows = [("Status", record.status.replace("_", " ")),
            ("Responsible nurse", record.responsible_nurse)]
    if record.order is not None:
        order = record.order.prescriber + (f", {record.order.indication}"
                                           if record.order.indication else "")
        if record.order.ordered_on is not None:
            order += f", ordered {fmt_date(record.order.ordered_on)}"
        rows.append(("Prescriber", order))
    rows += [
        ("Dose given", given_text(dose, record.given)),
        *_decision_rows(record),
        ("Vials", dose.vials),
        ("Bag", f"{bag}; {plain(dose.drug_volume_ml)} mL of drug; final "
                f"{fmt_number(dose.final_volume_ml)} mL at "
                f"{plain(dose.concentration_mg_per_ml)} mg/mL"),
        ("Planned rate", _rate_text(dose)),
        ("Started", fmt_datetime(record.started_at, tz) or "not recorded"),
        ("Ended", fmt_datetime(record.ended_at, tz) or "not recorded"),
    ]
    if record.ended_at is not None and record.observation_minutes is not None:
        until = record.ended_at + timedelta(minutes=record.observation_minutes)
        rows.append(("Observation", f"{record.observation_minutes} min, until "
                                    f"{fmt_time(until, tz)}"))
    if record.discharged_at is not None:
        rows.append(("Discharged", fmt_datetime(record.discharged_at, tz)))
    return rows


def _lots(record: VisitRecord, styles: Styles, width: float, tz: tzinfo) -> Table:
    header: list[object] = [para(t, styles.cell_bold) for t in ("Product", "Lot", "Expiry", "Vials",
                                                  "Recorded")]
    rows: list[list[object]] = [header] + [
        [para(lot.product, styles.cell), para(lot.lot_number, styles.cell_bold),
         fmt_date(lot.expiry_date), fmt_number(lot.vials),
         para(f"{fmt_time(lot.recorded_at, tz)} {lot.recorded_by or ''}".strip(), styles.cell)]
        for lot in record.lots
    ]
    return grid_table(rows, [width * s for s in (0.34, 0.2, 0.14, 0.08, 0.24)])


def _premedications(record: VisitRecord, styles: Styles, width: float, tz: tzinfo) -> Table:
    """Each premedication given: time (local), drug, dose without trailing zeros, route, lot,
    nurse."""
    header: list[object] = [para(t, styles.cell_bold)
                            for t in ("Time", "Drug", "Dose", "Route", "Lot", "Nurse")]
    rows: list[list[object]] = [header] + [
        [fmt_time(p.given_at, tz), para(p.drug, styles.cell_bold),
         f"{plain(p.dose)} {p.unit}", p.route, para(p.lot_number, styles.cell),
         para(p.nurse, styles.cell)]
        for p in sorted(record.premedications, key=lambda p: p.given_at)
    ]
    return grid_table(rows, [width * s for s in (0.1, 0.3, 0.14, 0.1, 0.16, 0.2)])


def _double_checks(record: VisitRecord, styles: Styles, width: float,
                   tz: tzinfo) -> Flowable:  # fmt: skip
    """Each second nurse's check: what, who calculated or prepared, who checked, when (local);
    a check made for an earlier plan is marked as no longer counting; none: "not done"."""
    if not record.double_checks:
        mode = "required" if record.double_check_mode == "required" else "optional"
        return label_table([("Second nurse check", f"not done ({mode})")], styles, width)
    header: list[object] = [para(t, styles.cell_bold) for t in
                            ("Checked", "Calculated / prepared by", "Second nurse", "Time")]
    rows: list[list[object]] = [header] + [
        [para(c.what + ("" if c.counts else " (plan changed after this check)"), styles.cell),
         para(c.first_nurse, styles.cell), para(c.second_nurse, styles.cell_bold),
         fmt_time(c.signed_at, tz)]
        for c in sorted(record.double_checks, key=lambda c: c.signed_at)
    ]  # fmt: skip
    return grid_table(rows, [width * s for s in (0.34, 0.26, 0.26, 0.14)])


def _end_row(record: VisitRecord, stop: InfusionEventRecord | None,
             tz: tzinfo) -> list[object]:
    """The end: "Ended", or, ended early, "Stopped early" with the reason, at the moment the
    pump stopped (issue 12: never an "Ended" before the "Stopped" that caused it; a stop
    decided during a pause ends the infusion at the pause and says when it was decided)."""
    if stop is None:
        return ["Ended", "", "", record.responsible_nurse]
    note = stop.note or ""
    if record.ended_at is not None and stop.at > record.ended_at:
        note += f" (the pump was paused; the stop was decided at {fmt_time(stop.at, tz)})"
    return ["Stopped early", "", note.strip(), stop.nurse]


def _events(record: VisitRecord, styles: Styles, width: float, tz: tzinfo) -> Table:
    header: list[object] = [para(t, styles.cell_bold)
                            for t in ("Time", "Event", "Rate mL/h", "Note", "Nurse")]
    timed: list[tuple[datetime, list[object]]] = []
    if record.started_at is not None:
        timed.append((record.started_at, ["Started", str(record.dose.rate_ml_per_h), "",
                                          record.responsible_nurse]))
    stops = [e for e in record.events if e.kind == "stop"]
    for event in record.events:
        if event.kind == "stop" and record.ended_at is not None:
            continue  # one row for the end, below
        name = _EVENT_NAMES.get(event.kind, event.kind.replace("_", " ").capitalize())
        timed.append((event.at, [name, fmt_number(event.rate_ml_per_h), event.note or "",
                                 event.nurse]))
    if record.ended_at is not None:
        timed.append((record.ended_at, _end_row(record, stops[-1] if stops else None, tz)))
    timed.sort(key=lambda pair: pair[0])  # stable: an end after what happened in its minute
    rows: list[list[object]] = [header] + [
        [fmt_time(at, tz), para(str(name), styles.cell_bold), rate, para(str(note), styles.cell),
         para(str(nurse), styles.cell)] for at, (name, rate, note, nurse) in timed
    ]
    return grid_table(rows, [width * s for s in (0.1, 0.17, 0.12, 0.41, 0.2)])


def _answers(record: VisitRecord, styles: Styles, width: float, tz: tzinfo) -> Table:
    header: list[object] = [para(t, styles.cell_bold) for t in ("Time", "Check", "Answer", "Nurse")]
    rows: list[list[object]] = [header] + [
        [fmt_time(a.recorded_at, tz), para(a.item, styles.cell),
         para(a.answer, styles.cell_bold), para(a.nurse, styles.cell)]
        for a in sorted(record.checklist, key=lambda a: a.recorded_at)
    ]
    return grid_table(rows, [width * s for s in (0.1, 0.55, 0.15, 0.2)])


def _notes(record: VisitRecord, styles: Styles, width: float, tz: tzinfo) -> Table:
    header: list[object] = [para(t, styles.cell_bold) for t in ("Time", "Note", "Nurse")]
    rows: list[list[object]] = [header] + [
        [fmt_time(n.at, tz), para(n.text, styles.cell), para(n.nurse, styles.cell)]
        for n in sorted(record.notes, key=lambda n: n.at)
    ]
    return grid_table(rows, [width * s for s in (0.1, 0.7, 0.2)])


def _infusion_day(record: VisitRecord, reaction: ReactionDetails, tz: tzinfo) -> date:
    """The day of the infusion (the reaction's own day when the start was not recorded)."""
    moment = record.started_at or reaction.onset_at
    if moment is not None:
        return local(moment, tz).date()
    assert reaction.onset_on is not None  # ReactionDetails requires an onset time or day
    return reaction.onset_on


def _reactions(record: VisitRecord, styles: Styles, width: float,
               tz: tzinfo) -> list[Flowable]:
    story: list[Flowable] = []
    for number, reaction in enumerate(record.reactions, start=1):
        onset = onset_text(reaction, infusion_on=_infusion_day(record, reaction, tz),
                           started_at=record.started_at, ended_at=record.ended_at, tz=tz)
        story += [*heading(f"Reaction {number}", styles),
                  *reaction_block(reaction, onset, styles, width, tz)]
    return story


def _story(record: VisitRecord, styles: Styles, width: float, tz: tzinfo) -> list[Flowable]:
    story: list[Flowable] = [
        allergy_box(record.patient, styles, width),
        patient_block(record.patient, styles, width, tz, weight_label=VISIT_WEIGHT_LABEL),
        *heading(f"{record.drug}, dose {record.dose_number}", styles),
        label_table(_visit_rows(record, tz), styles, width),
    ]
    if record.lots:
        story += [*heading("Product lots", styles), _lots(record, styles, width, tz)]
    if record.premedications or record.premedication_not_given:
        story += heading("Premedication given", styles)
    if record.premedications:
        story.append(_premedications(record, styles, width, tz))
    if record.premedication_not_given:
        story.append(label_table([("Suggested, not given", record.premedication_not_given)],
                                 styles, width))
    if record.double_checks or record.double_check_mode != "off":
        story += [*heading("Independent double check", styles),
                  _double_checks(record, styles, width, tz)]
    story += [*heading("Infusion: start, pauses, rate changes, end", styles),
              _events(record, styles, width, tz)]
    if record.vitals:
        story += [*heading("Vital signs", styles), vitals_table(record.vitals, styles, width, tz)]
    if record.checklist:
        story += [*heading("Checklist", styles), _answers(record, styles, width, tz)]
    story += _reactions(record, styles, width, tz)
    if record.notes:
        story += [*heading("Notes", styles), _notes(record, styles, width, tz)]
    return story


def infusion_record_pdf(record: VisitRecord, *, clinic: ClinicContact, tz: tzinfo,
                        printed_at: datetime, paper: PaperSize = PaperSize.A4,
                        out: Path | None = None) -> bytes:
    """The record of one visit as PDF bytes (also written to ``out`` if given)."""
    styles = make_styles()
    day = f", {fmt_day(local(record.started_at, tz).date())}" if record.started_at else ""
    identity = sheet_identity(f"Infusion record: {record.drug}, dose {record.dose_number}{day}",
                              clinic.name, record.patient, printed_at, tz)
    return render_pdf(_story(record, styles, usable_width(paper), tz), identity, paper, out)
