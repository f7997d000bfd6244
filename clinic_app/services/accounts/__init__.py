"""Nurse accounts: the first account, adding a colleague, listing them, signing in, and what an
administrator does with them (roles, disabling, enabling, resetting a password).

This ``__init__`` is the group's public face: the screens, the command line and the other
service groups import from here (or from ``.dto``), never from its private ``_modules``
(checked by the import contracts in pyproject.toml).
"""

from __future__ import annotations

from clinic_app.services.accounts._admin import (
    check_permission,
    disable_nurse,
    enable_nurse,
    reset_password,
    set_role,
)
from clinic_app.services.accounts._auth import (
    create_nurse,
    has_nurses,
    list_nurses,
    sign_in,
)

__all__ = [
    "check_permission",
    "create_nurse",
    "disable_nurse",
    "enable_nurse",
    "has_nurses",
    "list_nurses",
    "reset_password",
    "set_role",
    "sign_in",
]
