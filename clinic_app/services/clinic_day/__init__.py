"""The clinic day (Today): every appointment of a day with its live state and what is due.

This ``__init__`` is the group's public face: the screens, the command line and the other
service groups import from here (or from ``.dto``), never from its private ``_modules``
(checked by the import contracts in pyproject.toml).
"""

from __future__ import annotations

from clinic_app.services.clinic_day._day import clinic_day
from clinic_app.services.clinic_day._timeline import chair_timeline

__all__ = [
    "chair_timeline",
    "clinic_day",
]
