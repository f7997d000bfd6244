"""Premedication from the visit screen (issue 13): after an earlier reaction the nurse records
the suggested set in one step, editing a dose, and sees it listed; the start asks the reason
when part of it was not given (pytest-qt, mouse and keyboard)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from test_visit import BASELINE, FakeNavigator, answer_pre_checks, enter_vitals
from ui_testing import shot

from clinic_app.services import visits
from clinic_app.services.clinic_day import clinic_day
from clinic_app.ui.visit.premedication_reason_dialog import PremedicationReasonDialog
from clinic_app.ui.visit.visit_view import VisitWidget

pytestmark = pytest.mark.gui


def _lukasz_visit(qtbot, demo_state) -> VisitWidget:
    """The demo's Łukasz Żółć (urticaria at infliximab dose 2): dose 4 opened today."""
    ctx = demo_state.ctx
    (row,) = [
        r for r in clinic_day(ctx, day=ctx.local_now().date()) if r.patient.family_name == "Żółć"
    ]
    preview = visits.preview_dose(ctx, appointment_id=row.appointment_id, weight="78.5")
    detail = visits.open_visit(
        ctx, appointment_id=row.appointment_id, weight="78.5", acknowledged=preview.ack_needed
    )
    widget = VisitWidget(demo_state, FakeNavigator(), detail.id)
    qtbot.addWidget(widget)
    widget.resize(1366, 900)
    widget.show()
    qtbot.waitExposed(widget)
    with qtbot.waitActive(widget):
        widget.activateWindow()
    return widget


def _retype(qtbot, field, text: str) -> None:
    qtbot.mouseClick(field, Qt.MouseButton.LeftButton)
    field.selectAll()
    qtbot.keyClicks(field, text)


def test_the_suggested_set_is_recorded_in_one_step_with_a_dose_edited(qtbot, demo_state):
    widget = _lukasz_visit(qtbot, demo_state)
    panel = widget.view.premedication
    assert "cetirizine 10 mg oral" in panel.suggestion.text()
    assert "clinic setting" in panel.note.text()
    assert [r.drug.text() for r in panel.rows] == [
        "cetirizine",
        "paracetamol (acetaminophen)",
        "hydrocortisone",
    ]
    steroid = panel.rows[2]
    assert steroid.dose.accessibleName() == "Dose (hydrocortisone)"
    _retype(qtbot, steroid.dose, "200")
    _retype(qtbot, panel.rows[0].lot, "CT-77")
    shot(widget, "visit_premedication_suggested")
    qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    local = f"{demo_state.ctx.local_now():%H:%M}"
    assert panel.given_texts() == [
        f"{local} cetirizine 10 mg oral",
        f"{local} paracetamol (acetaminophen) 1000 mg oral",
        f"{local} hydrocortisone 200 mg IV",
    ]
    assert panel.rows == [] and not panel.error.isVisible()
    shot(widget, "visit_premedication_given")
    given = visits.get_visit(demo_state.ctx, visit_id=widget.visit_id).premedications
    assert [(e.drug, e.dose, e.lot_number) for e in given][::2] == [
        ("cetirizine", 10, "CT-77"),
        ("hydrocortisone", 200, ""),
    ]


def test_a_wrong_dose_is_refused_under_the_rows_and_nothing_is_saved(qtbot, demo_state):
    widget = _lukasz_visit(qtbot, demo_state)
    panel = widget.view.premedication
    _retype(qtbot, panel.rows[1].dose, "1,000")
    qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    assert "Premedication 2" in panel.error.text() and "decimal point" in panel.error.text()
    assert panel.rows[1].dose.text() == "1,000"
    assert visits.get_visit(demo_state.ctx, visit_id=widget.visit_id).premedications == ()


def test_starting_without_part_of_the_set_asks_the_reason_and_keeps_it(
    qtbot, demo_state, monkeypatch
):
    widget = _lukasz_visit(qtbot, demo_state)
    panel = widget.view.premedication
    for row in panel.rows[1:]:
        qtbot.mouseClick(row.give, Qt.MouseButton.LeftButton)  # untick: not given
    qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    assert len(panel.given_texts()) == 1
    assert [r.drug.text() for r in panel.rows] == ["paracetamol (acetaminophen)", "hydrocortisone"]
    answer_pre_checks(qtbot, widget)
    enter_vitals(qtbot, widget, "pre.baseline_vitals", BASELINE)
    assert widget.detail.start_gate.allowed, widget.detail.start_gate.blockers
    seen: list[str] = []

    def answer(dialog: PremedicationReasonDialog) -> int:
        seen.append(dialog.missing.text())
        assert not dialog.confirm.isEnabled()
        qtbot.keyClicks(dialog.reason, "Dr Nowak: antihistamine only")
        return PremedicationReasonDialog.DialogCode.Accepted

    monkeypatch.setattr(PremedicationReasonDialog, "exec", answer)
    qtbot.mouseClick(widget.view.infusion.start, Qt.MouseButton.LeftButton)
    assert seen and "hydrocortisone 100 mg IV" in seen[0]
    assert widget.detail.status == "infusing", widget.view.infusion.message.text()
    kept = [
        e.answer for e in widget.detail.entries if e.item_key == visits.PREMEDICATION_REASON_KEY
    ]
    assert kept and kept[0].startswith("Dr Nowak: antihistamine only (not given: paracetamol")


def test_an_entry_is_voided_with_a_reason_and_its_kind_is_offered_again(qtbot, demo_state):
    widget = _lukasz_visit(qtbot, demo_state)
    panel = widget.view.premedication
    qtbot.mouseClick(panel.record, Qt.MouseButton.LeftButton)
    assert len(panel.given_texts()) == 3 and panel.rows == []
    panel.given.selectRow(2)
    qtbot.mouseClick(panel.void, Qt.MouseButton.LeftButton)
    dialog = widget.premedication.void_dialog
    assert dialog is not None and not dialog.confirm.isEnabled()
    qtbot.keyClicks(dialog.reason, "Entered in error: not given")
    qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)
    assert [t.split(" ", 1)[1] for t in panel.given_texts()] == [
        "cetirizine 10 mg oral",
        "paracetamol (acetaminophen) 1000 mg oral",
    ]
    assert [r.drug.text() for r in panel.rows] == ["hydrocortisone"]
    (voided,) = [e for e in widget.detail.premedications if e.voided is not None]
    assert (voided.drug, voided.voided.reason) == ("hydrocortisone", "Entered in error: not given")


def test_the_reason_dialog_lists_what_was_not_given_and_returns_the_reason(qtbot):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from clinic_app.domain.premedication import DEFAULT_SET
    from clinic_app.ui.visit import premedication_reason_dialog

    def fill() -> None:
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, PremedicationReasonDialog) and w.isVisible()
        )
        assert "hydrocortisone 100 mg IV" in dialog.missing.text()
        qtbot.keyClicks(dialog.reason, "  prescriber:  not needed ")
        qtbot.mouseClick(dialog.confirm, Qt.MouseButton.LeftButton)

    QTimer.singleShot(0, fill)
    assert premedication_reason_dialog.ask_reason(DEFAULT_SET[2:], None) == (
        "prescriber: not needed"
    )
