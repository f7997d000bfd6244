"""What the access log use cases give back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AccessLine:
    """One look at patient data, as the administrator reads it (``at`` in clinic local time)."""

    at: datetime
    nurse: str
    mrn: str
    patient: str
    action: str
    detail: str
    via: str
