"""The status line: who is signed in, which database is open, the demo marker and a daily
backup that could not be made."""

from __future__ import annotations

from PySide6.QtWidgets import QStatusBar, QWidget

from clinic_app.ui.a11y import ValueLabel

DEMO_STYLE = ("background: #FFE08A; color: #3D2E00; font-weight: 700; padding: 1px 8px;"
              " border-radius: 3px;")
WARNING_STYLE = ("background: #F8D7DA; color: #58151C; font-weight: 700; padding: 1px 8px;"
                 " border-radius: 3px;")
BACKUP_NOT_MADE = "Daily backup not made"


class ShellStatusBar(QStatusBar):
    """Permanent fields: the nurse ("Nurse: Anna Keller"), the database, "DEMO DATA", and
    "Daily backup not made" while the last backup attempt failed."""

    def __init__(self, database_label: str, *, demo: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAccessibleName("Status bar")
        self.nurse = ValueLabel("Signed-in nurse")
        self.database = ValueLabel("Database", f"Database: {database_label}")
        self.database.setToolTip(database_label)
        self.demo = ValueLabel("Demo data", "DEMO DATA")
        self.demo.setStyleSheet(DEMO_STYLE)
        self.demo.setToolTip("A scratch database of made-up patients: try anything, "
                             "nothing here is real.")
        self.demo.setVisible(demo)
        self.backup_problem = ValueLabel(BACKUP_NOT_MADE, BACKUP_NOT_MADE, alert=True)
        self.backup_problem.setStyleSheet(WARNING_STYLE)
        self.backup_problem.setVisible(False)
        self.addWidget(self.nurse)
        self.addPermanentWidget(self.backup_problem)
        self.addPermanentWidget(self.database)
        self.addPermanentWidget(self.demo)
        self.show_nurse("")

    def show_backup_problem(self, problem: str | None) -> None:
        """Show "Daily backup not made" with ``problem`` as its tip; None hides it."""
        self.backup_problem.setToolTip(problem or "")
        self.backup_problem.setVisible(problem is not None)

    def show_nurse(self, name: str) -> None:
        """The signed-in nurse's name, or "Locked" when nobody is signed in."""
        self.nurse.setText(f"Nurse: {name}" if name else "Locked — nobody signed in")
