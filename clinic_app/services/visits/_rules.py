"""When a visit accepts an action: its status, and whether a checklist item may be answered.

Rules (the checklist states are the domain's, :mod:`clinic_app.domain.checklist_model`):

- pre-infusion items are answered before the start, never after it;
- infusion and observation items are answered once they are due (from ``grace`` minutes before
  their time, clinic setting) and not before: vitals taken early belong in an extra reading;
- discharge items are answered after the infusion has ended;
- nothing is recorded on a completed or cancelled visit.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from clinic_app.domain.checklists import Checklist, ChecklistItem, ItemState, Phase, grace_from
from clinic_app.domain.dates import time_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ActionNotAllowed
from clinic_app.services.visits._state import LoadedVisit, domain_entries
from clinic_app.storage.models import VisitStatus

_STATUS_TEXT = {
    VisitStatus.CHECKED_IN: "not started yet",
    VisitStatus.INFUSING: "infusing",
    VisitStatus.OBSERVATION: "in observation after the infusion",
    VisitStatus.COMPLETED: "completed (the patient was discharged)",
    VisitStatus.STOPPED: "stopped",
    VisitStatus.CANCELLED: "cancelled",
}


def status_text(status: VisitStatus) -> str:
    """The visit's status in words."""
    return _STATUS_TEXT[status]


def require_status(loaded: LoadedVisit, allowed: Collection[VisitStatus], action: str) -> None:
    """Refuse ``action`` unless the visit's status is one of ``allowed``."""
    status = loaded.visit.status
    if status not in allowed:
        raise ActionNotAllowed(f"Cannot {action}: the visit is {status_text(status)}.")


def item_for(checklist: Checklist, item_key: str) -> ChecklistItem:
    """The checklist item with this key, or :class:`InvalidInput` on ``item_key``."""
    try:
        return checklist.item(item_key)
    except KeyError:
        raise InvalidInput("item_key", f"{item_key!r} is not on this visit's checklist.") from None


def require_phase_open(ctx: ServiceContext, loaded: LoadedVisit, checklist: Checklist,
                       item: ChecklistItem) -> None:
    """Refuse an answer to ``item`` that does not fit the visit's progress (module rules)."""
    status = loaded.visit.status
    if status in (VisitStatus.COMPLETED, VisitStatus.CANCELLED, VisitStatus.STOPPED):
        raise ActionNotAllowed(f"Nothing more can be recorded: the visit is {status_text(status)}.")
    if item.phase is Phase.PRE:
        require_status(loaded, (VisitStatus.CHECKED_IN,), "change a pre-infusion check")
        return
    if item.phase is Phase.DISCHARGE:
        require_status(loaded, (VisitStatus.OBSERVATION,), "record a discharge check")
        return
    if status is VisitStatus.CHECKED_IN:
        raise ActionNotAllowed(f"{item.text}: the infusion has not started yet.")
    grace = grace_from(ctx.settings.checklists)
    state = checklist.status(ctx.now(), domain_entries(loaded), grace=grace).of(item.key).state
    if state in (ItemState.UPCOMING, ItemState.NOT_YET):
        due = "later" if item.due_at is None else f"at {local_hm(ctx, item.due_at)}"
        raise ActionNotAllowed(f"{item.text} is not due yet (due {due}): record it when it is "
                               "due, or record an extra reading now.")


def local_hm(ctx: ServiceContext, moment: datetime) -> str:
    """A moment as HH:MM in the clinic's time zone."""
    return time_text(moment, ctx.tz)
