"""Book or reschedule one dose: day, time and chair, with the dose's window and warnings in view.

The dose's own warnings (screening due, no open day in the window, overdue ...) stand at the top;
warnings about a day (``courses.DAY_WARNINGS``) are shown for the typed day instead. As the day
is typed, :func:`clinic_app.services.courses.booking_warnings` says what booking on
that day would warn about (too early after the previous dose, a long gap, outside the window, a
closed day); the answer is shown right under the day, before the nurse confirms, and the reason
field (a warning that needs a recorded reason) or the acknowledgement tick (one that needs
acknowledging) opens at once. Which one is needed is each warning's own flag, from the domain.
:func:`~clinic_app.services.courses.book_appointment` still decides: if it answers
:class:`~clinic_app.services.errors.OverrideRequired`, its message replaces the day's warnings
and both the reason and the tick are offered. The chair is chosen from the clinic's active
chairs (:mod:`clinic_app.services.chairs`); a chair another booking holds for part of the visit
is refused beside the chair, naming that booking's time. A visit outside opening hours asks for
a reason the same way (``OUTSIDE_HOURS``). Under the chair, the typed day's suggested chair-times
(:func:`~clinic_app.services.courses.suggest_slots`: free for the whole visit, levelled);
choosing one fills the time and the chair. A booking changed meanwhile on another workstation
(:class:`~clinic_app.services.errors.ConcurrentEditError`) offers "Reload keeping my changes":
the dose is loaded again with their change and every field the nurse changed keeps what she
typed, to check and book again; or "Discard my changes".
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QListWidget, QListWidgetItem, QWidget

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dates import time_text, weekday_date_text
from clinic_app.services import chairs as chairs_service
from clinic_app.services import courses
from clinic_app.services.courses.dto import SlotOffer
from clinic_app.services.errors import (
    ChairTaken,
    ConcurrentEditError,
    NotFound,
    OverrideRequired,
)
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.course.schedule_model import ScheduleRow, schedule_rows
from clinic_app.ui.course.warnings_panel import WarningsPanel, warning_html
from clinic_app.ui.errors import EXPECTED_ERRORS, ConflictChoice, ask_conflict, show_error
from clinic_app.ui.patients.display import chair_text, rich
from clinic_app.ui.patients.record_dialog import RecordDialog, Values
from clinic_app.ui.unsaved import DISCARD_CONFIRMED

DAY_HINT = "YYYY-MM-DD, DD.MM.YYYY or DD/MM/YYYY"
TIME_HINT = "HH:MM, 24-hour clinic time"
ACKNOWLEDGE = "I have read these warnings; book anyway"
REASON_HINT = "Required for this day: why book it anyway (kept in the audit trail)"
SUGGESTED = "Suggested times"
SUGGESTED_HINT = (
    "Free chairs for the whole visit on this day, the most level day first. "
    "Choose one to fill the time and the chair."
)
NO_SUGGESTION = "No free chair fits the whole visit within opening hours on this day."


def slot_text(offer: SlotOffer) -> str:
    """One suggestion as the list shows it."""
    starts = (
        f"{offer.starts_in_half_hour} of {offer.starts_cap} starts in that half hour"
        if offer.starts_in_half_hour
        else "no other start in that half hour"
    )
    return f"{time_text(offer.starts)}–{time_text(offer.ends)}  {offer.chair}  ({starts})"


def _dose_text(row: ScheduleRow) -> str:
    a, dose = row.appointment, row.dose
    text = f"Dose {a.dose_number}"
    if dose is not None:
        text += f" ({dose.phase.value}), due {weekday_date_text(a.due_date)}"
        if dose.given is None:
            text += (f"; window {weekday_date_text(dose.earliest)} to "
                     f"{weekday_date_text(dose.latest)}")
    if a.suggested:
        text += f"; suggested {weekday_date_text(a.suggested)}"
    if a.day:
        text += (f".\nNow booked {weekday_date_text(a.day)} {time_text(a.time)}, "
                 f"{chair_text(a.chair)}")
    return text + "."


def _shown_values(row: ScheduleRow) -> dict[str, str]:
    """What the form shows for ``row`` before anything is typed."""
    a = row.appointment
    start = a.day or a.suggested or a.due_date
    return {"day": start.isoformat(), "time": time_text(a.time), "chair": a.chair}


def day_warnings_html(warnings: Sequence[ClinicalWarning]) -> str:
    """The typed day's warnings, one a line, and what the nurse must do to book anyway."""
    lines = "<br>".join(f"⚠ {warning_html(w)}" for w in warnings)
    if any(w.requires_override for w in warnings):
        ask = "Give a reason below to book this day anyway."
    elif any(w.requires_ack for w in warnings):
        ask = "Tick below to book this day anyway."
    else:
        ask = ""
    return f"<b>Booking on this day</b><br>{lines}" + (f"<br><b>{ask}</b>" if ask else "")


class BookingDialog(RecordDialog):
    """Book (or move) the appointment of ``row``; ``saved`` carries the AppointmentSummary."""

    def __init__(self, state: AppState, row: ScheduleRow, parent: QWidget | None = None) -> None:
        a = row.appointment
        title = "Reschedule dose" if a.day else "Book dose"
        super().__init__(title, self._book, save_text="&Book", intro=_dose_text(row),
                         parent=parent)
        self._state = state
        self._row = row
        self._codes: tuple[str, ...] = ()  # what the tick acknowledges
        self._day_warnings: tuple[ClinicalWarning, ...] = ()
        self.panel = WarningsPanel("Warnings for this dose")
        # Warnings about a day (the plan's or the current booking's) are checked for the typed
        # day under it instead.
        self.panel.show_warnings([w for w in row.warnings if w.code not in courses.DAY_WARNINGS])
        self.main_layout.insertWidget(1, self.panel)
        self.setMinimumWidth(620)
        shown = _shown_values(row)
        self.day = self.add_line("day", "&Day", hint=DAY_HINT, text=shown["day"])
        self._build_override()
        self.time = self.add_line("time", "&Time", hint=TIME_HINT, text=shown["time"])
        self.chair = self.add_choice("chair", "&Chair", self._chair_choices(a.chair),
                                     current=a.chair)
        self.chair.setAccessibleName("Chair")
        self._build_suggestions()
        self.day.textChanged.connect(self._check_day)
        self._check_day()
        (self.time if a.day is None else self.day).setFocus()

    def _chair_choices(self, current: str) -> list[tuple[str, str]]:
        """The clinic's active chairs (with their notes), and the booked one if inactive."""
        chairs = chairs_service.list_chairs(self._state.ctx, include_inactive=True)
        unset = [] if current else [("", "Choose a chair")]
        return unset + [(c.name, f"{c.name} ({c.notes})" if c.notes else c.name)
                        for c in chairs if c.active or c.name == current]

    def _build_suggestions(self) -> None:
        self.suggestions = QListWidget()
        self.suggestions.setAccessibleName(SUGGESTED)
        self.suggestions.setAccessibleDescription(SUGGESTED_HINT)
        self.suggestions.setToolTip(SUGGESTED_HINT)
        self.suggestions.setMaximumHeight(110)
        self.suggestions.itemActivated.connect(self._use_suggestion)
        self.suggestions.itemClicked.connect(self._use_suggestion)
        self.rows.layout.addRow("Su&ggested", self.suggestions)

    def _show_suggestions(self) -> None:
        """The typed day's suggested chair-times (none for a day that cannot be read)."""
        try:
            offers = courses.suggest_slots(
                self._state.ctx, appointment_id=self._row.appointment.id, day=self.day.text()
            )
        except EXPECTED_ERRORS:
            offers = ()
        self.suggestions.clear()
        for offer in offers:
            item = QListWidgetItem(slot_text(offer))
            item.setData(Qt.ItemDataRole.UserRole, offer)
            self.suggestions.addItem(item)
        if not offers:
            item = QListWidgetItem(NO_SUGGESTION)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.suggestions.addItem(item)

    def _use_suggestion(self, item: QListWidgetItem) -> None:
        """Fill the time and the chair from the chosen suggestion (its day is the typed one)."""
        offer = item.data(Qt.ItemDataRole.UserRole)
        if not isinstance(offer, SlotOffer):
            return
        self.time.setText(time_text(offer.starts))
        index = self.chair.findData(offer.chair)
        if index >= 0:
            self.chair.setCurrentIndex(index)
        self.rows.clear_errors()

    def _build_override(self) -> None:
        """The day's warnings, the tick and the reason, right under the day they are about."""
        self.refusal = ValueLabel("Booking warning", alert=True)
        self.refusal.setTextFormat(Qt.TextFormat.RichText)
        self.refusal.setWordWrap(True)
        self.refusal.setStyleSheet(WarningsPanel.ALERT_STYLE)
        self.rows.layout.addRow(self.refusal)
        self.acknowledge = QCheckBox(ACKNOWLEDGE)
        self.acknowledge.setAccessibleName(ACKNOWLEDGE)
        self.rows.layout.addRow(self.acknowledge)
        self.reason = self.add_line("override_reason", "&Reason to book anyway")
        self.reason.setPlaceholderText("Required for this day")
        self.reason.setToolTip(REASON_HINT)
        self.reason.setAccessibleDescription(REASON_HINT)
        self._show_override(message=False, tick=False, reason=False)

    def _show_override(self, *, message: bool, tick: bool, reason: bool) -> None:
        self.refusal.setVisible(message)
        self.acknowledge.setVisible(tick)
        keep = bool(self.reason.text())  # a typed reason is never hidden
        row = self.reason.parentWidget()
        if row is not None:
            self.rows.layout.setRowVisible(row, reason or keep)

    def _check_day(self) -> None:
        """Ask the services what booking on the typed day would warn about, and show it."""
        try:
            warnings = courses.booking_warnings(
                self._state.ctx, appointment_id=self._row.appointment.id, day=self.day.text())
        except EXPECTED_ERRORS:
            warnings = ()  # not a usable day (yet): Book says why beside the field
        self.show_day_warnings(warnings)
        self._show_suggestions()

    def show_day_warnings(self, warnings: Sequence[ClinicalWarning]) -> None:
        """Show the typed day's warnings and open the reason or the tick they need."""
        warnings = tuple(warnings)
        if warnings != self._day_warnings:
            self.acknowledge.setChecked(False)  # a tick answers the warnings it was given for
        self._day_warnings = warnings
        needs_reason = any(w.requires_override for w in warnings)
        self._codes = tuple(w.code for w in warnings if w.requires_ack)
        self.refusal.setText(day_warnings_html(warnings) if warnings else "")
        self._show_override(message=bool(warnings), reason=needs_reason,
                            tick=bool(self._codes) and not needs_reason)
        self.adjustSize()

    def _book(self, v: Values) -> object:
        acknowledged = self._codes if self.acknowledge.isChecked() else ()
        return courses.book_appointment(
            self._state.ctx, appointment_id=self._row.appointment.id, day=v["day"],
            time=v["time"], chair=v["chair"], override_reason=v["override_reason"] or None,
            acknowledged=acknowledged, expected_version=self._row.appointment.version)

    def show_refusal(self, exc: BaseException) -> None:
        """An override request opens the reason and acknowledgement in place."""
        if isinstance(exc, OverrideRequired):
            self._ask_override(exc)
        elif isinstance(exc, ChairTaken):
            self.rows.show_error("chair", str(exc))  # beside the chair: choose another
        elif isinstance(exc, ConcurrentEditError):
            self._resolve_conflict(ask_conflict(self, exc))
        else:
            super().show_refusal(exc)

    def _resolve_conflict(self, choice: ConflictChoice) -> None:
        """Reload keeping the fields the nurse changed, or close discarding them."""
        if choice is ConflictChoice.DISCARD:
            self.setProperty(DISCARD_CONFIRMED, True)
            self.reject()
        elif choice is ConflictChoice.RELOAD_KEEPING:
            self._reload_keeping()

    def _reload_keeping(self) -> None:
        """The dose loaded again with the other workstation's change; a field the nurse
        changed keeps what she typed, the others show their change."""
        a = self._row.appointment
        try:
            detail = courses.get_course(self._state.ctx, course_id=a.course_id)
        except EXPECTED_ERRORS as exc:
            show_error(self, exc)
            return
        fresh = next((r for r in schedule_rows(detail) if r.appointment.id == a.id), None)
        if fresh is None:
            show_error(self, NotFound(
                f"Dose {a.dose_number} is no longer on this course's schedule."))
            return
        typed, opened = self.values(), self._opened_with or {}
        mine = {f: typed[f] for f in ("day", "time", "chair") if typed[f] != opened.get(f)}
        self._row = fresh
        self.intro.setText(_dose_text(fresh))
        self.panel.show_warnings(
            [w for w in fresh.warnings if w.code not in courses.DAY_WARNINGS])
        self._fill(_shown_values(fresh))
        self._opened_with = self.values()  # as shown, to tell what is typed from now on
        self._fill(mine)
        self._check_day()

    def _fill(self, values: dict[str, str]) -> None:
        if "day" in values:
            self.day.setText(values["day"])
        if "time" in values:
            self.time.setText(values["time"])
        if "chair" in values:
            if self.chair.findData(values["chair"]) < 0:
                self.chair.addItem(values["chair"], values["chair"])
            self.chair.setCurrentIndex(self.chair.findData(values["chair"]))

    def _ask_override(self, exc: OverrideRequired) -> None:
        if set(exc.codes) != set(self._codes):
            self.acknowledge.setChecked(False)
        self._codes = exc.codes
        self.refusal.setText(f"⚠ {rich(str(exc))}")
        self._show_override(message=True, tick=True, reason=True)
        self.adjustSize()  # the message and the reason field make the form taller
        self.reason.setFocus()
