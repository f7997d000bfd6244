"""The bedside checklist's second side: the checks and the vitals, packed for a clipboard.

Issue 12: a standard infusion prints on two sides. Side 2 holds the pre-infusion checks, one
vitals grid for the infusion and the observation (the observation rows under a shaded row that
names its end, rather than a second grid under a second heading), and the discharge checks with
"observation complete" first. Nothing is left out: the same items, stop rules and spare rows as
the full-size sheet, in 8-8.5 pt type with rows still tall enough to write in (about 6 mm). The
one merge: the pre-infusion "baseline vitals" item is the grid's baseline row, written there,
rather than a check row that only points at the grid.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable, Spacer, Table

from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.domain.checklists import Checklist, ChecklistItem, Phase
from clinic_app.reports.checklist_blocks import (
    SPARE_VITALS_ROWS,
    VitalsRow,
    check_table,
    items_of,
    vitals_body,
    vitals_rows,
    vitals_table,
)
from clinic_app.reports.layout import SHADE, Styles, para

CLIPBOARD_WRITING_PADDING = 3.5  # a one-line row is then over 6 mm tall: room to write
# a wider "time point", so that most rows take one line
_VITALS_SHARES = (0.12, 0.25, 0.08, 0.11, 0.07, 0.07, 0.07, 0.07, 0.08, 0.08)
PRE_TITLE = "Before the infusion"
VITALS_HEADING = "Vital signs during the infusion"
_GAP = 4  # points between the tables
DISCHARGE_TITLE = "Before the patient goes home"
_OBSERVATION_SPARE_ROWS = 1


def vitals_and_observation_grid(
    during: list[VitalsRow],
    observation: list[VitalsRow],
    observation_title: str,
    styles: Styles,
    width: float,
) -> Table:
    """One grid: the infusion rows and their spare rows, a shaded row ``observation_title``,
    then the observation rows and a spare row."""
    body = vitals_body(during, SPARE_VITALS_ROWS, styles)
    title_row = len(body) + 1  # after the header row
    body.append([para(observation_title, styles.cell_bold)] + [""] * 9)
    body += vitals_body(observation, _OBSERVATION_SPARE_ROWS, styles)
    return vitals_table(
        body,
        styles,
        width,
        padding=CLIPBOARD_WRITING_PADDING,
        shares=_VITALS_SHARES,
        title=VITALS_HEADING,
        extra=[
            ("SPAN", (0, title_row), (-1, title_row)),
            ("BACKGROUND", (0, title_row), (-1, title_row), SHADE),
            ("TOPPADDING", (0, title_row), (-1, title_row), 2),
            ("BOTTOMPADDING", (0, title_row), (-1, title_row), 2),
        ],
    )


def checks_and_vitals_side(
    checklist: Checklist,
    *,
    due: Callable[[ChecklistItem], str],
    baseline_due: str,
    observation_title: str,
    styles: Styles,
    width: float,
) -> list[Flowable]:
    """Side 2: the pre-infusion checks, the vitals grid, observation and discharge checks."""
    during = [
        VitalsRow(baseline_due, "Baseline, before the start"),
        *vitals_rows(items_of(checklist, Phase.INFUSION), due),
    ]
    observation = items_of(checklist, Phase.OBSERVATION)
    closing = [i for i in observation if i.kind is not ItemKind.VITALS]
    checks = [i for i in items_of(checklist, Phase.PRE) if i.kind is not ItemKind.VITALS]
    return [
        check_table(checks, styles, width, title=PRE_TITLE, compact=True),
        Spacer(1, _GAP),
        vitals_and_observation_grid(
            during, vitals_rows(observation, due), observation_title, styles, width
        ),
        Spacer(1, _GAP),
        check_table(
            [*closing, *items_of(checklist, Phase.DISCHARGE)],
            styles,
            width,
            title=DISCHARGE_TITLE,
            compact=True,
        ),
    ]
