from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from sqlalchemy import insert, select, text

from clinic_app.storage.errors import NaiveDatetimeError
from clinic_app.storage.models import WeightMeasurement


def test_a_naive_datetime_is_refused_when_assigned(patient_id):
    with pytest.raises(NaiveDatetimeError, match="no time zone"):
        WeightMeasurement(patient_id=patient_id, weight_kg=Decimal("70"),
                          measured_at=datetime(2026, 3, 2, 9, 0))


def test_a_naive_datetime_is_refused_by_the_column_type_too(engine, patient_id):
    table = WeightMeasurement.__table__
    with engine.begin() as conn, pytest.raises(NaiveDatetimeError):
        conn.execute(insert(table).values(patient_id=patient_id, weight_kg=Decimal("70"),
                                          measured_at=datetime(2026, 3, 2, 9, 0),
                                          kind="actual", version=1))


def test_an_aware_time_in_another_zone_is_stored_and_read_back_in_utc(uow, patient_id, engine):
    zurich_winter = timezone(timedelta(hours=1))
    with uow() as work:
        weight = work.weights.add(WeightMeasurement(
            patient_id=patient_id, weight_kg=Decimal("70"),
            measured_at=datetime(2026, 3, 2, 10, 15, tzinfo=zurich_winter)))
        work.commit()
        weight_id = weight.id
    with uow() as work:
        stored = work.weights.get(weight_id).measured_at
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT measured_at FROM weight_measurements")).scalar_one()
    assert stored == datetime(2026, 3, 2, 9, 15, tzinfo=UTC)
    assert stored.tzinfo is UTC
    assert raw.startswith("2026-03-02 09:15:00")


def test_timestamps_read_through_core_are_aware_utc(engine, patient_id, uow, clock):
    with uow() as work:
        work.weights.add(WeightMeasurement(patient_id=patient_id, weight_kg=Decimal("70"),
                                           measured_at=clock.now))
        work.commit()
    with engine.connect() as conn:
        at = conn.execute(select(WeightMeasurement.__table__.c.measured_at)).scalar_one()
    assert at == clock.now and at.tzinfo is UTC
