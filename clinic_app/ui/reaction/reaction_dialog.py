"""Logging a reaction: acute from the visit, or delayed from the chart days later.

The nurse gives the onset (local time) and sees the infusion the services will link the reaction
to and where the onset falls against it; ticks the signs, chooses the CTCAE term and grade with
every grade's definition in view and the protocol's guidance for that grade beside it, all read
from :mod:`clinic_app.services.reactions` (from the chart, "Not graded" may be chosen for
a delayed reaction; the service refuses it for an acute one, and its message shows beside the
grade), describes the reaction in the notes, records actions, medications and the outcome. Save
calls ``services.reactions.log_reaction``; then the chart and the plan update (announced as
"reaction" and "patient"), and a contraindication the reaction raised is shown in a message. The
reaction report can be printed once saved.

Whenever the linked visit's infusion is running (logged from the visit, or from the chart with an
onset during that infusion), the dialog asks (required) what was done with the pump: paused,
stopped for good, or not interrupted. The answers offered for the chosen grade are the service's
(:meth:`ReactionGuidance.infusion_actions`): only "stopped" for a grade 3 or higher reaction or
an anaphylaxis (label 2.10, CTCAE guidance "do not restart it today"). The service records the
pause or the end with the reaction, and the visit screen shows it (announced as "visit"). A
refusal whose field is not on screen is shown in a message box, never in a hidden widget. Once
saved, the form is read-only and the result is scrolled into view.
"""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDateTime
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QGroupBox,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.dates import time_text
from clinic_app.services import reactions
from clinic_app.services.reactions import (
    ReactionGuidance,
    contraindication_texts,
    reaction_guidance,
)
from clinic_app.services.visits import NOT_INTERRUPTED, PAUSED, STOPPED
from clinic_app.services.visits.dto import ReactionDetail
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS, field_of
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.navigation import Navigator
from clinic_app.ui.reaction.reaction_layout import ReactionLayout
from clinic_app.ui.unsaved import may_discard

ONSET_FORMAT = "yyyy-MM-dd HH:mm"
PUMP_CHOICES = ((PAUSED, "Infusion paused (may restart at a lower rate once resolved)"),
                (STOPPED, "Infusion stopped for good"),
                (NOT_INTERRUPTED, "Infusion not interrupted"))


class PumpChoice(QGroupBox):
    """The required answer: what was done with the running infusion."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("The running infusion (required)", parent)
        self.setAccessibleName("What was done with the infusion")
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        column = QVBoxLayout(self)
        for code, text in PUMP_CHOICES:
            button = QRadioButton(text)
            button.setAccessibleName(text)
            self.buttons[code] = button
            self.group.addButton(button)
            column.addWidget(button)
        self.error = ValueLabel("Infusion action error", alert=True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        column.addWidget(self.error)

    def chosen(self) -> str | None:
        """The action code chosen, or None."""
        return next((code for code, b in self.buttons.items() if b.isChecked()), None)

    def allow(self, allowed: tuple[str, ...]) -> None:
        """Offer only the ``allowed`` answers (hide and clear the others); a single one is
        chosen for the nurse."""
        for code, button in self.buttons.items():
            if code not in allowed and button.isChecked():
                self.group.setExclusive(False)
                button.setChecked(False)
                self.group.setExclusive(True)
            button.setVisible(code in allowed)
        if len(allowed) == 1 and allowed[0] in self.buttons:
            self.buttons[allowed[0]].setChecked(True)


ANAPHYLAXIS = "anaphylaxis"  # the CTCAE term and the sign share the code
ANAPHYLAXIS_FIRST_GRADE = 3  # CTCAE v5.0 defines anaphylaxis from grade 3


class ReactionDialog(QDialog):
    """Log one reaction of ``patient_id`` (linked to ``visit_id`` when given)."""

    def __init__(self, state: AppState, patient_id: int, visit_id: int | None = None, *,
                 navigator: Navigator | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._patient_id = patient_id
        self._visit_id = visit_id
        self._navigator = navigator
        self.saved: ReactionDetail | None = None
        self.notice: QMessageBox | None = None
        local = state.ctx.local_now()
        now = QDateTime(local.year, local.month, local.day, local.hour, local.minute, 0)
        self.view = ReactionLayout(now, time_text(local))
        column = QVBoxLayout(self)
        self.pump = PumpChoice()
        self.view.under_title.addWidget(self.pump)  # the infusion choice under the title
        column.addWidget(self.view)
        self.setWindowTitle("Log reaction")
        self.setAccessibleName("Log reaction")
        self.resize(1120, 720)
        self.guidance: ReactionGuidance | None = self._read_guidance()
        self._show_mode()
        self._connect()
        self._show_guidance()
        self._opened_with = self._snapshot()
        self.view.onset.setFocus()

    def _connect(self) -> None:
        view = self.view
        view.grade.choice_changed.connect(self._show_guidance)
        view.signs.signs_changed.connect(self._signs_changed)
        view.onset.dateTimeChanged.connect(self._onset_changed)
        view.save.clicked.connect(self.save)
        view.print_report.clicked.connect(self.print_report)
        view.close_button.clicked.connect(self.reject)
        QShortcut(QKeySequence("Ctrl+S"), self, self.save)

    def _snapshot(self) -> tuple[object, ...]:
        """Everything the nurse can type or choose, to tell whether anything changed."""
        view = self.view
        return (view.onset.dateTime().toString(ONSET_FORMAT), view.signs.chosen(),
                view.grade.not_graded(), view.grade.grade(), view.grade.term(),
                view.notes.toPlainText(), view.actions_taken(), view.medications.forms(),
                view.outcome.currentIndex(), self.pump.chosen())

    def has_unsaved_input(self) -> bool:
        """True when something was typed or chosen since the dialog opened and not saved."""
        return self.saved is None and self._snapshot() != self._opened_with

    def reject(self) -> None:
        """Qt override (Esc, Close, the title bar): ask before discarding typed input."""
        if may_discard(self, "reaction"):
            super().reject()

    def _read_guidance(self) -> ReactionGuidance | None:
        """The patient's name and the guidance for the drug of the infusion the reaction will
        be linked to (for a delayed one, the last infusion before the onset), from the
        services; None when it cannot be read."""
        try:
            return reaction_guidance(self._state.ctx, patient_id=self._patient_id,
                                     visit_id=self._visit_id, onset=self.onset_moment())
        except EXPECTED_ERRORS:
            return None

    def onset_moment(self) -> datetime:
        """The onset typed, as an aware moment in the clinic's zone."""
        value = self.view.onset.dateTime()
        day, at = value.date(), value.time()
        return datetime(day.year(), day.month(), day.day(), at.hour(), at.minute(),
                        tzinfo=self._state.ctx.tz)

    @property
    def _infusing(self) -> bool:
        return self.guidance is not None and self.guidance.infusing

    def _onset_class(self) -> str | None:
        """The onset as the service will record it, with the signs ticked now (a sign of an
        immediate reaction makes a late onset acute)."""
        if self.guidance is None:
            return None
        return self.guidance.onset_class_for(self.view.signs.chosen())

    def _show_mode(self) -> None:
        """Acute with the pump question while the linked infusion runs; otherwise acute or
        delayed as the service will place the onset. "Not graded" is offered only for a
        delayed reaction logged from the chart."""
        acute = self._onset_class() != "delayed"
        if self._infusing:
            kind = "acute, during the running infusion"
        elif self._visit_id is not None:
            kind = "acute, at this visit"
        elif acute and self.guidance is not None and self.guidance.visit_id is not None:
            kind = "acute, after an infusion"
        else:
            kind = "delayed, after an infusion"
        name = "" if self.guidance is None else self.guidance.patient_name
        self.view.heading.setText(f"Reaction — {name} ({kind})")
        self.pump.setVisible(self._infusing)
        self.view.grade.allow_not_graded(self._visit_id is None and not acute)

    def _onset_changed(self) -> None:
        self.guidance = self._read_guidance()
        self._show_mode()
        self._show_guidance()

    def _signs_changed(self) -> None:
        self._show_mode()
        self._show_guidance()

    def _show_guidance(self) -> None:
        picker, label, guidance = self.view.grade, self.view.guidance, self.guidance
        self.view.link.setText("" if guidance is None
                               else guidance.link_text_for(self.view.signs.chosen()))
        grade = picker.grade()
        if guidance is not None:
            self.pump.allow(guidance.infusion_actions(
                None if picker.not_graded() else picker.term(), grade))
        if picker.not_graded():
            self.view.guidance_title.setText("<b>What to do — not graded</b>")
            lines = () if guidance is None else guidance.not_graded
            label.setText("\n".join(f"• {line}" for line in lines))
            return
        anaphylaxis = guidance is not None and guidance.visit_id is not None and (
            picker.term() == ANAPHYLAXIS or ANAPHYLAXIS in self.view.signs.chosen())
        if grade is None and anaphylaxis:
            # What to do for anaphylaxis as soon as it is ticked, before it is graded (issue 12):
            # the protocol's lines for its lowest defined grade (epinephrine first).
            assert guidance is not None
            self.view.guidance_title.setText("<b>What to do — anaphylaxis</b>")
            lines = guidance.lines_for(ANAPHYLAXIS, ANAPHYLAXIS_FIRST_GRADE)
            label.setText("\n".join(f"• {line}" for line in lines))
            return
        if grade is None:
            self.view.guidance_title.setText("<b>What to do</b>")
            label.setText("Choose the grade to see the protocol's guidance.")
            return
        if guidance is None or guidance.visit_id is None:
            label.setText("No infusion found before this onset: no drug guidance to show.")
            return
        lines = guidance.lines_for(picker.term(), grade)
        self.view.guidance_title.setText(f"<b>What to do — grade {grade}</b>")
        label.setText("\n".join(f"• {line}" for line in lines))

    def save(self) -> None:
        """Log the reaction (once); show what it changed."""
        if self.saved is not None:
            return
        view = self.view
        self._clear_errors()
        grade = view.grade.grade()
        ungraded = view.grade.not_graded()
        action = self.pump.chosen() if self._infusing else NOT_INTERRUPTED
        try:
            detail = reactions.log_reaction(
                self._state.ctx, patient_id=self._patient_id, visit_id=self._visit_id,
                onset=view.onset.dateTime().toString(ONSET_FORMAT),
                signs=view.signs.chosen(), term=None if ungraded else view.grade.term(),
                grade=None if grade is None else grade, actions=view.actions_taken(),
                medications=view.medications.forms(), outcome=view.outcome.currentText(),
                notes=view.notes.toPlainText(), infusion_action=action)
        except EXPECTED_ERRORS as exc:
            self._show_error(exc)
            return
        self.saved = detail
        self._state.announce("reaction", detail.summary.id, patient_id=self._patient_id)
        self._state.announce("patient", self._patient_id, patient_id=self._patient_id)
        if action not in (None, NOT_INTERRUPTED) and self._visit_id is not None:
            self._state.announce("visit", self._visit_id, patient_id=self._patient_id)
        self._show_saved(detail)

    def _clear_errors(self) -> None:
        for label in (self.view.onset_error, self.view.signs_error, self.view.grade_error,
                      self.view.notes_error, self.view.outcome_error, self.view.message,
                      self.pump.error):
            label.hide()
        self.view.medications.show_error("")

    def _show_error(self, exc: BaseException) -> None:
        labels = {"onset": self.view.onset_error, "signs": self.view.signs_error,
                  "grade": self.view.grade_error, "term": self.view.grade_error,
                  "notes": self.view.notes_error, "outcome": self.view.outcome_error,
                  "actions": self.view.message, "infusion_action": self.pump.error}
        field = field_of(exc)
        if field == "medications":
            self.view.medications.show_error(str(exc))
            return
        label: QLabel = labels.get(field or "", self.view.message)
        label.setText(str(exc))
        label.show()
        if not label.isVisibleTo(self):
            self._tell("Reaction not saved", str(exc))

    def _show_saved(self, detail: ReactionDetail) -> None:
        lines = [f"Saved: {detail.summary.grading_text}, "
                 f"{detail.onset_class.replace('_', ' ')}."]
        lines += [f"⚠ {w.message}" for w in detail.consequences]
        self.view.set_read_only()
        self.pump.setEnabled(False)
        self.view.save.setEnabled(False)
        self.view.print_report.setEnabled(True)
        self.view.show_result("\n".join(lines), alarming=bool(detail.contraindication_codes))
        self.view.print_report.setFocus()
        if detail.contraindication_codes:
            self._tell_contraindication(detail)

    def _tell(self, title: str, text: str) -> None:
        """A message box for what has no visible place on the form (not blocking)."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.Ok, self)
        box.setAccessibleName(title)
        self.notice = box
        box.open()

    def _tell_contraindication(self, detail: ReactionDetail) -> None:
        named = "; ".join(contraindication_texts(detail.contraindication_codes))
        box = QMessageBox(QMessageBox.Icon.Warning, "Contraindication on file",
                          f"{detail.drug} is now contraindicated for this patient: {named}.",
                          QMessageBox.StandardButton.Ok, self)
        box.setInformativeText("It is on the chart, and the drug cannot be planned or given "
                               "again. Tell the prescriber.")
        box.setAccessibleName("Contraindication on file")
        self.notice = box
        box.open()

    def print_report(self) -> None:
        """Preview the reaction report of the saved reaction."""
        from clinic_app.services import sheets

        if self.saved is None:
            return
        navigator = self._navigator or _navigator_above(self)
        try:
            data = sheets.reaction_report(self._state.ctx, reaction_id=self.saved.summary.id)
        except EXPECTED_ERRORS as exc:
            self._show_error(exc)
            return
        if navigator is not None:
            navigator.show_pdf(f"Reaction report — {self.saved.drug}", data,
                               f"reaction-report-{self.saved.summary.id}.pdf")


def _navigator_above(widget: QWidget) -> Navigator | None:
    """The main window (it implements :class:`Navigator`) above ``widget``, if any."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, Navigator):
            return parent
        parent = parent.parentWidget()
    return None
