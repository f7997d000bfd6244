"""Layout of the reaction dialog (slots in :mod:`clinic_app.ui.reaction.reaction_dialog`).

Top: who, and whether the reaction is logged from the visit (acute) or later (delayed); the
onset, with the infusion the services link it to and where the onset falls against it. Then
the signs, grouped acute / delayed. Then the CTCAE grade picker with every grade's definition
beside the protocol's guidance for the grade chosen (and, for a delayed reaction, "Not
graded"). Then the notes describing the reaction, actions, medications, outcome, and the
buttons. Scrolls when the screen is small.
"""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.reaction_timeline import TRANSFERRED_OUTCOME
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.date_edits import show_clinic_format, typed_moment
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.reaction.grade_picker import GradePicker
from clinic_app.ui.reaction.medication_rows import MedicationRows
from clinic_app.ui.reaction.signs_view import SignsPanel

QUICK_ACTIONS = (
    "Infusion stopped",
    "Infusion slowed",
    "Line kept open with 0.9% sodium chloride",
    "Vitals every 5 minutes",
    "Prescriber called",
    "Emergency team called",
)
OUTCOMES = ("", "Resolved", "Resolved with treatment", "Improving", "Ongoing",
            TRANSFERRED_OUTCOME)
GUIDANCE_STYLE = ("background: #F3F6FB; border: 1px solid #C5D3E8; border-radius: 4px; "
                  "padding: 8px;")
RESULT_STYLE = ("background: #FDECEA; color: #7F0000; border: 2px solid #C62828; "
                "border-radius: 4px; padding: 8px; font-weight: 600;")


def _error_label(name: str) -> QLabel:
    label = ValueLabel(name, alert=True)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.hide()
    return label


class ReactionLayout(QWidget):
    """Every field of the reaction dialog."""

    def __init__(self, now: QDateTime, now_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = ValueLabel("Reaction heading")
        #: Sits right under the heading: the dialog puts the infusion (pump) choice here.
        self.under_title = QVBoxLayout()
        self.heading.setWordWrap(True)
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.heading.setFont(font)
        self.onset = QDateTimeEdit(now)
        show_clinic_format(self.onset, with_time=True)
        self.onset.setAccessibleName("Onset")
        self.onset.lineEdit().setAccessibleName("Onset (date and time)")
        self.onset.setCalendarPopup(True)
        self.onset.setMaximumWidth(200)
        self.onset_error = _error_label("Onset error")
        typed_moment(self.onset).refused.connect(self._onset_refused)
        self.link = ValueLabel("Linked infusion")
        self.link.setWordWrap(True)
        self.signs = SignsPanel()
        self.signs_error = _error_label("Signs error")
        self.grade = GradePicker()
        self.grade_error = _error_label("Grade error")
        self.guidance_title = QLabel("<b>What to do</b>")
        self.guidance = ValueLabel("Guidance", "Choose the grade to see the protocol's guidance.")
        self.guidance.setWordWrap(True)
        self.guidance.setStyleSheet(GUIDANCE_STYLE)
        self.guidance.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.notes = QPlainTextEdit()
        self.notes.setAccessibleName("Notes")
        self.notes.setPlaceholderText("What the reaction looks like, where, how it evolved "
                                      "(e.g. a delayed rash that is not graded)")
        self.notes.setFixedHeight(64)
        self.notes.setTabChangesFocus(True)
        self.notes_error = _error_label("Notes error")
        self.action_boxes = {text: QCheckBox(text) for text in QUICK_ACTIONS}
        for text, box in self.action_boxes.items():
            box.setAccessibleName(text)
        self.actions_text = QPlainTextEdit()
        self.actions_text.setAccessibleName("Other actions")
        self.actions_text.setPlaceholderText("Other actions taken")
        self.actions_text.setFixedHeight(40)
        self.actions_text.setTabChangesFocus(True)
        self.medications = MedicationRows(now_text)
        self.outcome = QComboBox()
        self.outcome.setEditable(True)
        self.outcome.addItems(list(OUTCOMES))
        self.outcome.setAccessibleName("Outcome")
        self.outcome.setMinimumWidth(320)
        self.outcome_error = _error_label("Outcome error")
        self.result = ValueLabel("Reaction saved")
        self.result.setWordWrap(True)
        self.result.hide()
        self.message = _error_label("Reaction message")
        self.save = QPushButton("&Save reaction")
        self.save.setAccessibleName("Save reaction")
        self.save.setDefault(True)
        self.print_report = QPushButton("&Print reaction report")
        self.print_report.setAccessibleName("Print reaction report")
        self.print_report.setEnabled(False)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self._lay_out()

    def _onset_refused(self, reason: str) -> None:
        self.onset_error.setText(f"Onset not changed: {reason}")
        self.onset_error.show()

    def _lay_out(self) -> None:
        onset = QFormLayout()
        onset_box = QVBoxLayout()
        onset_box.addWidget(self.onset)
        onset_box.addWidget(self.link)
        onset_box.addWidget(self.onset_error)
        caption = QLabel("&Onset (local time)")
        caption.setBuddy(self.onset)
        onset.addRow(caption, onset_box)
        guidance_box = QVBoxLayout()
        guidance_box.addWidget(self.guidance_title)
        guidance_box.addWidget(self.guidance, stretch=1)
        grading = QHBoxLayout()
        picker = QVBoxLayout()
        picker.addWidget(self.grade)
        picker.addWidget(self.grade_error)
        grading.addLayout(picker, stretch=3)
        grading.addLayout(guidance_box, stretch=2)
        body = QWidget()
        column = QVBoxLayout(body)
        column.addWidget(self.heading)
        column.addLayout(self.under_title)
        column.addLayout(onset)
        column.addWidget(self.signs)
        column.addWidget(self.signs_error)
        column.addLayout(grading)
        column.addLayout(self._notes_row())
        column.addWidget(self._actions_box())
        column.addWidget(self.medications)
        outcome = QFormLayout()
        outcome_box = QVBoxLayout()
        outcome_box.addWidget(self.outcome)
        outcome_box.addWidget(self.outcome_error)
        outcome_caption = QLabel("O&utcome")
        outcome_caption.setBuddy(self.outcome)
        outcome.addRow(outcome_caption, outcome_box)
        outcome.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.FieldsStayAtSizeHint)
        column.addLayout(outcome)
        column.addWidget(self.result)
        scroll = self.scroll_area = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.save, self.print_report, self.close_button):
            buttons.addWidget(button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll, stretch=1)
        outer.addWidget(self.message)
        outer.addLayout(buttons)

    def _notes_row(self) -> QFormLayout:
        row = QFormLayout()
        box = QVBoxLayout()
        box.addWidget(self.notes)
        box.addWidget(self.notes_error)
        caption = QLabel("&Notes")
        caption.setBuddy(self.notes)
        row.addRow(caption, box)
        return row

    def _actions_box(self) -> QGroupBox:
        box = QGroupBox("Actions taken")
        box.setAccessibleName("Actions taken")
        grid = QGridLayout(box)
        for index, check in enumerate(self.action_boxes.values()):
            grid.addWidget(check, index // 3, index % 3)
        grid.addWidget(self.actions_text, 2, 0, 1, 3)
        return box

    def actions_taken(self) -> str:
        """The ticked actions and the free text, one a line."""
        lines = [text for text, box in self.action_boxes.items() if box.isChecked()]
        other = self.actions_text.toPlainText().strip()
        return "\n".join([*lines, other] if other else lines)

    def show_result(self, text: str, *, alarming: bool) -> None:
        """What the saved reaction changed (red when it contraindicates the drug), scrolled
        into view."""
        self.result.setText(text)
        self.result.setStyleSheet(RESULT_STYLE if alarming else GUIDANCE_STYLE)
        self.result.setVisible(bool(text))
        body = self.scroll_area.widget()
        if body is not None:
            body.adjustSize()
        self.scroll_area.ensureWidgetVisible(self.result)

    def set_read_only(self) -> None:
        """After the save: nothing more can be typed or chosen (a correction is a new entry
        or a void from the chart), so nothing typed later can be lost."""
        for widget in (self.onset, self.signs, self.grade, self.notes, self.actions_text,
                       self.outcome, *self.action_boxes.values()):
            widget.setEnabled(False)
        self.medications.set_read_only()
