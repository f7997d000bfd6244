"""Nurse accounts: the first account, adding a colleague, listing them, signing in.

This ``__init__`` is the group's public face: the screens, the command line and the other
service groups import from here (or from ``.dto``), never from its private ``_modules``
(checked by the import contracts in pyproject.toml).
"""

from __future__ import annotations

from clinic_app.services.accounts._auth import (
    create_nurse,
    has_nurses,
    list_nurses,
    sign_in,
)

__all__ = [
    "create_nurse",
    "has_nurses",
    "list_nurses",
    "sign_in",
]
