"""The CTCAE term and grade, chosen with every grade's definition in view.

The terms, grades and their text come from the services' CTCAE scale
(:func:`clinic_app.services.reactions.ctcae_scale`): the picker lists them and never
grades. A grade the term does not define (anaphylaxis grades 1 and 2 in CTCAE v5.0) is shown
greyed with the catalogue's note and cannot be chosen. For a reaction
logged later from the chart, a "Not graded" choice is offered: a delayed reaction may be left
ungraded (the service refuses it for an acute one and says so beside the grade).
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.services.reactions import TermChoice, ctcae_scale
from clinic_app.ui.a11y import ValueLabel

GRADES = range(1, 6)
NOT_GRADED_ID = 0
NOT_GRADED_TEXT = "Not graded (delayed reaction: describe it in the notes)"
CHOSEN_STYLE = "background: #E8F0FE; border-radius: 3px; padding: 2px;"


class GradePicker(QGroupBox):
    """Term radio buttons, then grades 1-5 each with its definition (or why it is missing)."""

    choice_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        scale = ctcae_scale()
        super().__init__(f"CTCAE grade ({scale.version})", parent)
        self.setAccessibleName("CTCAE grade")
        self._term_choices = scale.terms
        column = QVBoxLayout(self)
        note = ValueLabel("CTCAE note", scale.note)
        note.setWordWrap(True)
        column.addWidget(note)
        column.addLayout(self._term_row())
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(6)
        self._grades = QButtonGroup(self)
        self._grade_buttons: dict[int, QRadioButton] = {}
        self._definitions: dict[int, QLabel] = {}
        for row, grade in enumerate(GRADES):
            button = QRadioButton(f"Grade &{grade}")
            button.setAccessibleName(f"Grade {grade}")
            definition = ValueLabel(f"Grade {grade} definition")
            definition.setWordWrap(True)
            definition.setBuddy(button)
            self._grades.addButton(button, grade)
            self._grade_buttons[grade] = button
            self._definitions[grade] = definition
            grid.addWidget(button, row, 0, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(definition, row, 1)
        column.addLayout(grid)
        self._not_graded = QRadioButton(NOT_GRADED_TEXT)
        self._not_graded.setAccessibleName("Not graded")
        self._not_graded.hide()
        self._grades.addButton(self._not_graded, NOT_GRADED_ID)
        column.addWidget(self._not_graded)
        self._grades.idToggled.connect(self._grade_toggled)
        self._terms.button(0).setChecked(True)

    def _term_row(self) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(QLabel("Term:"))
        self._terms = QButtonGroup(self)
        for index, choice in enumerate(self._term_choices):
            button = QRadioButton(choice.name)
            button.setAccessibleName(choice.name)
            self._terms.addButton(button, index)
            row.addWidget(button)
        row.addStretch(1)
        self._terms.idToggled.connect(self._term_toggled)
        return row

    def _term_toggled(self, index: int, on: bool) -> None:
        if not on:
            return
        choice: TermChoice = self._term_choices[index]
        chosen = self.grade()
        for grade, button in self._grade_buttons.items():
            definition = choice.definition(grade)
            button.setEnabled(definition is not None)
            self._definitions[grade].setEnabled(definition is not None)
            self._definitions[grade].setText(
                definition if definition is not None else choice.undefined_text)
        if chosen is not None and choice.definition(chosen) is None:
            self._uncheck_grade()
        self._highlight()
        self.choice_changed.emit()

    def _grade_toggled(self, _grade: int, on: bool) -> None:
        if on:
            self._highlight()
            self.choice_changed.emit()

    def _uncheck_grade(self) -> None:
        self._grades.setExclusive(False)
        for button in self._grades.buttons():
            button.setChecked(False)
        self._grades.setExclusive(True)

    def _highlight(self) -> None:
        chosen = self.grade()
        for grade, label in self._definitions.items():
            label.setStyleSheet(CHOSEN_STYLE if grade == chosen else "")

    def term(self) -> str:
        """The code of the term chosen ("infusion_related_reaction", "anaphylaxis")."""
        return self._term_choices[self._terms.checkedId()].term

    def grade(self) -> int | None:
        """The grade chosen, None until one is (or when "Not graded" is chosen)."""
        chosen = self._grades.checkedId()
        return chosen if chosen in self._grade_buttons else None

    def allow_not_graded(self, allowed: bool) -> None:
        """Offer (or withdraw) the "Not graded" choice, for a reaction logged later."""
        if not allowed and self.not_graded():
            self._uncheck_grade()
        self._not_graded.setVisible(allowed)

    def not_graded(self) -> bool:
        """True when "Not graded" is chosen."""
        return self._grades.checkedId() == NOT_GRADED_ID

    def not_graded_button(self) -> QRadioButton:
        """The radio button of "Not graded"."""
        return self._not_graded

    def set_term(self, term: str) -> None:
        """Choose the term with code ``term`` (as a click on its button would)."""
        self.term_button(term).setChecked(True)

    def grade_button(self, grade: int) -> QRadioButton:
        """The radio button of ``grade``."""
        return self._grade_buttons[grade]

    def term_button(self, term: str) -> QRadioButton:
        """The radio button of the term with code ``term``."""
        codes = [choice.term for choice in self._term_choices]
        button = self._terms.button(codes.index(term))
        assert isinstance(button, QRadioButton)  # the group holds only the term buttons
        return button

    def definition_text(self, grade: int) -> str:
        """The text shown beside ``grade``."""
        return self._definitions[grade].text()
