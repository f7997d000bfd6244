"""The chair timeline of the day shown on Today (issue 14): chairs as rows, each visit a bar
from its booked start to its expected discharge, a red now-line, late visits in red.

The rows come from :func:`clinic_app.services.clinic_day.chair_timeline` (the rules, late
included, live there); this widget only draws them. For a screen reader the widget's
accessible description reads every chair, one a line ("Chair 1: 08:00-11:30 Anna Nowak (late:
not arrived)"), each bar's text is its tooltip, and the bar picked with the arrow keys is read
in its accessible name. Enter or a double-click on a bar asks to move that booking
(:attr:`ChairTimeline.booking_chosen`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QAccessible,
    QColor,
    QFocusEvent,
    QHelpEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from clinic_app.domain.chair_timeline import (
    Stage,
    TimelineBar,
    TimelineRow,
    bar_text,
    timeline_summary,
)
from clinic_app.ui.a11y import post_event

NAME = "Chair timeline"
HEADER = 24
ROW = 30
GUTTER = 96
PAD = 4
DEFAULT_HOURS = (8, 18)
MIN_HOUR_WIDTH = 40

# (text, fill) per kind of bar; every pair passes WCAG AA for normal text (4.5:1).
COLOURS: dict[str, tuple[QColor, QColor]] = {
    Stage.WAITING.value: (QColor("#0B3D91"), QColor("#DCEBFA")),
    Stage.IN_CHAIR.value: (QColor("#0F4D1F"), QColor("#CDEBD3")),
    Stage.DISCHARGED.value: (QColor("#3A3A3A"), QColor("#E4E4E4")),
    "late": (QColor("#FFFFFF"), QColor("#B3261E")),
}
NOW_COLOUR = QColor("#1F1F1F")
LEGEND = 28
LEGEND_ITEMS = (
    (Stage.WAITING.value, "Expected"),
    (Stage.IN_CHAIR.value, "In the chair"),
    (Stage.DISCHARGED.value, "Gone home"),
    ("late", "Late"),
)
GRID_COLOUR = QColor("#C8C8C8")
TEXT_COLOUR = QColor("#1F1F1F")


def bar_colours(bar: TimelineBar) -> tuple[QColor, QColor]:
    """The text and fill colours of ``bar``: red when late, else by its stage."""
    return COLOURS["late" if bar.is_late else bar.stage.value]


@dataclass(frozen=True)
class _Placed:
    row: int
    bar: TimelineBar
    rect: QRectF


class ChairTimeline(QWidget):
    """One day's chairs and visits, painted; ``booking_chosen`` carries the booking's id."""

    booking_chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName(NAME)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMouseTracking(False)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._rows: tuple[TimelineRow, ...] = ()
        self._tz: tzinfo | None = None
        self._day = date.min
        self._now: datetime | None = None
        self._hours = DEFAULT_HOURS
        self._current: int | None = None

    # -- data -----------------------------------------------------------------------------

    def set_timeline(
        self, rows: Sequence[TimelineRow], *, day: date, tz: tzinfo, now: datetime
    ) -> None:
        """Show ``rows`` of ``day`` (clinic zone ``tz``); the now-line when ``now`` is on it."""
        chosen = self.current_bar()
        self._rows, self._day, self._tz = tuple(rows), day, tz
        self._now = now if now.astimezone(tz).date() == day else None
        self._hours = self._span()
        bars = self.bars()
        keep = [n for n, b in enumerate(bars) if chosen and b.booking_id == chosen.booking_id]
        self._current = keep[0] if keep else None
        summary = timeline_summary(self._rows, tz) if self._rows else "No chairs."
        self.setAccessibleDescription(summary)
        self._name_current()
        self.updateGeometry()
        self.update()

    def clear(self) -> None:
        """Show nothing (signed out)."""
        self._rows, self._now, self._current = (), None, None
        self.setAccessibleDescription("")
        self._name_current()
        self.updateGeometry()
        self.update()

    def rows(self) -> tuple[TimelineRow, ...]:
        """The rows shown."""
        return self._rows

    def bars(self) -> list[TimelineBar]:
        """Every bar, chair by chair, by start (the arrow keys' order)."""
        return [bar for row in self._rows for bar in row.bars]

    def current_bar(self) -> TimelineBar | None:
        """The bar picked with a click or the arrow keys."""
        bars = self.bars()
        return bars[self._current] if self._current is not None else None

    def bar_text(self, bar: TimelineBar) -> str:
        """The bar as read and shown in its tooltip, with its chair."""
        chair = next(r.chair for r in self._rows if bar in r.bars)
        return f"{chair}: {bar_text(bar, self._zone())}"

    # -- geometry -------------------------------------------------------------------------

    def _zone(self) -> tzinfo:
        assert self._tz is not None, "set_timeline first"
        return self._tz

    def _local_hour(self, moment: datetime) -> float:
        """Hours from the day's local midnight (beyond 24 for the next day)."""
        local = moment.astimezone(self._zone())
        midnight = datetime.combine(self._day, time(0), local.tzinfo)
        return (local - midnight) / timedelta(hours=1)

    def _span(self) -> tuple[int, int]:
        """Whole hours from the earliest start (or 08:00) to the latest end (or 18:00)."""
        first, last = DEFAULT_HOURS
        for bar in self.bars():
            first = min(first, int(self._local_hour(bar.starts_at)))
            last = max(last, -int(-self._local_hour(bar.ends_at) // 1))
        return max(first, 0), min(max(last, first + 1), 24)

    def _x(self, hour: float) -> float:
        first, last = self._hours
        width = max(self.width() - GUTTER - PAD, 1)
        return GUTTER + (min(max(hour, first), last) - first) / (last - first) * width

    def _placed(self) -> list[_Placed]:
        placed = []
        for n, row in enumerate(self._rows):
            top = HEADER + n * ROW + 3
            for bar in row.bars:
                left = self._x(self._local_hour(bar.starts_at))
                right = self._x(self._local_hour(bar.ends_at))
                placed.append(_Placed(n, bar, QRectF(left, top, max(right - left, 3), ROW - 6)))
        return placed

    def bar_rect(self, bar: TimelineBar) -> QRectF:
        """Where ``bar`` is drawn (for tests and tooltips)."""
        return next(p.rect for p in self._placed() if p.bar == bar)

    def _bar_at(self, point: QPointF) -> int | None:
        for n, placed in enumerate(self._placed()):
            if placed.rect.contains(point):
                return n
        return None

    def sizeHint(self) -> QSize:
        first, last = self._hours
        height = HEADER + ROW * len(self._rows) + LEGEND + 2
        return QSize(GUTTER + (last - first) * MIN_HOUR_WIDTH, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(GUTTER + 6 * MIN_HOUR_WIDTH, self.sizeHint().height())

    # -- painting -------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.palette().color(self.backgroundRole()))
        if self._tz is not None:
            self._paint_grid(painter)
            for n, placed in enumerate(self._placed()):
                self._paint_bar(painter, placed, n == self._current)
            self._paint_now(painter)
            self._paint_legend(painter)
        painter.end()

    def _paint_grid(self, painter: QPainter) -> None:
        first, last = self._hours
        bottom = HEADER + ROW * len(self._rows)
        painter.setPen(QPen(GRID_COLOUR, 1))
        for n in range(len(self._rows) + 1):
            painter.drawLine(QPointF(0, HEADER + n * ROW), QPointF(self.width(), HEADER + n * ROW))
        step = 1 if (self.width() - GUTTER) / (last - first) >= MIN_HOUR_WIDTH else 2
        for hour in range(first, last + 1):
            x = self._x(hour)
            painter.setPen(QPen(GRID_COLOUR, 1))
            painter.drawLine(QPointF(x, HEADER - 4), QPointF(x, bottom))
            if (hour - first) % step == 0 and hour < last:
                painter.setPen(TEXT_COLOUR)
                painter.drawText(
                    QRectF(x + 2, 0, 60, HEADER - 4),
                    Qt.AlignmentFlag.AlignVCenter,
                    f"{hour:02d}:00",
                )
        painter.setPen(TEXT_COLOUR)
        for n, row in enumerate(self._rows):
            cell = QRectF(PAD, HEADER + n * ROW, GUTTER - 2 * PAD, ROW)
            painter.drawText(
                cell,
                Qt.AlignmentFlag.AlignVCenter,
                painter.fontMetrics().elidedText(
                    row.chair, Qt.TextElideMode.ElideRight, int(cell.width())
                ),
            )

    def _paint_bar(self, painter: QPainter, placed: _Placed, current: bool) -> None:
        text, fill = bar_colours(placed.bar)
        outline = QPen(QColor("#000000") if current else text, 3 if current else 1)
        painter.setPen(outline)
        painter.setBrush(fill)
        painter.drawRoundedRect(placed.rect, 4, 4)
        label = f"Late: {placed.bar.label}" if placed.bar.is_late else placed.bar.label
        inner = placed.rect.adjusted(5, 0, -4, 0)
        painter.setPen(text)
        painter.drawText(
            inner,
            Qt.AlignmentFlag.AlignVCenter,
            painter.fontMetrics().elidedText(
                label, Qt.TextElideMode.ElideRight, int(inner.width())
            ),
        )

    def _paint_now(self, painter: QPainter) -> None:
        if self._now is None:
            return
        hour = self._local_hour(self._now)
        first, last = self._hours
        if not first <= hour <= last:
            return
        x = self._x(hour)
        top, bottom = QPointF(x, HEADER - 6), QPointF(x, HEADER + ROW * len(self._rows))
        painter.setPen(QPen(QColor("#FFFFFF"), 5))
        painter.drawLine(top, bottom)
        painter.setPen(QPen(NOW_COLOUR, 2))
        painter.drawLine(top, bottom)

    def _paint_legend(self, painter: QPainter) -> None:
        """What the colours mean, under the chairs; the now-line is named too."""
        top = HEADER + ROW * len(self._rows) + 6
        x = float(PAD)
        metrics = painter.fontMetrics()
        for kind, caption in LEGEND_ITEMS:
            text, fill = COLOURS[kind]
            swatch = QRectF(x, top, metrics.horizontalAdvance(caption) + 12, LEGEND - 8)
            painter.setPen(QPen(text, 1))
            painter.setBrush(fill)
            painter.drawRoundedRect(swatch, 4, 4)
            painter.drawText(swatch, Qt.AlignmentFlag.AlignCenter, caption)
            x = swatch.right() + 8
        if self._now is not None:
            painter.setPen(QPen(NOW_COLOUR, 2))
            middle = top + (LEGEND - 8) / 2
            painter.drawLine(QPointF(x + 4, top), QPointF(x + 4, top + LEGEND - 8))
            painter.setPen(TEXT_COLOUR)
            now = self._now.astimezone(self._zone())
            painter.drawText(QPointF(x + 10, middle + metrics.ascent() / 2 - 1), f"Now {now:%H:%M}")

    # -- interaction ----------------------------------------------------------------------

    def _choose(self, index: int | None) -> None:
        self._current = index
        self._name_current()
        self.update()

    def _name_current(self) -> None:
        bar = self.current_bar()
        self.setAccessibleName(NAME if bar is None else f"{NAME}: {self.bar_text(bar)}")
        post_event(self, QAccessible.Event.NameChanged)

    def event(self, event: QEvent) -> bool:
        """A bar's tooltip is its text with its chair."""
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self._bar_at(QPointF(event.pos()))
            if index is None:
                QToolTip.hideText()
                event.ignore()
            else:
                QToolTip.showText(event.globalPos(), self.bar_text(self.bars()[index]), self)
            return True
        return super().event(event)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        index = self._bar_at(event.position())
        if index is not None:
            self._choose(index)
        super().mousePressEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        index = self._bar_at(event.position())
        if index is not None:
            self._choose(index)
            self._activate()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        count = len(self.bars())
        key = event.key()
        if count and key in (Qt.Key.Key_Right, Qt.Key.Key_Down):
            self._choose(0 if self._current is None else min(self._current + 1, count - 1))
        elif count and key in (Qt.Key.Key_Left, Qt.Key.Key_Up):
            self._choose(0 if self._current is None else max(self._current - 1, 0))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._current is not None:
            self._activate()
        else:
            super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        if self._current is None and self.bars():
            self._choose(0)
        super().focusInEvent(event)

    def _activate(self) -> None:
        bar = self.current_bar()
        if bar is not None and bar.booking_id is not None:
            self.booking_chosen.emit(bar.booking_id)
