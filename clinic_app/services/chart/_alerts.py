"""A patient's alert badges, the same wherever the patient's identity is shown.

The chart's header, the visit's header and the "Open visit" step show one list (review of the
visit screen, 2026-11-22: the visit lacked the chart's screening badges): allergies,
contraindications on file, reactions on file, positive screening results, and screening
missing, indeterminate or expired today for the drugs of the active courses
(:func:`clinic_app.domain.schedule_checks.screening_gaps`). The badges are built by the chart's
own helpers so the two can never differ.
"""

from __future__ import annotations

from clinic_app.services.chart._chart import (
    _alerts,
    _courses,
    _screening_gap_badges,
    reaction_summary,
)
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients import contraindication_entry, screening_entry
from clinic_app.services.patients.dto import AlertBadge
from clinic_app.storage.unit_of_work import UnitOfWork


def patient_alerts(ctx: ServiceContext, uow: UnitOfWork, patient_id: int) -> tuple[AlertBadge, ...]:
    """The patient's alert badges at ``ctx.now()`` (the chart's list, voided records left out)."""
    screenings = uow.screenings.list_by(patient_id=patient_id)
    gaps = _screening_gap_badges(_courses(ctx, uow, patient_id),
                                 [s.to_domain() for s in screenings], ctx.local_now().date())
    return _alerts(
        uow.allergies.list_by(patient_id=patient_id),
        [contraindication_entry(f, {}) for f in uow.contraindications.list_by(
            patient_id=patient_id)],
        [reaction_summary(r, {}) for r in uow.reactions.list_by(patient_id=patient_id)],
        [screening_entry(s, {}) for s in screenings], gaps, ctx.tz)
