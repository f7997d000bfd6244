"""Time spans on paper, in one wording for every sheet (issue 12): "12 min", "1 h 5 min",
"2 h", "3 days"; never a decimal hour such as "0.0 h"."""

from __future__ import annotations

from datetime import timedelta


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
