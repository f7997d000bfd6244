"""The menu bar and its actions, each with a keyboard shortcut and an accessible name.

Built apart from the window so the window module holds behaviour only; every action is kept on
:class:`ShellActions` for the window to connect and to enable while someone is signed in.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QAbstractButton, QMainWindow, QMenu, QWidget

from clinic_app.domain.protocol_model import Protocol


def _action(window: QMainWindow, text: str,
            shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
            *, tip: str = "") -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.setStatusTip(tip)
    action.setToolTip(text.replace("&", "").rstrip("…"))
    window.addAction(action)  # shortcuts work even when the menu bar is hidden
    return action


@dataclass
class ShellActions:
    """Every menu action of the main window."""

    blank_checklists: dict[str, QAction]
    back_up: QAction
    nurse_accounts: QAction
    chairs: QAction
    access_log: QAction
    export_fhir: QAction
    import_patients: QAction
    sign_out: QAction
    quit: QAction
    register_patient: QAction
    find_patient: QAction
    show_today: QAction
    show_patients: QAction
    close_tab: QAction
    shortcuts: QAction
    about: QAction

    def needing_sign_in(self) -> list[QAction]:
        """Actions that show or change records: disabled while the window is locked."""
        return [*self.blank_checklists.values(), self.back_up, self.nurse_accounts,
                self.chairs, self.access_log, self.export_fhir, self.import_patients, self.sign_out,
                self.register_patient, self.find_patient, self.show_today, self.show_patients,
                self.close_tab]


def _with_mnemonics(texts: list[str]) -> list[str]:
    """Each text with an '&' before its first letter no earlier text took (Alt+letter in the
    open menu); a text with no free letter keeps none."""
    taken: set[str] = set()
    marked = []
    for text in texts:
        at = next((i for i, ch in enumerate(text) if ch.isalpha() and ch.lower() not in taken),
                  None)
        if at is None:
            marked.append(text)
            continue
        taken.add(text[at].lower())
        marked.append(f"{text[:at]}&{text[at:]}")
    return marked


def build_menus(window: QMainWindow, protocols: list[Protocol]) -> ShellActions:
    """Create File, Patient, View and Help menus on ``window``."""
    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    checklist_menu = QMenu("&Print blank checklist…", file_menu)
    checklist_menu.setAccessibleName("Print blank checklist")
    names = _with_mnemonics([f"{p.drug.capitalize()} ({p.id})" for p in protocols])
    blank = {p.id: _action(window, name, tip=f"A blank paper checklist for {p.drug} infusions")
             for p, name in zip(protocols, names, strict=True)}
    checklist_menu.addActions(list(blank.values()))
    file_menu.addMenu(checklist_menu)
    actions = ShellActions(
        blank_checklists=blank,
        back_up=_action(window, "&Back up now", tip="Copy the database to the backup folder"),
        nurse_accounts=_action(window, "&Nurse accounts…",
                               tip="See the nurse accounts; an administrator adds and "
                                   "changes them"),
        chairs=_action(window, "&Chairs…",
                       tip="See the clinic's chairs; an administrator adds and changes them"),
        access_log=_action(window, "Access &log…",
                           tip="Who opened which chart and printed which sheet "
                               "(administrators)"),
        export_fhir=_action(window, "&Export FHIR…",
                            tip="Write patients, infusions and reactions as a FHIR R4 file"),
        import_patients=_action(window, "&Import patients…",
                                tip="Import an existing patient list from a CSV file"),
        sign_out=_action(window, "&Sign out", "Ctrl+L", tip="Lock the workstation"),
        quit=_action(window, "&Quit", QKeySequence.StandardKey.Quit),
        register_patient=_action(window, "&Register new patient…", "Ctrl+N"),
        find_patient=_action(window, "&Find patient", "Ctrl+F"),
        show_today=_action(window, "&Today", "Ctrl+1"),
        show_patients=_action(window, "&Patients", "Ctrl+2"),
        close_tab=_action(window, "&Close tab", "Ctrl+W"),
        shortcuts=_action(window, "&Keyboard shortcuts", "F1"),
        about=_action(window, "&About clinic_app"),
    )
    file_menu.addAction(actions.back_up)
    file_menu.addAction(actions.nurse_accounts)
    file_menu.addAction(actions.chairs)
    file_menu.addAction(actions.access_log)
    file_menu.addAction(actions.export_fhir)
    file_menu.addAction(actions.import_patients)
    file_menu.addSeparator()
    file_menu.addAction(actions.sign_out)
    file_menu.addAction(actions.quit)
    patient_menu = bar.addMenu("&Patient")
    patient_menu.addActions([actions.register_patient, actions.find_patient])
    view_menu = bar.addMenu("&View")
    view_menu.addActions([actions.show_today, actions.show_patients])
    view_menu.addSeparator()
    view_menu.addAction(actions.close_tab)
    help_menu = bar.addMenu("&Help")
    help_menu.addActions([actions.shortcuts, actions.about])
    return actions


def _keys(sequence: QKeySequence) -> str:
    return sequence.toString(QKeySequence.SequenceFormat.NativeText)


def _label(text: str) -> str:
    return text.replace("&", "").rstrip("…").strip()


def shortcut_lines(actions: ShellActions) -> list[tuple[str, str]]:
    """(action, shortcut) pairs of the window's menu actions that have a shortcut."""
    listed = [actions.register_patient, actions.find_patient, actions.show_today,
              actions.show_patients, actions.close_tab, actions.sign_out, actions.quit,
              actions.shortcuts]
    return [(_label(a.text()), _keys(a.shortcut())) for a in listed if not a.shortcut().isEmpty()]


def screen_shortcut_lines(screen: QWidget | None) -> list[tuple[str, str]]:
    """(control, shortcut) pairs read from the shown screen's buttons and actions, so the list
    follows the screen instead of a hand-kept table."""
    if screen is None:
        return []
    found: dict[str, str] = {}
    for button in screen.findChildren(QAbstractButton):
        if button.isVisibleTo(screen) and not button.shortcut().isEmpty():
            found.setdefault(_keys(button.shortcut()), _label(button.text()))
    for action in screen.findChildren(QAction):
        if not action.shortcut().isEmpty():
            found.setdefault(_keys(action.shortcut()), _label(action.text()))
    return sorted(((name, keys) for keys, name in found.items() if name), key=lambda p: p[1])
