"""Exceptions raised by the clinical core.

Each one says what is wrong in words a nurse or pharmacist can act on. The UI shows ``str(exc)``
beside the field; services let them through unchanged.
"""

from __future__ import annotations


class ClinicalError(Exception):
    """Base class for every refusal by the clinical rules."""


class ProtocolError(ClinicalError):
    """A protocol file is malformed: names the file, the field and what was expected."""

    def __init__(self, file_name: str, field: str, expected: str, got: str) -> None:
        self.file_name = file_name
        self.field = field
        self.expected = expected
        self.got = got
        super().__init__(f"{file_name}: field '{field}': expected {expected}, got {got}")


class InvalidInput(ClinicalError):
    """A value a nurse typed cannot be used (e.g. text where a number belongs)."""

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        super().__init__(message)


class ImpossibleWeight(InvalidInput):
    """A weight that cannot be a patient's (<= 0 kg or above the maximum)."""

    def __init__(self, message: str) -> None:
        super().__init__("weight", message)


class DoseRefused(ClinicalError):
    """The dose cannot be prepared as ordered: above the hard ceiling, no bag fits, etc."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        super().__init__(message)


class ScheduleError(ClinicalError):
    """A schedule request that cannot be planned (e.g. an interval the protocol does not allow)."""


class Contraindicated(ScheduleError):
    """Planning is refused because the drug is contraindicated for this patient."""
