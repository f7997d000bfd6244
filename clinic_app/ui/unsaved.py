"""Nothing a nurse types is lost: ask before discarding unsaved input.

A widget or dialog with typed input reports it through ``has_unsaved_input() -> bool`` (a dialog:
a field changed since it opened and not saved; the vitals grid: a row typed but not saved).
Closing such a dialog (Esc, Cancel, the title-bar close), closing a record's tab, signing out and
quitting ask :func:`confirm_discard` first; "Keep editing" is the default and Esc keeps.
The idle lock does not ask: it hides the work and keeps it (see ``shell.main_window``).
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtWidgets import QMessageBox, QWidget

#: Set on a window whose unsaved input the nurse already agreed to discard (closing it then
#: does not ask a second time).
DISCARD_CONFIRMED = "discard_confirmed"


def confirm_discard(parent: QWidget | None, what: str) -> bool:
    """Ask "Discard the unsaved <what>?"; True only when the nurse chooses Discard."""
    box = QMessageBox(QMessageBox.Icon.Warning, "Unsaved input",
                      f"Discard the unsaved {what}?", QMessageBox.StandardButton.NoButton,
                      parent)
    box.setAccessibleName("Unsaved input")
    discard = box.addButton("&Discard", QMessageBox.ButtonRole.DestructiveRole)
    keep = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(keep)
    box.setEscapeButton(keep)
    box.exec()
    return box.clickedButton() is discard


def has_unsaved(widget: QWidget) -> bool:
    """True when ``widget`` reports unsaved input (widgets that do not report have none)."""
    report = getattr(widget, "has_unsaved_input", None)
    return bool(report()) if callable(report) else False


def unsaved_within(root: QWidget) -> bool:
    """True when ``root`` or any widget inside it has unsaved input."""
    return has_unsaved(root) or any(has_unsaved(w) for w in root.findChildren(QWidget))


def may_discard(widget: QWidget, what: str) -> bool:
    """For a dialog's ``reject()``: may it close? Yes when nothing is unsaved, when the
    discard was already confirmed (sign-out, quit), or when the nurse chooses Discard."""
    if widget.property(DISCARD_CONFIRMED) or not has_unsaved(widget):
        return True
    return confirm_discard(widget, what)


def close_discarding(windows: Iterable[QWidget]) -> None:
    """Close these windows without asking again (the discard was confirmed, or is not the
    nurse's to refuse)."""
    for window in windows:
        window.setProperty(DISCARD_CONFIRMED, True)
        window.close()
