"""How dates, times, sexes and voided rows are written on the patient and course screens.

Dates and times themselves are written by :mod:`clinic_app.domain.dates` (the clinic's one date
format, a setting; times on the 24-hour clock in the clinic's zone). Small helpers the views call
(no I/O).
"""

from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QTableView

from clinic_app.domain.dates import date_text

SEX_LABELS = {"female": "Female", "male": "Male", "other": "Other", "unknown": "Unknown"}
VOIDED_COLOUR = QColor("#8A8A8A")
ALERT_COLOUR = QColor("#B00020")


def age_years(born: date, today: date) -> int:
    """Whole years from ``born`` to ``today`` (a birthday on 29 February counts on 1 March)."""
    before_birthday = (today.month, today.day) < (born.month, born.day)
    return today.year - born.year - int(before_birthday)


def born_text(born: date, today: date) -> str:
    """``29 Feb 1980 (46 y)`` (the date in the clinic's format)."""
    return f"{date_text(born)} ({age_years(born, today)} y)"


def sex_text(sex: str) -> str:
    """The sex as shown ("Female")."""
    return SEX_LABELS.get(sex, sex.capitalize())


def struck_font(base: QFont | None = None) -> QFont:
    """The font for a voided row: struck through (the row stays visible)."""
    font = QFont(base) if base is not None else QFont()
    font.setStrikeOut(True)
    return font


def rich(text: str) -> str:
    """``text`` made safe inside a rich-text label (what was typed shows as typed)."""
    return escape(text, quote=False)


def chair_text(chair: str) -> str:
    """"chair 3" for "3"; a chair already named ("Chair 3", "Bed 2") as it is."""
    return chair if not chair or not chair[0].isdigit() else f"chair {chair}"


def compact_rows(table: QTableView) -> None:
    """Rows one text line high, so more of a list fits on a 768-pixel screen."""
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
