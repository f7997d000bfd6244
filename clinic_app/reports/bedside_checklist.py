"""Sheet 1: the bedside monitoring checklist of one planned infusion (issue 4).

Everything the nurse needs at the chair, and in downtime all there is: the clinic; the patient's
name, MRN, date of birth, allergies (red, and in the header of every page) and today's weight;
the drug, the order, the calculated dose, vials, bag, withdraw volume, rate and duration (or the
graduated table with clock times); boxes for the lot numbers; the pre-infusion checks with tick
boxes; the vitals grid with the planned clock times; the observation rows to the end of the
observation period; the discharge checks; signature and time lines; and the signs of a reaction
with what to do by CTCAE grade.

The checklist comes from :func:`clinic_app.domain.checklists.build_checklist` built with
``planned=True`` from the planned start (:func:`planned_checklist` does that from a dose plan).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from reportlab.platypus import Flowable

from clinic_app.domain.checklist_templates import (
    ChecklistTemplates,
    load_checklist_templates,
)
from clinic_app.domain.checklists import Checklist, ChecklistItem, Phase, build_checklist
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.infusion_timeline import InfusionTimeline
from clinic_app.domain.protocol_model import Protocol
from clinic_app.reports.blocks import (
    allergy_box,
    label_table,
    patient_block,
    sheet_identity,
)
from clinic_app.reports.checklist_blocks import (
    check_table,
    closing_sections,
    items_of,
    monitoring_sections,
)
from clinic_app.reports.dose_blocks import (
    dose_block,
    lot_table,
    order_text,
    plan_lot_rows,
    times_rows,
    titration_table,
)
from clinic_app.reports.formatting import fmt_day, fmt_time, local
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
from clinic_app.reports.records import ClinicContact, OrderInfo, PatientHeader


def planned_checklist(protocol: Protocol, plan: DosePlan, *, dose_number: int,
                      planned_start: datetime, previous_reaction: bool = False,
                      templates: ChecklistTemplates | None = None) -> Checklist:
    """The checklist of a planned infusion, its times from ``planned_start``."""
    timeline = InfusionTimeline(volume_ml=plan.final_volume_ml, steps=plan.pump_steps,
                                started_at=planned_start)
    return build_checklist(protocol=protocol, dose_number=dose_number,
                           templates=templates or load_checklist_templates(),
                           timeline=timeline, previous_reaction=previous_reaction, planned=True)


def _due(tz: tzinfo) -> Callable[[ChecklistItem], str]:
    def due(item: ChecklistItem) -> str:
        return fmt_time(item.due_at, tz)
    return due


def _story(*, patient: PatientHeader, order: OrderInfo | None, protocol: Protocol,
           plan: DosePlan, checklist: Checklist, styles: Styles, width: float,
           tz: tzinfo) -> list[Flowable]:
    started = checklist.started_at
    times = times_rows(started, checklist.infusion_end, checklist.observation_end,
                       checklist.observation_minutes, tz)
    story: list[Flowable] = [
        allergy_box(patient, styles, width),
        patient_block(patient, styles, width, tz),
        para(f"{protocol.drug}, dose {checklist.dose_number}: {order_text(plan, order)}",
             styles.heading),
        *dose_block(plan, styles, width),
        label_table(times, styles, width, bold_values=True),
    ]
    if plan.graduated:
        story.append(section("Graduated rate", styles,
                             titration_table(plan, started, styles, width, tz)))
    return [
        *story,
        section("Product lot numbers", styles, lot_table(*plan_lot_rows(plan), styles, width)),
        *heading("Before the infusion", styles),
        check_table(items_of(checklist, Phase.PRE), styles, width),
        *monitoring_sections(
            checklist, due=_due(tz), baseline_due=f"before\n{fmt_time(started, tz)}",
            observation_title=f"Observation after the infusion, until "
                              f"{fmt_time(checklist.observation_end, tz)} "
                              f"({checklist.observation_minutes} min)",
            styles=styles, width=width),
        *closing_sections(checklist, protocol, styles, width, weight_kg=plan.weight_kg),
    ]


def bedside_checklist_pdf(*, clinic: ClinicContact, patient: PatientHeader, protocol: Protocol,
                          plan: DosePlan, checklist: Checklist, tz: tzinfo,
                          printed_at: datetime, order: OrderInfo | None = None,
                          paper: PaperSize = PaperSize.A4, out: Path | None = None) -> bytes:
    """The bedside checklist as PDF bytes (also written to ``out`` if given).

    ``checklist`` is the planned checklist of this visit (see :func:`planned_checklist`); times
    print in ``tz``; ``printed_at`` is the moment printed in the footer.
    """
    styles = make_styles()
    day = fmt_day(local(checklist.started_at, tz).date())
    identity = sheet_identity(
        f"Infusion checklist: {protocol.drug}, dose {checklist.dose_number}, {day}",
        clinic.name, patient, printed_at, tz)
    story = _story(patient=patient, order=order, protocol=protocol, plan=plan,
                   checklist=checklist, styles=styles, width=usable_width(paper), tz=tz)
    return render_pdf(story, identity, paper, out)
