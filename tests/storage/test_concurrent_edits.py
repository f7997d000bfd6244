"""Two workstations editing the same record: the second save fails, nothing is overwritten."""

from __future__ import annotations

import pytest

from clinic_app.storage import ConcurrentEditError, make_engine, make_session_factory
from clinic_app.storage.unit_of_work import UnitOfWork


@pytest.fixture
def other_workstation(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


def test_the_second_of_two_workstations_saving_the_same_patient_gets_a_conflict(
    session_factory, other_workstation, nurse_id, second_nurse_id, patient_id, clock
):
    clock.advance(minutes=10)
    with UnitOfWork(session_factory, nurse_id=nurse_id, clock=clock) as first, \
            UnitOfWork(other_workstation, nurse_id=second_nurse_id, clock=clock) as second:
        mine = first.patients.get(patient_id)
        theirs = second.patients.get(patient_id)
        mine.phone = "044 111 11 11"
        theirs.phone = "044 222 22 22"
        first.commit()
        with pytest.raises(ConcurrentEditError) as caught:
            second.commit()
    assert str(caught.value) == (
        "This patient record was changed by Anna Keller at 2026-03-02 08:40 UTC on another "
        "workstation; reload it and enter your change again."
    )
    with UnitOfWork(session_factory, nurse_id=nurse_id) as check:
        assert check.patients.get(patient_id).phone == "044 111 11 11"


def test_a_conflict_raised_by_an_autoflush_inside_the_block_is_explained_too(
    session_factory, other_workstation, nurse_id, second_nurse_id, patient_id
):
    with pytest.raises(ConcurrentEditError, match="changed by Anna Keller"), \
            UnitOfWork(other_workstation, nurse_id=second_nurse_id) as second:
        theirs = second.patients.get(patient_id)
        with UnitOfWork(session_factory, nurse_id=nurse_id) as first:
            first.patients.get(patient_id).notes = "first"
            first.commit()
        theirs.notes = "second"
        second.patients.search("garcia")  # the query autoflushes the stale update


def test_a_save_checked_against_the_version_the_nurse_saw_fails_after_another_save(
    uow, session_factory, second_nurse_id, patient_id
):
    with uow() as work:
        seen_version = work.patients.get(patient_id).version
    with UnitOfWork(session_factory, nurse_id=second_nurse_id) as other:
        other.patients.get(patient_id).notes = "changed elsewhere"
        other.commit()
    with uow() as work, pytest.raises(ConcurrentEditError, match="changed by Beat Meier"):
        work.patients.get(patient_id, expected_version=seen_version)


def test_saves_one_after_the_other_from_two_workstations_both_succeed(
    session_factory, other_workstation, nurse_id, second_nurse_id, patient_id
):
    with UnitOfWork(session_factory, nurse_id=nurse_id) as first:
        first.patients.get(patient_id).phone = "1"
        first.commit()
    with UnitOfWork(other_workstation, nurse_id=second_nurse_id) as second:
        patient = second.patients.get(patient_id)
        patient.phone = "2"
        second.commit()
        assert patient.version == 3
