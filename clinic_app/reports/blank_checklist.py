"""Sheet 2: the bedside checklist printed blank, for the downtime stock (issue 4).

No patient and no dose: blank lines for name, MRN, date of birth, allergies and weight (in the
header of every page too, so each page is labelled by hand); dose-calculation boxes with the
protocol's own numbers as hints ("weight __ kg x __ mg/kg = __ mg; vials of 100 mg: __"); the
graduated table with minute offsets; the same checks as the filled sheet; and the vitals grid with
the protocol's offsets from the start (T+0, T+15 ...) and from the end (End+60 ...) instead of
clock times.

The checks and time points are the domain's (:func:`build_checklist`) for a nominal standard
infusion of the protocol's first bag at the labelled duration, started at a reference moment that
is never printed: only the offsets are. The observation rows follow the longest observation rule
(vedolizumab: 120 min after doses 1-2); the rules are listed when there are several.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo
from pathlib import Path

from reportlab.platypus import Flowable, Table

from clinic_app.domain.checklist_templates import ChecklistTemplates, load_checklist_templates
from clinic_app.domain.checklists import Checklist, ChecklistItem, Phase, build_checklist
from clinic_app.domain.infusion_rate import standard_rate
from clinic_app.domain.infusion_timeline import InfusionTimeline
from clinic_app.domain.protocol_model import Protocol
from clinic_app.reports.blocks import label_table
from clinic_app.reports.checklist_blocks import (
    check_table,
    closing_sections,
    items_of,
    monitoring_sections,
)
from clinic_app.reports.dose_blocks import lot_table
from clinic_app.reports.dose_hints import dose_hint_rows, observation_rule_text
from clinic_app.reports.formatting import BLANK, SHORT_BLANK, fmt_datetime
from clinic_app.reports.layout import (
    ALERT,
    GRID,
    PaperSize,
    SheetIdentity,
    Styles,
    grid_table,
    heading,
    make_styles,
    para,
    render_pdf,
    section,
    usable_width,
)
from clinic_app.reports.records import ClinicContact

_REFERENCE_START = datetime(2000, 1, 3, tzinfo=UTC)  # never printed: only offsets from it are
_SPARE_VITALS_ROWS = 5
_TIME_BLANK = "__:__"


def reference_checklist(protocol: Protocol,
                        templates: ChecklistTemplates | None = None) -> Checklist:
    """The protocol's checklist for a nominal standard infusion (offsets only are meaningful)."""
    volume = protocol.preparation.bag_sizes_ml[0]
    rate = standard_rate(volume, protocol.administration.duration_min).rate_ml_per_h
    timeline = InfusionTimeline.at_rate(volume_ml=volume, rate_ml_per_h=rate,
                                        started_at=_REFERENCE_START)
    rules = protocol.monitoring.observation
    longest = max(rules, key=lambda r: r.minutes).from_dose if rules else 1
    return build_checklist(protocol=protocol, dose_number=longest,
                           templates=templates or load_checklist_templates(),
                           timeline=timeline, previous_reaction=True, planned=True)


def _offset(checklist: Checklist, item: ChecklistItem) -> str:
    """"T+15" during the infusion, "End" at its end, "End+60" during observation."""
    if item.due_at is None:
        return ""
    if item.phase is Phase.INFUSION:
        if item.key == "vitals.end":
            return "End"
        return f"T+{int((item.due_at - checklist.started_at) / timedelta(minutes=1))}"
    end = checklist.infusion_end or checklist.started_at
    return f"End+{int((item.due_at - end) / timedelta(minutes=1))}"


def _patient_rows() -> list[tuple[str, str]]:
    return [
        ("Patient", BLANK * 3),
        ("MRN", BLANK),
        ("Date of birth", BLANK),
        ("Weight today", f"{SHORT_BLANK} kg   measured at {_TIME_BLANK}   "
                         "actual \u2610  estimated \u2610"),
        ("Date", BLANK),
    ]


def _allergy_lines(styles: Styles, width: float) -> Table:
    text = "ALLERGIES (ask the patient; write \u201cnone known\u201d if none):"
    rows: list[list[object]] = [[para(text, styles.alert)], [""], [""]]
    return grid_table(rows, [width], header_rows=0, extra=[
        ("BOX", (0, 0), (-1, -1), 2, ALERT),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, GRID),
        ("TOPPADDING", (0, 1), (-1, -1), 10),
        ("BOTTOMPADDING", (0, 1), (-1, -1), 10),
    ])


def _titration_table(protocol: Protocol, styles: Styles, width: float) -> list[Flowable]:
    steps = protocol.administration.titration
    if not steps:
        return []
    header: list[object] = [para(t, styles.cell_bold) for t in (
        "Step", "Rate mL/h", "From", "To", "Minutes", "Clock time started", "Set by")]
    rows: list[list[object]] = [header]
    start = 0
    for number, step in enumerate(steps, start=1):
        end = "bag empty" if step.minutes is None else f"T+{start + step.minutes}"
        minutes = "to the end" if step.minutes is None else str(step.minutes)
        rows.append([str(number), para(str(step.rate_ml_per_h), styles.cell_bold),
                     f"T+{start}", end, minutes, "", ""])
        start += step.minutes or 0
    shares = (0.08, 0.13, 0.11, 0.13, 0.13, 0.24, 0.18)
    return [section("Graduated rate (only when ordered after a previous reaction)", styles,
                    para(protocol.administration.titration_source, styles.small),
                    grid_table(rows, [width * s for s in shares]))]


def _story(protocol: Protocol, checklist: Checklist, styles: Styles,
           width: float) -> list[Flowable]:
    products = [(p.name, SHORT_BLANK) for p in protocol.products]
    bag = f"{SHORT_BLANK} mL {protocol.preparation.diluent} bag"
    observation = observation_rule_text(protocol.monitoring)
    return [
        _allergy_lines(styles, width),
        label_table(_patient_rows(), styles, width),
        *heading(f"{protocol.drug}: dose calculation (check with a second nurse)", styles),
        label_table(dose_hint_rows(protocol), styles, width, label_share=0.2),
        label_table([("Start", _TIME_BLANK), ("Projected end", _TIME_BLANK),
                     ("Observation until", f"{_TIME_BLANK}   ({observation})")],
                    styles, width, label_share=0.2),
        *_titration_table(protocol, styles, width),
        section("Product lot numbers", styles, lot_table(products, bag, styles, width)),
        *heading("Before the infusion", styles),
        check_table(items_of(checklist, Phase.PRE), styles, width),
        *monitoring_sections(
            checklist, due=lambda item: _offset(checklist, item), baseline_due="before T+0",
            observation_title=f"Observation after the infusion ({observation})",
            styles=styles, width=width, spare_rows=_SPARE_VITALS_ROWS),
        *closing_sections(checklist, protocol, styles, width),
    ]


def blank_checklist_pdf(*, protocol: Protocol, clinic: ClinicContact, tz: tzinfo,
                        printed_at: datetime, paper: PaperSize = PaperSize.A4,
                        out: Path | None = None,
                        templates: ChecklistTemplates | None = None) -> bytes:
    """The blank checklist of ``protocol`` as PDF bytes (also written to ``out`` if given)."""
    styles = make_styles()
    identity = SheetIdentity(
        title=f"Infusion checklist (downtime): {protocol.drug}, dose no. {SHORT_BLANK}",
        clinic_name=clinic.name,
        patient_line=f"Name {BLANK * 2}   MRN {BLANK}   born {BLANK}",
        printed_at=fmt_datetime(printed_at, tz),
        alert_line=f"ALLERGIES {BLANK * 4}",
    )
    story = _story(protocol, reference_checklist(protocol, templates), styles,
                   usable_width(paper))
    return render_pdf(story, identity, paper, out)

