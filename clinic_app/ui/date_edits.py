"""Date and time pickers show the clinic's one date format (issue 12, the developers' list).

A picker reads and writes its date through Qt, never as text, so its display format is only
what the nurse sees: the clinic setting (:mod:`clinic_app.domain.dates`) turned into Qt's
pattern, with English month and weekday names (the C locale) as every screen and sheet spells
them, and times on the 24-hour clock.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDateTimeEdit

from clinic_app.domain.dates import DateFormat, date_format_in_use

QT_PATTERNS = {
    DateFormat.DAY_MONTH_YEAR: "d MMM yyyy",
    DateFormat.ISO: "yyyy-MM-dd",
    DateFormat.DAY_FIRST_SLASHES: "dd/MM/yyyy",
}


def qt_date_pattern(*, with_time: bool = False, weekday: bool = False) -> str:
    """Qt's display pattern for the clinic's date format ("d MMM yyyy HH:mm" with the time)."""
    pattern = QT_PATTERNS[date_format_in_use()]
    if weekday:
        pattern = f"ddd {pattern}"
    return f"{pattern} HH:mm" if with_time else pattern


def show_clinic_format(edit: QDateTimeEdit, *, with_time: bool, weekday: bool = False) -> None:
    """Make ``edit`` (a QDateEdit or QDateTimeEdit) show the clinic's date format."""
    edit.setLocale(QLocale.c())
    edit.setDisplayFormat(qt_date_pattern(with_time=with_time, weekday=weekday))
