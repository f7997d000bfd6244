"""The chair timeline of a clinic day (issue 14): the day's rows (:func:`.clinic_day`) on the
clinic's chairs, each visit over the chair time its booking holds (``ClinicDayRow.chair_until``,
from :func:`clinic_app.services.courses.booking_minutes`), late ones marked by the rules of
:mod:`clinic_app.domain.chair_timeline`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from clinic_app.domain.chair_time import ChairVisit
from clinic_app.domain.chair_timeline import Stage, TimelineBooking, TimelineRow, timeline_rows
from clinic_app.domain.checklists import grace_from
from clinic_app.services.context import ServiceContext
from clinic_app.services.visits.dto import ClinicDayRow

_STAGES = {
    "booked": Stage.WAITING,
    "arrived": Stage.IN_CHAIR,
    "pre_check": Stage.IN_CHAIR,
    "infusing": Stage.IN_CHAIR,
    "observation": Stage.IN_CHAIR,
    "discharged": Stage.DISCHARGED,
}


def timeline_bookings(rows: Iterable[ClinicDayRow]) -> list[TimelineBooking]:
    """The rows that hold a chair, as the timeline's bookings (the patient's name as label)."""
    return [
        TimelineBooking(
            row.chair,
            ChairVisit(row.starts_at, row.chair_until, row.appointment_id),
            row.patient.display_name,
            _STAGES.get(row.status, Stage.IN_CHAIR),
        )
        for row in rows
        if row.chair_until is not None
    ]


def chair_timeline(ctx: ServiceContext, *, rows: Sequence[ClinicDayRow]) -> tuple[TimelineRow, ...]:
    """The timeline of the day whose rows are ``rows``: the active chairs by name (and any
    chair a booking still names), at ``ctx.now()``."""
    with ctx.read_only() as uow:
        chairs = [chair.name for chair in uow.chairs.all_by_name() if chair.active]
    return timeline_rows(
        chairs,
        timeline_bookings(rows),
        now=ctx.now(),
        grace=grace_from(ctx.settings.checklists),
    )
