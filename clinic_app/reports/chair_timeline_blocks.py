"""The day list's chair timeline (issue 14): chairs as rows, each visit a bar from its booked
start to its expected discharge, the late ones red and marked "Late:" (so that a page printed
in black and white still says so), a line at the time of printing.

The rows and what is late are the domain's (:mod:`clinic_app.domain.chair_timeline`); this
module draws them as reportlab drawings, at most :data:`CHAIRS_PER_DRAWING` chairs each so
that one drawing never outgrows a page.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time, timedelta, tzinfo

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from clinic_app.domain.chair_timeline import Stage, TimelineBar, TimelineRow
from clinic_app.reports.fonts import register_fonts
from clinic_app.reports.layout import ALERT, GRID

CHAIRS_PER_DRAWING = 16
ROW = 17
HEADER = 14
GUTTER = 70
FONT_SIZE = 7.5
DEFAULT_HOURS = (8, 18)
_FILL = {
    Stage.WAITING: colors.HexColor("#DCEBFA"),
    Stage.IN_CHAIR: colors.HexColor("#CDEBD3"),
    Stage.DISCHARGED: colors.HexColor("#E4E4E4"),
}


def _hours(rows: Sequence[TimelineRow], day: date, tz: tzinfo) -> tuple[int, int]:
    """Whole hours from the earliest start (or 08:00) to the latest end (or 18:00)."""
    first, last = DEFAULT_HOURS
    for bar in (b for r in rows for b in r.bars):
        first = min(first, int(_hour(bar.starts_at, day, tz)))
        last = max(last, -int(-_hour(bar.ends_at, day, tz) // 1))
    return max(first, 0), min(max(last, first + 1), 24)


def _hour(moment: datetime, day: date, tz: tzinfo) -> float:
    local = moment.astimezone(tz)
    return (local - datetime.combine(day, time(0), local.tzinfo)) / timedelta(hours=1)


def _fit(text: str, font: str, width: float) -> str:
    """``text`` cut with an ellipsis to ``width`` points ("" when nothing fits)."""
    if stringWidth(text, font, FONT_SIZE) <= width:
        return text
    while text and stringWidth(text + "…", font, FONT_SIZE) > width:
        text = text[:-1]
    return text + "…" if text else ""


class _Scale:
    def __init__(self, hours: tuple[int, int], width: float, day: date, tz: tzinfo) -> None:
        self.first, self.last = hours
        self.width, self.day, self.tz = width, day, tz

    def x(self, moment: datetime) -> float:
        hour = min(max(_hour(moment, self.day, self.tz), self.first), self.last)
        return self.x_of_hour(hour)

    def x_of_hour(self, hour: float) -> float:
        return GUTTER + (hour - self.first) / (self.last - self.first) * (self.width - GUTTER)


def _bar(
    drawing: Drawing, bar: TimelineBar, scale: _Scale, y: float, fonts: tuple[str, str]
) -> None:
    regular, bold = fonts
    left, right = scale.x(bar.starts_at), scale.x(bar.ends_at)
    fill = ALERT if bar.is_late else _FILL[bar.stage]
    ink = colors.white if bar.is_late else colors.black
    box = Rect(left, y + 2, max(right - left, 2), ROW - 4)
    box.fillColor = fill
    box.strokeColor = ALERT if bar.is_late else GRID
    box.strokeWidth = 0.5
    drawing.add(box)
    label = f"Late: {bar.label}" if bar.is_late else bar.label
    font = bold if bar.is_late else regular
    text = _fit(label, font, right - left - 4)
    if text:
        drawing.add(
            String(left + 2, y + 5.5, text, fontName=font, fontSize=FONT_SIZE, fillColor=ink)
        )


def _drawing(
    rows: Sequence[TimelineRow],
    hours: tuple[int, int],
    width: float,
    day: date,
    tz: tzinfo,
    now: datetime | None,
) -> Drawing:
    regular, bold = register_fonts()
    height = HEADER + ROW * len(rows)
    drawing = Drawing(width, height)
    scale = _Scale(hours, width, day, tz)
    for hour in range(hours[0], hours[1] + 1):
        x = scale.x_of_hour(hour)
        drawing.add(Line(x, 0, x, height - HEADER + 2, strokeColor=GRID, strokeWidth=0.25))
        if hour < hours[1]:
            drawing.add(
                String(
                    x + 1.5,
                    height - HEADER + 4,
                    f"{hour:02d}:00",
                    fontName=regular,
                    fontSize=FONT_SIZE,
                )
            )
    for n, row in enumerate(rows):
        y = height - HEADER - (n + 1) * ROW
        drawing.add(Line(0, y, width, y, strokeColor=GRID, strokeWidth=0.25))
        drawing.add(
            String(2, y + 5.5, _fit(row.chair, bold, GUTTER - 4), fontName=bold, fontSize=FONT_SIZE)
        )
        for bar in row.bars:
            _bar(drawing, bar, scale, y, (regular, bold))
    if now is not None and hours[0] <= _hour(now, day, tz) <= hours[1]:
        x = scale.x(now)
        drawing.add(
            Line(
                x,
                0,
                x,
                height - HEADER + 2,
                strokeColor=colors.black,
                strokeWidth=1.2,
                strokeDashArray=[3, 2],
            )
        )
    return drawing


def timeline_drawings(
    rows: Sequence[TimelineRow], *, width: float, day: date, tz: tzinfo, printed_at: datetime
) -> list[Flowable]:
    """The timeline in drawings of at most :data:`CHAIRS_PER_DRAWING` chairs, one time scale
    for all; the dashed line is the time of printing (drawn when it falls on ``day``)."""
    hours = _hours(rows, day, tz)
    now = printed_at if printed_at.astimezone(tz).date() == day else None
    return [
        _drawing(rows[n : n + CHAIRS_PER_DRAWING], hours, width, day, tz, now)
        for n in range(0, len(rows), CHAIRS_PER_DRAWING)
    ]
