"""Turn exceptions from the services into what the nurse sees: a message, and the field it is about.

Validation errors go beside their field; anything else becomes a dialog that says what happened
and what to do. Nothing a nurse typed is cleared by an error.
"""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox, QWidget

from clinic_app.domain.errors import ClinicalError
from clinic_app.services.errors import ConcurrentEditError, ServiceError, StorageError

EXPECTED_ERRORS: tuple[type[Exception], ...] = (ClinicalError, ServiceError, StorageError)


def field_of(exc: BaseException) -> str | None:
    """The form field an error is about, when it names one."""
    field = getattr(exc, "field", None)
    return field if isinstance(field, str) else None


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
