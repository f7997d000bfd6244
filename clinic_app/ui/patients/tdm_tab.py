"""The chart's "Drug levels" tab: a course's trough levels and antibody results beside its
doses, as a plot and a list, with "Record drug level…" and "Void drug level…".

Reads :func:`clinic_app.services.drug_levels.course_tdm` for the chosen course (the chart
redraws it on a change notice naming the patient). The screen says that the prescriber
decides: the app proposes no dose from these levels.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import tzinfo

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clinic_app.domain.dates import date_text
from clinic_app.domain.drug_levels import NO_MODEL_NOTE
from clinic_app.services.courses.dto import CourseSummary
from clinic_app.services.drug_levels import course_tdm
from clinic_app.services.drug_levels.dto import DrugLevelEntry, TdmView
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.app_state import AppState
from clinic_app.ui.errors import EXPECTED_ERRORS
from clinic_app.ui.patients import chart_dialogs as dialogs
from clinic_app.ui.patients.chart_rows import voided_text
from clinic_app.ui.patients.record_dialog import RecordDialog
from clinic_app.ui.patients.record_table import RecordRow, RecordTable
from clinic_app.ui.patients.tdm_dialog import drug_level_dialog
from clinic_app.ui.patients.tdm_plot import TdmPlot

LEVEL_COLUMNS = ("Drawn", "Result", "Before dose", "Assay")
NOTE_STYLE = "color: #555; font-style: italic;"


def level_rows(entries: Sequence[DrugLevelEntry], tz: tzinfo) -> list[RecordRow]:
    """Newest first; a voided result keeps its row, struck through, with the reason."""
    return [
        RecordRow(
            e.id,
            (
                date_text(e.level.drawn_on),
                f"{e.level.kind.value.capitalize()}: {e.level.text}",
                "" if e.level.before_dose is None else str(e.level.before_dose),
                e.level.assay,
            ),
            voided_text(e.voided, tz),
        )
        for e in reversed(entries)
    ]


def _course_text(course: CourseSummary) -> str:
    return (
        f"{course.drug} {course.order_text} ({course.indication}), "
        f"from {date_text(course.start_date)}"
    )


class DrugLevelsTab(QWidget):
    """The Drug levels tab of one patient's chart."""

    def __init__(
        self,
        state: AppState,
        patient_id: int,
        say: Callable[[str], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._state = state
        self._patient_id = patient_id
        self._say = say
        self.view: TdmView | None = None
        self.course = QComboBox()
        self.course.setAccessibleName("Course")
        self.note = QLabel(NO_MODEL_NOTE)
        self.note.setStyleSheet(NOTE_STYLE)
        self.note.setWordWrap(True)
        self.note.setAccessibleName(NO_MODEL_NOTE)
        self.summary = ValueLabel("Latest drug levels")
        self.summary.setWordWrap(True)
        self.plot = TdmPlot()
        self.levels = RecordTable("Drug levels and antibodies", LEVEL_COLUMNS)
        self.record_button = self.levels.add_button("Record &level…")
        self.void_button = self.levels.add_button("Void drug level…")
        self._layout()
        self.levels.table.installEventFilter(self)
        self.course.currentIndexChanged.connect(lambda _i: self.refresh())
        self.record_button.clicked.connect(self.record_level)
        self.void_button.clicked.connect(self.void_selected)

    def _layout(self) -> None:
        top = QHBoxLayout()
        label = QLabel("&Course:")
        label.setBuddy(self.course)
        top.addWidget(label)
        top.addWidget(self.course, 1)
        body = QHBoxLayout()
        body.addWidget(self.plot, 3)
        body.addWidget(self.levels, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.summary)
        layout.addLayout(body, 1)

    def show_courses(self, courses: Sequence[CourseSummary]) -> None:
        """List the patient's courses (not voided), keep the chosen one, and redraw it; the
        first running course is chosen when none was."""
        chosen = self.course.currentData()
        shown = [c for c in courses if not c.voided]
        self.course.blockSignals(True)
        self.course.clear()
        for course in shown:
            self.course.addItem(_course_text(course), course.id)
        running = next((c.id for c in shown if c.status == "active"), None)
        keep = self.course.findData(chosen if chosen is not None else running)
        self.course.setCurrentIndex(max(keep, 0))
        self.course.blockSignals(False)
        self.refresh()

    def refresh(self) -> None:
        """Read the chosen course's drug levels again and redraw the plot and the list."""
        course_id = self.course.currentData()
        self.view = None
        if course_id is not None:
            try:
                self.view = course_tdm(
                    self._state.ctx, patient_id=self._patient_id, course_id=int(course_id)
                )
            except EXPECTED_ERRORS as exc:
                self.summary.setText(f"The drug levels could not be read: {exc}")
        if self.view is not None:
            self.summary.setText(self.view.summary)
        elif course_id is None:
            self.summary.setText("No course on file: start a course to record drug levels.")
        self.plot.show_view(self.view)
        self.levels.set_rows(level_rows(self.view.entries if self.view else (), self._state.ctx.tz))
        self.record_button.setEnabled(self.view is not None)

    def record_level(self) -> RecordDialog | None:
        """Open the form for the chosen course; the chart redraws once it is saved."""
        if self.view is None:
            self._say("Choose a course first.")
            return None
        dialog = drug_level_dialog(self._state, self.view.course_id, self.view.drug, self)
        dialog.saved.connect(lambda saved: self._announce(getattr(saved, "id", None)))
        dialog.open()
        return dialog

    def void_selected(self) -> RecordDialog | None:
        """Ask why the highlighted result is voided, then void it (kept, struck through)."""
        chosen = self.levels.selected()
        if chosen is None or chosen.voided:
            self._say(
                "This drug level is already voided."
                if chosen
                else "Highlight the drug level to void first."
            )
            return None
        what = f"this drug level ({' · '.join(c for c in chosen.cells[:2] if c)})"
        dialog = dialogs.void_dialog(
            self._state, kind="drug_level", record_id=chosen.record_id, what=what, parent=self
        )
        dialog.saved.connect(lambda _v: self._announce(chosen.record_id))
        dialog.open()
        return dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Qt override: Delete on the list voids the highlighted result (asks the reason), as
        on the chart's other lists."""
        if (
            watched is self.levels.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Delete
        ):
            self.void_selected()
            return True
        return super().eventFilter(watched, event)

    def _announce(self, record_id: int | None) -> None:
        self._state.announce("drug_level", record_id, patient_id=self._patient_id)
