"""Blocks shared by the sheets: identity, allergies, label/value tables, tick boxes, signatures.

Allergies are printed in red in a ruled box on the first page and in the header of every page
(issue 4: "allergies (prominent)"). An empty allergy list is never printed as "none" unless the
record says the patient was asked (``no_known_allergies``).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from datetime import datetime, tzinfo

from reportlab.platypus import Flowable, Table

from clinic_app.reports.formatting import BLANK, fmt_date, fmt_datetime, fmt_number
from clinic_app.reports.layout import (
    ALERT,
    IDENTITY_SEPARATOR,
    SHADE,
    SheetIdentity,
    Styles,
    grid_table,
    para,
)
from clinic_app.reports.records import PatientHeader

BOX = "\u2610"  # ballot box, drawn by the embedded font
_LABEL_SHARE = 0.28


def identity_line(patient: PatientHeader) -> str:
    """"Name · MRN 123 · born 14 Mar 1980": the two identifiers on every page."""
    return IDENTITY_SEPARATOR.join((patient.name, f"MRN {patient.mrn}",
                                    f"born {fmt_date(patient.date_of_birth)}"))


def allergy_text(allergies: Sequence[str], no_known_allergies: bool) -> str:
    """The allergy line as printed (upper-case lead so it is seen)."""
    if allergies:
        return "ALLERGIES: " + "; ".join(allergies)
    if no_known_allergies:
        return "No known allergies"
    return "ALLERGIES NOT RECORDED: ask the patient before starting"


def sheet_identity(title: str, clinic_name: str, patient: PatientHeader, printed_at: datetime,
                   tz: tzinfo) -> SheetIdentity:
    """The header of a patient's sheet: identity and allergies on every page."""
    return SheetIdentity(
        title=title, clinic_name=clinic_name, patient_line=identity_line(patient),
        printed_at=fmt_datetime(printed_at, tz),
        alert_line=allergy_text(patient.allergies, patient.no_known_allergies),
    )


def alert_box(text: str, styles: Styles, width: float) -> Table:
    """A warning in large red type inside a red box."""
    return grid_table([[para(text, styles.alert)]], [width], header_rows=0, extra=[
        ("BOX", (0, 0), (-1, -1), 2, ALERT),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
    ])


def allergy_box(patient: PatientHeader, styles: Styles, width: float) -> Table:
    """The allergies in large red type inside a red box."""
    return alert_box(allergy_text(patient.allergies, patient.no_known_allergies), styles, width)


def weight_text(patient: PatientHeader, tz: tzinfo) -> str:
    """Today's weight with when it was measured, or a blank to fill in."""
    if patient.weight_kg is None:
        return f"{BLANK} kg (weigh today)"
    text = fmt_number(patient.weight_kg, "kg")
    if patient.weight_kind != "actual":
        text += f" ({patient.weight_kind})"
    if patient.weight_measured_at is not None:
        text += f", measured {fmt_datetime(patient.weight_measured_at, tz)}"
    return text


TODAY_WEIGHT_LABEL = "Weight today"
VISIT_WEIGHT_LABEL = "Weight at the infusion"


def patient_block(patient: PatientHeader, styles: Styles, width: float, tz: tzinfo, *,
                  weight_label: str = TODAY_WEIGHT_LABEL,
                  extra: Sequence[tuple[str, str]] = ()) -> Table:
    """Name, MRN, date of birth, sex and the weight, then any ``extra`` rows. The weight is
    "Weight today" on the sheet used at the chair; a record printed afterwards (the infusion
    record, a reaction report days later) names it as the infusion's (``VISIT_WEIGHT_LABEL``)."""
    rows = [
        ("Patient", patient.name),
        ("MRN", patient.mrn),
        ("Date of birth", fmt_date(patient.date_of_birth)
         + (f"   Sex: {patient.sex}" if patient.sex else "")),
        (weight_label, weight_text(patient, tz)),
        *extra,
    ]
    return label_table(rows, styles, width)


def label_table(rows: Sequence[tuple[str, str]], styles: Styles, width: float, *,
                label_share: float = _LABEL_SHARE, bold_values: bool = False,
                emphasis: Collection[str] = ()) -> Table:
    """A two-column table: label on the left (shaded), value on the right; the values of the
    ``emphasis`` labels in large type."""
    value_style = styles.cell_bold if bold_values else styles.cell
    cells = [[para(label, styles.cell_bold),
              para(value, styles.big if label in emphasis else value_style)]
             for label, value in rows]
    label_width = width * label_share
    return grid_table(cells, [label_width, width - label_width], header_rows=0,
                      extra=[("BACKGROUND", (0, 0), (0, -1), SHADE)])


def label_pairs(rows: Sequence[Sequence[tuple[str, str]]], styles: Styles,
                width: float) -> Table:
    """Label/value pairs two to a row (a row of one pair spans the table): a short block."""
    label, value = width * 0.17, width * 0.33
    cells: list[list[object]] = []
    shading: list[tuple[object, ...]] = [("BACKGROUND", (0, 0), (0, -1), SHADE)]
    for number, pairs in enumerate(rows):
        row: list[object] = []
        for name, text in pairs:
            row += [para(name, styles.cell_bold), para(text, styles.cell)]
        if len(pairs) == 1:
            row += ["", ""]
            shading.append(("SPAN", (1, number), (-1, number)))
        else:
            shading.append(("BACKGROUND", (2, number), (2, number), SHADE))
        cells.append(row)
    return grid_table(cells, [label, value, label, value], header_rows=0, extra=shading)


def bullets(lines: Sequence[str], styles: Styles) -> list[Flowable]:
    """Short lines, each with a bullet."""
    return [para(f"\u2022 {line}", styles.cell) for line in lines]


SIGNING_PADDING = 9


def signature_table(labels: Sequence[str], styles: Styles, width: float, *,
                    padding: float = SIGNING_PADDING,
                    filled: Mapping[str, tuple[str, str]] | None = None) -> Table:
    """Rows to sign by hand: what, name and signature, time (``padding`` above and below);
    ``filled`` gives the names and time already signed in the app for some labels."""
    done = filled or {}
    header: list[object] = [para(text, styles.cell_bold)
                            for text in ("", "Name and signature", "Time")]
    rows = [header] + [
        [para(label, styles.cell), para(done[label][0], styles.cell) if label in done else "",
         done[label][1] if label in done else ""]
        for label in labels
    ]
    widths = [width * 0.38, width * 0.44, width * 0.18]
    return grid_table(rows, widths, extra=[("TOPPADDING", (0, 1), (-1, -1), padding),
                                           ("BOTTOMPADDING", (0, 1), (-1, -1), padding)])
