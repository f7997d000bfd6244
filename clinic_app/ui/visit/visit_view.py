"""The infusion visit screen: its slots (the layout is :mod:`clinic_app.ui.visit.visit_layout`).

Every tick, answer, lot and set of vitals is saved the moment it is entered by one service call
(``services.visits``); the screen then announces the change and refreshes from
``services.visits.get_visit`` when ``AppState.data_changed`` names this visit or its patient.
When another workstation commits (``AppState.remote_changed``, issue 14) the visit is read again
and shown if it changed; while something typed here is unsaved a banner says "Changed by <nurse>
at <time>. Reload" instead of redrawing.
A QTimer keeps the countdown current from ``ctx.now()`` and refreshes the due/overdue states
once a minute. Refusals appear beside what they are about; nothing typed is cleared by one.

Before the start the visit can be closed as not given (``services.visit_closing.hold_dose``) or
re-weighed (``services.visit_closing.reweigh_visit``): the new visit then replaces this one (its
tab is closed and the new visit's opened; outside the tabs this screen shows the new visit).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QVBoxLayout, QWidget

from clinic_app.domain.dates import date_text
from clinic_app.services import visits
from clinic_app.services.errors import GateBlocked, OverrideRequired
from clinic_app.services.live import OtherWorkstationChange
from clinic_app.services.visits import (
    BaselineFlagged,
    LabsDecisionRequired,
    PremedicationMissing,
)
from clinic_app.services.visits.dto import VisitDetail
from clinic_app.ui.app_state import AppState, Change
from clinic_app.ui.changed_banner import ChangedBanner
from clinic_app.ui.errors import EXPECTED_ERRORS, field_of
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.navigation import Navigator
from clinic_app.ui.reason_dialog import ReasonDialog
from clinic_app.ui.shell.tabs import ScreenTabs
from clinic_app.ui.unsaved import unsaved_within
from clinic_app.ui.visit import (
    labs_decision_dialog,
    premedication_reason_dialog,
    rate_skip_dialog,
)
from clinic_app.ui.visit import visit_rows as rows
from clinic_app.ui.visit.before_start import BeforeStart
from clinic_app.ui.visit.correction_dialog import ask_correction
from clinic_app.ui.visit.double_check_slots import DoubleCheckSlots
from clinic_app.ui.visit.double_check_view import DoubleCheckDialog
from clinic_app.ui.visit.end_infusion_dialog import EndInfusionDialog
from clinic_app.ui.visit.missed_vitals_dialog import MissedVitalsDialog, missed_vitals_only
from clinic_app.ui.visit.not_given_dialog import NotGivenDialog
from clinic_app.ui.visit.observation_panel import ObservationPanel
from clinic_app.ui.visit.pause_dialog import PauseDialog
from clinic_app.ui.visit.premedication_slots import PremedicationSlots
from clinic_app.ui.visit.reweigh_dialog import ReweighDialog
from clinic_app.ui.visit.visit_layout import VisitLayout
from clinic_app.ui.visit.vitals_grid import NEW_KEY

TICK_MS = 15_000
REFRESH_EVERY_TICKS = 4
VITALS_FIELDS = ("systolic", "diastolic", "heart_rate", "temperature", "respiratory_rate",
                 "spo2")


def blockers_text(exc: BaseException) -> str:
    """A refused start or discharge: the service's message, one blocker a line."""
    blockers = getattr(exc, "blockers", ())
    if not blockers:
        return str(exc)
    head = str(exc).split(":", 1)[0]
    return head + ":\n" + "\n".join(f"• {b.message}" for b in blockers)


class VisitWidget(QWidget):
    """One infusion visit, from the pre-check to the discharge."""

    def __init__(self, state: AppState, navigator: Navigator, visit_id: int,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._navigator = navigator
        self.visit_id = visit_id
        self.detail: VisitDetail | None = None
        self.end_dialog: EndInfusionDialog | None = None
        self.pause_dialog: PauseDialog | None = None
        self.missed_vitals_dialog: MissedVitalsDialog | None = None
        self.before_start = BeforeStart(state, self)
        self.view = VisitLayout()
        self.premedication = PremedicationSlots(state, self.view.premedication, self)
        self.double_check = DoubleCheckSlots(state, self)
        self.changed_banner = ChangedBanner()
        column = QVBoxLayout(self)
        column.addWidget(self.changed_banner)
        column.addWidget(self.view)
        column.setContentsMargins(0, 0, 0, 0)
        self.setAccessibleName("Infusion visit")
        self._ticks = 0
        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self.tick)
        self._connect()
        state.data_changed.connect(self._data_changed)
        state.remote_changed.connect(self._remote_changed)
        self.changed_banner.reload_clicked.connect(self.refresh)
        self.refresh()
        self._timer.start()

    def _connect(self) -> None:
        view = self.view
        view.pre_checks.answered.connect(self.record_check)
        view.observation.checks.answered.connect(self.record_check)
        view.vitals.row_entered.connect(self.record_vitals)
        view.lots.lot_entered.connect(self.record_lot)
        view.lots.scan_entered.connect(self.read_scan)
        view.premedication.set_entered.connect(
            lambda chosen, at: self.premedication.record(self.visit_id, chosen, at))
        view.premedication.void_requested.connect(self.premedication.void)
        self.premedication.changed.connect(self._changed)
        view.double_check.button.clicked.connect(self.second_nurse_check)
        view.double_check.void.clicked.connect(self.void_second_nurse_check)
        self.double_check.changed.connect(self._double_check_changed)
        panel = view.infusion
        panel.start_clicked.connect(self.start_infusion)
        panel.hold_clicked.connect(self.hold_dose)
        panel.pause_clicked.connect(self.pause_infusion)
        panel.resume_clicked.connect(lambda: self._act(visits.resume_infusion))
        panel.end_clicked.connect(self.end_infusion)
        panel.rate_entered.connect(self.change_rate)
        view.observation.discharge_clicked.connect(self.discharge)
        view.reweigh.clicked.connect(self.reweigh)
        self.before_start.not_given.connect(self._changed)
        self.before_start.reweighed.connect(self.replace_by)
        view.log_reaction.clicked.connect(self.log_reaction)
        view.print_checklist.clicked.connect(self.print_checklist)
        view.print_record.clicked.connect(self.print_record)

    # --- showing -------------------------------------------------------------------------

    def refresh(self) -> None:
        """Read the visit again and show it."""
        try:
            detail = visits.get_visit(self._state.ctx, visit_id=self.visit_id)
        except EXPECTED_ERRORS as exc:
            self._show_message(str(exc))
            return
        self.detail = detail
        self.setWindowTitle(f"Visit — {detail.patient.display_name}")
        self.changed_banner.hide()
        self._show(detail)

    def _show(self, detail: VisitDetail) -> None:
        tz, view = self._state.ctx.tz, self.view
        view.header.show_identity(detail.patient, allergies=detail.allergies,
                                  no_known_allergies=detail.no_known_allergies,
                                  alerts=detail.alerts,
                                  today=self._state.ctx.local_now().date(),
                                  treatment=rows.treatment_text(detail, tz))
        view.plan.show_plan(detail.dose_plan)
        warning_text = rows.plan_warning_text(detail)
        view.plan_warnings.setText(warning_text)
        view.plan_warnings.setVisible(bool(warning_text))
        view.labs.show_labs(detail.labs if detail.status == "checked_in" else None)
        near = detail.surgery_and_vaccines if detail.status == "checked_in" else ()
        view.surgery_vaccines.setText("\n".join(f"⚠ {line}" for line in near))
        view.surgery_vaccines.setVisible(bool(near))
        products = list(dict.fromkeys(v.product.name for v in detail.dose_plan.vials))
        view.lots.show_lots(products, detail.lots, enabled=detail.status in rows.OPEN_FOR_VITALS)
        view.premedication.show_premedication(
            suggested=detail.premedication_suggested, missing=detail.premedication_missing,
            note=detail.premedication_note, entries=detail.premedications, tz=tz,
            enabled=detail.status in rows.OPEN_FOR_VITALS)
        checks, done = rows.latest_checks(detail.entries), rows.done_texts(detail, tz)
        view.pre_checks.show_items(rows.pre_items(detail), checks, done,
                                   enabled=detail.status == "checked_in")
        view.observation.checks.show_items(rows.discharge_items(detail), checks, done,
                                           enabled=detail.status == "observation")
        view.infusion.show_visit(detail, rows.status_line(detail, tz),
                                 schedule_text=rows.schedule_line(detail, tz),
                                 schedule_alert=bool(rows.bag_empty_text(detail, tz)),
                                 events_text=rows.events_text(detail, tz))
        view.double_check.show_status(detail.double_check, tz,
                                      open_for_signing=detail.status == "checked_in")
        view.reweigh.setEnabled(detail.status == "checked_in")
        view.reweigh_row.setVisible(detail.status == "checked_in")
        decisions = rows.decisions_text(detail, tz)
        view.decisions.setText(decisions)
        view.decisions.setVisible(bool(decisions))
        not_given = rows.not_given_text(detail)
        view.not_given.setText(not_given)
        view.not_given.setVisible(bool(not_given))
        vitals_rows = rows.vitals_rows(detail, tz)
        view.vitals.show_rows(vitals_rows)
        view.vitals_box.setVisible(bool(vitals_rows))
        view.observation.show_visit(detail, self._state.ctx.now(), tz)
        closed = detail.status == rows.CLOSED_BEFORE_START
        view.observation.setVisible(not closed)
        view.observation.countdown.setVisible(not closed)
        view.log_reaction.setEnabled(detail.started_at is not None)
        reactions = rows.reactions_text(detail, tz)
        view.reactions.setText(reactions)
        view.reactions.setVisible(bool(reactions))
        self._show_message("")

    def _show_message(self, message: str) -> None:
        self.view.message.setText(message)
        self.view.message.setStyleSheet(ERROR_STYLE)
        self.view.message.setVisible(bool(message))

    def tick(self) -> None:
        """The timer: bring the countdown to now; refresh the due states once a minute."""
        self._ticks += 1
        if self._ticks % REFRESH_EVERY_TICKS == 0:
            self.refresh()
        else:
            self.observation_panel.tick(self._state.ctx.now(), self._state.ctx.tz)

    @property
    def observation_panel(self) -> ObservationPanel:
        """The countdown and discharge part."""
        return self.view.observation

    def _data_changed(self, change: Change) -> None:
        detail = self.detail
        ours = change.kind == "visit" and change.record_id == self.visit_id
        same_patient = detail is not None and change.patient_id == detail.patient.id
        if ours or same_patient:
            self.refresh()

    def _remote_changed(self, change: OtherWorkstationChange) -> None:
        """Another workstation committed: show this visit again if that changed it, or, while
        something typed here is unsaved, say who changed it and when."""
        try:
            detail = visits.get_visit(self._state.ctx, visit_id=self.visit_id)
        except EXPECTED_ERRORS:
            return  # shown at the next refresh
        if detail == self.detail:
            return
        if unsaved_within(self):
            self.changed_banner.show_change(change.message)
            return
        self.detail = detail
        self.changed_banner.hide()
        self._show(detail)

    def _changed(self, detail: VisitDetail | None = None) -> None:
        patient_id = self.detail.patient.id if self.detail is not None else None
        self._state.announce("visit", self.visit_id, patient_id=patient_id)
        if detail is not None and detail.status != "checked_in":
            self._state.announce("appointment", detail.appointment_id, patient_id=patient_id)

    # --- saving --------------------------------------------------------------------------

    def record_check(self, key: str, answer: str, reason: str | None = None) -> None:
        """Save one checklist answer now; changing a saved answer asks why first (Cancel puts
        the saved answer back)."""
        section = self.view.pre_checks if key.startswith("pre.") else self.view.observation.checks
        try:
            visits.record_check(self._state.ctx, visit_id=self.visit_id, item_key=key,
                                answer=answer, reason=reason)
        except visits.CorrectionNeedsReason as change:
            why = ask_correction(str(change), self)
            if why is None:
                self.refresh()  # the saved answer back on screen
                section.put_back(key)
            else:
                self.record_check(key, answer, why)
            return
        except EXPECTED_ERRORS as exc:
            self.refresh()  # puts back what is on record (e.g. an unsaved tick)
            section.show_error(key, str(exc))
            return
        section.show_error(key, "")
        self._changed()

    def record_vitals(self, key: str, values: dict[str, str]) -> None:
        """Save the vitals typed in one row of the grid now."""
        item_key = None if key == NEW_KEY or key.startswith("extra:") else key
        readings = {f: values.get(f, "") for f in VITALS_FIELDS}
        try:
            visits.record_vitals(self._state.ctx, visit_id=self.visit_id, item_key=item_key,
                                 **readings)
        except EXPECTED_ERRORS as exc:
            self.view.vitals.show_error(key, field_of(exc), str(exc))
            return
        self._changed()
        if key == NEW_KEY:
            self.view.vitals.clear_new_row()

    def record_lot(self, values: dict[str, str]) -> None:
        """Save a product lot now."""
        form = self.view.lots.form
        form.clear_errors()
        try:
            visits.record_lot(self._state.ctx, visit_id=self.visit_id, **values)
        except EXPECTED_ERRORS as exc:
            if not form.show_error(field_of(exc) or "", str(exc)):
                form.show_error("lot", str(exc))
            return
        self.view.lots.saved()
        self._changed()

    def read_scan(self, scan: str) -> None:
        """Fill the lot form from a scanned carton code, or say why it cannot be used."""
        form = self.view.lots.form
        form.clear_errors()
        try:
            read = visits.read_vial_scan(self._state.ctx, visit_id=self.visit_id, scan=scan)
        except EXPECTED_ERRORS as exc:
            form.show_error("lot", str(exc))
            return
        self.view.lots.fill_from_scan(read.product_name, read.lot, date_text(read.expiry))

    # --- the pump ------------------------------------------------------------------------

    def start_infusion(self, acknowledged: tuple[str, ...] = (), reason: str | None = None,
                       premedication_reason: str | None = None,
                       labs_decision: str | None = None) -> None:
        """Start, ask the reason to start despite flagged baseline vitals or without the
        suggested premedication, or the prescriber's decision when the labs propose holding or
        stopping the drug; or show what blocks."""
        answers = (acknowledged, reason, premedication_reason, labs_decision)
        try:
            detail = visits.start_infusion(self._state.ctx, visit_id=self.visit_id,
                                           acknowledged_flags=acknowledged, flags_reason=reason,
                                           premedication_reason=premedication_reason,
                                           labs_decision=labs_decision)
        except BaselineFlagged as flagged:
            answer = self.view.infusion.ask_flags_reason(flagged.warnings)
            if answer is not None:
                self.start_infusion(flagged.codes, answer, *answers[2:])
            return
        except PremedicationMissing as missing:
            why = premedication_reason_dialog.ask_reason(missing.missing, self)
            if why is not None:
                self.start_infusion(*answers[:2], why, labs_decision)
            return
        except LabsDecisionRequired as needed:
            decision = labs_decision_dialog.ask_decision(needed.check, self)
            if decision is not None:
                self.start_infusion(*answers[:3], decision)
            return
        except GateBlocked as blocked:
            self.view.infusion.show_start_refusal(str(blocked).split(":", 1)[0],
                                                  blocked.blockers)
            return
        except EXPECTED_ERRORS as exc:
            self.view.infusion.show_message(blockers_text(exc))
            return
        self.view.infusion.show_message("")
        self._changed(detail)

    def change_rate(self, rate: str, reason: str = "") -> None:
        """Set the pump to the rate typed; above the next step of a graduated infusion, ask
        the reason (the service refuses without one) and set it with the reason."""
        try:
            detail = visits.change_rate(self._state.ctx, visit_id=self.visit_id, rate=rate,
                                        note=reason)
        except OverrideRequired as needed:
            answer = rate_skip_dialog.ask_reason(str(needed), self)
            if answer is not None:
                self.change_rate(rate, answer)
            return
        except EXPECTED_ERRORS as exc:
            self.view.infusion.show_rate_error(str(exc))
            return
        self.view.infusion.show_rate_editor(False)
        self._changed(detail)

    def _act(self, action: Callable[..., VisitDetail]) -> None:
        try:
            detail = action(self._state.ctx, visit_id=self.visit_id)
        except EXPECTED_ERRORS as exc:
            self.view.infusion.show_message(str(exc))
            return
        self.view.infusion.show_message("")
        self._changed(detail)

    def pause_infusion(self) -> PauseDialog | None:
        """Ask why (optional; Enter pauses at once), then pause; returns the dialog, opened
        window-modal."""
        if self.detail is None or self.detail.status != "infusing":
            return None
        dialog = PauseDialog(parent=self)
        dialog.confirmed.connect(lambda reason: self._pause_confirmed(dialog, reason))
        dialog.finished.connect(dialog.deleteLater)
        self.pause_dialog = dialog
        dialog.open()
        return dialog

    def _pause_confirmed(self, dialog: PauseDialog, reason: str) -> None:
        try:
            detail = visits.pause_infusion(self._state.ctx, visit_id=self.visit_id,
                                           reason=reason)
        except EXPECTED_ERRORS as exc:
            dialog.show_error(str(exc))
            return
        dialog.done_saving()
        self.view.infusion.show_message("")
        self._changed(detail)

    def end_infusion(self) -> EndInfusionDialog | None:
        """Ask before ending (the actual end time, volume infused vs planned, a reason if the
        bag is not empty at that time); returns the dialog, opened window-modal."""
        if self.detail is None or self.detail.status != "infusing":
            return None
        self.refresh()  # the volumes as of now
        if self.detail is None or self.detail.status != "infusing":
            return None
        ctx, visit_id = self._state.ctx, self.visit_id
        try:
            dialog = EndInfusionDialog(
                self.detail, lambda at: visits.end_preview(ctx, visit_id=visit_id, at=at),
                ctx.tz, parent=self)
        except EXPECTED_ERRORS as exc:
            self.view.infusion.show_message(str(exc))
            return None
        dialog.confirmed.connect(lambda reason: self._end_confirmed(dialog, reason))
        self.end_dialog = dialog
        dialog.open()
        return dialog

    def _end_confirmed(self, dialog: EndInfusionDialog, reason: str) -> None:
        try:
            detail = visits.end_infusion(self._state.ctx, visit_id=self.visit_id,
                                         at=dialog.chosen_at(), reason=reason)
        except EXPECTED_ERRORS as exc:
            dialog.show_error(str(exc))
            return
        dialog.done_saving()
        self.view.infusion.show_message("")
        self._changed(detail)

    def discharge(self) -> MissedVitalsDialog | None:
        """Close the visit, or show what still keeps the patient. When only vitals that were
        due are missing, ask the reason to go home without them (returns that dialog)."""
        try:
            detail = visits.discharge(self._state.ctx, visit_id=self.visit_id)
        except EXPECTED_ERRORS as exc:
            missed = missed_vitals_only(exc)
            if missed is None:
                self.view.observation.show_message(blockers_text(exc))
                return None
            self.view.observation.show_message("")
            dialog = MissedVitalsDialog(missed, parent=self)
            dialog.confirmed.connect(lambda reason: self._discharge_with(dialog, reason))
            self.missed_vitals_dialog = dialog
            dialog.open()
            return dialog
        self.view.observation.show_message("")
        self._changed(detail)
        return None

    def _discharge_with(self, dialog: MissedVitalsDialog, reason: str) -> None:
        try:
            detail = visits.discharge(self._state.ctx, visit_id=self.visit_id,
                                      missed_vitals_reason=reason)
        except EXPECTED_ERRORS as exc:
            dialog.show_error(blockers_text(exc))
            return
        dialog.done_saving()
        self.view.observation.show_message("")
        self._changed(detail)

    # --- before the start: the second nurse's check, not given, re-weighed ---------------

    def second_nurse_check(self) -> DoubleCheckDialog | None:
        """Open the dialog where a second nurse signs the dose plan or the bag; returns it."""
        if self.detail is None:
            return None
        return self.double_check.open(self.visit_id, self.detail.double_check)

    def _double_check_changed(self) -> None:
        """A check was signed or voided: an earlier refused start no longer says what holds."""
        self.view.infusion.show_message("")
        self._changed()

    def void_second_nurse_check(self) -> ReasonDialog | None:
        """Ask which second nurse check to void and why (signed in error); returns the dialog."""
        if self.detail is None:
            return None
        return self.double_check.void(self.detail.double_check, self._state.ctx.tz)


    def hold_dose(self) -> NotGivenDialog | None:
        """Ask why the dose is not given today, then close the visit; returns the dialog."""
        return self.before_start.hold_dose(self.detail)

    def reweigh(self) -> ReweighDialog | None:
        """Weigh again before the start (the visit is replaced); returns the dialog."""
        return self.before_start.reweigh(self.detail)

    def replace_by(self, new_visit_id: int) -> None:
        """The visit was re-weighed: show the new one instead of this one (this tab closes
        and the new visit's opens; outside the tabs this screen shows the new visit)."""
        patient_id = self.detail.patient.id if self.detail is not None else None
        tabs = self._own_tabs()
        if tabs is None:
            self.visit_id = new_visit_id
        else:
            self._state.data_changed.disconnect(self._data_changed)
            self._state.remote_changed.disconnect(self._remote_changed)
        self._state.announce("visit", new_visit_id, patient_id=patient_id)
        self._navigator.open_visit(new_visit_id)
        if tabs is not None:
            tabs.close_tab(tabs.indexOf(self))

    def _own_tabs(self) -> ScreenTabs | None:
        """The main window's tab strip holding this screen (it can close a tab)."""
        parent = self.parentWidget()
        while parent is not None:
            if isinstance(parent, ScreenTabs) and parent.indexOf(self) >= 0:
                return parent
            parent = parent.parentWidget()
        return None

    # --- reaction and sheets -------------------------------------------------------------

    def log_reaction(self) -> Any:
        """Open the reaction dialog for this visit (acute); returns it."""
        from clinic_app.ui.reaction.reaction_dialog import ReactionDialog

        if self.detail is None:
            return None
        dialog = ReactionDialog(self._state, patient_id=self.detail.patient.id,
                                visit_id=self.visit_id, navigator=self._navigator, parent=self)
        dialog.open()
        return dialog

    def print_checklist(self) -> None:
        """Preview the bedside monitoring checklist of this visit, with the reaction card on
        its last page (the nurse prints the pages wanted from the preview)."""
        from clinic_app.services import sheets

        self._print("Monitoring checklist", "monitoring-checklist",
                    lambda: sheets.bedside_checklist(self._state.ctx, visit_id=self.visit_id,
                                                     reaction_card=True))

    def print_record(self) -> None:
        """Preview the infusion record of this visit."""
        from clinic_app.services import sheets

        self._print("Infusion record", "infusion-record",
                    lambda: sheets.infusion_record(self._state.ctx, visit_id=self.visit_id))

    def _print(self, title: str, stem: str, make: Callable[[], bytes]) -> None:
        try:
            data = make()
        except EXPECTED_ERRORS as exc:
            self._show_message(str(exc))
            return
        name = self.detail.patient.display_name if self.detail is not None else ""
        self._navigator.show_pdf(f"{title} — {name}", data, f"{stem}-visit-{self.visit_id}.pdf")
