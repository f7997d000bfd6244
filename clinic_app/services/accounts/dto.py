"""What the account use cases give back."""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.domain.permissions import Role


@dataclass(frozen=True)
class NurseSummary:
    """A nurse account as shown in lists and the status bar (never the secrets)."""

    id: int
    username: str
    display_name: str
    role: Role
    is_active: bool
    has_pin: bool
    version: int
    is_first_account: bool = False

    @property
    def is_admin(self) -> bool:
        """True for an administrator."""
        return self.role is Role.ADMINISTRATOR
