"""The chart's identity header: the name large, MRN, date of birth with age, sex, and the alert
badges the services computed (allergies, reactions, screening, contraindications).

The header decides nothing: the badges are the chart DTO's ``alerts``, shown in order, coloured
by their kind, wrapping onto a new line when the row is full (never cut).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from clinic_app.services.patients.dto import AlertBadge, PatientDetails
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.patients.display import born_text, rich, sex_text
from clinic_app.ui.patients.flow_layout import FlowLayout

_RED = "background: #FDECEA; color: #8B0000; border: 1px solid #E0A0A0;"
_AMBER = "background: #FFF4E5; color: #7A4300; border: 1px solid #E8C48A;"
BADGE_STYLES = {"allergy": _RED, "contraindication": _RED, "reaction": _RED,
                "screening": _AMBER}
BADGE_ICONS = {"allergy": "⚠", "contraindication": "⚠", "reaction": "⚠", "screening": "⚠"}
BADGE_FRAME = "border-radius: 4px; padding: 3px 8px; font-weight: 600;"


class ChartHeader(QWidget):
    """Name, identifiers and alert badges of one patient."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_label = ValueLabel("Patient name")
        self.name_label.setTextFormat(Qt.TextFormat.PlainText)
        font = self.name_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.name_label.setFont(font)
        self.identity_label = ValueLabel("Patient identity")
        self.identity_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.voided_label = QLabel("This patient record was voided.")
        self.voided_label.setStyleSheet(_RED + BADGE_FRAME)
        self.voided_label.hide()
        self._badge_row = QWidget()
        self._badges = FlowLayout(self._badge_row, spacing=6)
        self.badge_labels: list[QLabel] = []
        names = QHBoxLayout()
        names.addWidget(self.name_label)
        names.addWidget(self.voided_label)
        names.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(names)
        layout.addWidget(self.identity_label)
        layout.addWidget(self._badge_row)

    def show_patient(self, details: PatientDetails, alerts: Sequence[AlertBadge],
                     today: date) -> None:
        """Fill the header from the chart DTO (``today`` is the clinic's local date)."""
        summary = details.summary
        self.name_label.setText(summary.display_name)
        self.identity_label.setText(
            f"MRN <b>{rich(summary.mrn)}</b> &nbsp;·&nbsp; Born <b>"
            f"{born_text(summary.date_of_birth, today)}</b> &nbsp;·&nbsp; "
            f"{sex_text(summary.sex)}")
        self.voided_label.setVisible(summary.is_voided)
        self._show_badges(alerts)

    def _show_badges(self, alerts: Sequence[AlertBadge]) -> None:
        for label in self.badge_labels:
            self._badges.removeWidget(label)
            label.deleteLater()
        self.badge_labels = []
        shown = alerts or (AlertBadge("none", "No alerts on file"),)
        for badge in shown:
            label = _badge_label(badge)
            self._badges.addWidget(label)
            self.badge_labels.append(label)

    def badge_texts(self) -> list[str]:
        """The alert badges as shown (for screen readers and tests)."""
        return [label.accessibleName() for label in self.badge_labels]


def _badge_label(badge: AlertBadge) -> QLabel:
    icon = BADGE_ICONS.get(badge.kind, "")
    label = QLabel(f"{icon} {badge.text}".strip())
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setAccessibleName(badge.text)
    label.setAccessibleDescription(f"Alert: {badge.kind}")
    style = BADGE_STYLES.get(badge.kind)
    label.setStyleSheet((style + BADGE_FRAME) if style else "color: #555;")
    return label
