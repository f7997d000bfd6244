"""Recorded vital signs on paper: one row per set, in time order, flags in red, with the nurse.

Used by the infusion record and the reaction report. A value not taken prints blank, never 0.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import tzinfo

from reportlab.platypus import Table

from clinic_app.reports.formatting import fmt_number, fmt_time
from clinic_app.reports.layout import Styles, grid_table, para
from clinic_app.reports.records import VitalsRecord


def vitals_line(reading: VitalsRecord) -> list[str]:
    """The readings of one set of vitals as table cells (blank where not taken)."""
    pressure = "" if reading.systolic is None else (
        f"{reading.systolic}/{reading.diastolic if reading.diastolic is not None else '-'}")
    temperature = "" if reading.temperature_c is None else f"{reading.temperature_c:.1f}"
    return [pressure, fmt_number(reading.heart_rate), temperature,
            fmt_number(reading.respiratory_rate), fmt_number(reading.spo2)]


def vitals_table(readings: Sequence[VitalsRecord], styles: Styles, width: float,
                 tz: tzinfo) -> Table:
    """Every set of vitals in time order, flags in red, with the nurse who took them."""
    header: list[object] = [para(t, styles.cell_small_bold) for t in (
        "Time", "Time point", "BP mmHg", "Pulse /min", "Temp \u00b0C", "Resp /min", "SpO2 %",
        "Flags", "Nurse")]
    rows: list[list[object]] = [header]
    for reading in sorted(readings, key=lambda r: r.measured_at):
        rows.append([fmt_time(reading.measured_at, tz), para(reading.label, styles.cell_small),
                     *vitals_line(reading),
                     para("; ".join(reading.flags), styles.cell_alert),
                     para(reading.nurse, styles.cell_small)])
    shares = (0.08, 0.15, 0.1, 0.08, 0.08, 0.08, 0.08, 0.2, 0.15)
    return grid_table(rows, [width * s for s in shares])
