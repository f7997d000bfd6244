"""The clinic's chairs: list them for the booking dialog; add, rename, deactivate or
reactivate one (administrator; audited). The chairs a booking holds, and
for how long, are checked by :mod:`clinic_app.services.courses` when it books.

This ``__init__`` is the group's public face.
"""

from __future__ import annotations

from clinic_app.services.chairs._chairs import (
    ChairSummary,
    add_chair,
    list_chairs,
    rename_chair,
    set_chair_active,
)

__all__ = ["ChairSummary", "add_chair", "list_chairs", "rename_chair", "set_chair_active"]
