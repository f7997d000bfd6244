"""Date and time pickers show the clinic's one date format and take a date typed in one go.

A picker reads and writes its date through Qt, never as text, so its display format is only
what the nurse sees: the clinic setting (:mod:`clinic_app.domain.dates`) turned into Qt's
pattern, with English month and weekday names (the C locale) as every screen and sheet spells
them, and times on the 24-hour clock.

Typed in one go, a moment must be the moment saved. Qt's picker moves on to the next part by
itself once a part is complete ("2025" fills the year) and then took the separator the nurse
typed next ("-") as "skip a part": "2025-12-01 07:00" became 12 Mar 2025 01:07 without a word
(issue 12). :class:`TypedMoment` swallows a separator typed right after such a move, and a
pasted moment is read whole, in the picker's own format or any accepted day format, or refused
with the reason (never clamped to the picker's limits in silence).
"""

from __future__ import annotations

import re
from datetime import datetime

from PySide6.QtCore import QDate, QDateTime, QEvent, QLocale, QObject, QTime, Signal
from PySide6.QtGui import QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QDateTimeEdit

from clinic_app.domain.dates import DateFormat, date_format_in_use
from clinic_app.domain.errors import InvalidInput
from clinic_app.services.typed_input import parse_wall_moment

_PART = re.compile(r"[0-9A-Za-z]+")
_STARTS_OVER = (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress, QEvent.Type.FocusOut)
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
    """Make ``edit`` (a QDateEdit or QDateTimeEdit) show the clinic's date format and take a
    moment typed or pasted in one go (:class:`TypedMoment`)."""
    edit.setLocale(QLocale.c())
    edit.setDisplayFormat(qt_date_pattern(with_time=with_time, weekday=weekday))
    typed_moment(edit)


def typed_moment(edit: QDateTimeEdit) -> TypedMoment:
    """The :class:`TypedMoment` of ``edit`` (installed on first use)."""
    found = edit.findChild(TypedMoment)
    if isinstance(found, TypedMoment):
        return found
    keys = TypedMoment(edit)
    edit.installEventFilter(keys)
    edit.lineEdit().installEventFilter(keys)
    return keys


class TypedMoment(QObject):
    """Key handling that makes a picker take a whole typed or pasted moment as it was meant.

    ``refused`` carries the reason a pasted text was not taken (the picker is left as it was).
    """

    refused = Signal(str)

    def __init__(self, edit: QDateTimeEdit) -> None:
        super().__init__(edit)
        self._edit = edit
        #: What the nurse has typed since she started over the first part (None: she is
        #: editing part by part, or has not typed yet).
        self._typed: str | None = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _STARTS_OVER:
            self._typed = None
        if watched is not self._edit or event.type() != QEvent.Type.KeyPress:
            return False
        assert isinstance(event, QKeyEvent)
        if event.matches(QKeySequence.StandardKey.Paste):
            self._typed = None
            self.take_text(QGuiApplication.clipboard().text())
            return True
        typed = event.text()
        if len(typed) != 1 or not typed.isprintable():
            self._typed = None
            return False
        if self._whole_moment_typed(typed):
            return True
        self._skip_weekday_for_a_number(typed)
        return self._separator_after_auto_advance(typed)

    def _whole_moment_typed(self, typed: str) -> bool:
        """True when ``typed`` completes a whole moment typed over the picker from its first
        part: that moment is set as typed. Qt alone clamps a part as it goes (29 typed before
        Feb became 28 before the leap year was typed)."""
        line = self._edit.lineEdit()
        if self._typed is None and line.hasSelectedText() and line.selectionStart() == 0:
            self._typed = ""
        if self._typed is None:
            return False
        self._typed += typed
        value = _in_a_clinic_format(self._typed, with_time=_has_time(self._edit))
        if not value.isValid() or not self._in_limits(value):
            return False
        self._edit.setDateTime(value)
        return True

    def _skip_weekday_for_a_number(self, typed: str) -> None:
        """A number typed into the weekday part ("ddd 5 Jan 2026") starts the day part: the
        weekday follows from the date and is never typed."""
        edit = self._edit
        on_weekday = edit.displayFormat().startswith("ddd ") and edit.currentSectionIndex() == 0
        if typed.isdigit() and on_weekday:
            after_weekday = list(_PART.finditer(edit.lineEdit().text()))[1]
            edit.setCurrentSectionIndex(1)
            edit.lineEdit().setSelection(after_weekday.start(), len(after_weekday.group()))

    def _separator_after_auto_advance(self, typed: str) -> bool:
        """True (swallow the key) for a separator typed when the picker has just moved on to
        the next part by itself: that part is selected whole, right after a separator."""
        if len(typed) != 1 or typed.isalnum() or not typed.isprintable():
            return False
        line = self._edit.lineEdit()
        start = line.selectionStart()
        if start <= 0 or not line.hasSelectedText():
            return False
        return not line.text()[start - 1].isalnum()

    def take_text(self, text: str) -> None:
        """Read ``text`` as one whole moment; refused text leaves the picker as it was."""
        edit = self._edit
        value = _in_a_clinic_format(text.strip(), with_time=_has_time(edit))
        if not value.isValid():
            try:
                value = _qt(
                    parse_wall_moment(
                        text, with_time=_has_time(edit), field="picker", label="The pasted date"
                    )
                )
            except InvalidInput as refusal:
                self._refuse(str(refusal))
                return
        if not self._in_limits(value):
            low = edit.minimumDateTime().toString(edit.displayFormat())
            high = edit.maximumDateTime().toString(edit.displayFormat())
            self._refuse(f"{value.toString(edit.displayFormat())} is outside {low} to {high}.")
            return
        edit.setDateTime(value)

    def _in_limits(self, value: QDateTime) -> bool:
        return self._edit.minimumDateTime() <= value <= self._edit.maximumDateTime()

    def _refuse(self, reason: str) -> None:
        QApplication.beep()
        self.refused.emit(reason)


def _in_a_clinic_format(text: str, *, with_time: bool) -> QDateTime:
    """``text`` read whole in one of the clinic's date formats, written as that format writes
    it ("1 Dec 2" is not a year 2); invalid when none reads it."""
    for pattern in QT_PATTERNS.values():
        full = f"{pattern} HH:mm" if with_time else pattern
        value = QLocale.c().toDateTime(text, full)
        if value.isValid() and QLocale.c().toString(value, full) == text:
            return value
    return QDateTime()


def _has_time(edit: QDateTimeEdit) -> bool:
    return bool(edit.displayedSections() & QDateTimeEdit.Section.HourSection)


def _qt(moment: datetime) -> QDateTime:
    return QDateTime(
        QDate(moment.year, moment.month, moment.day), QTime(moment.hour, moment.minute)
    )
