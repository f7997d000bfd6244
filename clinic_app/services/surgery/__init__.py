"""Planned surgery and the live-vaccine calendar (issue 13): record a planned surgery or a
live vaccine (given or due) on the chart, list them, void one with a reason; and, for the
booking, the schedule and the pre-check, the doses inside a surgery's or a live vaccine's
window.

This ``__init__`` is the group's public face (the screens and other groups import from here or
from ``.dto``); the names in the second block are for other service groups (helpers working
inside their unit of work), not for the screens.
"""

from __future__ import annotations

from clinic_app.services.surgery._records import (
    VACCINE_STATUSES,
    list_planned_surgeries,
    list_vaccinations,
    live_vaccine_suggestions,
    record_planned_surgery,
    record_vaccination,
    surgery_kind_choices,
    void_planned_surgery,
    void_vaccination,
)

# isort: split
# For other service groups, inside their unit of work:
from clinic_app.services.surgery._records import surgery_entries, vaccination_entries
from clinic_app.services.surgery._windows import (
    LIVE_VACCINE_WINDOW,
    SURGERY_WINDOW,
    schedule_window_warnings,
    window_reasons,
    window_warnings,
)

__all__ = [
    "LIVE_VACCINE_WINDOW",
    "SURGERY_WINDOW",
    "VACCINE_STATUSES",
    "list_planned_surgeries",
    "list_vaccinations",
    "live_vaccine_suggestions",
    "record_planned_surgery",
    "record_vaccination",
    "schedule_window_warnings",
    "surgery_entries",
    "surgery_kind_choices",
    "vaccination_entries",
    "void_planned_surgery",
    "void_vaccination",
    "window_reasons",
    "window_warnings",
]
