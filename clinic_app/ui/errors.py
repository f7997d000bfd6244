"""Turn exceptions from the services into what the nurse sees: a message, and the field it is about.

Validation errors go beside their field; anything else becomes a dialog that says what happened
and what to do. Nothing a nurse typed is cleared by an error.
"""

from __future__ import annotations

from enum import StrEnum

from PySide6.QtWidgets import QMessageBox, QWidget

from clinic_app.domain.errors import ClinicalError, InvalidInput
from clinic_app.services.errors import (
    ConcurrentEditError,
    InvalidInputs,
    ServiceError,
    StorageError,
)
from clinic_app.ui.forms import FormRows

EXPECTED_ERRORS: tuple[type[Exception], ...] = (ClinicalError, ServiceError, StorageError)


def field_of(exc: BaseException) -> str | None:
    """The form field an error is about, when it names one."""
    field = getattr(exc, "field", None)
    return field if isinstance(field, str) else None


def field_errors(exc: BaseException) -> tuple[tuple[str, str], ...]:
    """Every ``(field, message)`` an error carries: each of an :class:`InvalidInputs` (a form
    with several bad fields), else the one field it names; () for an error about no field."""
    if isinstance(exc, InvalidInputs):
        return tuple((e.field, str(e)) for e in exc.errors)
    field = field_of(exc)
    return ((field, str(exc)),) if field is not None else ()


def show_on_form(rows: FormRows, exc: BaseException, parent: QWidget | None) -> None:
    """Each field's message under its field, all at once, the first bad field focused; a
    message about a field the form does not have, or any other refusal, in a dialog."""
    errors = field_errors(exc)
    elsewhere = rows.show_errors(errors)
    if not errors:
        show_error(parent, exc)
    elif elsewhere:
        rest = [InvalidInput(field, message) for field, message in elsewhere]
        show_error(parent, rest[0] if len(rest) == 1 else InvalidInputs(rest))


def show_error(parent: QWidget | None, exc: BaseException, *, title: str = "Not saved") -> None:
    """A modal dialog with the error's message (a conflict explains what to do next)."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle(title)
    if isinstance(exc, ConcurrentEditError):
        box.setText("Someone else changed this record on another workstation.")
        box.setInformativeText(f"{exc}\n\nNothing you typed was saved over their change.")
    else:
        box.setText(str(exc) or type(exc).__name__)
    box.setAccessibleName(title)
    box.exec()


RELOAD_KEEPING = "&Reload keeping my changes"
DISCARD_MINE = "&Discard my changes"


class ConflictChoice(StrEnum):
    """The nurse's answer to a conflict with another workstation."""

    RELOAD_KEEPING = "reload keeping"  # load their change, put what she typed back over it
    DISCARD = "discard"  # close, keeping their change only
    STAY = "stay"  # keep editing (Esc): nothing reloaded, nothing lost


def ask_conflict(parent: QWidget | None, exc: ConcurrentEditError) -> ConflictChoice:
    """Who changed the record and when (local time, from the services' message), then: reload
    keeping my changes, discard my changes, or (Esc) keep editing."""
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Warning)
    box.setWindowTitle("Not saved")
    box.setAccessibleName("Not saved")
    box.setText("Someone else changed this record on another workstation.")
    box.setInformativeText(
        f"{exc}\n\nNothing you typed was saved over their change. Reload keeping my changes: "
        "the record is loaded again with their change and what you typed is put back over it, "
        "to check and save again.")
    reload = box.addButton(RELOAD_KEEPING, QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(DISCARD_MINE, QMessageBox.ButtonRole.DestructiveRole)
    stay = box.addButton("&Keep editing", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(reload)
    box.setEscapeButton(stay)
    box.exec()
    clicked = box.clickedButton()
    if clicked is reload:
        return ConflictChoice.RELOAD_KEEPING
    return ConflictChoice.DISCARD if clicked is discard else ConflictChoice.STAY
