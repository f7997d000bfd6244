"""What ending the infusion at a given moment would record: the End dialog's figures.

Rules (issue 12, "Ending late"): the nurse records the actual end, by default now, editable back
to the last recorded moment of the infusion (start, pause, resume, rate change) and never in the
future; while the pump is paused the infusion ends at the pause. Ending before the bag is empty
needs a reason and records the volume infused (and the dose in it) as given (clinical reference,
"Monitoring and reactions"; review P1-1).
"""

from __future__ import annotations

from datetime import datetime

from clinic_app.domain.dates import time_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.units import round_ml
from clinic_app.services.context import ServiceContext
from clinic_app.services.typed_input import not_in_future, parse_moment
from clinic_app.services.visits._given_dose import infused_dose_mg
from clinic_app.services.visits._rules import require_status
from clinic_app.services.visits._state import load_visit, timeline_of
from clinic_app.services.visits.dto import EndPreview
from clinic_app.storage.models import VisitStatus


def end_preview(ctx: ServiceContext, *, visit_id: int,
                at: datetime | str | None = None) -> EndPreview:
    """The volumes and dose the infusion would end with at ``at`` (default now).

    Refuses (:class:`InvalidInput` on "at") a moment in the future or before the last recorded
    moment of the infusion; :class:`ActionNotAllowed` when the visit is not infusing.
    """
    now = ctx.now()
    moment = not_in_future(parse_moment(at, now=now, tz=ctx.tz, field="at",
                                        label="The time of the end"),
                           now=now, field="at", label="The time of the end")
    with ctx.read_only() as uow:
        loaded = load_visit(ctx, uow, visit_id)
        require_status(loaded, (VisitStatus.INFUSING,), "end the infusion")
        running = timeline_of(loaded)
        assert running is not None  # infusing: started
        paused = bool(running.pauses) and running.pauses[-1].resumed_at is None
        moments = [running.started_at, *(c.at for c in running.rate_changes)]
        moments += [p.paused_at for p in running.pauses]
        moments += [p.resumed_at for p in running.pauses if p.resumed_at is not None]
        earliest = max(moments)
        if paused:
            moment = now = earliest
        elif moment < earliest:
            shown = time_text(earliest, ctx.tz)
            raise InvalidInput("at", f"The end cannot be before {shown}, the last recorded "
                                     f"moment of the infusion.")
        plan = loaded.snapshot.plan
        infused = round_ml(running.volume_infused(moment))
        left = running.remaining_volume(moment)
        return EndPreview(at=moment, earliest=earliest, latest=now, paused=paused,
                          infused_ml=infused, remaining_ml=round_ml(left),
                          planned_ml=plan.final_volume_ml,
                          given_mg=infused_dose_mg(plan, infused) if left > 0 else plan.dose_mg,
                          dose_mg=plan.dose_mg, needs_reason=left > 0)
