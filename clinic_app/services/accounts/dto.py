"""What the account use cases give back."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NurseSummary:
    """A nurse account as shown in lists and the status bar (never the secrets)."""

    id: int
    username: str
    display_name: str
    is_admin: bool
    is_active: bool
    has_pin: bool
    version: int
