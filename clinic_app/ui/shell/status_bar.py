"""The status line: who is signed in, which database is open, and the demo marker."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QStatusBar, QWidget

DEMO_STYLE = ("background: #FFE08A; color: #3D2E00; font-weight: 700; padding: 1px 8px;"
              " border-radius: 3px;")


class ShellStatusBar(QStatusBar):
    """Permanent fields: the nurse ("Nurse: Anna Keller"), the database, "DEMO DATA"."""

    def __init__(self, database_label: str, *, demo: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Status bar")
        self.nurse = QLabel()
        self.nurse.setAccessibleName("Signed-in nurse")
        self.database = QLabel(f"Database: {database_label}")
        self.database.setAccessibleName("Database")
        self.database.setToolTip(database_label)
        self.demo = QLabel("DEMO DATA")
        self.demo.setAccessibleName("Demo data")
        self.demo.setStyleSheet(DEMO_STYLE)
        self.demo.setToolTip("A scratch database of made-up patients: try anything, "
                             "nothing here is real.")
        self.demo.setVisible(demo)
        self.addWidget(self.nurse)
        self.addPermanentWidget(self.database)
        self.addPermanentWidget(self.demo)
        self.show_nurse("")

    def show_nurse(self, name: str) -> None:
        """The signed-in nurse's name, or "Locked" when nobody is signed in."""
        self.nurse.setText(f"Nurse: {name}" if name else "Locked — nobody signed in")
