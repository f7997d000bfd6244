"""The course's drug levels over time, drawn with QPainter (no plotting library).

Over one time axis (dates): each infusion as a bar of the dose given in mg/kg (right axis),
a dose change marked with a triangle and its new dose, the weeks between infusions written
under the bars, the trough levels in µg/mL as a line with round markers (left axis), and the
antibody results in a strip along the top (+ positive, − negative, ? not interpreted); an
infusion stopped early has a dashed outline. Colour
is never the only cue: each series has its own shape. The accessible description says the
latest trough and antibody result in words (the service's summary) and the dose changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from clinic_app.domain.dates import date_text
from clinic_app.domain.drug_levels import AntibodyStatus, DrugLevel, TdmSeries
from clinic_app.domain.units import plain
from clinic_app.services.drug_levels.dto import TdmView

DOSE_COLOUR = QColor("#7a9cc6")
CHANGE_COLOUR = QColor("#b35900")
TROUGH_COLOUR = QColor("#8b1a1a")
POSITIVE_COLOUR = QColor("#b00020")
NEGATIVE_COLOUR = QColor("#2e7d32")
AXIS_COLOUR = QColor("#444444")
EMPTY_TEXT = "No infusions or drug levels on file for this course yet."
_LEFT, _RIGHT, _BOTTOM = 56, 56, 44
_LINE = 16  # one legend line
_STRIP = 18  # the antibody strip above the plot area
_MARK = {
    AntibodyStatus.POSITIVE: "+",
    AntibodyStatus.NEGATIVE: "−",
    AntibodyStatus.NOT_INTERPRETED: "?",
}


@dataclass(frozen=True)
class _Scale:
    """Maps days and values to points inside ``area``."""

    area: QRectF
    first: date
    last: date
    trough_top: Decimal
    dose_top: Decimal

    def x(self, day: date) -> float:
        span = max((self.last - self.first).days, 1)
        return self.area.left() + self.area.width() * (day - self.first).days / span

    def y(self, value: Decimal, top: Decimal) -> float:
        share = float(value / top) if top else 0.0
        return self.area.bottom() - self.area.height() * share


def _nice_top(value: Decimal) -> Decimal:
    """A round axis maximum at or above ``value`` (1, 2, 5 × 10ⁿ)."""
    if value <= 0:
        return Decimal(1)
    step = Decimal(1)
    while step * 10 <= value:
        step *= 10
    while step > value:
        step /= 10
    for factor in (1, 2, 5, 10):
        if step * factor >= value:
            return step * factor
    return step * 10


def _days(series: TdmSeries) -> list[date]:
    return (
        [p.dose.given_on for p in series.doses]
        + [t.drawn_on for t in series.troughs]
        + [a.drawn_on for a in series.antibodies]
    )


def describe(view: TdmView | None) -> str:
    """The plot in words: the latest results, then the dose changes (for screen readers)."""
    if view is None:
        return "No course chosen."
    changes = [
        f"dose {p.dose.dose_number} on {date_text(p.dose.given_on)}: "
        f"{plain(p.dose.ordered_mg_per_kg or p.dose.mg_per_kg)} mg/kg"
        for p in view.series.dose_changes
    ]
    partial = [str(p.dose.dose_number) for p in view.series.doses if p.dose.partial]
    doses = len(view.series.doses)
    words = f"{view.summary}. {doses} infusion{'s' if doses != 1 else ''} plotted"
    if changes:
        words += f"; dose changed at {'; '.join(changes)}"
    if partial:
        words += f"; stopped early (part of the dose given, dashed): dose {', '.join(partial)}"
    return words + "."


class TdmPlot(QWidget):
    """Doses, intervals, troughs and antibodies of one course over time."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view: TdmView | None = None
        self.setAccessibleName("Drug levels plot")
        self.setMinimumSize(420, 200)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAccessibleDescription(describe(None))

    def sizeHint(self) -> QSize:
        """Qt override: wide and low, beside the list of results."""
        return QSize(720, 260)

    def show_view(self, view: TdmView | None) -> None:
        """Draw ``view`` (None: no course chosen)."""
        self.view = view
        self.setAccessibleDescription(describe(view))
        self.update()

    def paintEvent(self, event: QPaintEvent) -> None:
        """Qt override: draw the axes, the legend and every series."""
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), QColor("white"))
        series = None if self.view is None else self.view.series
        if series is None or series.empty:
            painter.setPen(AXIS_COLOUR)
            painter.drawText(
                self.rect(),
                Qt.AlignmentFlag.AlignCenter,
                EMPTY_TEXT if series is not None else "Choose a course.",
            )
            return
        legend_bottom = self._legend(painter)
        scale = self._scale(series, top=legend_bottom + _LINE + 8)
        self._axes(painter, scale, series)
        self._doses(painter, scale, series)
        self._troughs(painter, scale, series.troughs)
        self._antibodies(painter, scale, series.antibodies)

    def _scale(self, series: TdmSeries, *, top: float) -> _Scale:
        area = QRectF(
            _LEFT,
            top + _STRIP,
            max(self.width() - _LEFT - _RIGHT, 10),
            max(self.height() - top - _STRIP - _BOTTOM, 10),
        )
        days = _days(series)
        first, last = min(days) - timedelta(days=7), max(days) + timedelta(days=7)
        trough_top = _nice_top(
            max([t.value or Decimal(0) for t in series.troughs], default=Decimal(1))
        )
        dose_top = _nice_top(max([p.dose.mg_per_kg for p in series.doses], default=Decimal(1)))
        return _Scale(area, first, last, trough_top, dose_top)

    def _axes(self, painter: QPainter, scale: _Scale, series: TdmSeries) -> None:
        area = scale.area
        painter.setPen(QPen(AXIS_COLOUR, 1))
        painter.drawLine(area.bottomLeft(), area.bottomRight())
        painter.drawLine(area.bottomLeft(), area.topLeft())
        painter.drawLine(area.bottomRight(), area.topRight())
        metrics = painter.fontMetrics()
        for top, x, align in (
            (scale.trough_top, area.left() - 4, Qt.AlignmentFlag.AlignRight),
            (scale.dose_top, area.right() + 4, Qt.AlignmentFlag.AlignLeft),
        ):
            for value in (Decimal(0), top / 2, top):
                y = scale.y(value, top)
                box = QRectF(x - 40 if align == Qt.AlignmentFlag.AlignRight else x, y - 8, 40, 16)
                painter.drawText(box, align | Qt.AlignmentFlag.AlignVCenter, plain(value))
        painter.drawText(
            QRectF(0, area.top() - _STRIP - 16, _LEFT + 60, 14),
            Qt.AlignmentFlag.AlignLeft,
            "Trough µg/mL",
        )
        painter.drawText(
            QRectF(area.right() - 60, area.top() - _STRIP - 16, _RIGHT + 60, 14),
            Qt.AlignmentFlag.AlignRight,
            "Dose mg/kg",
        )
        shown_to = -1.0e9  # dates left to right, a date that would overlap the last one skipped
        for day in sorted(set(_days(series))):
            text = date_text(day)
            x = scale.x(day) - metrics.horizontalAdvance(text) / 2
            if x > shown_to + 8:
                painter.drawText(QPointF(x, area.bottom() + 30), text)
                shown_to = x + metrics.horizontalAdvance(text)

    def _doses(self, painter: QPainter, scale: _Scale, series: TdmSeries) -> None:
        area = scale.area
        small = QFont(painter.font())
        small.setPointSizeF(max(small.pointSizeF() - 1.5, 6.0))
        for point in series.doses:
            x = scale.x(point.dose.given_on)
            top = scale.y(point.dose.mg_per_kg, scale.dose_top)
            colour = CHANGE_COLOUR if point.changed else DOSE_COLOUR
            painter.fillRect(QRectF(x - 4, top, 8, area.bottom() - top), colour)
            if point.dose.partial:
                painter.setPen(QPen(AXIS_COLOUR, 1, Qt.PenStyle.DashLine))
                painter.drawRect(QRectF(x - 4, top, 8, area.bottom() - top))
            painter.setFont(small)
            painter.setPen(AXIS_COLOUR)
            if point.weeks_since_previous is not None:
                painter.drawText(
                    QRectF(x - 30, area.bottom() + 2, 60, 14),
                    Qt.AlignmentFlag.AlignCenter,
                    f"{plain(point.weeks_since_previous)} wk",
                )
            if point.changed:
                self._change_mark(
                    painter, x, top, point.dose.ordered_mg_per_kg or point.dose.mg_per_kg
                )
            painter.setFont(self.font())

    def _change_mark(self, painter: QPainter, x: float, top: float, dose: Decimal) -> None:
        painter.setBrush(CHANGE_COLOUR)
        painter.setPen(CHANGE_COLOUR)
        painter.drawPolygon(
            QPolygonF([QPointF(x - 6, top - 4), QPointF(x + 6, top - 4), QPointF(x, top - 14)])
        )
        painter.drawText(QPointF(x + 8, top - 4), f"{plain(dose)} mg/kg")
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _troughs(self, painter: QPainter, scale: _Scale, troughs: tuple[DrugLevel, ...]) -> None:
        points = [
            QPointF(scale.x(t.drawn_on), scale.y(t.value or Decimal(0), scale.trough_top))
            for t in troughs
        ]
        painter.setPen(QPen(TROUGH_COLOUR, 2))
        for start, end in pairwise(points):
            painter.drawLine(start, end)
        painter.setBrush(TROUGH_COLOUR)
        for point, trough in zip(points, troughs, strict=True):
            painter.drawEllipse(point, 4, 4)
            painter.drawText(
                QPointF(point.x() + 6, point.y() - 6), plain(trough.value or Decimal(0))
            )
        painter.setBrush(Qt.BrushStyle.NoBrush)

    def _antibodies(
        self, painter: QPainter, scale: _Scale, antibodies: tuple[DrugLevel, ...]
    ) -> None:
        y = scale.area.top() - _STRIP / 2
        bold = QFont(painter.font())
        bold.setBold(True)
        painter.setFont(bold)
        for level in antibodies:
            status = level.status or AntibodyStatus.NOT_INTERPRETED
            colour = {
                AntibodyStatus.POSITIVE: POSITIVE_COLOUR,
                AntibodyStatus.NEGATIVE: NEGATIVE_COLOUR,
            }.get(status, AXIS_COLOUR)
            box = QRectF(scale.x(level.drawn_on) - 7, y - 7, 14, 14)
            painter.setPen(QPen(colour, 1.5))
            painter.drawRect(box)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, _MARK[status])
        painter.setFont(self.font())

    def _legend(self, painter: QPainter) -> float:
        """Draw the legend from the top left, wrapping to the width; its last line's y."""
        entries = (
            ("bar", DOSE_COLOUR, "Dose given (mg/kg)"),
            ("triangle", CHANGE_COLOUR, "Dose change"),
            ("dot", TROUGH_COLOUR, "Trough (µg/mL)"),
            ("box", AXIS_COLOUR, "Antibodies: + positive, − negative, ? no cutoff"),
        )
        x, y = float(_LEFT), 12.0
        metrics = painter.fontMetrics()
        for shape, colour, text in entries:
            width = 14 + metrics.horizontalAdvance(text)
            if x > _LEFT and x + width > self.width() - 8:
                x, y = float(_LEFT), y + _LINE
            painter.setPen(colour)
            painter.setBrush(colour if shape != "box" else Qt.BrushStyle.NoBrush)
            if shape == "bar":
                painter.drawRect(QRectF(x, y - 5, 6, 10))
            elif shape == "triangle":
                painter.drawPolygon(
                    QPolygonF([QPointF(x, y + 4), QPointF(x + 10, y + 4), QPointF(x + 5, y - 5)])
                )
            elif shape == "dot":
                painter.drawEllipse(QPointF(x + 5, y), 4, 4)
            else:
                painter.drawRect(QRectF(x, y - 5, 10, 10))
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(AXIS_COLOUR)
            painter.drawText(QPointF(x + 14, y + 5), text)
            x += width + 18
        return y
