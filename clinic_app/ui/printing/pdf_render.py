"""PDF bytes into QtPdf documents, and documents onto a printer (page by page, as images).

QtPdf renders each page to an image at the printer's resolution (capped, so a 1200 dpi printer
does not need a gigabyte per page); the image fills the paper because the printer is set to
full-page mode and the sheets carry their own margins.
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, QSizeF
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

MAX_PRINT_DPI = 300


class PdfNotReadable(RuntimeError):
    """The bytes are not a PDF that QtPdf can open."""


def load_pdf(data: bytes, parent: QObject) -> QPdfDocument:
    """A document over ``data`` (the buffer is owned by the document and lives as long)."""
    document = QPdfDocument(parent)
    buffer = QBuffer(document)
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready or document.pageCount() < 1:
        raise PdfNotReadable(f"The sheet could not be opened for preview ({document.error()}).")
    return document


def prepare_printer(printer: QPrinter, document: QPdfDocument) -> None:
    """Full-page mode and the paper of the document's first page, as the dialog's default."""
    printer.setFullPage(True)
    size = document.pagePointSize(0)
    page_size = QPageSize(QSizeF(size.width(), size.height()), QPageSize.Unit.Point)
    orientation = (QPageLayout.Orientation.Landscape if size.width() > size.height()
                   else QPageLayout.Orientation.Portrait)
    printer.setPageSize(page_size)
    printer.setPageOrientation(orientation)


def _pages_to_print(printer: QPrinter, count: int) -> range:
    first, last = printer.fromPage(), printer.toPage()
    if first <= 0 and last <= 0:
        return range(count)
    return range(max(first, 1) - 1, min(last if last > 0 else count, count))


def print_document(document: QPdfDocument, printer: QPrinter) -> int:
    """Paint every chosen page of ``document`` onto ``printer``; returns the pages printed."""
    pages = _pages_to_print(printer, document.pageCount())
    dpi = min(printer.resolution(), MAX_PRINT_DPI)
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be started. Check that it is on and try again.")
    try:
        for n, page in enumerate(pages):
            if n:
                printer.newPage()
            points = document.pagePointSize(page)
            image = document.render(page, QSize(round(points.width() / 72 * dpi),
                                                round(points.height() / 72 * dpi)))
            target = QRectF(painter.viewport())
            painter.drawImage(target, image)
    finally:
        painter.end()
    return len(pages)
