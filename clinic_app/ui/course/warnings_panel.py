"""A panel listing the domain's warnings where the nurse decides (booking, the course screen).

Each warning shows its message; one that needs a recorded reason says so, one that needs an
acknowledgement says so. The panel is red while it holds a warning and says "No warnings"
otherwise. It only shows: what a warning requires is the warning's own flag.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QVBoxLayout, QWidget

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.ui.a11y import ValueLabel
from clinic_app.ui.course.schedule_model import warning_label
from clinic_app.ui.patients.display import rich

QUIET_STYLE = "color: #555; padding: 4px;"



def warning_html(warning: ClinicalWarning) -> str:
    """One warning as a line: its name in bold, its message, and what it requires."""
    needs = ""
    if warning.requires_override:
        needs = " <i>(needs a reason to go ahead)</i>"
    elif warning.requires_ack:
        needs = " <i>(needs acknowledging)</i>"
    return f"<b>{rich(warning_label(warning))}:</b> {rich(warning.message)}{needs}"


class WarningsPanel(QWidget):
    """A titled list of warnings; ``text()`` gives them as plain text (screen readers, tests)."""

    ALERT_STYLE = ("background: #FDECEA; color: #8B0000; border: 1px solid #E0A0A0; "
                   "border-radius: 4px; padding: 6px;")

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self.label = ValueLabel(title)
        self.label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        self.warnings: tuple[ClinicalWarning, ...] = ()
        self.show_warnings(())

    def show_warnings(self, warnings: Sequence[ClinicalWarning]) -> None:
        """Show ``warnings`` (red), or a quiet "No warnings" line."""
        self.warnings = tuple(warnings)
        if not self.warnings:
            self.label.setText(f"{rich(self._title)}: none.")
            self.label.setStyleSheet(QUIET_STYLE)
            return
        lines = "<br>".join(f"⚠ {warning_html(w)}" for w in self.warnings)
        self.label.setText(f"<b>{rich(self._title)}</b><br>{lines}")
        self.label.setStyleSheet(self.ALERT_STYLE)

    def text(self) -> str:
        """The warnings as plain text, one per line."""
        return "\n".join(f"{w.code}: {w.message}" for w in self.warnings)
