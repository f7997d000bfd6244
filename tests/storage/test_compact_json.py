"""Issue 15: JSON columns (the audit trail's changes, the dose plan) are stored without spaces;
the audit chain and the replay of the records verify across rows written before with spaces."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from contextlib import closing
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from clinic_app.storage import UnitOfWork, make_engine, make_session_factory
from clinic_app.storage import db as storage_db
from clinic_app.storage.audit_chain import verify_audit
from clinic_app.storage.audit_replay import verify_records
from clinic_app.storage.models import Patient, WeightMeasurement

WHEN = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def _audit_texts(db_path) -> list[str]:
    with closing(sqlite3.connect(db_path)) as raw:
        return [row[0] for row in raw.execute("SELECT changes FROM audit_log ORDER BY id")]


def _verified(db_url: str) -> None:
    engine = make_engine(db_url)
    with make_session_factory(engine)() as session:
        chain = verify_audit(session)
        records = verify_records(session)
    engine.dispose()
    assert chain.ok, chain.problem
    assert records.ok, records.problems


def test_audit_rows_are_stored_without_spaces_and_verify(
    db_path, db_url, uow: Callable[[], UnitOfWork], patient_id: int
) -> None:
    with uow() as work:
        work.session.add(
            WeightMeasurement(patient_id=patient_id, weight_kg=Decimal("72.5"), measured_at=WHEN)
        )
        work.commit()
    texts = _audit_texts(db_path)
    assert len(texts) >= 2
    for text in texts:
        assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))
        assert '": ' not in text and '", "' not in text
    _verified(db_url)


def test_a_trail_begun_with_spaces_verifies_with_the_compact_rows_after_it(
    db_path,
    db_url,
    nurse_id: int,
    make_patient: Callable[..., Patient],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def spaced(value: object) -> str:  # as earlier versions stored JSON
        return json.dumps(value, default=storage_db._json_default, ensure_ascii=False)

    with monkeypatch.context() as patch:
        patch.setattr(storage_db, "json_dumps", spaced)
        old_engine = make_engine(db_url)
        with UnitOfWork(make_session_factory(old_engine), nurse_id=nurse_id) as work:
            patient = work.patients.add(make_patient(mrn="MRN777", family="Nowak", given="Ewa"))
            work.commit()
            patient_id = patient.id
        old_engine.dispose()
    engine = make_engine(db_url)
    with UnitOfWork(make_session_factory(engine), nurse_id=nurse_id) as work:
        work.session.add(
            WeightMeasurement(patient_id=patient_id, weight_kg=Decimal("61"), measured_at=WHEN)
        )
        stored = work.patients.get(patient_id)
        assert stored is not None
        stored.given_names = "Ewa Maria"
        work.commit()
    engine.dispose()
    texts = _audit_texts(db_path)
    assert any('": ' in t for t in texts) and any('": ' not in t for t in texts)
    _verified(db_url)
