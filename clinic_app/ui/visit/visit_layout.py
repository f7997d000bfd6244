"""Layout of the visit screen (no slots: see :mod:`clinic_app.ui.visit.visit_view`).

Identity header across the top; below it two columns in a splitter, each scrolling on its own:
left the preparation (dose plan with Re-weigh… and the second nurse's check, the labs, a planned
surgery or live vaccine near the dose, premedication, pre-infusion checks, lots), right the
infusion (pump controls, vitals grid, observation and discharge) under the countdown, which stays
in view.
A row of actions (Log reaction…, the two printed sheets) sits under the header; a visit closed
as not given shows why in a banner above the columns. Fits 1024x600 (the columns scroll, sideways
too when narrower than their content); grows on a large screen.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.layout_memory import remember_layout
from clinic_app.ui.visit.checklist_section import ChecklistSection
from clinic_app.ui.visit.dose_plan_view import DosePlanPanel
from clinic_app.ui.visit.double_check_view import DoubleCheckRow
from clinic_app.ui.visit.identity_header import IdentityHeader
from clinic_app.ui.visit.infusion_panel import InfusionPanel
from clinic_app.ui.visit.labs_panel import LabsPanel
from clinic_app.ui.visit.lots_panel import LotsPanel
from clinic_app.ui.visit.observation_panel import ObservationPanel
from clinic_app.ui.visit.premedication_panel import PremedicationPanel
from clinic_app.ui.visit.vitals_grid import VitalsGrid
from clinic_app.ui.visit.warnings_view import WARNING_STYLE

REACTION_STYLE = "color: #8B0000; font-weight: 600; padding-left: 8px;"
NOT_GIVEN_STYLE = ("background: #F3F3F3; color: #222; border: 2px solid #777; "
                   "border-radius: 4px; padding: 6px 10px; font-size: 12pt; font-weight: 700;")
HINT_STYLE = "color: #555;"


def _action(text: str, name: str, shortcut: str) -> QPushButton:
    button = QPushButton(text)
    button.setAccessibleName(name)
    button.setShortcut(QKeySequence(shortcut))
    button.setToolTip(f"{name} ({shortcut})")
    button.setAutoDefault(False)
    return button


def _scrolling(*widgets: QWidget) -> QScrollArea:
    body = QWidget()
    column = QVBoxLayout(body)
    column.setContentsMargins(2, 2, 6, 2)
    for widget in widgets:
        column.addWidget(widget)
    column.addStretch(1)
    scroll = QScrollArea()
    scroll.setWidgetResizable(True)
    scroll.setWidget(body)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    return scroll  # sideways too when the pane is narrower than its content (never clipped)


class VisitLayout(QWidget):
    """Every part of the visit screen, laid out; the controller fills and wires them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.header = IdentityHeader()
        self.log_reaction = _action("Log reaction…", "Log reaction…", "Ctrl+Shift+L")
        self.print_checklist = _action("Print monitoring checklist",
                                       "Print monitoring checklist", "Ctrl+P")
        self.print_record = _action("Print infusion record", "Print infusion record",
                                    "Ctrl+Shift+I")
        self.plan = DosePlanPanel(title="Dose plan (as prepared)")
        self.reweigh = _action("Re-weigh…", "Re-weigh…", "Ctrl+Shift+W")
        self.reweigh_hint = QLabel("Weight wrong? Re-weigh before the start: the dose is "
                                   "calculated again.")
        self.reweigh_hint.setWordWrap(True)
        self.reweigh_hint.setStyleSheet(HINT_STYLE)
        self.not_given = ValueLabel("Not given today")
        self.not_given.setWordWrap(True)
        self.not_given.setStyleSheet(NOT_GIVEN_STYLE)
        self.not_given.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.not_given.hide()
        self.plan_warnings = ValueLabel("Dose plan warnings", alert=True)
        self.plan_warnings.setWordWrap(True)
        self.plan_warnings.setStyleSheet(WARNING_STYLE)
        self.decisions = ValueLabel("Decisions at this visit")
        self.decisions.setWordWrap(True)
        self.decisions.setStyleSheet(WARNING_STYLE)
        self.decisions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.decisions.hide()
        self.labs = LabsPanel()
        self.labs.hide()
        self.surgery_vaccines = ValueLabel("Surgery and live vaccines", alert=True)
        self.surgery_vaccines.setWordWrap(True)
        self.surgery_vaccines.setStyleSheet(WARNING_STYLE)
        self.surgery_vaccines.hide()
        self.lots = LotsPanel()
        self.premedication = PremedicationPanel()
        self.pre_checks = ChecklistSection("Before the infusion")
        self.infusion = InfusionPanel()
        self.vitals = VitalsGrid()
        self.vitals_box = vitals_box = QGroupBox("Vitals")
        vitals_box.setAccessibleName("Vitals grid")
        QVBoxLayout(vitals_box).addWidget(self.vitals)
        self.observation = ObservationPanel()
        self.reactions = ValueLabel("Reactions at this visit")
        self.reactions.setWordWrap(True)
        self.reactions.setStyleSheet(REACTION_STYLE)
        self.reactions.hide()
        self.message = ValueLabel("Visit message", alert=True)
        self.message.setWordWrap(True)
        self.message.hide()
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        reweigh_row = QWidget()
        reweigh_line = QHBoxLayout(reweigh_row)
        reweigh_line.setContentsMargins(0, 0, 0, 0)
        reweigh_line.addWidget(self.reweigh)
        reweigh_line.addWidget(self.reweigh_hint, stretch=1)
        self.reweigh_row = reweigh_row
        self.double_check = DoubleCheckRow()
        self.splitter.addWidget(_scrolling(self.plan, reweigh_row, self.double_check,
                                           self.plan_warnings, self.decisions, self.labs,
                                           self.surgery_vaccines, self.premedication,
                                           self.pre_checks, self.lots))
        right = QWidget()
        right_column = QVBoxLayout(right)
        right_column.setContentsMargins(0, 0, 0, 0)
        right_column.addWidget(self.observation.countdown)
        right_column.addWidget(_scrolling(self.infusion, vitals_box, self.observation),
                               stretch=1)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setSizes([560, 780])
        self.splitter.setChildrenCollapsible(False)
        remember_layout(self.splitter, "visit.plan_monitoring")
        actions = QHBoxLayout()
        actions.addWidget(self.log_reaction)
        actions.addWidget(self.reactions, stretch=1)
        actions.addWidget(self.print_checklist)
        actions.addWidget(self.print_record)
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 4, 6, 4)
        column.addWidget(self.header)
        column.addLayout(actions)
        column.addWidget(self.not_given)
        column.addWidget(self.message)
        column.addWidget(self.splitter, stretch=1)
