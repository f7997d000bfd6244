"""The screens as a screen reader gets them, through Qt's own accessibility interface (issue 12).

Everything is read back with ``QAccessible.queryAccessibleInterface(widget)``, the interface Qt
hands to AT-SPI (Linux) and UI Automation (Windows): every visible control has a name, every value
is read with its caption and says what is shown, errors read their message and are announced,
a Yes/No answer given through the accessibility Toggle action is saved, and the colours used for
flags, overdue items and errors pass WCAG 2.2 AA contrast (4.5:1 for normal text).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QColor, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)
from test_visit import book_infliximab, open_dialog, open_visit_widget, started, type_weight
from ui_testing import shot

from clinic_app.services import visits
from clinic_app.ui import a11y
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.forms import ERROR_STYLE, FormRows
from clinic_app.ui.patients import chart_header, display
from clinic_app.ui.reason_dialog import WARNING_STYLE
from clinic_app.ui.today import today_model
from clinic_app.ui.visit import checklist_section, infusion_panel, observation_panel, vitals_grid
from clinic_app.ui.visit.correction_dialog import CorrectionDialog
from clinic_app.ui.visit.visit_layout import REACTION_STYLE

pytestmark = pytest.mark.gui

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QAbstractItemView,
               QPlainTextEdit, QTextEdit, QTabBar)
AA_NORMAL_TEXT = 4.5


def spoken(widget: QWidget) -> str:
    """The name Qt gives assistive technology for ``widget``."""
    interface = QAccessible.queryAccessibleInterface(widget)
    assert interface is not None and interface.isValid()
    return interface.text(QAccessible.Text.Name)


def description(widget: QWidget) -> str:
    """The description Qt gives assistive technology for ``widget``."""
    return QAccessible.queryAccessibleInterface(widget).text(QAccessible.Text.Description)


def on_screen(root: QWidget) -> list[QWidget]:
    """``root``'s visible descendants."""
    return [w for w in root.findChildren(QWidget) if w.isVisible()]


def unnamed_controls(root: QWidget) -> list[str]:
    """Visible interactive controls a screen reader would read without a name (a table's
    header is read through the table, cell by cell, not as a control of its own)."""
    return [f"{type(w).__name__} {w.objectName()!r} {getattr(w, 'text', lambda: '')()!r}"
            for w in on_screen(root) if isinstance(w, INTERACTIVE) and not spoken(w).strip()
            and not (isinstance(w, QHeaderView) and isinstance(w.parent(), QAbstractItemView))]


def _essence(text: str) -> str:
    """The words of a label's text (rich text and leading signs such as ⚠ or ✓ left out)."""
    return a11y.plain_text(text).lstrip("⚠✓ ").strip()


def silent_values(root: QWidget) -> list[str]:
    """Visible labels with an accessible name of their own whose name does not say what they
    show (a value label named only "Dose" while it shows "362 mg")."""
    silent = []
    for label in on_screen(root):
        if not isinstance(label, QLabel) or not label.accessibleName():
            continue
        shown = _essence(label.text())
        if shown and shown.casefold() not in spoken(label).casefold():
            silent.append(f"{spoken(label)!r} shows {shown!r}")
    return silent


def value_labels(root: QWidget) -> list[ValueLabel]:
    return [w for w in on_screen(root) if isinstance(w, ValueLabel) and w.text()]


def assert_readable(screen: QWidget) -> None:
    assert unnamed_controls(screen) == []
    assert silent_values(screen) == []
    assert value_labels(screen), "the screen shows no value label at all"


@pytest.fixture
def events(monkeypatch: pytest.MonkeyPatch) -> list[tuple[QWidget, QAccessible.Event]]:
    """The accessibility events the screens send (NameChanged, Alert), in order."""
    sent: list[tuple[QWidget, QAccessible.Event]] = []
    monkeypatch.setattr(a11y, "post_event", lambda widget, kind: sent.append((widget, kind)))
    return sent


# -- values ---------------------------------------------------------------------------------


def test_a_value_label_is_read_with_its_caption_and_follows_its_text(qtbot, events):
    label = ValueLabel("Dose", "—")
    qtbot.addWidget(label)
    label.setText("362.5 mg")
    assert spoken(label) == "Dose: 362.5 mg"
    assert (label, QAccessible.Event.NameChanged) in events
    label.setText("<b>400</b> mg")
    assert spoken(label) == "Dose: 400 mg"
    label.clear()
    assert spoken(label) == "Dose"


def test_today_reads_its_heading_summary_and_every_control(qtbot, demo_window):
    today = demo_window.today
    assert spoken(today.heading).startswith("Clinic day: Today — Monday 2 Mar 2026")
    assert today.summary.text() in spoken(today.summary)
    assert_readable(today)


def test_the_patient_chart_reads_the_identity_and_every_control(qtbot, demo_window):
    patient = demo_window.today.model.rows[0].patient
    demo_window.open_chart(patient.id)
    chart = demo_window.tabs.currentWidget()
    header = chart.header
    assert spoken(header.name_label) == f"Patient name: {header.name_label.text()}"
    assert "MRN" in spoken(header.identity_label)
    assert_readable(chart)


def test_the_visit_reads_every_dose_plan_value_and_the_infusion_status(qtbot, demo_window):
    row = next(r for r in demo_window.today.model.rows if r.status == "infusing")
    demo_window.open_visit(row.visit_id)
    visit = demo_window.tabs.currentWidget()
    qtbot.waitUntil(visit.isVisible)
    plan = visit.view.plan
    for key, caption in (("dose", "Dose"), ("vials", "Vials"), ("rate", "Rate"),
                         ("final", "Final volume"), ("withdraw", "Withdraw")):
        assert spoken(plan._values[key]) == f"{caption}: {plan.value_text(key)}"
    assert "mg" in spoken(plan._values["dose"])
    status = visit.view.infusion.status
    assert spoken(status) == f"Infusion status: {a11y.plain_text(status.text())}"
    assert_readable(visit)
    shot(visit, "a11y_visit_infusing")


def test_the_search_reads_the_result_count_and_every_control(qtbot, demo_window):
    demo_window.find_patient()
    search = demo_window.patients
    family = demo_window.today.model.rows[0].patient.display_name.split(",")[0]
    qtbot.keyClicks(search.box, family[:3])
    qtbot.waitUntil(lambda: bool(search.count_label.text()), timeout=3000)
    assert spoken(search.count_label) == f"Patients found: {search.count_label.text()}"
    assert_readable(search)


# -- errors ---------------------------------------------------------------------------------


def test_a_form_error_reads_its_message_and_is_announced(qtbot, events):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    rows = FormRows(QFormLayout(dialog))
    rows.add("weight", "&Weight (kg)", QLineEdit())
    dialog.show()
    message = "Weight 900 kg is above the maximum of 350 kg"
    rows.show_error("weight", message)
    label = rows._errors["weight"]
    assert spoken(label) == f"Weight (kg) error: {message}"
    assert description(label) == message
    assert (label, QAccessible.Event.Alert) in events


def test_the_weight_refused_in_the_open_visit_step_is_read_out(qtbot, app_state, ui_ctx):
    dialog = open_dialog(qtbot, app_state, book_infliximab(ui_ctx))
    type_weight(qtbot, dialog, "900")
    error = dialog.view.weight_error
    assert error.isVisible()
    assert "350" in error.text()
    assert spoken(error) == f"Weight error: {error.text()}"
    assert_readable(dialog)


def test_the_change_of_a_saved_answer_is_read_out_with_its_reason_field(qtbot):
    message = ("Fever or signs of infection today: the saved answer is No. Give a reason to "
               "change it to Yes (the old answer stays on record).")
    dialog = CorrectionDialog(message)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert message in spoken(dialog.change)
    assert spoken(dialog.reason) == "Reason for changing the answer"
    assert not dialog.confirm.isEnabled()
    assert_readable(dialog)


def test_a_countdown_reaching_zero_is_announced_once(qtbot, events, monkeypatch):
    panel = observation_panel.ObservationPanel()
    qtbot.addWidget(panel)
    texts = iter(["Observation ends 11:30 — 1 min left",
                  "Observation ended 11:30 — the patient may be discharged",
                  "Observation ended 11:30 — the patient may be discharged"])
    monkeypatch.setattr(observation_panel, "countdown_text", lambda *_args: next(texts))
    panel._detail = object()  # type: ignore[assignment]  # the text is faked above
    for _ in range(3):
        panel.tick(None, None)  # type: ignore[arg-type]
    alerts = [w for w, kind in events if kind is QAccessible.Event.Alert]
    assert alerts == [panel.countdown]
    assert spoken(panel.countdown).startswith("Observation countdown: Observation ended")


# -- answers and tables ---------------------------------------------------------------------


def _answers(ctx: Any, visit_id: int, key: str) -> list[str]:
    detail = visits.get_visit(ctx, visit_id=visit_id)
    return [e.answer for e in detail.entries if e.item_key == key]


def test_the_toggle_action_of_a_screen_reader_saves_the_answer_once(qtbot, app_state, ui_ctx,
                                                                    monkeypatch):
    widget = open_visit_widget(qtbot, app_state, book_infliximab(ui_ctx))
    key = "pre.fever_infection"
    row = widget.view.pre_checks.rows[key]
    action = QAccessible.queryAccessibleInterface(row.choices["no"]).actionInterface()
    assert QAccessibleActionInterface.toggleAction() in action.actionNames()
    action.doAction(QAccessibleActionInterface.toggleAction())
    assert row.choices["no"].isChecked()
    assert _answers(app_state.ctx, widget.visit_id, key) == ["no"]
    row = widget.view.pre_checks.rows[key]
    asked: list[CorrectionDialog] = []

    def give_reason(dialog: CorrectionDialog) -> int:  # changing a saved answer asks why
        asked.append(dialog)
        qtbot.keyClicks(dialog.reason, "clicked the wrong answer")
        return CorrectionDialog.DialogCode.Accepted

    monkeypatch.setattr(CorrectionDialog, "exec", give_reason)
    row.choices["yes"].setChecked(True)  # a programmatic change saves the same way, once
    assert _answers(app_state.ctx, widget.visit_id, key) == ["no", "yes"]
    assert len(asked) == 1


def test_selecting_a_today_row_through_the_accessibility_api_enables_its_buttons(
        qtbot, demo_window):
    today = demo_window.today
    today.table.clearSelection()
    today.table.setCurrentIndex(today.model.index(-1, -1))
    assert not today.open_selected.isEnabled()
    name = today.model.rows[1].patient.display_name
    table = QAccessible.queryAccessibleInterface(today.table)
    cells = (table.child(n) for n in range(table.childCount()))
    cell = next(c for c in cells if c.role() is QAccessible.Role.Cell
                and c.text(QAccessible.Text.Name) == name)
    table.selectionInterface().select(cell)
    assert today.selected_row() is today.model.rows[1]
    assert today.open_selected.isEnabled() and today.open_chart.isEnabled()


def test_vitals_inputs_have_unique_names_that_follow_the_start(qtbot, app_state, ui_ctx):
    widget = open_visit_widget(qtbot, app_state, book_infliximab(ui_ctx))

    def names() -> list[str]:
        return [spoken(e) for r in widget.view.vitals.rows.values() for e in r.inputs.values()]

    assert len(set(names())) == len(names())
    assert "Baseline" in spoken(widget.view.vitals.rows["pre.baseline_vitals"].inputs["systolic"])
    started(qtbot, widget)
    assert len(set(names())) == len(names())
    row = widget.view.vitals.rows["vitals.t0"]
    due = row.due.text().splitlines()[0]
    assert spoken(row.inputs["systolic"]) == f"BP systolic at {row.label.text()} ({due})"
    assert due in spoken(row.save)


def test_the_window_name_carries_the_demo_marker_of_its_title(qtbot, demo_window):
    assert "DEMO DATA" in demo_window.windowTitle()
    assert "DEMO DATA" in spoken(demo_window)


def test_a_real_clinic_window_has_no_demo_marker(qtbot, main_window):
    assert "DEMO DATA" not in main_window.windowTitle()
    assert spoken(main_window) == "Infusion clinic"


# -- contrast -------------------------------------------------------------------------------

_COLOUR = re.compile(r"(?<![-\w])(background|color)\s*:\s*(#[0-9A-Fa-f]{6}|#[0-9A-Fa-f]{3})\b")


def _luminance(colour: QColor) -> float:
    """WCAG 2.2 relative luminance."""
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF())
            + 0.0722 * channel(colour.blueF()))


def contrast(foreground: QColor, background: QColor) -> float:
    """WCAG 2.2 contrast ratio, 1 to 21."""
    light, dark = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _style_colours(style: str, window: QColor) -> tuple[QColor, QColor]:
    found = dict(m.groups() for m in _COLOUR.finditer(style))
    background = QColor(found["background"]) if "background" in found else window
    return QColor(found["color"]), background


STYLES = {
    "form error": ERROR_STYLE,
    "vitals flag": vitals_grid.FLAGGED_STYLE,
    "vitals overdue": vitals_grid.DUE_STYLE[vitals_grid.ItemState.OVERDUE],
    "pre-check overdue": checklist_section.STATE_STYLE[checklist_section.ItemState.OVERDUE],
    "blocking answer action": checklist_section.ACTION_STYLE,
    "do not start mark": checklist_section.STOP_STYLE,
    "infusion blockers": infusion_panel.BLOCKERS_STYLE,
    "bag due empty": observation_panel.COUNTDOWN_ALERT_STYLE,
    "reaction at this visit": REACTION_STYLE,
    "reason warning": WARNING_STYLE,
    "chart red badge": chart_header._RED,
    "chart amber badge": chart_header._AMBER,
}


@pytest.mark.parametrize("what", sorted(STYLES))
def test_flag_overdue_and_error_colours_pass_aa_contrast(qtbot, what):
    window = QWidget().palette().color(QPalette.ColorRole.Window)
    foreground, background = _style_colours(STYLES[what], window)
    assert contrast(foreground, background) >= AA_NORMAL_TEXT, what


def test_overdue_and_alert_rows_in_tables_pass_aa_contrast(qtbot):
    palette = QWidget().palette()
    for background in (palette.color(QPalette.ColorRole.Base),
                       palette.color(QPalette.ColorRole.AlternateBase)):
        for colour in (today_model.OVERDUE_COLOUR, display.ALERT_COLOUR):
            assert contrast(colour, background) >= AA_NORMAL_TEXT, colour.name()


def test_the_contrast_formula_matches_wcag_known_values():
    assert contrast(QColor("#000000"), QColor("#FFFFFF")) == pytest.approx(21.0)
    assert contrast(QColor("#767676"), QColor("#FFFFFF")) == pytest.approx(4.54, abs=0.01)
    assert contrast(QColor(Qt.GlobalColor.white), QColor(Qt.GlobalColor.white)) == 1.0
