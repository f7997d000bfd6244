"""The shortened infusion's eligibility for one appointment, from the patient's history.

Rules in :mod:`clinic_app.domain.shortened_infusion` (infliximab EU SmPC 4.2). The history is
the patient's, for the drug, across all of the patient's courses of the protocol:

- tolerated infusions: visits run to their end (``ended_at`` set, not voided) with no reaction
  (not voided) logged at them;
- reactions: every reaction to the drug on file, acute or delayed, not voided
  (:func:`clinic_app.services.patients.reaction_records`, the same records that drive the
  graduated rate and premedication).

The dose day is the booked day, or today when the booking is past or missing (the age is
counted on it).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.reactions import ReactionRecord
from clinic_app.domain.shortened_infusion import (
    InfusionHistory,
    ShortenedEligibility,
    shortened_eligibility,
)
from clinic_app.services.context import ServiceContext
from clinic_app.storage.models import InfusionVisit, Reaction, TreatmentCourse
from clinic_app.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from clinic_app.services.visits._dose_preview import AppointmentRows


def dose_day(ctx: ServiceContext, rows: AppointmentRows) -> date:
    """The booked day, or today when the booking is past or missing."""
    today = ctx.local_now().date()
    booked = rows.appointment.starts_at
    return today if booked is None else max(today, booked.astimezone(ctx.tz).date())


def tolerated_infusions(uow: UnitOfWork, patient_id: int, protocol_id: str) -> int:
    """The patient's infusions of the protocol's drug run to their end (not voided) with no
    reaction logged at them, over all of the patient's courses of that protocol."""
    reacted = select(Reaction.visit_id).where(
        Reaction.visit_id.is_not(None), Reaction.voided_at.is_(None)
    )
    courses = select(TreatmentCourse.id).where(
        TreatmentCourse.patient_id == patient_id, TreatmentCourse.protocol_id == protocol_id
    )
    count = uow.session.scalar(
        select(func.count())
        .select_from(InfusionVisit)
        .where(
            InfusionVisit.course_id.in_(courses),
            InfusionVisit.voided_at.is_(None),
            InfusionVisit.ended_at.is_not(None),
            InfusionVisit.id.not_in(reacted),
        )
    )
    return int(count or 0)


def shortened_check(
    ctx: ServiceContext,
    rows: AppointmentRows,
    plan: DosePlan,
    *,
    tolerated: int,
    reactions: list[ReactionRecord],
) -> ShortenedEligibility | None:
    """The eligibility of this dose (``plan``: its dose and weight) for the shortened infusion
    (module rules), or None when the protocol has no shortened infusion. ``tolerated`` is
    :func:`tolerated_infusions`; ``reactions`` the patient's reactions on file (any drug)."""
    if rows.protocol.administration.shortened is None:
        return None
    history = InfusionHistory(
        tolerated_infusions=tolerated,
        reactions=sum(1 for r in reactions if r.protocol_id == rows.protocol.id),
    )
    return shortened_eligibility(
        rows.protocol,
        allowed_by_clinic=ctx.settings.dosing.allow_shortened_infusion,
        date_of_birth=rows.patient.date_of_birth,
        dose_day=dose_day(ctx, rows),
        dose_number=rows.appointment.dose_number,
        history=history,
        dose_mg=plan.dose_mg,
        weight_kg=plan.weight_kg,
    )
