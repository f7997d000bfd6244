"""Page layout shared by every sheet: paper size, header with identity, "page X of Y", styles.

Every page repeats the clinic, the sheet title and the patient identity in the header, so a page
that falls out of the folder still says whose it is. Tables repeat their header row when they
break and never split a row (reportlab splits tables between rows only).
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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Table, TableStyle

from clinic_app.reports.fonts import register_fonts

MARGIN = 14 * mm
HEADER_HEIGHT = 20 * mm
FOOTER_HEIGHT = 10 * mm
GRID = colors.HexColor("#555555")
ALERT = colors.HexColor("#B00020")
SHADE = colors.HexColor("#EEEEEE")


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
    """What the header and footer of every page show."""

    title: str
    clinic_name: str
    patient_line: str | None
    printed_at: str


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


def make_styles() -> Styles:
    """The styles, in the embedded font (registered on first use)."""
    regular, bold = register_fonts()

    def style(name: str, size: float, font: str = regular, **extra: Any) -> ParagraphStyle:
        return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * 1.25,
                              alignment=TA_LEFT, **extra)

    return Styles(
        body=style("body", 10.5),
        small=style("small", 8.5),
        bold=style("bold", 10.5, bold),
        heading=style("heading", 13, bold, spaceBefore=8, spaceAfter=4),
        title=style("title", 16, bold, spaceAfter=4),
        alert=style("alert", 12, bold, textColor=ALERT),
        cell=style("cell", 9.5),
        cell_bold=style("cell_bold", 9.5, bold),
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

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            _draw_frame(self, self.identity, number, total)
            super().showPage()
        super().save()


def _draw_frame(canvas: Canvas, identity: SheetIdentity, page: int, total: int) -> None:
    regular, bold = register_fonts()
    width, height = canvas._pagesize
    top = height - MARGIN
    canvas.saveState()
    canvas.setFont(regular, 8.5)
    canvas.drawString(MARGIN, top - 8, identity.clinic_name)
    canvas.setFont(bold, 12)
    canvas.drawString(MARGIN, top - 22, identity.title)
    if identity.patient_line:
        canvas.setFont(bold, 11)
        canvas.drawRightString(width - MARGIN, top - 22, identity.patient_line)
    canvas.setStrokeColor(GRID)
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, top - 28, width - MARGIN, top - 28)
    canvas.setFont(regular, 8.5)
    canvas.drawString(MARGIN, MARGIN - 2, f"Printed {identity.printed_at}")
    canvas.drawRightString(width - MARGIN, MARGIN - 2, f"Page {page} of {total}")
    canvas.restoreState()


def render_pdf(story: list[Flowable], identity: SheetIdentity, paper: PaperSize,
               out: Path | None = None) -> bytes:
    """Lay out ``story`` on ``paper``; returns the PDF bytes and writes ``out`` if given."""
    register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer, pagesize=paper.size, title=identity.title, author=identity.clinic_name,
        leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + HEADER_HEIGHT,
        bottomMargin=MARGIN + FOOTER_HEIGHT,
    )

    class _Canvas(_NumberedCanvas):
        pass

    _Canvas.identity = identity
    doc.build(story, canvasmaker=_Canvas)
    data = buffer.getvalue()
    if out is not None:
        out.write_bytes(data)
    return data


def usable_width(paper: PaperSize) -> float:
    """Width between the margins, for sizing table columns."""
    return paper.size[0] - 2 * MARGIN


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped, so names with '&' or '<' print as typed)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)
