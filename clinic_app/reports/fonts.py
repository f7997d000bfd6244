"""The embedded TrueType font for the sheets.

reportlab's built-in Helvetica prints Cyrillic as black boxes, so every sheet uses DejaVu Sans
(shipped in ``resources/fonts`` with its licence; the system copy from fonts-dejavu-core is the
fallback). Registration happens once, on first use, never at import time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from clinic_app.resource_files import resource_path

REGULAR = "ClinicSans"
BOLD = "ClinicSans-Bold"
_FILES = {REGULAR: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf"}
_SYSTEM_DIR = Path("/usr/share/fonts/truetype/dejavu")


def _font_file(name: str) -> str:
    shipped = resource_path("fonts", name)
    if shipped.is_file():
        return str(shipped)
    system = _SYSTEM_DIR / name
    if system.is_file():
        return str(system)
    raise FileNotFoundError(f"font {name} not found in resources/fonts or {_SYSTEM_DIR}")


@cache
def register_fonts() -> tuple[str, str]:
    """Register the regular and bold faces; returns their names for styles."""
    for face, file_name in _FILES.items():
        pdfmetrics.registerFont(TTFont(face, _font_file(file_name)))
    pdfmetrics.registerFontFamily(REGULAR, normal=REGULAR, bold=BOLD, italic=REGULAR,
                                  boldItalic=BOLD)
    return REGULAR, BOLD
