"""The patient's weights on file, as the dose rules read them (inside a unit of work)."""

from __future__ import annotations

from sqlalchemy import select

from clinic_app.storage.models import WeightMeasurement
from clinic_app.storage.unit_of_work import UnitOfWork


def latest_weight(uow: UnitOfWork, patient_id: int, *,
                  excluding: int | None = None) -> WeightMeasurement | None:
    """The patient's most recent weight on file (not voided; ``excluding`` a weight id being
    replaced, e.g. the wrong weight of a visit re-weighed)."""
    stmt = (select(WeightMeasurement)
            .where(WeightMeasurement.patient_id == patient_id,
                   WeightMeasurement.voided_at.is_(None)))
    if excluding is not None:
        stmt = stmt.where(WeightMeasurement.id != excluding)
    return uow.session.scalars(
        stmt.order_by(WeightMeasurement.measured_at.desc(), WeightMeasurement.id.desc())
        .limit(1)
    ).first()
