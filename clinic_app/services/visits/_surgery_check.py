"""A planned surgery or a live vaccine too close to the visit's dose, shown at the pre-check
(issue 13, "Surgery and the live-vaccine calendar"); the windows are the protocol's
(:mod:`clinic_app.domain.surgery_windows`).
"""

from __future__ import annotations

from clinic_app.services.context import ServiceContext
from clinic_app.services.surgery import window_reasons
from clinic_app.services.visits._state import LoadedVisit
from clinic_app.storage.unit_of_work import UnitOfWork


def surgery_and_vaccine_lines(
    ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit
) -> tuple[str, ...]:
    """A planned surgery's or a live vaccine's window around this visit's dose, in words, for
    the pre-check (:func:`clinic_app.services.surgery.window_reasons`): a warning only, the
    booking asked for the reason."""
    started = loaded.visit.started_at
    day = (started.astimezone(ctx.tz) if started else ctx.local_now()).date()
    surgery, vaccines = window_reasons(uow, patient_id=loaded.patient.id,
                                       protocol=loaded.protocol, day=day)  # fmt: skip
    return surgery + vaccines
