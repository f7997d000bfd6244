"""The question asked before recording that a booked patient did not attend.

It names the patient, the dose and the booked time, so the nurse checks the row she picked.
Cancel is the default button: Enter or Escape leave the booking as it is.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from clinic_app.domain.dates import long_weekday_date_text, time_text

if TYPE_CHECKING:
    from clinic_app.services.visits.dto import ClinicDayRow


TITLE = "Did not attend"


def question_text(row: ClinicDayRow, day: date) -> tuple[str, str]:
    """The question and its details for ``row`` booked on ``day``."""
    patient = row.patient
    question = f"Record that {patient.display_name} (MRN {patient.mrn}) did not attend?"
    chair = f", {row.chair}" if row.chair else ""
    details = (f"{row.drug.capitalize()} dose {row.dose_number} ({row.dose_text}), booked "
               f"{long_weekday_date_text(day)} at {time_text(row.local_time)}{chair}.\n\n"
               "The dose stays owed: book it again from the course.")
    return question, details


class DidNotAttendQuestion(QMessageBox):
    """Asks before recording the did-not-attend; ``record`` is the confirming button."""

    def __init__(self, row: ClinicDayRow, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setIcon(QMessageBox.Icon.Question)
        self.setWindowTitle(TITLE)
        self.setAccessibleName(TITLE)
        question, details = question_text(row, day)
        self.setText(question)
        self.setInformativeText(details)
        self.record: QPushButton = self.addButton("&Record did not attend",
                                                  QMessageBox.ButtonRole.AcceptRole)
        self.record.setAccessibleName("Record did not attend")
        self.cancel: QPushButton = self.addButton("&Cancel", QMessageBox.ButtonRole.RejectRole)
        self.cancel.setAccessibleName("Cancel")
        self.setDefaultButton(self.cancel)
        self.setEscapeButton(self.cancel)
