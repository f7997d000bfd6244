"""The dose on paper: the calculation step by step, the titration table, the lot boxes, and
after the visit the dose as given.

Every number the nurse prepares and checks is printed (clinical reference, "Dosing practice:
show every step"): kg, mg/kg, mg, vials and waste, reconstitution, mL of drug, mL taken out of
the bag, final volume and mg/mL, filter, rate and duration or the graduated steps with their
clock times, and the projected end.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta, tzinfo

from reportlab.platypus import Flowable, Table

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.units import plain
from clinic_app.reports.blocks import label_table
from clinic_app.reports.formatting import fmt_date, fmt_minutes, fmt_number, fmt_time
from clinic_app.reports.layout import Styles, grid_table, para
from clinic_app.reports.records import DoseGiven, DoseSummary, OrderInfo

LOT_ROW_PADDING = 8
DOSE_LABEL = "Calculated dose"
PROVISIONAL_DOSE_LABEL = "Provisional dose"
RATE_LABEL = "Rate and duration"


def order_text(plan: DosePlan, order: OrderInfo | None) -> str:
    """"5 mg/kg (Crohn's disease), prescribed by Dr A. Nowak on 1 Mar 2026"."""
    amount = (f"{plain(plan.mg_per_kg)} mg/kg" if plan.mg_per_kg is not None
              else f"{plain(plan.ordered_mg)} mg")
    if order is None:
        return amount
    text = amount + (f" ({order.indication})" if order.indication else "")
    text += f", prescribed by {order.prescriber}"
    if order.ordered_on is not None:
        text += f" on {fmt_date(order.ordered_on)}"
    return text


def calculation_text(plan: DosePlan) -> str:
    """"5 mg/kg x 72.4 kg = 362.0 mg", and the dose given when it differs from the order."""
    if plan.mg_per_kg is not None:
        text = f"{plain(plan.mg_per_kg)} mg/kg \u00d7 {plan.weight} = {plain(plan.ordered_mg)} mg"
    else:
        text = f"{plain(plan.ordered_mg)} mg ordered (fixed dose)"
    if plan.dose_mg != plan.ordered_mg:
        text += f"; given {plain(plan.dose_mg)} mg ({plain(plan.dose_mg_per_kg)} mg/kg)"
    return text


def _vials_text(plan: DosePlan) -> str:
    vials = " + ".join(f"{v.count} \u00d7 {plain(v.vial_mg)} mg" for v in plan.vials)
    return (f"{vials} vials ({plain(plan.vial_total_mg)} mg in all); "
            f"discard {plain(plan.waste_mg)} mg")


def _bag_text(plan: DosePlan) -> str:
    bag = f"{plain(plan.bag_volume_ml)} mL {plan.preparation.diluent}"
    if plan.withdraw_ml:
        return f"{bag}: take out {plain(plan.withdraw_ml)} mL, then add the drug"
    return f"{bag}: add the drug (nothing taken out)"


def _rate_text(plan: DosePlan) -> str:
    if plan.graduated:
        return f"Graduated: {fmt_minutes(plan.duration_min)}, see the table"
    kind = " (shortened infusion)" if plan.shortened else ""
    return f"{plain(plan.rate_ml_per_h)} mL/h over {fmt_minutes(plan.duration_min)}{kind}"


def dose_rows(plan: DosePlan) -> list[tuple[str, str]]:
    """The preparation steps as label/value rows."""
    product = plan.product
    rows = [(DOSE_LABEL, f"{plain(plan.dose_mg)} mg"), ("Calculation", calculation_text(plan)),
            ("Vials", _vials_text(plan))]
    if product.reconstitute_with and product.reconstitution_ml:
        rows.append(("Reconstitute", f"each vial with {plain(product.reconstitution_ml)} mL "
                                     f"{product.reconstitute_with.lower()} "
                                     f"({plain(product.concentration_mg_per_ml)} mg/mL)"))
    rows += [
        ("Draw up", f"{plain(plan.drug_volume_ml)} mL of drug "
                    f"({plain(product.concentration_mg_per_ml)} mg/mL)"),
        ("Bag", _bag_text(plan)),
        ("Final bag", f"{plain(plan.final_volume_ml)} mL at "
                      f"{plain(plan.concentration_mg_per_ml)} mg/mL"),
        (RATE_LABEL, _rate_text(plan)),
        ("Filter", plan.preparation.in_line_filter),
    ]
    if plan.preparation.flush_ml:
        rows.append(("Flush", f"{plain(plan.preparation.flush_ml)} mL "
                              f"{plan.preparation.diluent} after the bag"))
    rows.append(("Stability", plan.preparation.stability))
    if plan.override_reason:
        rows.append(("Override reason", plan.override_reason))
    return rows


def dose_block(plan: DosePlan, styles: Styles, width: float, *,
               provisional: bool = False) -> list[Flowable]:
    """The preparation table, then every warning of the plan in red. A ``provisional`` plan
    (from an earlier weight, before today's) names its dose "Provisional dose"."""
    rows = dose_rows(plan)
    if provisional:
        rows[0] = (PROVISIONAL_DOSE_LABEL, f"{rows[0][1]}, provisional (weigh on the day)")
    flowables: list[Flowable] = [label_table(rows, styles, width, bold_values=True,
                                             emphasis=(rows[0][0], RATE_LABEL))]
    flowables += [para(f"\u26a0 {w.message}", styles.alert) for w in plan.warnings]
    return flowables


def times_rows(started_at: datetime, infusion_end: datetime | None,
               observation_end: datetime | None, observation_minutes: int,
               tz: tzinfo) -> list[tuple[str, str]]:
    """Planned start, projected end and the end of observation, in local time."""
    return [
        ("Planned start", fmt_time(started_at, tz)),
        ("Projected end", fmt_time(infusion_end, tz)),
        ("Observation until", f"{fmt_time(observation_end, tz)} "
                              f"({fmt_minutes(observation_minutes)} after the end)"),
    ]


def titration_table(plan: DosePlan, started_at: datetime | None, styles: Styles,
                    width: float, tz: tzinfo) -> Table:
    """The graduated steps: rate, minutes, volume, and clock times when the start is known."""
    header: list[object] = [para(t, styles.cell_bold) for t in (
        "Step", "Rate mL/h", "From", "To", "Minutes", "Volume mL", "Set by (initials)")]
    rows: list[list[object]] = [header]
    for number, step in enumerate(plan.titration, start=1):
        if started_at is None:
            start, end = f"T+{step.start_min}", f"T+{step.end_min}"
        else:
            start = fmt_time(started_at + timedelta(minutes=step.start_min), tz)
            end = fmt_time(started_at + timedelta(minutes=step.end_min), tz)
        rows.append([str(number), para(fmt_number(step.rate_ml_per_h), styles.cell_bold),
                     start, end, str(step.minutes), str(step.volume_ml), ""])
    shares = (0.08, 0.14, 0.12, 0.12, 0.12, 0.14, 0.28)
    return grid_table(rows, [width * s for s in shares], extra=[
        ("TOPPADDING", (0, 1), (-1, -1), 5), ("BOTTOMPADDING", (0, 1), (-1, -1), 5)])


def plan_lot_rows(plan: DosePlan) -> tuple[list[tuple[str, str]], str]:
    """The vials of a plan as (product, count) rows, and the bag, for :func:`lot_table`."""
    rows = [(use.product.name, str(use.count)) for use in plan.vials]
    return rows, f"{plain(plan.bag_volume_ml)} mL {plan.preparation.diluent} bag"


def lot_table(products: Sequence[tuple[str, str]], bag: str, styles: Styles,
              width: float, *, padding: float = LOT_ROW_PADDING) -> Table:
    """Boxes for the lot numbers: each product (and a spare row for a second lot), the bag;
    ``padding`` above and below each row to write in."""
    header: list[object] = [para(t, styles.cell_bold) for t in (
        "Product", "Vials", "Lot number", "Expiry", "Initials")]
    rows: list[list[object]] = [header]
    for name, count in products:
        rows.append([para(name, styles.cell), count, "", "", ""])
        rows.append([para("same product, second lot (if any)", styles.cell_small), "", "", "",
                      ""])
    rows.append([para(bag, styles.cell), "1", "", "", ""])
    shares = (0.42, 0.08, 0.24, 0.14, 0.12)
    return grid_table(rows, [width * s for s in shares], extra=[
        ("TOPPADDING", (0, 1), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 1), (-1, -1), padding),
    ])


def summary_dose_text(dose: DoseSummary) -> str:
    """"362.5 mg (5 mg/kg x 72.5 kg)", or "300 mg (fixed dose)": the dose as prepared."""
    if dose.mg_per_kg is None:
        return f"{plain(dose.dose_mg)} mg (fixed dose)"
    return (f"{plain(dose.dose_mg)} mg ({fmt_number(dose.mg_per_kg)} mg/kg \u00d7 "
            f"{fmt_number(dose.weight_kg)} kg)")


def given_text(dose: DoseSummary, given: DoseGiven | None) -> str:
    """What the patient received, as the services decided (never the sheet): the prepared dose
    when the bag ran empty (``given`` None or "full"), "Not given" with why, or the part of the
    dose in the volume infused when the infusion was ended early (or is still running)."""
    if given is None or given.state == "full":
        return summary_dose_text(dose)
    if given.state == "not_given":
        return f"Not given ({given.reason})" if given.reason else "Not given"
    if given.state == "not_started":
        return f"None yet: infusion not started ({plain(dose.dose_mg)} mg prepared)"
    part = (f"\u2248{fmt_number(given.given_mg)} mg of {plain(dose.dose_mg)} mg prepared "
            f"({fmt_number(given.infused_ml)} of {fmt_number(dose.final_volume_ml)} mL infused")
    if given.state == "running":
        return f"{part} so far; infusion still running)"
    return f"{part}; ended early: {given.reason or 'no reason recorded'})"
