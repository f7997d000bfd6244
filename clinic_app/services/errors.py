"""Errors raised by the services (besides the domain's ClinicalError and the store's errors).

Each message says what happened and what to do; the UI shows ``str(exc)``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

# Several bad fields of one form in one error (each InvalidInput in ``errors``); defined beside
# the domain's checks that raise it, re-exported so the UI imports its errors from here.
from clinic_app.domain.field_checks import InvalidInputs

# The store's errors are re-exported so the UI never imports the storage layer.
from clinic_app.storage.errors import ConcurrentEditError, StorageError

if TYPE_CHECKING:  # an annotation only: the checklist rules load when a gate is checked
    from clinic_app.domain.checklists import Blocker


class ServiceError(Exception):
    """Base class for use-case refusals."""


class NotSignedIn(ServiceError):
    """A write was attempted with no nurse signed in."""


class SignInFailed(ServiceError):
    """Unknown user name or wrong PIN/password (the message does not say which)."""


class NotFound(ServiceError):
    """The record asked for does not exist (or is voided)."""


class ActionNotAllowed(ServiceError):
    """The action does not fit the record's state (e.g. ending an infusion not started)."""


class ChairTaken(ActionNotAllowed):
    """The chair is held by another booking for part of the visit (issue 14); the message names
    that booking's time, not its patient."""


class NotPermitted(ServiceError):
    """The signed-in nurse's role may not take this action (:mod:`clinic_app.domain.permissions`);
    the message names the roles that may."""


class OverrideRequired(ServiceError):
    """A warning needs a recorded reason (or an acknowledgement) before the action proceeds.

    ``codes`` are the warning codes concerned, so the UI can ask for exactly what is missing.
    """

    def __init__(self, message: str, codes: tuple[str, ...]) -> None:
        self.codes = codes
        super().__init__(message)


__all__ = [
    "ActionNotAllowed",
    "ChairTaken",
    "ConcurrentEditError",
    "InvalidInputs",
    "NotFound",
    "NotPermitted",
    "NotSignedIn",
    "OverrideRequired",
    "ServiceError",
    "SignInFailed",
    "StorageError",
]


class GateBlocked(ActionNotAllowed):
    """The infusion may not start (or the patient go home) yet.

    ``blockers`` are the domain's :class:`~clinic_app.domain.checklists.Blocker` items (key and
    what to do), so the UI can point at each item still open.
    """

    def __init__(self, message: str, blockers: tuple[Blocker, ...]) -> None:
        self.blockers = blockers
        super().__init__(message)
