"""Sheet 1: the bedside monitoring checklist of one planned infusion (issue 4).

Everything the nurse needs at the chair, and in downtime all there is: the clinic; the patient's
name, MRN, date of birth, allergies (red, and in the header of every page) and today's weight;
the drug, the order, the calculated dose, vials, bag, withdraw volume, rate and duration (or the
graduated table with clock times); boxes for the lot numbers; the pre-infusion checks with tick
boxes; the vitals grid with the planned clock times; the observation rows to the end of the
observation period; the discharge checks. The signature and time lines (the second nurse's dose
check first) follow the lots, on the first side. The reaction card (what to do by CTCAE grade,
anaphylaxis and the epinephrine dose first, then the signs of a reaction) is printed on request,
on a page of its own (issue 12: the clipboard sheet stays short).

The checklist comes from :func:`clinic_app.domain.checklists.build_checklist` built with
``planned=True`` from the planned start (:func:`planned_checklist` does that from a dose plan).

Printed before the visit is opened there is no weight for today (it is taken when the visit is
opened, and the dose calculated again from it: clinical reference, "Dosing practice: dose from
today's measured weight"). The sheet then leaves "Weight today" blank to fill in, names the
earlier weight the plan used, and, for a weight-based drug, marks the dose as provisional in a
red box, in the dose table and in the title of every page. A fixed dose does not depend on the
weight and is printed as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from clinic_app.domain.checklist_templates import (
    ChecklistTemplates,
    load_checklist_templates,
)
from clinic_app.domain.checklists import Checklist, Phase, build_checklist
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.infusion_timeline import InfusionTimeline
from clinic_app.domain.protocol_model import Protocol
from clinic_app.reports.blocks import (
    alert_box,
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
    reaction_card_sections,
    signature_section,
)
from clinic_app.reports.dose_blocks import (
    dose_block,
    lot_table,
    order_text,
    plan_lot_rows,
    times_rows,
    titration_table,
)
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
    heading,
    make_styles,
    para,
    render_pdf,
    section,
    usable_width,
)
from clinic_app.reports.records import (
    ClinicContact,
    OrderInfo,
    PatientHeader,
    PlanningWeight,
)
from clinic_app.reports.spans import offset_text

PROVISIONAL_TITLE = "provisional dose"


def planned_checklist(protocol: Protocol, plan: DosePlan, *, dose_number: int,
                      planned_start: datetime, previous_reaction: bool = False,
                      templates: ChecklistTemplates | None = None) -> Checklist:
    """The checklist of a planned infusion, its times from ``planned_start``."""
    timeline = InfusionTimeline(volume_ml=plan.final_volume_ml, steps=plan.pump_steps,
                                started_at=planned_start)
    return build_checklist(protocol=protocol, dose_number=dose_number,
                           templates=templates or load_checklist_templates(),
                           timeline=timeline, previous_reaction=previous_reaction, planned=True)


def _clock(tz: tzinfo, start: datetime | None) -> Callable[[datetime | None], str]:
    """Planned times in local clock time, or, from ``start`` (a sheet printed before the
    visit, when the real start is not known yet), as offsets: "T+0", "T+15 min"."""
    def clock(at: datetime | None) -> str:
        if start is None or at is None:
            return fmt_time(at, tz)
        return offset_text(at - start)
    return clock


def _times_rows(checklist: Checklist, tz: tzinfo, before_visit: bool) -> list[tuple[str, str]]:
    rows = times_rows(checklist.started_at, checklist.infusion_end, checklist.observation_end,
                      checklist.observation_minutes, tz)
    if not before_visit:
        return rows
    clock = _clock(tz, checklist.started_at)
    booked = fmt_time(checklist.started_at, tz)
    return [("Planned start", f"T+0 (booked for {booked}; the times below count from the "
                              "real start)"),
            ("Projected end", clock(checklist.infusion_end)),
            ("Observation until", f"{clock(checklist.observation_end)} "
                                  f"({fmt_minutes(checklist.observation_minutes)} after the "
                                  "end)")]


def _earlier_weight_row(weight: PlanningWeight, tz: tzinfo) -> tuple[str, str]:
    """The weight the plan used, named for what it is: the last on file, or given when
    printing."""
    kg = fmt_number(weight.weight_kg, "kg")
    if weight.measured_at is None:
        return "Weight given when printing", f"{kg} (not a recorded weight)"
    return "Last weight on file", f"{kg}, measured {fmt_datetime(weight.measured_at, tz)}"


def _provisional_text(protocol: Protocol, planned_from: PlanningWeight | None) -> str | None:
    """Why a weight-based dose planned before today's weight is provisional; None otherwise."""
    if planned_from is None or not protocol.is_weight_based:
        return None
    kg = fmt_number(planned_from.weight_kg, "kg")
    earlier = (f"a weight given when printing ({kg})" if planned_from.measured_at is None
               else f"the last weight on file ({kg}, {fmt_date(planned_from.measured_at.date())})")
    return (f"PROVISIONAL DOSE: planned from {earlier}, not from today's weight. Weigh the "
            "patient and open the visit: the dose, vials and volumes are calculated again from "
            "today's weight. Do not prepare from this sheet.")


def _story(*, patient: PatientHeader, order: OrderInfo | None, protocol: Protocol,
           plan: DosePlan, checklist: Checklist, planned_from: PlanningWeight | None,
           styles: Styles, width: float, tz: tzinfo,
           reaction_card: bool) -> list[Flowable]:
    started = checklist.started_at
    before_visit = planned_from is not None
    clock = _clock(tz, started if before_visit else None)
    times = _times_rows(checklist, tz, before_visit)
    provisional = _provisional_text(protocol, planned_from)
    extra = () if planned_from is None else (_earlier_weight_row(planned_from, tz),)
    story: list[Flowable] = [
        allergy_box(patient, styles, width),
        patient_block(patient, styles, width, tz, extra=extra),
        para(f"{protocol.drug}, dose {checklist.dose_number}: {order_text(plan, order)}",
             styles.heading),
    ]
    if provisional is not None:
        story.append(alert_box(provisional, styles, width))
    story += [
        *dose_block(plan, styles, width, provisional=provisional is not None),
        label_table(times, styles, width, bold_values=True),
    ]
    if plan.graduated:
        story.append(section("Graduated rate", styles,
                             titration_table(plan, None if before_visit else started,
                                             styles, width, tz)))
    return [
        *story,
        section("Product lot numbers", styles, lot_table(*plan_lot_rows(plan), styles, width)),
        signature_section(styles, width),
        *heading("Before the infusion", styles),
        check_table(items_of(checklist, Phase.PRE), styles, width),
        *monitoring_sections(
            checklist, due=lambda item: clock(item.due_at),
            baseline_due=f"before\n{clock(started)}",
            observation_title=f"Observation after the infusion, until "
                              f"{clock(checklist.observation_end)} "
                              f"({checklist.observation_minutes} min)",
            styles=styles, width=width),
        *closing_sections(checklist, protocol, styles, width, signatures=False,
                          reaction_card=False),
        *(_reaction_card(protocol, plan, styles, width) if reaction_card else ()),
    ]


def _reaction_card(protocol: Protocol, plan: DosePlan, styles: Styles,
                   width: float) -> list[Flowable]:
    """The reaction reference on its own page, to print with the sheet or keep apart."""
    return [PageBreak(), para(f"Reaction card: {protocol.drug}", styles.heading),
            *reaction_card_sections(protocol, styles, width, weight_kg=plan.weight_kg)]


def bedside_checklist_pdf(*, clinic: ClinicContact, patient: PatientHeader, protocol: Protocol,
                          plan: DosePlan, checklist: Checklist, tz: tzinfo,
                          printed_at: datetime, order: OrderInfo | None = None,
                          planned_from: PlanningWeight | None = None,
                          paper: PaperSize = PaperSize.A4, out: Path | None = None,
                          reaction_card: bool = False) -> bytes:
    """The bedside checklist as PDF bytes (also written to ``out`` if given).

    ``checklist`` is the planned checklist of this visit (see :func:`planned_checklist`); times
    print in ``tz``; ``printed_at`` is the moment printed in the footer. ``planned_from`` is
    the earlier weight of a checklist printed before the visit is opened (the patient then has
    no weight for today: :class:`InvalidInput` if ``patient`` carries one); a weight-based
    dose is then printed as provisional (see the module rules). ``reaction_card`` adds the
    reaction reference (anaphylaxis and the epinephrine dose first) on a page of its own.
    """
    if planned_from is not None and patient.weight_kg is not None:
        raise InvalidInput("planned_from", "A checklist planned from an earlier weight is "
                                           "printed before today's weight is taken: the "
                                           "patient has no weight for today yet.")
    styles = make_styles()
    day = fmt_day(local(checklist.started_at, tz).date())
    title = f"Infusion checklist: {protocol.drug}, dose {checklist.dose_number}, {day}"
    if _provisional_text(protocol, planned_from) is not None:
        title += f", {PROVISIONAL_TITLE}"
    identity = sheet_identity(title, clinic.name, patient, printed_at, tz)
    story = _story(patient=patient, order=order, protocol=protocol, plan=plan,
                   checklist=checklist, planned_from=planned_from, styles=styles,
                   width=usable_width(paper), tz=tz, reaction_card=reaction_card)
    return render_pdf(story, identity, paper, out)
