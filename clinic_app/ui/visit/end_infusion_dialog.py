"""Confirm the end of the infusion: volume infused against the volume planned, and a reason when
the bag is not empty.

The volumes come from the service's progress (``VisitDetail.infusion``) and plan
(``VisitDetail.dose_plan.final_volume_ml``) and the dose they hold from
:func:`clinic_app.services.visits.dose_given`; the widget only shows them. Ending early records
the volume infused so far (and the dose in it) as what was given, so it needs a reason (the service
refuses one without it, on "reason"); the confirm button stays disabled until one is typed. A
refusal is shown in the dialog, which stays open. Closing it with a reason typed and not saved asks
first (:mod:`clinic_app.ui.unsaved`).
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.units import plain
from clinic_app.services.visits import dose_given
from clinic_app.services.visits.dto import VisitDetail
from clinic_app.ui.forms import ERROR_STYLE
from clinic_app.ui.unsaved import may_discard

WARNING_STYLE = "color: #7F0000; font-weight: 600;"


class EndInfusionDialog(QDialog):
    """Asks before ending; ``confirmed`` carries the reason typed ('' when the bag is empty)."""

    confirmed = Signal(str)

    def __init__(self, detail: VisitDetail, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("End infusion")
        self.setAccessibleName("End infusion")
        self.saved = False
        progress = detail.infusion
        infused = progress.volume_infused_ml if progress is not None else None
        remaining = progress.remaining_ml if progress is not None else None
        self.early = remaining is not None and remaining > 0
        planned = plain(detail.dose_plan.final_volume_ml)
        shown = "?" if infused is None else plain(infused)
        self.volumes = QLabel(f"Infused {shown} mL of {planned} mL planned.")
        self.volumes.setAccessibleName("Volume infused")
        self.warning = QLabel("")
        self.warning.setStyleSheet(WARNING_STYLE)
        self.warning.setWordWrap(True)
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason for ending early")
        self.reason.setMaxLength(500)
        reason_caption = QLabel("&Reason for ending early (required)")
        reason_caption.setBuddy(self.reason)
        self.error = QLabel("")
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.setAccessibleName("End infusion error")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm: QPushButton = self.buttons.addButton(
            "End infusion", QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm.setAccessibleName("Confirm end of infusion")
        self.cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        column = QVBoxLayout(self)
        for widget in (self.volumes, self.warning, reason_caption, self.reason, self.error,
                       self.buttons):
            column.addWidget(widget)
        if self.early:
            given = dose_given(detail).given_mg
            dose = "" if given is None else (
                f" (\u2248{plain(given)} mg of {plain(detail.dose_plan.dose_mg)} mg prepared)")
            self.warning.setText(f"{plain(remaining)} mL are still in the bag. Ending now "
                                 f"records {shown} of {planned} mL infused{dose} as given: say "
                                 f"why the infusion ends early.")
        for widget in (self.warning, reason_caption, self.reason):
            widget.setVisible(self.early)
        self.error.hide()
        self.buttons.accepted.connect(self._confirm)
        self.buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._update)
        self._update()
        (self.reason if self.early else self.cancel).setFocus()

    def _update(self) -> None:
        self.confirm.setEnabled(not self.early or bool(self.reason.text().strip()))

    def _confirm(self) -> None:
        if self.confirm.isEnabled():
            self.confirmed.emit(self.reason.text().strip() if self.early else "")

    def show_error(self, message: str) -> None:
        """The service's refusal, in the dialog."""
        self.error.setText(message)
        self.error.setVisible(bool(message))

    def has_unsaved_input(self) -> bool:
        """True while open with a reason typed and the end not recorded."""
        return self.isVisible() and not self.saved and bool(self.reason.text().strip())

    def done_saving(self) -> None:
        """The end is recorded: close without asking."""
        self.saved = True
        self.accept()

    def reject(self) -> None:
        """Qt override (Esc, Cancel, the title bar): ask before discarding the reason typed."""
        if may_discard(self, "reason for ending early"):
            super().reject()
