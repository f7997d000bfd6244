"""Test support shared by the service and GUI tests: a clock that moves only when told to,
and a patient form with valid defaults.

Importable as ``clinic_testing`` from any test module (the suite's root folder is on the path).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from clinic_app.services.dto_patients import PatientForm

T0 = datetime(2026, 3, 2, 8, 30, tzinfo=UTC)  # Monday, 09:30 in Warsaw
WARSAW = ZoneInfo("Europe/Warsaw")


class FakeClock:
    """A clock that moves only when told to (aware UTC)."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, *, minutes: float = 0, hours: float = 0, days: float = 0) -> None:
        self.now += timedelta(minutes=minutes, hours=hours, days=days)

    def set(self, when: datetime) -> None:
        self.now = when.astimezone(UTC)


def patient_form(**fields: Any) -> PatientForm:
    """José García's registration form, with ``fields`` replacing the defaults."""
    values: dict[str, Any] = {
        "mrn": "MRN001", "family_name": "García", "given_names": "José",
        "date_of_birth": "1980-02-29", "sex": "male",
    }
    values.update(fields)
    return PatientForm(**values)
