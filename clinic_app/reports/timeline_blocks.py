"""The reaction report's timeline: what happened, in time order, in one relative wording.

The entries and their order are the domain's (:mod:`clinic_app.domain.reaction_timeline`);
this module words them. Each entry prints its clock time and how long after the start it came
(or, after the end of the infusion, how long after the end), in the one wording of
:mod:`clinic_app.reports.spans`, both counted between the printed clock times so that the
columns agree ("10:12", "12 min after the start"). A moment in the same minute as the end is
"at the end", never "0 min after the end".
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from reportlab.platypus import Table

from clinic_app.domain.reaction_timeline import Step, TimelineEntry
from clinic_app.reports.formatting import fmt_datetime, fmt_number, fmt_time, local
from clinic_app.reports.layout import Styles, grid_table, para
from clinic_app.reports.spans import relative_text

_WHAT = {
    Step.START: "Infusion started",
    Step.ONSET: "Reaction began",
    Step.PAUSE: "Infusion paused",
    Step.RESUME: "Infusion resumed",
    Step.RATE_CHANGE: "Rate changed",
    Step.END: "Infusion ended",
    Step.STOPPED_EARLY: "Infusion stopped early",
    Step.TRANSFER: "Transferred to emergency care",
    Step.DISCHARGE: "Discharged",
}
AFTER_TRANSFER = "Discharged after the emergency-care stay"


def _what(entry: TimelineEntry, transferred: bool, tz: tzinfo) -> str:
    what = _WHAT[entry.step]
    if entry.step is Step.DISCHARGE and transferred:
        what = AFTER_TRANSFER
    if entry.step is Step.RATE_CHANGE and entry.rate_ml_per_h is not None:
        what += f" to {fmt_number(entry.rate_ml_per_h, 'mL/h')}"
    if entry.note:
        what += f": {entry.note}"
    if entry.decided_at is not None:
        what += f" (the pump was paused; the stop was decided at {fmt_time(entry.decided_at, tz)})"
    return what


def _when(entry: TimelineEntry, start: datetime | None, end: datetime | None) -> str:
    """The relative time of an entry; the end itself counts from the start."""
    if entry.at is None or entry.step is Step.START:
        return ""
    ends = entry.step in (Step.END, Step.STOPPED_EARLY)
    return relative_text(entry.at, start, None if ends else end)


def _clock(at: datetime | None, start: datetime | None, tz: tzinfo) -> str:
    """The time, with its date when it is not the infusion's day."""
    if at is None:
        return "not recorded"
    same_day = start is not None and local(at, tz).date() == local(start, tz).date()
    return fmt_time(at, tz) if same_day else fmt_datetime(at, tz)


def timeline_table(
    entries: tuple[TimelineEntry, ...], styles: Styles, width: float, tz: tzinfo
) -> Table:
    """Time, what happened, and when relative to the infusion, one row per entry."""
    start = next((e.at for e in entries if e.step is Step.START), None)
    end = next((e.at for e in entries if e.step in (Step.END, Step.STOPPED_EARLY)), None)
    transferred = any(e.step is Step.TRANSFER for e in entries)
    header: list[object] = [para(t, styles.cell_bold) for t in ("Time", "What", "When")]
    rows: list[list[object]] = [header] + [
        [
            para(_clock(e.at, start, tz), styles.cell),
            para(
                _what(e, transferred, tz), styles.cell_bold if e.step is Step.ONSET else styles.cell
            ),
            para(_when(e, start, end), styles.cell),
        ]
        for e in entries
    ]
    return grid_table(rows, [width * s for s in (0.16, 0.56, 0.28)])
