"""The preview dialog for every printed sheet: the pages, "Save as PDF…" and "Print…".

Shown non-modally (``show()``) so the nurse can keep the visit open beside it; the dialog owns
its document and is deleted when closed.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.errors import show_error
from clinic_app.ui.printing.pdf_render import load_pdf, prepare_printer, print_document


def _button(text: str, name: str,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None
            ) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    if shortcut is not None:
        button.setShortcut(QKeySequence(shortcut))
    return button


class PdfPreviewDialog(QDialog):
    """Pages of one sheet, with Save as PDF (Ctrl+S), Print (Ctrl+P) and Close (Esc)."""

    saved = Signal(str)  # the path written
    printed = Signal(int)  # pages sent to the printer

    def __init__(self, title: str, data: bytes, suggested_name: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(f"Print preview — {title}")
        self.setAccessibleName("Print preview")
        self.title = title
        self.data = data
        self.suggested_name = suggested_name
        self.document = load_pdf(data, self)
        self._build()
        self.resize(900, 720)

    def _build(self) -> None:
        self.view = QPdfView(self)
        self.view.setAccessibleName("Sheet preview")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        # Fit-to-width with a scroll bar that comes and goes makes the view re-layout forever
        # (the bar changes the width, the width changes the page height): keep the bars fixed.
        self.view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.view.setDocument(self.document)
        pages = self.document.pageCount()
        info = ValueLabel("Sheet", f"<b>{self.title}</b> — {pages} page{'s' if pages != 1 else ''}")
        self.save_button = _button("&Save as PDF…", "Save as PDF", QKeySequence.StandardKey.Save)
        self.print_button = _button("&Print…", "Print", QKeySequence.StandardKey.Print)
        close_button = _button("Close", "Close")
        self.save_button.clicked.connect(self.save_as_pdf)
        self.print_button.clicked.connect(self.choose_printer)
        close_button.clicked.connect(self.close)
        bar = QHBoxLayout()
        bar.addWidget(info, 1)
        for button in (self.save_button, self.print_button, close_button):
            bar.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.view, 1)
        self.print_button.setDefault(True)

    def _default_path(self) -> str:
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation)
        return str(Path(folder) / self.suggested_name) if folder else self.suggested_name

    def save_as_pdf(self) -> None:
        """Ask where, then write the sheet's bytes there (an error says what went wrong)."""
        path, _ = QFileDialog.getSaveFileName(
            self, "Save as PDF", self._default_path(), "PDF files (*.pdf)")
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            Path(path).write_bytes(self.data)
        except OSError as exc:
            show_error(self, OSError(f"The file could not be written: {exc.strerror or exc}. "
                                     "Choose another folder and try again."))
            return
        self.saved.emit(path)

    def choose_printer(self) -> None:
        """Open the system print dialog (non-blocking); printing starts when it is accepted."""
        self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare_printer(self.printer, self.document)
        dialog = QPrintDialog(self.printer, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.print_to(self.printer))
        # QDialog.open() takes no argument; the PySide6 stubs list only open(receiver, member)
        dialog.open()  # type: ignore[call-arg]

    def print_to(self, printer: QPrinter) -> int:
        """Print the sheet on ``printer``; returns the pages printed."""
        try:
            pages = print_document(self.document, printer)
        except OSError as exc:
            show_error(self, exc, title="Not printed")
            return 0
        self.printed.emit(pages)
        return pages
