"""Sheet 4: the reaction report, for the prescriber or the pharmacovigilance contact (issue 4).

Who reports to whom; the patient; the suspect drug with the dose number, the dose and the lot
numbers; the onset relative to the infusion; the signs; the grade with its CTCAE v5.0 definition;
the actions and medications (dose, route, time); the vitals taken during the reaction; the
outcome; and the reporter's signature.

- The dose: as prepared, and when the infusion was stopped early also the dose actually given
  (the part in the volume infused, decided by the services as on the infusion record).
- The timeline lists the start, pauses, resumes, rate changes, the onset, the end (or the early
  stop), a transfer to emergency care and the discharge in time order, in one relative wording
  (:mod:`clinic_app.reports.timeline_blocks`); a discharge after a transfer says so.
- The vitals are those the services chose for the reaction (:class:`ReactionDetails`): never
  the infusion day's vitals for a delayed reaction; "None recorded" when there are none.
"""

from __future__ import annotations

from datetime import datetime, tzinfo
from pathlib import Path

from reportlab.platypus import Flowable

from clinic_app.domain.reaction_timeline import (
    PumpEvent,
    TimelineEntry,
    is_transfer,
    reaction_timeline,
)
from clinic_app.domain.units import plain
from clinic_app.reports.blocks import (
    VISIT_WEIGHT_LABEL,
    allergy_box,
    label_table,
    patient_block,
    sheet_identity,
    signature_table,
)
from clinic_app.reports.dose_blocks import given_text
from clinic_app.reports.formatting import fmt_date, fmt_datetime, fmt_number, fmt_time
from clinic_app.reports.layout import (
    PaperSize,
    Styles,
    heading,
    make_styles,
    para,
    render_pdf,
    section,
    usable_width,
)
from clinic_app.reports.reaction_details import onset_text, reaction_block
from clinic_app.reports.recorded_vitals import vitals_table
from clinic_app.reports.records import (
    ClinicContact,
    DoseGiven,
    DoseSummary,
    ReactionReport,
)
from clinic_app.reports.timeline_blocks import timeline_table


def _contact_rows(report: ReactionReport, tz: tzinfo) -> list[tuple[str, str]]:
    reporter = report.reporter
    contact = ", ".join(c for c in (reporter.phone, reporter.email) if c)
    rows = []
    if report.recipient:
        rows.append(("To", report.recipient))
    rows += [("From", f"{reporter.name}, {reporter.role}" + (f" ({contact})" if contact else "")),
             ("Reported", fmt_datetime(report.reported_at, tz))]
    return rows


def _lots_text(report: ReactionReport) -> str:
    if not report.lots:
        return "Not recorded"
    return "; ".join(
        f"{lot.product}: lot {lot.lot_number}"
        + (f", expiry {fmt_date(lot.expiry_date)}" if lot.expiry_date else "")
        for lot in report.lots)


def _dose_rows(dose: DoseSummary, given: DoseGiven | None) -> list[tuple[str, str]]:
    """The dose as prepared; and, when the patient did not receive all of it (the infusion
    stopped early), the dose prepared and the dose given apart."""
    per_kg = (f" ({fmt_number(dose.mg_per_kg)} mg/kg \u00d7 {fmt_number(dose.weight_kg)} kg)"
              if dose.mg_per_kg is not None else "")
    rate = "graduated rate" if dose.graduated else f"{plain(dose.rate_ml_per_h)} mL/h"
    prepared = (f"{plain(dose.dose_mg)} mg{per_kg}, IV in {fmt_number(dose.final_volume_ml)} mL, "
                f"{rate}")
    if given is None or given.state == "full":
        return [("Dose", prepared)]
    return [("Dose prepared", prepared), ("Dose given", given_text(dose, given))]


def _drug_rows(report: ReactionReport, tz: tzinfo) -> list[tuple[str, str]]:
    rows = [("Suspect drug", f"{report.drug}, dose number {report.dose_number}")]
    if report.dose is not None:
        rows += _dose_rows(report.dose, report.given)
    rows.append(("Lot numbers", _lots_text(report)))
    infusion = fmt_date(report.infusion_on)
    if report.infusion_started_at is not None:
        infusion += f", started {fmt_time(report.infusion_started_at, tz)}"
    if report.infusion_ended_at is not None:
        ended = "stopped early" if any(e.kind == "stop" for e in report.events) else "ended"
        infusion += f", {ended} {fmt_time(report.infusion_ended_at, tz)}"
    rows.append(("Infusion", infusion))
    if report.prescriber:
        rows.append(("Prescriber", report.prescriber))
    return rows


def _timeline(report: ReactionReport) -> tuple[TimelineEntry, ...]:
    """The infusion and the reaction in time order (:mod:`clinic_app.domain.reaction_timeline`)."""
    return reaction_timeline(
        started_at=report.infusion_started_at, onset_at=report.reaction.onset_at,
        ended_at=report.infusion_ended_at,
        events=tuple(PumpEvent(e.at, e.kind, e.rate_ml_per_h, e.note) for e in report.events),
        transferred=is_transfer(report.reaction.outcome), discharged_at=report.discharged_at)


def _story(report: ReactionReport, styles: Styles, width: float,
           tz: tzinfo) -> list[Flowable]:
    reaction = report.reaction
    onset = onset_text(reaction, infusion_on=report.infusion_on,
                       started_at=report.infusion_started_at, ended_at=report.infusion_ended_at,
                       tz=tz)
    story: list[Flowable] = [
        label_table(_contact_rows(report, tz), styles, width, label_share=0.2),
        *heading("Patient", styles),
        allergy_box(report.patient, styles, width),
        patient_block(report.patient, styles, width, tz,
                      weight_label=VISIT_WEIGHT_LABEL),
        *heading("Suspect drug", styles),
        label_table(_drug_rows(report, tz), styles, width, label_share=0.2),
        *heading("Reaction", styles),
        *reaction_block(reaction, onset, styles, width, tz),
    ]
    if report.infusion_started_at is not None or reaction.onset_at is not None:
        story += [*heading("Timeline", styles),
                  timeline_table(_timeline(report), styles, width, tz)]
    story += heading("Vital signs during the reaction", styles)
    story.append(vitals_table(reaction.vitals, styles, width, tz) if reaction.vitals else
                 para("None recorded with this reaction.", styles.body))
    story.append(section("Reporter", styles,
                         signature_table([f"{report.reporter.name}, {report.reporter.role}"],
                                         styles, width)))
    return story


def reaction_report_pdf(report: ReactionReport, *, clinic: ClinicContact, tz: tzinfo,
                        printed_at: datetime, paper: PaperSize = PaperSize.A4,
                        out: Path | None = None) -> bytes:
    """The reaction report as PDF bytes (also written to ``out`` if given)."""
    styles = make_styles()
    identity = sheet_identity(f"Infusion reaction report: {report.drug}", clinic.name,
                              report.patient, printed_at, tz)
    return render_pdf(_story(report, styles, usable_width(paper), tz), identity, paper, out)
