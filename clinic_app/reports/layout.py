"""Page layout shared by every sheet: paper size, header with identity, "page X of Y", styles.

Every page repeats the clinic, the sheet title, the patient identity (on two lines rather than in
unreadably small type when a name is very long) and the alert line (the allergies) in the header,
so a page that falls out of the folder still says whose it is; the footer says when it was printed
and "Page X of Y". Tables repeat their header row when they break and never split a row
(reportlab splits tables between rows only); a heading starts a new page rather than sit alone at
the foot of one. Sheets print portrait, or landscape where the table is wide (the day list).

A sheet for the clipboard (the bedside checklist, issue 12: two sides) prints on the
:data:`CLIPBOARD` frame: narrower margins, a header just as tall as its lines, and the
:func:`make_styles` ``compact`` styles (nothing smaller than 8 pt).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
    TableStyle,
)

from clinic_app.reports.fonts import register_fonts

MARGIN = 14 * mm
HEADER_HEIGHT = 23 * mm
HEADER_LINE = 15  # points per line of the header (title, identity, alert)
IDENTITY_SIZE = 12
IDENTITY_SPLIT_BELOW = 10  # a longer identity is printed on two lines rather than smaller
IDENTITY_SEPARATOR = "  \u00b7  "
HEADING_ROOM = 45 * mm  # a heading starts a new page unless this much room is left under it
FOOTER_HEIGHT = 10 * mm
GRID = colors.HexColor("#555555")
ALERT = colors.HexColor("#B00020")
SHADE = colors.HexColor("#EEEEEE")


@dataclass(frozen=True)
class PageFrame:
    """The margins of a sheet. ``header_height`` None: as tall as the header's lines."""

    margin: float
    footer_height: float
    header_height: float | None
    padding: float = 6  # inside the margins, around the text (reportlab's default)


STANDARD = PageFrame(margin=MARGIN, footer_height=FOOTER_HEIGHT, header_height=HEADER_HEIGHT)
CLIPBOARD = PageFrame(margin=10 * mm, footer_height=3 * mm, header_height=None, padding=0)


class PaperSize(StrEnum):
    """Paper the clinic prints on (a setting)."""

    A4 = "a4"
    LETTER = "letter"

    @property
    def size(self) -> tuple[float, float]:
        """Width and height in points."""
        return A4 if self is PaperSize.A4 else LETTER


@dataclass(frozen=True)
class SheetIdentity:
    """What the header and footer of every page show.

    ``patient_line`` (name, MRN, date of birth) is printed large on every page; ``alert_line``
    (e.g. the allergies) in red under it, so a loose page still carries them.
    """

    title: str
    clinic_name: str
    patient_line: str | None
    printed_at: str
    alert_line: str | None = None


@dataclass(frozen=True)
class Styles:
    """Paragraph styles sized to be read at arm's length."""

    body: ParagraphStyle
    small: ParagraphStyle
    bold: ParagraphStyle
    heading: ParagraphStyle
    title: ParagraphStyle
    alert: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_small: ParagraphStyle
    cell_small_bold: ParagraphStyle
    big: ParagraphStyle
    cell_alert: ParagraphStyle


def make_styles(*, compact: bool = False) -> Styles:
    """The styles, in the embedded font (registered on first use); ``compact`` for a sheet that
    must fit a clipboard: tables in 8-8.5 pt, never smaller."""
    regular, bold = register_fonts()
    line = 1.15 if compact else 1.25

    def style(name: str, size: float, font: str = regular, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * line,
                              alignment=TA_LEFT, **extra)

    cell, small, heading_size = (8, 8, 10.5) if compact else (9.5, 8.5, 13)
    return Styles(
        body=style("body", 9 if compact else 10.5),
        small=style("small", small),
        bold=style("bold", 9 if compact else 10.5, bold),
        heading=style("heading", heading_size, bold, spaceBefore=4 if compact else 9,
                      spaceAfter=2 if compact else 4),
        title=style("title", 16, bold, spaceAfter=4),
        alert=style("alert", 10 if compact else 12, bold, textColor=ALERT),
        cell=style("cell", cell),
        cell_bold=style("cell_bold", cell, bold),
        cell_small=style("cell_small", small),
        cell_small_bold=style("cell_small_bold", small, bold),
        big=style("big", 11 if compact else 13, bold),
        cell_alert=style("cell_alert", cell, bold, textColor=ALERT),
    )


def grid_table(rows: list[list[Any]], col_widths: list[float], *, header_rows: int = 1,
               row_height: float | None = None, extra: list[tuple[Any, ...]] | None = None
               ) -> Table:
    """A ruled table whose header rows repeat on every page it spans."""
    table = Table(rows, colWidths=col_widths, repeatRows=header_rows,
                  rowHeights=None if row_height is None else [None] * header_rows
                  + [row_height] * (len(rows) - header_rows))
    regular, bold = register_fonts()
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), regular),
        ("FONTSIZE", (0, 0), (-1, -1), 9.5),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands += [("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
                     ("FONTNAME", (0, 0), (-1, header_rows - 1), bold)]
    table.setStyle(TableStyle(commands + (extra or [])))
    return table


class _NumberedCanvas(Canvas):
    """A canvas that knows the page count when it draws the footer ("page X of Y")."""

    identity: SheetIdentity
    sheet_size: tuple[float, float]  # width and height in points, as given to the document
    frame: PageFrame

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        # reportlab's own "page X of Y" recipe; the stubs leave out this private method
        self._startPage()  # type: ignore[attr-defined]

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            _draw_frame(self, self.identity, self.sheet_size, self.frame.margin,
                        (number, total))
            super().showPage()
        super().save()


def _fitted_size(text: str, font: str, size: float, width: float, smallest: float) -> float:
    """The largest font size (down to ``smallest``) at which ``text`` fits ``width``."""
    while size > smallest and stringWidth(text, font, size) > width:
        size -= 0.5
    return size


def _draw_line(canvas: Canvas, text: str, font: str, size: float, at: tuple[float, float],
               width: float) -> None:
    canvas.setFont(font, _fitted_size(text, font, size, width, 7))
    canvas.drawString(*at, text)


def _identity_lines(line: str | None, font: str, width: float) -> list[str]:
    """The identity on one line, or on two (name, then the rest) when one line would have to
    shrink below a readable size."""
    if not line:
        return []
    name, separator, rest = line.partition(IDENTITY_SEPARATOR)
    fits = _fitted_size(line, font, IDENTITY_SIZE, width, 1) >= IDENTITY_SPLIT_BELOW
    return [line] if fits or not separator else [name, rest]


def _header_lines(identity: SheetIdentity, inner: float) -> int:
    """How many lines the header takes: the title, the identity (one or two), the alert."""
    _regular, bold = register_fonts()
    return (1 + len(_identity_lines(identity.patient_line, bold, inner))
            + (1 if identity.alert_line else 0))


def _draw_frame(canvas: Canvas, identity: SheetIdentity, size: tuple[float, float],
                margin: float, page: tuple[int, int]) -> None:
    """Header: title and clinic, the patient identity, the alert line; footer: printed, page
    (``page`` is this page's number and the count)."""
    regular, bold = register_fonts()
    width, height = size
    inner = width - 2 * margin
    top = height - margin
    canvas.saveState()
    clinic_size = _fitted_size(identity.clinic_name, regular, 8.5, inner / 2, 6)
    canvas.setFont(regular, clinic_size)
    canvas.drawRightString(width - margin, top - 9, identity.clinic_name)
    clinic_width = stringWidth(identity.clinic_name, regular, clinic_size)
    _draw_line(canvas, identity.title, bold, 12, (margin, top - 9), inner - clinic_width - 12)
    rule = top - HEADER_LINE
    for line in _identity_lines(identity.patient_line, bold, inner):
        _draw_line(canvas, line, bold, IDENTITY_SIZE, (margin, rule - 11), inner)
        rule -= HEADER_LINE
    if identity.alert_line:
        canvas.setFillColor(ALERT)
        _draw_line(canvas, identity.alert_line, bold, 10, (margin, rule - 11), inner)
        rule -= HEADER_LINE
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.8)
    canvas.line(margin, rule, width - margin, rule)
    canvas.setFillColor(colors.black)
    canvas.setFont(regular, 8.5)
    canvas.drawString(margin, margin - 2, f"Printed {identity.printed_at}")
    canvas.setFont(bold, 10)
    canvas.drawRightString(width - margin, margin - 2, f"Page {page[0]} of {page[1]}")
    canvas.restoreState()


def page_size(paper: PaperSize, landscape: bool = False) -> tuple[float, float]:
    """Width and height of the page in points, turned sideways for ``landscape``."""
    width, height = paper.size
    return (height, width) if landscape else (width, height)


def render_pdf(story: list[Flowable], identity: SheetIdentity, paper: PaperSize,
               out: Path | None = None, *, landscape: bool = False,
               frame: PageFrame = STANDARD) -> bytes:
    """Lay out ``story`` on ``paper``; returns the PDF bytes and writes ``out`` if given."""
    register_fonts()
    buffer = io.BytesIO()
    size = page_size(paper, landscape)
    header = frame.header_height
    if header is None:
        header = HEADER_LINE * _header_lines(identity, size[0] - 2 * frame.margin) + 4
    doc = BaseDocTemplate(
        buffer, pagesize=size, title=identity.title,
        author=identity.clinic_name,
        leftMargin=frame.margin, rightMargin=frame.margin, topMargin=frame.margin + header,
        bottomMargin=frame.margin + frame.footer_height,
    )
    text = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="normal",
                 leftPadding=frame.padding, rightPadding=frame.padding,
                 topPadding=frame.padding, bottomPadding=frame.padding)
    doc.addPageTemplates([PageTemplate(id="page", frames=[text])])

    class _Canvas(_NumberedCanvas):
        pass

    _Canvas.identity = identity
    _Canvas.sheet_size = size
    _Canvas.frame = frame
    doc.build(story, canvasmaker=_Canvas)
    data = buffer.getvalue()
    if out is not None:
        out.write_bytes(data)
    return data


def usable_width(paper: PaperSize, landscape: bool = False,
                 frame: PageFrame = STANDARD) -> float:
    """Width between the margins, for sizing table columns."""
    return page_size(paper, landscape)[0] - 2 * frame.margin


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped, so names with '&' or '<' print as typed)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def heading(text: str, styles: Styles, room: float = HEADING_ROOM) -> list[Flowable]:
    """A section heading that never sits alone at the foot of a page: it starts a new page
    unless ``room`` is left for it and the first rows under it."""
    return [CondPageBreak(room), para(text, styles.heading)]


def section(title: str, styles: Styles, *flowables: Flowable) -> KeepTogether:
    """A heading with a short block kept on one page with it (moved whole to the next page
    when it does not fit)."""
    return KeepTogether([para(title, styles.heading), *flowables])
