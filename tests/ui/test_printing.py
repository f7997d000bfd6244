"""Print preview: a sheet is shown page by page, saved as a PDF file, or printed page by page."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QObject, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from clinic_app.ui.printing.pdf_preview import PdfPreviewDialog
from clinic_app.ui.printing.pdf_render import PdfNotReadable, load_pdf

pytestmark = pytest.mark.gui


def two_page_pdf() -> bytes:
    out = io.BytesIO()
    sheet = canvas.Canvas(out, pagesize=A4)
    for page in (1, 2):
        sheet.drawString(72, 760, f"Monitoring checklist page {page}")
        sheet.showPage()
    sheet.save()
    return out.getvalue()


@pytest.fixture
def preview(qtbot) -> PdfPreviewDialog:
    dialog = PdfPreviewDialog("Monitoring checklist", two_page_pdf(), "checklist.pdf")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_preview_shows_every_page_of_the_sheet(preview):
    assert preview.document.pageCount() == 2
    assert preview.view.document() is preview.document
    assert "Monitoring checklist" in preview.windowTitle()


def test_save_as_pdf_writes_the_sheet_where_the_nurse_chose(preview, qtbot, tmp_path,
                                                            monkeypatch):
    target = tmp_path / "saved" / "my-checklist"
    target.parent.mkdir()
    asked: list[str] = []

    def choose(_parent, _caption, suggested, _filter):
        asked.append(suggested)
        return str(target), "PDF files (*.pdf)"

    monkeypatch.setattr(QFileDialog, "getSaveFileName", choose)
    with qtbot.waitSignal(preview.saved) as saved:
        qtbot.keyClick(preview, "s", modifier=Qt.KeyboardModifier.ControlModifier)
    assert asked[0].endswith("checklist.pdf")
    written = Path(saved.args[0])
    assert written.name == "my-checklist.pdf"
    reader = PdfReader(written)
    assert "Monitoring checklist page 2" in reader.pages[1].extract_text()


def test_cancelling_the_save_dialog_writes_nothing(preview, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_args: ("", ""))
    preview.save_as_pdf()
    assert list(tmp_path.iterdir()) == []


def test_printing_sends_every_page_to_the_printer(preview, tmp_path):
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert preview.print_to(printer) == 2
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == 2


def test_bytes_that_are_not_a_pdf_are_refused_with_a_message(qtbot):
    owner = QObject()
    with pytest.raises(PdfNotReadable, match="could not be opened"):
        load_pdf(b"not a pdf", owner)


def open_previews(window) -> list[PdfPreviewDialog]:
    return [d for d in window.findChildren(PdfPreviewDialog) if d.isVisible()]


def test_the_day_list_opens_in_the_preview_and_saves_as_a_pdf_with_the_patients(
        qtbot, demo_window, tmp_path, monkeypatch):
    today = demo_window.today
    qtbot.mouseClick(today.print_day_list, Qt.MouseButton.LeftButton)
    previews = open_previews(demo_window)
    assert len(previews) == 1
    preview = previews[0]
    assert not preview.isModal()
    assert "Day list 2 Mar 2026" in preview.windowTitle()
    target = tmp_path / "day-list.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        lambda *_args: (str(target), "PDF files (*.pdf)"))
    qtbot.mouseClick(preview.save_button, Qt.MouseButton.LeftButton)
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Łukasz" in text
    assert "Day list" in text or "day list" in text.lower()


def test_the_file_menu_previews_a_blank_checklist(qtbot, demo_window):
    demo_window.actions_.blank_checklists["infliximab"].trigger()
    preview = open_previews(demo_window)[0]
    assert "infliximab" in preview.windowTitle()
    assert preview.document.pageCount() >= 1


def test_each_blank_checklist_in_the_file_menu_has_its_own_alt_letter(demo_window):
    texts = [a.text() for a in demo_window.actions_.blank_checklists.values()]
    letters = [text[text.index("&") + 1].lower() for text in texts]
    assert len(set(letters)) == len(texts) == 4
    assert "&Infliximab (infliximab)" in texts
