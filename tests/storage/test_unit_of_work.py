from __future__ import annotations

import pytest
from sqlalchemy import func, select

from clinic_app.storage.errors import NurseRequired, RecordNotFound
from clinic_app.storage.models import AuditEntry, Patient
from clinic_app.storage.unit_of_work import UnitOfWork


def _count(session_factory, model) -> int:
    with session_factory() as session:
        return session.scalar(select(func.count()).select_from(model))


def test_changes_are_rolled_back_when_commit_is_not_called(uow, session_factory, make_patient):
    with uow() as work:
        work.patients.add(make_patient())
        work.flush()  # written and audited inside the transaction...
    assert _count(session_factory, Patient) == 0  # ...and gone with it
    assert _count(session_factory, AuditEntry) == 1  # only the nurse account


def test_changes_are_rolled_back_when_the_block_raises(uow, session_factory, make_patient):
    with pytest.raises(RuntimeError), uow() as work:
        work.patients.add(make_patient())
        work.commit()
        work.patients.add(make_patient(mrn="MRN002"))
        raise RuntimeError("the nurse's action failed half way")
    assert _count(session_factory, Patient) == 1


def test_committed_changes_are_kept_with_their_audit_rows(uow, session_factory, make_patient):
    with uow() as work:
        work.patients.add(make_patient())
        work.commit()
    assert _count(session_factory, Patient) == 1
    assert _count(session_factory, AuditEntry) == 2


def test_an_explicit_rollback_discards_the_work_so_far(uow, session_factory, make_patient):
    with uow() as work:
        work.patients.add(make_patient())
        work.rollback()
        work.commit()
    assert _count(session_factory, Patient) == 0


def test_the_session_cannot_be_used_outside_the_block(uow):
    work = uow()
    with pytest.raises(RuntimeError, match="outside its 'with' block"):
        work.session  # noqa: B018 - the property access is what is tested
    with work:
        assert work.session.is_active
    with pytest.raises(RuntimeError):
        work.commit()


def test_voiding_without_a_signed_in_nurse_is_refused(session_factory, patient_id):
    with UnitOfWork(session_factory, nurse_id=None) as work:
        patient = work.patients.get(patient_id)
        with pytest.raises(NurseRequired):
            work.void(patient, reason="duplicate")


def test_a_missing_record_is_a_clear_error(uow):
    with uow() as work, pytest.raises(RecordNotFound, match="No Patient with id 99"):
        work.patients.get(99)
