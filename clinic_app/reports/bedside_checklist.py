"""Sheet 1: the bedside monitoring checklist of one planned infusion (issue 4).

Everything the nurse needs at the chair, and in downtime all there is: the clinic; the patient's
name, MRN, date of birth, allergies (red, and in the header of every page) and today's weight;
the drug, the order, the calculated dose, vials, bag, withdraw volume, rate and duration (or the
graduated table with clock times); boxes for the lot numbers; the pre-infusion checks with tick
boxes; the vitals grid with the planned clock times; the observation rows to the end of the
observation period; the discharge checks. The signature and time lines (the second nurse's dose
check first) follow the lots, on the first side; the second nurse's checks signed in the app
print there with both names and the time. The reaction card (what to do by CTCAE grade,
anaphylaxis and the epinephrine dose first, then the signs of a reaction) is printed on request,
on a page of its own (issue 12: the clipboard sheet stays short).

Issue 12, "fits a clipboard": a standard infusion prints on two sides, A4 or Letter, on the
:data:`~clinic_app.reports.layout.CLIPBOARD` frame in the compact styles (nothing under 8 pt).
Side 1: identity, allergies, dose and preparation, times, lots, signatures. Side 2 (a page
break before it): the checks, the vitals grid and discharge
(:mod:`clinic_app.reports.clipboard_blocks`). A graduated infusion, with its step table and a
vitals row per step, runs onto a third or fourth page.

The checklist comes from :func:`clinic_app.domain.checklists.build_checklist` built with
``planned=True`` from the planned start (:func:`planned_checklist` does that from a dose plan).

A fixed dose with no weight on file at all is planned without one (``planned_from`` with no
weight, :mod:`clinic_app.domain.unweighed_dose`): the sheet then prints no weight and nothing
per kg, and the reaction card gives the epinephrine rule per kg.

Printed before the visit is opened there is no weight for today (it is taken when the visit is
opened, and the dose calculated again from it: clinical reference, "Dosing practice: dose from
today's measured weight"). The sheet then leaves "Weight today" blank to fill in, names the
earlier weight the plan used, and, for a weight-based drug, marks the dose as provisional in a
red box, in the dose table and in the title of every page. A fixed dose does not depend on the
weight and is printed as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, tzinfo
from decimal import Decimal
from pathlib import Path

from reportlab.platypus import Flowable, PageBreak

from clinic_app.domain.checklist_templates import (
    ChecklistTemplates,
    load_checklist_templates,
)
from clinic_app.domain.checklists import Checklist, build_checklist
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.infusion_timeline import InfusionTimeline
from clinic_app.domain.protocol_model import Protocol
from clinic_app.reports.blocks import (
    TODAY_WEIGHT_LABEL,
    alert_box,
    allergy_box,
    label_pairs,
    label_table,
    sheet_identity,
    weight_text,
)
from clinic_app.reports.checklist_blocks import (
    BAG_CHECK_SIGNATURE,
    DOSE_CHECK_SIGNATURE,
    reaction_card_sections,
    signature_section,
)
from clinic_app.reports.clipboard_blocks import checks_and_vitals_side
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
    CLIPBOARD,
    PaperSize,
    Styles,
    make_styles,
    para,
    render_pdf,
    section,
    usable_width,
)
from clinic_app.reports.records import (
    ClinicContact,
    DoubleCheckRecord,
    OrderInfo,
    PatientHeader,
    PlanningWeight,
)
from clinic_app.reports.spans import offset_text

PROVISIONAL_TITLE = "provisional dose"
_WRITING_PADDING = 6  # lots and signatures: a row about 8 mm tall to write in


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
    if weight.weight_kg is None:
        return "Last weight on file", "none: weigh the patient (the fixed dose needs no weight)"
    kg = fmt_number(weight.weight_kg, "kg")
    if weight.measured_at is None:
        return "Weight given when printing", f"{kg} (not a recorded weight)"
    return "Last weight on file", f"{kg}, measured {fmt_datetime(weight.measured_at, tz)}"


def _provisional_text(protocol: Protocol, planned_from: PlanningWeight | None) -> str | None:
    """Why a weight-based dose planned before today's weight is provisional; None otherwise."""
    if planned_from is None or not protocol.is_weight_based or planned_from.weight_kg is None:
        return None
    kg = fmt_number(planned_from.weight_kg, "kg")
    earlier = (f"a weight given when printing ({kg})" if planned_from.measured_at is None
               else f"the last weight on file ({kg}, {fmt_date(planned_from.measured_at.date())})")
    return (f"PROVISIONAL DOSE: planned from {earlier}, not from today's weight. Weigh the "
            "patient and open the visit: the dose, vials and volumes are calculated again from "
            "today's weight. Do not prepare from this sheet.")


def _patient_rows(patient: PatientHeader, tz: tzinfo,
                  extra: Sequence[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    """Identity two pairs to a row, then the weight (and the earlier weight) on rows of their
    own."""
    return [[("Patient", patient.name), ("MRN", patient.mrn)],
            [("Date of birth", fmt_date(patient.date_of_birth)), ("Sex", patient.sex or "")],
            [(TODAY_WEIGHT_LABEL, weight_text(patient, tz))], *([row] for row in extra)]


def _signed(checks: Sequence[DoubleCheckRecord], tz: tzinfo) -> dict[str, tuple[str, str]]:
    """The signature rows the second nurse signed in the app: both names and the time (the
    latest check of each; only checks that count for this plan are given)."""
    rows = {"dose plan": DOSE_CHECK_SIGNATURE, "bag": BAG_CHECK_SIGNATURE}
    filled: dict[str, tuple[str, str]] = {}
    for check in sorted(checks, key=lambda c: c.signed_at):
        if check.what in rows and check.counts:
            names = f"{check.first_nurse}; second nurse {check.second_nurse} (signed in the app)"
            filled[rows[check.what]] = (names, fmt_time(check.signed_at, tz))
    return filled


def _dose_side(*, patient: PatientHeader, order: OrderInfo | None, protocol: Protocol,
               plan: DosePlan, checklist: Checklist, planned_from: PlanningWeight | None,
               styles: Styles, width: float, tz: tzinfo,
               double_checks: Sequence[DoubleCheckRecord] = ()) -> list[Flowable]:
    """Side 1: identity, allergies, dose and preparation, times, lots, signatures."""
    before_visit = planned_from is not None
    times = _times_rows(checklist, tz, before_visit)
    provisional = _provisional_text(protocol, planned_from)
    extra = () if planned_from is None else (_earlier_weight_row(planned_from, tz),)
    story: list[Flowable] = [
        allergy_box(patient, styles, width),
        label_pairs(_patient_rows(patient, tz, extra), styles, width),
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
                             titration_table(plan, None if before_visit else
                                             checklist.started_at, styles, width, tz)))
    return [
        *story,
        section("Product lot numbers", styles, lot_table(*plan_lot_rows(plan), styles, width,
                                                         padding=_WRITING_PADDING)),
        signature_section(styles, width, padding=_WRITING_PADDING,
                          filled=_signed(double_checks, tz)),
    ]


def _story(*, patient: PatientHeader, order: OrderInfo | None, protocol: Protocol,
           plan: DosePlan, checklist: Checklist, planned_from: PlanningWeight | None,
           styles: Styles, width: float, tz: tzinfo,
           reaction_card: bool, double_checks: Sequence[DoubleCheckRecord]) -> list[Flowable]:
    started = checklist.started_at
    clock = _clock(tz, started if planned_from is not None else None)
    return [
        *_dose_side(patient=patient, order=order, protocol=protocol, plan=plan,
                    checklist=checklist, planned_from=planned_from, styles=styles,
                    width=width, tz=tz, double_checks=double_checks),
        PageBreak(),
        *checks_and_vitals_side(
            checklist, due=lambda item: clock(item.due_at),
            baseline_due=f"before {clock(started)}",
            observation_title=f"Observation after the infusion, until "
                              f"{clock(checklist.observation_end)} "
                              f"({checklist.observation_minutes} min)",
            styles=styles, width=width),
        *(_reaction_card(protocol, _card_weight(plan, planned_from), styles, width)
          if reaction_card else ()),
    ]


def _card_weight(plan: DosePlan, planned_from: PlanningWeight | None) -> Decimal | None:
    """The weight the epinephrine dose is worked out from: the plan's, unless the plan was made
    with no weight at all (the card then gives the rule per kg)."""
    if planned_from is not None and planned_from.weight_kg is None:
        return None
    return plan.weight_kg


def _reaction_card(protocol: Protocol, weight_kg: Decimal | None, styles: Styles,
                   width: float) -> list[Flowable]:
    """The reaction reference on its own page, to print with the sheet or keep apart."""
    return [PageBreak(), para(f"Reaction card: {protocol.drug}", styles.heading),
            *reaction_card_sections(protocol, styles, width, weight_kg=weight_kg)]


def bedside_checklist_pdf(*, clinic: ClinicContact, patient: PatientHeader, protocol: Protocol,
                          plan: DosePlan, checklist: Checklist, tz: tzinfo,
                          printed_at: datetime, order: OrderInfo | None = None,
                          planned_from: PlanningWeight | None = None,
                          paper: PaperSize = PaperSize.A4, out: Path | None = None,
                          reaction_card: bool = False,
                          double_checks: Sequence[DoubleCheckRecord] = ()) -> bytes:
    """The bedside checklist as PDF bytes (also written to ``out`` if given).

    ``checklist`` is the planned checklist of this visit (see :func:`planned_checklist`); times
    print in ``tz``; ``printed_at`` is the moment printed in the footer. ``planned_from`` is
    the earlier weight of a checklist printed before the visit is opened (the patient then has
    no weight for today: :class:`InvalidInput` if ``patient`` carries one); a weight-based
    dose is then printed as provisional (see the module rules). ``reaction_card`` adds the
    reaction reference (anaphylaxis and the epinephrine dose first) on a page of its own.
    ``double_checks`` are the second nurse's checks signed in the app: their rows of the
    signatures print both names and the time (rows not signed stay blank to sign by hand).
    """
    if planned_from is not None and patient.weight_kg is not None:
        raise InvalidInput("planned_from", "A checklist planned from an earlier weight is "
                                           "printed before today's weight is taken: the "
                                           "patient has no weight for today yet.")
    if planned_from is not None and planned_from.weight_kg is None and protocol.is_weight_based:
        raise InvalidInput("planned_from", f"{protocol.drug} is dosed by weight: a checklist "
                                           "without any weight cannot be printed.")
    styles = make_styles(compact=True)
    day = fmt_day(local(checklist.started_at, tz).date())
    title = f"Infusion checklist: {protocol.drug}, dose {checklist.dose_number}, {day}"
    if _provisional_text(protocol, planned_from) is not None:
        title += f", {PROVISIONAL_TITLE}"
    identity = sheet_identity(title, clinic.name, patient, printed_at, tz)
    story = _story(patient=patient, order=order, protocol=protocol, plan=plan,
                   checklist=checklist, planned_from=planned_from, styles=styles,
                   width=usable_width(paper, frame=CLIPBOARD), tz=tz,
                   reaction_card=reaction_card, double_checks=double_checks)
    return render_pdf(story, identity, paper, out, frame=CLIPBOARD)
