"""The printed sheets, built from what is on record: one function per sheet, PDF bytes out.

This ``__init__`` is the group's public face: the screens, the command line and the other
service groups import from here (or from ``.dto``), never from its private ``_modules``
(checked by the import contracts in pyproject.toml).
"""

from __future__ import annotations

from clinic_app.services.sheets._sheets import (
    active_courses,
    bedside_checklist,
    blank_checklist,
    day_list,
    infusion_record,
    reaction_report,
    schedule_handout,
)

__all__ = [
    "active_courses",
    "bedside_checklist",
    "blank_checklist",
    "day_list",
    "infusion_record",
    "reaction_report",
    "schedule_handout",
]
