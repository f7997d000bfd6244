"""The monitoring checklist on paper: pre-infusion and discharge checks, and the vitals grid.

The items come from :func:`clinic_app.domain.checklists.build_checklist` (templates in
``resources/checklists``, time points from the protocol's ``[monitoring]``). A yes/no item prints
its answer boxes and, in red, the answer that stops the next step and what to do then. The vitals
grid has one handwriting row per planned time point, plus spare rows for vitals after a rate
change or during a reaction (taken off-plan).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Spacer, Table

from clinic_app.domain.checklist_templates import NOT_APPLICABLE, ItemKind
from clinic_app.domain.checklists import Checklist, ChecklistItem, Phase
from clinic_app.domain.protocol_model import Protocol
from clinic_app.reports.blocks import BOX, SIGNING_PADDING, signature_table
from clinic_app.reports.formatting import SHORT_BLANK
from clinic_app.reports.layout import ALERT, Styles, grid_table, heading, para, section
from clinic_app.reports.reaction_blocks import grade_table, signs_table

DOSE_CHECK_SIGNATURE = "Dose calculated and checked by a second nurse"
BAG_CHECK_SIGNATURE = "Bag checked against the plan by a second nurse"
SIGNATURES = (
    DOSE_CHECK_SIGNATURE,
    "Infusion prepared (lot numbers recorded)",
    BAG_CHECK_SIGNATURE,
    "Infusion started",
    "Infusion ended",
    "Observation complete, patient discharged",
)
SPARE_VITALS_ROWS = 3
SPARE_VITALS_LABEL = "Extra (rate change, reaction)"
GRADE_ROOM = 90 * mm  # the intro and the tall first rows of the grade table fit under its heading
WRITING_PADDING = 8  # points above and below the text: room to write a reading by hand
_VITALS_PREFIX = "Vitals: "
_VITALS_HEADER = ("Due", "Time point", "Time\ntaken", "BP\nmmHg", "Pulse\n/min", "Temp\n\u00b0C",
                  "Resp\n/min", "SpO2\n%", "Rate\nmL/h", "Initials")
_VITALS_SHARES = (0.11, 0.21, 0.085, 0.11, 0.075, 0.075, 0.075, 0.075, 0.085, 0.10)
_CHECK_SHARES = (0.2, 0.68, 0.12)
_COMPACT_CHECK_SHARES = (0.11, 0.815, 0.075)


@dataclass(frozen=True)
class VitalsRow:
    """One row of the vitals grid: when it is due (a clock time or "T+15") and why."""

    due: str
    what: str


def time_point(item: ChecklistItem) -> str:
    """The item's text without the "Vitals: " lead, e.g. "15 min into the infusion"."""
    return item.text.removeprefix(_VITALS_PREFIX)


def _answer_cell(item: ChecklistItem, styles: Styles, narrow: bool = False) -> Flowable:
    if item.kind is ItemKind.YES_NO:
        boxes = [f"{BOX}\u00a0{'N/A' if a == NOT_APPLICABLE else a.capitalize()}"
                 for a in item.answers]
        return para((" " if narrow else "   ").join(boxes), styles.cell_bold)
    if item.kind is ItemKind.VALUE:
        return para(f"{SHORT_BLANK} {item.unit or ''}".rstrip(), styles.cell)
    if item.kind is ItemKind.VITALS:
        return para("In the vitals grid", styles.cell_small)
    return para(BOX, styles.big)


def _stop_rule(item: ChecklistItem) -> str | None:
    if item.blocking_answer is None or item.action is None:
        return None
    return f"If {item.blocking_answer}: {item.action}"


def _check_cell(item: ChecklistItem, styles: Styles, inline: bool = False) -> list[Flowable]:
    """The check, and its stop rule in red under it (``inline``: after it, on the same line)."""
    rule = _stop_rule(item)
    if rule is None:
        return [para(item.text, styles.cell)]
    if inline:
        return [Paragraph(f'{escape(item.text)} <font name="{styles.cell_alert.fontName}" '
                          f'color="#{ALERT.hexval()[2:]}">{escape(rule)}</font>',
                          styles.cell)]
    return [para(item.text, styles.cell), para(rule, styles.cell_alert)]


def check_table(items: Sequence[ChecklistItem], styles: Styles, width: float, *,
                title: str = "Check", compact: bool = False) -> Table:
    """Checks with their answer boxes, the stop rule in red, and a column for initials; the
    check column headed ``title``. ``compact`` (the clipboard sheet): narrow answer and
    initials columns, the stop rule straight after the check."""
    header: list[object] = [para(t, styles.cell_bold) for t in ("Answer", title, "Initials")]
    rows: list[list[object]] = [header]
    rows += [[_answer_cell(i, styles, narrow=compact), _check_cell(i, styles, inline=compact),
              ""] for i in items]
    shares = _COMPACT_CHECK_SHARES if compact else _CHECK_SHARES
    padding = (1.5, 3) if compact else (3, 6)  # above and below, left and right
    return grid_table(rows, [width * share for share in shares], extra=[
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), padding[0]),
        ("BOTTOMPADDING", (0, 0), (-1, -1), padding[0]),
        ("LEFTPADDING", (0, 0), (-1, -1), padding[1]),
        ("RIGHTPADDING", (0, 0), (-1, -1), padding[1]),
    ])


def vitals_rows(items: Sequence[ChecklistItem], due: Callable[[ChecklistItem], str]
                ) -> list[VitalsRow]:
    """The vitals items as grid rows, their due time printed by ``due``."""
    return [VitalsRow(due(i), time_point(i)) for i in items if i.kind is ItemKind.VITALS]


def vitals_body(rows: Sequence[VitalsRow], spare_rows: int,
                styles: Styles) -> list[list[object]]:
    """The grid rows to write in: the planned rows, then spare rows for off-plan vitals."""
    body: list[list[object]] = [
        [para(r.due, styles.cell_bold), para(r.what, styles.cell_small)] + [""] * 8 for r in rows
    ]
    body += [[para("", styles.cell), para(SPARE_VITALS_LABEL, styles.cell_small)] + [""] * 8
             for _ in range(spare_rows)]
    return body


def vitals_table(body: list[list[object]], styles: Styles, width: float, *,
                 padding: float = WRITING_PADDING, shares: Sequence[float] = _VITALS_SHARES,
                 title: str = "Time point",
                 extra: list[tuple[object, ...]] | None = None) -> Table:
    """``body`` under the vitals header (the time point column headed ``title``), each row
    with ``padding`` above and below to write in, the columns ``shares`` of the width."""
    header: list[object] = [para(t, styles.cell_small_bold)
                            for t in (_VITALS_HEADER[0], title, *_VITALS_HEADER[2:])]
    widths = [width * share for share in shares]
    return grid_table([header, *body], widths, extra=[
        ("FONTSIZE", (0, 0), (-1, -1), styles.cell_small.fontSize),
        ("LEADING", (0, 0), (-1, -1), styles.cell_small.leading),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 1), (-1, -1), padding),
        ("BOTTOMPADDING", (0, 1), (-1, -1), padding),
        *(extra or []),
    ])


def vitals_grid(rows: Sequence[VitalsRow], styles: Styles, width: float, *,
                spare_rows: int = SPARE_VITALS_ROWS) -> Table:
    """The grid to write vitals in: the planned rows, then spare rows for off-plan vitals."""
    return vitals_table(vitals_body(rows, spare_rows, styles), styles, width)


def items_of(checklist: Checklist, *phases: Phase) -> list[ChecklistItem]:
    """The checklist's items of these phases, in order."""
    return [i for i in checklist.items if i.phase in phases]


def monitoring_sections(checklist: Checklist, *, due: Callable[[ChecklistItem], str],
                        baseline_due: str, observation_title: str, styles: Styles,
                        width: float, spare_rows: int = SPARE_VITALS_ROWS) -> list[Flowable]:
    """The vitals grid of the infusion (baseline first), the observation grid and its checks."""
    during = [VitalsRow(baseline_due, "Baseline, before the start"),
              *vitals_rows(items_of(checklist, Phase.INFUSION), due)]
    observation = items_of(checklist, Phase.OBSERVATION)
    return [
        *heading("Vital signs during the infusion", styles),
        vitals_grid(during, styles, width, spare_rows=spare_rows),
        *heading(observation_title, styles),
        vitals_grid(vitals_rows(observation, due), styles, width, spare_rows=1),
        Spacer(1, 6),
        check_table([i for i in observation if i.kind is not ItemKind.VITALS], styles, width),
    ]


def closing_sections(checklist: Checklist, protocol: Protocol, styles: Styles,
                     width: float, *, weight_kg: Decimal | None = None,
                     signatures: bool = True, reaction_card: bool = True) -> list[Flowable]:
    """Discharge checks, signatures (unless printed earlier), then, with ``reaction_card``,
    the reaction card (:func:`reaction_card_sections`)."""
    story: list[Flowable] = [
        *heading("Before the patient goes home", styles),
        check_table(items_of(checklist, Phase.DISCHARGE), styles, width),
    ]
    if signatures:
        story.append(signature_section(styles, width))
    if reaction_card:
        story += reaction_card_sections(protocol, styles, width, weight_kg=weight_kg)
    return story


def signature_section(styles: Styles, width: float, *,
                      padding: float = SIGNING_PADDING,
                      filled: Mapping[str, tuple[str, str]] | None = None) -> Flowable:
    """The double-check and step signatures, with a time for each; ``filled`` the names and
    time of those already signed in the app (the second nurse's checks)."""
    return section("Signatures", styles,
                   signature_table(SIGNATURES, styles, width, padding=padding, filled=filled))


def reaction_card_sections(protocol: Protocol, styles: Styles, width: float, *,
                           weight_kg: Decimal | None = None) -> list[Flowable]:
    """What to do, by grade, anaphylaxis first (the epinephrine dose from ``weight_kg``, the
    weight the dose was calculated from; the rule per kg on a sheet without one), then the
    signs of a reaction to watch for."""
    return [
        *heading("What to do, by grade", styles, room=GRADE_ROOM),
        *grade_table(protocol, styles, width, weight_kg=weight_kg),
        *heading(f"Signs of a reaction to {protocol.drug}: watch for", styles),
        signs_table(protocol, styles, width),
    ]
