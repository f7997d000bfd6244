"""The identity header of a visit: who the patient is, what drug and dose, and the allergies.

Big and plain so the nurse checks the right patient at a glance: the name large, MRN and date of
birth in bold, the allergies in a red box, and the other alert badges the services computed
(contraindications, earlier reactions, screening). No allergy on file is not "no allergy": the
header says, in the same red box, what the printed checklist says ("ALLERGIES NOT RECORDED: ask
the patient before starting"); only a standing "No known allergies" statement reads "No known
allergies", in a plain box (:mod:`clinic_app.domain.allergy_status`, issue 12). Each line is read
with its caption ("Patient name: ..."). On a narrow screen the lines wrap instead of widening
the window; the whole header is also the tooltip and the accessible description.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from clinic_app.domain.allergy_status import AllergyState, allergy_line, allergy_state
from clinic_app.services.patients.dto import AlertBadge, PatientSummary
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.patients.display import born_text

ALLERGY_STYLE = ("background: #FDECEA; color: #8B0000; border: 2px solid #C62828; "
                 "border-radius: 4px; padding: 4px 10px; font-weight: 700;")
NONE_KNOWN_STYLE = ("background: #F1F8F1; color: #1B4D1B; border: 2px solid #2E7D32; "
                    "border-radius: 4px; padding: 4px 10px; font-weight: 700;")
NOT_RECORDED_TEXT = "⚠ ALLERGIES NOT RECORDED: ask the patient before starting"
BADGE_STYLE = ("background: #FFF4E5; color: #7A4300; border: 1px solid #E8C48A; "
               "border-radius: 4px; padding: 3px 8px; font-weight: 600;")


class IdentityHeader(QWidget):
    """Name, MRN, date of birth, the treatment line, allergies and other alerts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_label = _label("Patient name")
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.name_label.setFont(font)
        self.identity_label = _label("Patient identity")
        self.treatment_label = _label("Treatment")
        for label in (self.name_label, self.treatment_label):
            label.setWordWrap(True)  # a narrow screen wraps the line rather than widening
        self.treatment_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.allergy_label = _label("Allergies")
        self.allergy_label.setWordWrap(True)
        self.alerts_label = _label("Alerts")
        self.alerts_label.setWordWrap(True)
        self.alerts_label.setStyleSheet(BADGE_STYLE)
        top = QHBoxLayout()
        top.addWidget(self.name_label)
        top.addSpacing(16)
        top.addWidget(self.identity_label)
        top.addWidget(self.treatment_label, stretch=1)
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 2, 4, 2)
        column.setSpacing(4)
        column.addLayout(top)
        column.addWidget(self.allergy_label)
        column.addWidget(self.alerts_label)

    def show_identity(self, patient: PatientSummary, *, allergies: Sequence[str],
                      alerts: Sequence[AlertBadge], today: date, treatment: str,
                      no_known_allergies: bool = False) -> None:
        """Fill the header (``today`` is the clinic's local date, for the age;
        ``no_known_allergies`` whether that statement stands)."""
        self.name_label.setText(patient.display_name)
        self.identity_label.setText(
            f"MRN <b>{patient.mrn}</b> &nbsp;·&nbsp; Born <b>"
            f"{born_text(patient.date_of_birth, today)}</b>")
        self.treatment_label.setText(treatment)
        none_known = allergy_state(allergies, no_known_allergies) is AllergyState.NONE_KNOWN
        line = allergy_line(allergies, no_known_allergies)
        self.allergy_label.setText(line if none_known else f"⚠ {line}")
        self.allergy_label.setStyleSheet(NONE_KNOWN_STYLE if none_known else ALLERGY_STYLE)
        others = [a.text for a in alerts if a.kind != "allergy"]
        self.alerts_label.setText("  ·  ".join(others))
        self.alerts_label.setVisible(bool(others))
        whole = self.text()
        self.setToolTip(whole)
        self.setAccessibleDescription(whole)

    def text(self) -> str:
        """What the header says, as plain text."""
        parts = (self.name_label, self.identity_label, self.treatment_label,
                 self.allergy_label, self.alerts_label)
        return " | ".join(_plain(p.text()) for p in parts if p.text())


def _label(name: str) -> ValueLabel:
    label = ValueLabel(name)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def _plain(text: str) -> str:
    return text.replace("<b>", "").replace("</b>", "").replace("&nbsp;", " ")
