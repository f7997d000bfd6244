"""Confirm the end of the infusion: when it ended, the volume infused against the volume planned,
and a reason when the bag is not empty.

The nurse records the actual end (issue 12, "Ending late"): by default now, editable back to the
last recorded moment of the infusion and never into the future; while the pump is paused the
infusion ends at the pause and the time is not editable. The figures for the chosen moment (volume
infused, what is left, the dose in it, whether a reason is needed) come from
:func:`clinic_app.services.visits.end_preview`, called through ``preview``; the widget only shows
them. Ending early records the volume infused so far (and the dose in it) as what was given, so
it needs a reason (the service refuses one without it, on "reason"). The dialog's behaviour is
:class:`~clinic_app.ui.reason_dialog.ReasonDialog`'s.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, tzinfo

from PySide6.QtCore import QDate, QDateTime, QTime
from PySide6.QtWidgets import QDateTimeEdit, QHBoxLayout, QLabel, QWidget

from clinic_app.domain.dates import time_text
from clinic_app.domain.units import plain
from clinic_app.services.visits.dto import EndPreview, VisitDetail
from clinic_app.ui.date_edits import show_clinic_format, typed_moment
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.reason_dialog import WARNING_STYLE, ReasonDialog, wrapped

#: The service's figures for an end at a moment (None: now).
Preview = Callable[[datetime | None], EndPreview]


def _qt_local(moment: datetime, tz: tzinfo) -> QDateTime:
    local = moment.astimezone(tz)
    return QDateTime(QDate(local.year, local.month, local.day),
                     QTime(local.hour, local.minute, local.second))


class EndInfusionDialog(ReasonDialog):
    """Asks before ending; ``confirmed`` carries the reason typed ('' when the bag is empty) and
    :meth:`chosen_at` the end time (None: now)."""

    def __init__(self, detail: VisitDetail, preview: Preview, tz: tzinfo,
                 parent: QWidget | None = None) -> None:
        self._preview, self._tz = preview, tz
        self._planned = plain(detail.dose_plan.final_volume_ml)
        self._first = preview(None)
        self.figures = self._first
        self.early = self._first.needs_reason
        super().__init__(title="End infusion", caption="&Reason for ending early (required)",
                         reason_name="Reason for ending early", confirm_text="End infusion",
                         confirm_name="Confirm end of infusion",
                         discard_what="reason for ending early", parent=parent)
        self.end_time = QDateTimeEdit(_qt_local(self._first.at, tz))
        show_clinic_format(self.end_time, with_time=True)
        self.end_time.setAccessibleName("Time the infusion ended")
        self.end_time.setMinimumDateTime(_qt_local(self._first.earliest, tz))
        self.end_time.setMaximumDateTime(_qt_local(self._first.latest, tz))
        self.end_time.setEnabled(not self._first.paused)
        self.time_caption = QLabel("Ended &at")
        self.time_caption.setBuddy(self.end_time)
        self.time_hint = wrapped("", "End time hint")
        row = QHBoxLayout()
        row.addWidget(self.time_caption)
        row.addWidget(self.end_time)
        row.addStretch(1)
        self.volumes = wrapped("", "Volume infused")
        self.warning = wrapped("", "Ending early", WARNING_STYLE)
        self.intro.addLayout(row)
        self.intro.addWidget(self.time_hint)
        self.intro.addWidget(self.volumes)
        self.intro.addWidget(self.warning)
        self._show(self._first)
        self.end_time.dateTimeChanged.connect(self._time_changed)
        typed_moment(self.end_time).refused.connect(
            lambda reason: self.show_error(f"End time not changed: {reason}"))
        (self.reason if self.early else self.cancel).setFocus()

    def asks_reason(self) -> bool:
        """A reason only when the bag is not empty at the chosen end."""
        return self.early

    def has_unsaved_input(self) -> bool:
        """True while open with a reason typed or the end time changed, and not saved."""
        time_changed = self.isVisible() and not self.saved and self.chosen_at() is not None
        return super().has_unsaved_input() or time_changed

    def reject(self) -> None:
        """Qt override: the question names what would be lost (the reason, else the time)."""
        typed_reason = ReasonDialog.has_unsaved_input(self)
        self._discard_what = "reason for ending early" if typed_reason else "end time"
        super().reject()

    def chosen_at(self) -> datetime | None:
        """The end time chosen, to the minute (never before the last recorded moment); None when
        left at its default (now, to the second)."""
        if self.end_time.dateTime() == _qt_local(self._first.at, self._tz):
            return None
        value = self.end_time.dateTime()
        day, at = value.date(), value.time()
        typed = datetime(day.year(), day.month(), day.day(), at.hour(), at.minute(),
                         tzinfo=self._tz)
        return max(typed, self._first.earliest)

    def _time_changed(self) -> None:
        try:
            figures = self._preview(self.chosen_at())
        except EXPECTED_ERRORS as exc:
            self.show_error(str(exc))
            return
        self.show_error("")
        self._show(figures)

    def _show(self, figures: EndPreview) -> None:
        self.figures = figures
        self.early = figures.needs_reason
        if figures.paused:
            self.time_hint.setText(f"The pump is paused: the infusion ends at the pause "
                                   f"({time_text(figures.at, self._tz)}).")
        else:
            self.time_hint.setText(f"When the infusion actually ended: from "
                                   f"{time_text(figures.earliest, self._tz)} (the last recorded "
                                   f"moment) to now.")
        shown = plain(figures.infused_ml)
        self.volumes.setText(f"Infused {shown} mL of {self._planned} mL planned.")
        self.warning.setText("")
        if self.early:
            dose = f" (\u2248{plain(figures.given_mg)} mg of {plain(figures.dose_mg)} mg prepared)"
            self.warning.setText(f"{plain(figures.remaining_ml)} mL are still in the bag. Ending "
                                 f"now records {shown} of {self._planned} mL infused{dose} as "
                                 f"given: say why the infusion ends early.")
        for widget in (self.warning, self.caption, self.reason):
            widget.setVisible(self.early)
        self._update()
