"""Treatment courses: start one from a protocol, change its order or its interval, stop it; the
planned schedule; booking, rescheduling and did-not-attend for each dose; the prescriber's
decision at the course's response review (record, void).

This ``__init__`` is the group's public face: the screens, the command line and the other
service groups import from here (or from ``.dto``), never from its private ``_modules``
(checked by the import contracts in pyproject.toml).

The names in the second block are for other service groups (helpers working inside their
unit of work), not for the screens.
"""

from __future__ import annotations

from clinic_app.services.courses._appointments import (
    book_appointment,
    booking_warnings,
    mark_did_not_attend,
)
from clinic_app.services.courses._courses import (
    change_interval,
    change_order,
    check_order,
    get_course,
    start_course,
    stop_course,
)
from clinic_app.services.courses._review_decisions import (
    record_review_decision,
    void_review_decision,
)
from clinic_app.services.courses._slots import suggest_slots
from clinic_app.services.courses._views import DAY_WARNINGS

# isort: split
# For other service groups, inside their unit of work:
from clinic_app.services.courses._chair_time import booking_minutes, opened_shortened
from clinic_app.services.courses._courses import halt_course
from clinic_app.services.courses._orders import plan_weight
from clinic_app.services.courses._plans import (
    compute_plan,
    course_appointments,
    interval_changes,
    sync_appointments,
)
from clinic_app.services.courses._reviews import review_state
from clinic_app.services.courses._views import course_summary, order_text

__all__ = [
    "DAY_WARNINGS",
    "book_appointment",
    "booking_minutes",
    "booking_warnings",
    "change_interval",
    "change_order",
    "check_order",
    "compute_plan",
    "course_appointments",
    "course_summary",
    "get_course",
    "halt_course",
    "interval_changes",
    "mark_did_not_attend",
    "opened_shortened",
    "order_text",
    "plan_weight",
    "record_review_decision",
    "review_state",
    "start_course",
    "stop_course",
    "suggest_slots",
    "sync_appointments",
    "void_review_decision",
]
