"""The visit screen's safety checks: flagged baseline vitals at the start, the weight item,
values saved when the field is left, the end of observation in local time, allergies not
recorded."""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton
from test_visit import (
    answer_pre_checks,
    booking,  # noqa: F401 (a fixture)
    enter_vitals,
    open_visit_widget,
)

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.domain.checklists import ChecklistItem, ItemState, ItemStatus, Phase
from clinic_app.services import visits
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.ui.visit import baseline_flags_dialog
from clinic_app.ui.visit.baseline_flags_dialog import BaselineFlagsDialog
from clinic_app.ui.visit.checklist_section import ChecklistSection
from clinic_app.ui.visit.identity_header import ALLERGY_STYLE, IdentityHeader

ALARMING = ("85", "50", "125", "38.6", "16", "91")


def _audited_reasons(ctx, visit_id: int) -> list[str]:
    with ctx.read_only() as uow:
        rows = uow.audit.for_records("infusion_visits", [visit_id])
        return [r.changes["baseline_flags_reason"]["new"] for r in rows
                if "baseline_flags_reason" in (r.changes or {})]


class TestFlaggedBaseline:
    def test_the_start_asks_for_a_reason_listing_the_service_s_flags(
            self, qtbot, app_state, booking, monkeypatch):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        answer_pre_checks(qtbot, widget)
        enter_vitals(qtbot, widget, "pre.baseline_vitals", ALARMING)
        seen: list[str] = []

        def answer(dialog: BaselineFlagsDialog) -> int:
            seen.append(dialog.flags.text())
            assert not dialog.start_button.isEnabled()
            qtbot.keyClicks(dialog.reason, "prescriber informed, proceed")
            assert dialog.start_button.isEnabled()
            return BaselineFlagsDialog.DialogCode.Accepted

        monkeypatch.setattr(BaselineFlagsDialog, "exec", answer)
        qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
        assert seen and "Heart rate 125" in seen[0] and "SpO2" in seen[0]
        assert widget.detail.status == "infusing"
        assert _audited_reasons(app_state.ctx, widget.visit_id) == [
            "prescriber informed, proceed"]

    def test_cancelling_the_reason_does_not_start(self, qtbot, app_state, booking,  # noqa: F811
                                                   monkeypatch):
        widget = open_visit_widget(qtbot, app_state, booking)
        answer_pre_checks(qtbot, widget)
        enter_vitals(qtbot, widget, "pre.baseline_vitals", ALARMING)
        monkeypatch.setattr(BaselineFlagsDialog, "exec",
                            lambda _d: BaselineFlagsDialog.DialogCode.Rejected)
        qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
        assert widget.detail.status == "checked_in"
        assert visits.get_visit(app_state.ctx, visit_id=widget.visit_id).status == "checked_in"

    def test_the_dialog_lists_the_flags_and_returns_the_reason_typed(self, qtbot):
        warnings = [ClinicalWarning("HIGH_TEMPERATURE", "Temperature 38.6 °C"),
                    ClinicalWarning("LOW_SPO2", "SpO2 91 %")]
        result: list[str | None] = []

        def fill() -> None:
            dialog = next(w for w in QApplication.topLevelWidgets()
                          if isinstance(w, BaselineFlagsDialog) and w.isVisible())
            assert "Temperature 38.6" in dialog.flags.text()
            assert "SpO2 91" in dialog.flags.text()
            qtbot.keyClicks(dialog.reason, "  prescriber   informed ")
            qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)

        QTimer.singleShot(0, fill)
        result.append(baseline_flags_dialog.ask_reason(warnings, None))
        assert result == ["prescriber informed"]


class TestWeightItem:
    def test_the_weight_item_is_read_only_with_the_weight_used_for_the_dose(
            self, qtbot, app_state, booking):  # noqa: F811
        widget = open_visit_widget(qtbot, app_state, booking)
        row = widget.view.pre_checks.rows["pre.weight"]
        assert row.value is not None and row.value.isReadOnly()
        assert row.value.text() == "72.4"
        assert "Re-weigh…" in row.value.toolTip()
        qtbot.mouseClick(row.value, Qt.MouseButton.LeftButton)
        qtbot.keyClicks(row.value, "47")
        qtbot.keyClick(row.value, Qt.Key.Key_Tab)
        assert row.value.text() == "72.4"
        entries = visits.get_visit(app_state.ctx, visit_id=widget.visit_id).entries
        assert [e.answer for e in entries if e.item_key == "pre.weight"] == ["72.4"]


def _value_status(key: str = "pre.girth") -> ItemStatus:
    item = ChecklistItem(key=key, phase=Phase.PRE, kind=ItemKind.VALUE, text="Girth",
                         due_at=datetime(2026, 3, 2, 9, 0, tzinfo=UTC), required=True,
                         source="test", unit="cm")
    return ItemStatus(item, ItemState.DUE)


class TestValueItems:
    def test_a_value_typed_then_tabbed_away_from_is_saved_once(self, qtbot):
        host = ChecklistSection("Before the infusion")
        other = QPushButton("next", host)
        host.layout().addWidget(other)
        qtbot.addWidget(host)
        host.show_items([_value_status()], {}, {}, enabled=True)
        host.show()
        qtbot.waitExposed(host)
        with qtbot.waitActive(host):
            host.activateWindow()
        saved: list[tuple[str, str]] = []
        host.answered.connect(lambda key, answer: saved.append((key, answer)))
        edit = host.rows["pre.girth"].value
        assert isinstance(edit, QLineEdit) and not edit.isReadOnly()
        edit.setFocus()
        qtbot.keyClicks(edit, "81")
        qtbot.keyClick(edit, Qt.Key.Key_Tab)
        assert not edit.hasFocus()
        assert saved == [("pre.girth", "81")]

    def test_enter_saves_and_an_unchanged_recorded_value_is_not_saved_again(self, qtbot):
        host = ChecklistSection("Before the infusion")
        qtbot.addWidget(host)
        host.show_items([_value_status()], {}, {}, enabled=True)
        host.show()
        qtbot.waitExposed(host)
        saved: list[str] = []
        host.answered.connect(lambda _key, answer: saved.append(answer))
        edit = host.rows["pre.girth"].value
        assert edit is not None
        edit.setFocus()
        qtbot.keyClicks(edit, "81")
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert saved == ["81"]
        host.rows["pre.girth"]._recorded = "81"  # as after the refresh with the saved answer
        qtbot.keyClick(edit, Qt.Key.Key_Return)
        assert saved == ["81"]


class TestHeader:
    def test_allergies_not_recorded_are_shown_as_an_alert_like_the_printed_checklist(
            self, qtbot):
        header = IdentityHeader()
        qtbot.addWidget(header)
        patient = PatientSummary(id=1, mrn="MRN-1", family_name="Keller", given_names="Anna",
                                 display_name="Anna Keller", date_of_birth=date(1980, 3, 14),
                                 sex="female", version=1)
        header.show_identity(patient, allergies=[], alerts=[], today=date(2026, 3, 2),
                             treatment="Infliximab dose 1")
        label = header.allergy_label
        assert "ALLERGIES NOT RECORDED: ask the patient before starting" in label.text()
        assert label.styleSheet() == ALLERGY_STYLE
        assert "none on file" not in header.text()
        header.show_identity(patient, allergies=["penicillin"], alerts=[],
                             today=date(2026, 3, 2), treatment="Infliximab dose 1")
        assert label.text() == "⚠ Allergies: penicillin"
        assert label.styleSheet() == ALLERGY_STYLE
