"""Pause the pump, saying why: quick picks or free text, never slower than one key.

Enter pauses at once, with whatever reason is there (none is fine): a nurse pausing for a
reaction must not be slowed down. A quick pick fills the reason ("Other" empties it to be
typed); the reason is recorded with the pause and shown in the visit's pump events. The
dialog's behaviour is :class:`~clinic_app.ui.reason_dialog.ReasonDialog`'s.
"""

from __future__ import annotations

from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from clinic_app.ui.reason_dialog import ReasonDialog

#: (button text with its mnemonic, reason recorded; "" = type it)
QUICK_PICKS = (
    ("Reaction &signs — see reaction log", "Reaction signs — see reaction log"),
    ("&Line/pump problem", "Line/pump problem"),
    ("Patient re&quest", "Patient request"),
    ("&Other", ""),
)


class PauseDialog(ReasonDialog):
    """The reason to pause (optional); ``confirmed`` carries it ('' for none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(title="Pause the infusion", caption="&Reason for the pause (optional)",
                         reason_name="Reason for the pause (optional)",
                         confirm_text="Pause &now", confirm_name="Pause now",
                         discard_what="pause reason", placeholder="optional: Enter pauses now",
                         required=False, parent=parent)
        self.confirm.setToolTip("Pause now (Enter)")
        self.picks: dict[str, QPushButton] = {}
        group = QButtonGroup(self)
        row = QHBoxLayout()
        for text, reason in QUICK_PICKS:
            button = QPushButton(text)
            button.setCheckable(True)
            button.setAutoDefault(False)
            name = text.replace("&", "")
            button.setAccessibleName(name)
            button.setToolTip("Type the reason" if not reason else f"Reason: {reason}")
            button.clicked.connect(lambda _=False, r=reason: self._picked(r))
            group.addButton(button)
            self.picks[name] = button
            row.addWidget(button)
        self.choices.addLayout(row)

    def _picked(self, reason: str) -> None:
        self.reason.setText(reason)
        self.reason.setFocus()
