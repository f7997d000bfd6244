from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, text, update

from clinic_app.storage import verify_audit
from clinic_app.storage.errors import (
    AuditBypassRefused,
    DeletionRefused,
    NurseRequired,
    RecordIsVoided,
    VoidReasonRequired,
)
from clinic_app.storage.models import AuditAction, AuditEntry, Patient, WeightMeasurement
from clinic_app.storage.unit_of_work import UnitOfWork


def _history(work: UnitOfWork, table: str, record_id: int) -> list[AuditEntry]:
    return list(work.audit.history(table, record_id))


def test_an_insert_is_audited_with_every_field_the_nurse_and_the_time(uow, patient_id,
                                                                      nurse_id, clock):
    with uow() as work:
        (entry,) = _history(work, "patients", patient_id)
    assert entry.action is AuditAction.INSERT
    assert entry.actor_id == nurse_id
    assert entry.at == clock.now
    assert entry.changes["family_name"] == {"old": None, "new": "García"}
    assert entry.changes["date_of_birth"] == {"old": None, "new": "1980-02-29"}
    assert "version" not in entry.changes and "family_key" not in entry.changes


def test_an_update_is_audited_with_old_and_new_values_of_the_changed_fields_only(
    uow, patient_id, clock
):
    clock.advance(minutes=5)
    with uow() as work:
        patient = work.patients.get(patient_id)
        patient.phone = "+41 44 000 00 00"
        patient.notes = "needle phobia"
        work.commit()
    with uow() as work:
        entry = _history(work, "patients", patient_id)[-1]
    assert entry.action is AuditAction.UPDATE
    assert entry.at == clock.now
    assert entry.changes == {
        "phone": {"old": None, "new": "+41 44 000 00 00"},
        "notes": {"old": None, "new": "needle phobia"},
    }


def test_an_update_of_an_expired_record_still_records_the_old_value(uow, patient_id):
    with uow() as work:
        patient = work.patients.get(patient_id)
        patient.given_names = "Josep"
        work.commit()  # expires the object
        patient.given_names = "Joseph"
        work.commit()
        entry = _history(work, "patients", patient_id)[-1]
    assert entry.changes["given_names"] == {"old": "Josep", "new": "Joseph"}


def test_decimal_values_are_audited_as_exact_text(uow, patient_id, clock):
    with uow() as work:
        weight = work.weights.add(WeightMeasurement(
            patient_id=patient_id, weight_kg=Decimal("72.35"), measured_at=clock.now))
        work.commit()
        weight.weight_kg = Decimal("72.40")
        work.commit()
        entries = _history(work, "weight_measurements", weight.id)
    assert entries[0].changes["weight_kg"] == {"old": None, "new": "72.35"}
    assert entries[1].changes["weight_kg"] == {"old": "72.35", "new": "72.40"}


def test_a_nurse_password_never_reaches_the_audit_trail(uow, nurse_id):
    with uow() as work:
        (entry,) = _history(work, "nurses", nurse_id)
    assert entry.changes["password_hash"] == {"old": None, "new": "[redacted]"}
    assert entry.actor_id is None  # the first account is created before anyone signs in


def test_a_clinical_write_without_a_nurse_is_refused(session_factory, make_patient):
    with UnitOfWork(session_factory, nurse_id=None) as work:
        work.patients.add(make_patient())
        with pytest.raises(NurseRequired, match="No nurse is signed in"):
            work.commit()


def test_the_chain_verifies_after_ordinary_work(uow, patient_id):
    with uow() as work:
        work.patients.get(patient_id).notes = "first visit"
        work.commit()
        report = verify_audit(work.session)
    assert report.ok
    assert report.rows_checked == 3  # nurse, patient insert, patient update


def test_editing_an_audit_row_with_raw_sql_is_detected_at_that_row(uow, patient_id, engine):
    with uow() as work:
        work.patients.get(patient_id).notes = "first visit"
        work.commit()
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET changes = replace(changes, 'García', 'Garcia') "
                          "WHERE id = 2"))
    with uow() as work:
        report = verify_audit(work.session)
    assert not report.ok
    assert report.first_broken_id == 2
    assert "altered" in (report.problem or "")


def test_removing_an_audit_row_is_detected(uow, patient_id, engine):
    with uow() as work:
        work.patients.get(patient_id).notes = "first visit"
        work.commit()
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = 2"))
    with uow() as work:
        report = verify_audit(work.session)
    assert report.first_broken_id == 2
    assert "missing" in (report.problem or "")


def test_removing_the_last_audit_row_is_detected_through_the_chain_head(uow, patient_id,
                                                                         engine):
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE id = (SELECT max(id) FROM audit_log)"))
    with uow() as work:
        report = verify_audit(work.session)
    assert report.first_broken_id == 2


def test_deleting_a_clinical_record_is_refused(uow, patient_id):
    with uow() as work:
        work.session.delete(work.patients.get(patient_id))
        with pytest.raises(DeletionRefused, match="void it with a reason"):
            work.flush()


def test_bulk_statements_on_audited_models_are_refused(uow, patient_id):
    with uow() as work, pytest.raises(AuditBypassRefused):
        work.session.execute(update(Patient).values(notes="bulk"))


def test_voiding_requires_a_reason(uow, patient_id):
    with uow() as work:
        patient = work.patients.get(patient_id)
        with pytest.raises(VoidReasonRequired):
            work.void(patient, reason="  ")
        patient.voided_at = datetime(2026, 3, 2, tzinfo=UTC)  # set by hand, no reason
        with pytest.raises(VoidReasonRequired):
            work.flush()


def test_a_void_is_audited_and_the_record_stays_visible_on_request(uow, patient_id, nurse_id):
    with uow() as work:
        work.void(work.patients.get(patient_id), reason="registered twice")
        work.commit()
    with uow() as work:
        entry = _history(work, "patients", patient_id)[-1]
        assert work.patients.search("garcia") == []
        (voided,) = work.patients.search("garcia", include_voided=True)
    assert entry.action is AuditAction.VOID
    assert entry.changes["void_reason"] == {"old": None, "new": "registered twice"}
    assert voided.voided_by_id == nurse_id


def test_a_voided_record_cannot_be_changed(uow, patient_id):
    with uow() as work:
        work.void(work.patients.get(patient_id), reason="registered twice")
        work.commit()
    with uow() as work:
        work.patients.get(patient_id).notes = "edit after void"
        with pytest.raises(RecordIsVoided):
            work.commit()


def test_audit_rows_are_numbered_without_gaps_across_transactions(uow, patient_id):
    for note in ("a", "b", "c"):
        with uow() as work:
            work.patients.get(patient_id).notes = note
            work.commit()
    with uow() as work:
        ids = work.session.scalars(select(AuditEntry.id).order_by(AuditEntry.id)).all()
    assert ids == list(range(1, 6))
