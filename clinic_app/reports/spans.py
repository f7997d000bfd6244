"""Time spans on paper, in one wording for every sheet (issue 12): "12 min", "1 h 5 min",
"2 h", "3 days"; never a decimal hour such as "0.0 h"."""

from __future__ import annotations

from datetime import datetime, timedelta


def span_text(span: timedelta) -> str:
    """``span`` as "12 min", "1 h 5 min", "2 h", or "3 days" from a day on."""
    if span.days >= 1:
        return f"{span.days} day{'s' if span.days > 1 else ''}"
    hours, minutes = divmod(int(span // timedelta(minutes=1)), 60)
    if not hours:
        return f"{minutes} min"
    return f"{hours} h" + (f" {minutes} min" if minutes else "")


def offset_text(span: timedelta) -> str:
    """A planned time as an offset from the start: "T+0", "T+15 min", "T+2 h"."""
    return "T+0" if span <= timedelta(0) else f"T+{span_text(span)}"


def _to_minute(moment: datetime) -> datetime:
    return moment.replace(second=0, microsecond=0)


def between(earlier: datetime, later: datetime) -> timedelta:
    """The span between two moments as their printed clock times show it (both cut to the
    minute): 10:00:40 to 10:12:10 is 12 min, as "10:00" and "10:12" read."""
    return _to_minute(later) - _to_minute(earlier)


def after_end_text(at: datetime, end: datetime) -> str:
    """"at the end" (the same printed minute, never "0 min after the end"), or "30 min after
    the end"."""
    gap = between(end, at)
    return "at the end" if gap < timedelta(minutes=1) else f"{span_text(gap)} after the end"


def relative_text(at: datetime, start: datetime | None, end: datetime | None) -> str:
    """Where ``at`` falls in an infusion, counted between printed clock times: "at the start",
    "12 min after the start" up to and at the end (a reaction that stopped the pump began
    while it ran); after the end, :func:`after_end_text`."""
    if start is None:
        return ""
    if end is not None and at > end:
        return after_end_text(at, end)
    gap = between(start, at)
    return "at the start" if gap < timedelta(minutes=1) else f"{span_text(gap)} after the start"
