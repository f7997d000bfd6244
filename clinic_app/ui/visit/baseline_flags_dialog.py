"""Starting despite flagged baseline vitals: the flags, the nurse's reason, then "Start anyway".

The flags come from the service's refusal
(:class:`~clinic_app.services.visits.BaselineFlagged`); the dialog computes nothing. The
start button stays disabled until a reason is typed (e.g. "prescriber informed, proceed"); the
reason is recorded in the visit's audit trail by the service.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from clinic_app.domain.alerts import ClinicalWarning

FLAGS_STYLE = ("background: #FDECEA; color: #7F0000; border: 1px solid #E0A0A0; "
               "border-radius: 4px; padding: 6px; font-weight: 600;")


class BaselineFlagsDialog(QDialog):
    """The baseline flags listed, a reason to give, and Start anyway / Cancel."""

    def __init__(self, warnings: Sequence[ClinicalWarning],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Baseline vitals flagged")
        self.setAccessibleName("Baseline vitals flagged")
        self.flags = QLabel("The baseline vitals are flagged:\n"
                            + "\n".join(f"⚠ {w.message}" for w in warnings))
        self.flags.setWordWrap(True)
        self.flags.setStyleSheet(FLAGS_STYLE)
        self.flags.setAccessibleName("Baseline flags")
        caption = QLabel("&Reason to start despite these flags (recorded in the audit trail):")
        self.reason = QLineEdit()
        self.reason.setAccessibleName("Reason to start despite the flags")
        self.reason.setPlaceholderText("e.g. prescriber informed, proceed")
        self.reason.setMaxLength(500)
        caption.setBuddy(self.reason)
        buttons = QDialogButtonBox()
        self.start_button = QPushButton("Start anyway")
        self.start_button.setAccessibleName("Start anyway")
        buttons.addButton(self.start_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.reason.textChanged.connect(self._reason_typed)
        column = QVBoxLayout(self)
        for widget in (self.flags, caption, self.reason, buttons):
            column.addWidget(widget)
        self._reason_typed("")
        self.reason.setFocus()

    def _reason_typed(self, text: str) -> None:
        self.start_button.setEnabled(bool(text.strip()))

    def reason_text(self) -> str:
        """The reason typed, spaces tidied."""
        return " ".join(self.reason.text().split())


def ask_reason(warnings: Sequence[ClinicalWarning], parent: QWidget | None) -> str | None:
    """Show the flags and ask for a reason; None when the nurse cancels."""
    dialog = BaselineFlagsDialog(warnings, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.reason_text() or None
