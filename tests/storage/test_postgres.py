"""The same store on PostgreSQL. Skipped unless CLINIC_APP_TEST_PG_URL names a scratch database.

The database is wiped (schema ``public`` dropped and recreated) before each test. See
tests/storage/README.md for a throwaway PostgreSQL cluster that CI can start.
"""

from __future__ import annotations

import os
import threading
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from clinic_app.config import normalise_database_url
from clinic_app.storage import (
    ConcurrentEditError,
    DatabaseTooNew,
    UnitOfWork,
    UpgradeRefused,
    ensure_database,
    make_engine,
    make_session_factory,
    migrate,
    verify_audit,
)
from clinic_app.storage.models import Base, Nurse, Patient, Sex, WeightMeasurement

PG_URL = os.environ.get("CLINIC_APP_TEST_PG_URL", "")
pytestmark = pytest.mark.skipif(not PG_URL, reason="CLINIC_APP_TEST_PG_URL is not set")


@pytest.fixture
def pg_url():
    url = normalise_database_url(PG_URL)
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture
def pg_factory(pg_url):
    assert ensure_database(pg_url).action == "created"
    engine = make_engine(pg_url)
    yield make_session_factory(engine)
    engine.dispose()


@pytest.fixture
def pg_nurses(pg_factory):
    ids = []
    with UnitOfWork(pg_factory, nurse_id=None) as work:
        for username, name in (("akeller", "Anna Keller"), ("bmeier", "Beat Meier")):
            nurse = Nurse(username=username, display_name=name)
            nurse.set_password("correct horse battery")
            ids.append(work.nurses.add(nurse))
        work.commit()
        return [n.id for n in ids]


@pytest.fixture
def pg_patient(pg_factory, pg_nurses):
    with UnitOfWork(pg_factory, nurse_id=pg_nurses[0]) as work:
        patient = work.patients.add(Patient(mrn="PG1", family_name="García", given_names="José",
                                            date_of_birth=date(1980, 2, 29), sex=Sex.MALE))
        work.commit()
        return patient.id


def test_migrations_create_a_schema_matching_the_models(pg_url, pg_factory):
    engine = make_engine(pg_url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, Base.metadata) == []
    engine.dispose()
    assert ensure_database(pg_url).action == "current"


_SCHEMA_0003_ROWS = (
    "INSERT INTO nurses (id, username, display_name, password_hash, is_active, is_admin, "
    "version) VALUES (1, 'akeller', 'Anna Keller', 'x', true, true, 1), "
    "(2, 'bmeier', 'Beat Meier', 'x', true, true, 1)",
    "INSERT INTO patients (id, mrn, family_name, given_names, family_key, given_key, "
    "date_of_birth, sex, version) VALUES (1, 'PG1', 'García', 'José', 'garcia', 'jose', "
    "'1980-02-29', 'male', 1)",
    "INSERT INTO treatment_courses (id, patient_id, protocol_id, indication_id, dosing_mode, "
    "dose_mg_per_kg, prescriber, start_date, status, version) VALUES (1, 1, 'infliximab', "
    "'crohns', 'mg_per_kg', 5, 'Dr Nowak', '2026-03-02', 'active', 1)",
    "INSERT INTO appointments (id, course_id, dose_number, due_date, status, version) VALUES "
    "(1, 1, 1, '2026-03-02', 'booked', 1)",
    "INSERT INTO infusion_visits (patient_id, course_id, appointment_id, nurse_id, status, "
    "version) VALUES (1, 1, 1, 1, 'checked_in', 1), (1, 1, 1, 2, 'checked_in', 1), "
    "(1, 1, 1, 2, 'cancelled', 1)",
)


_ANOTHER_VISIT = text("INSERT INTO infusion_visits (patient_id, course_id, appointment_id, "
                      "nurse_id, status, version) VALUES (1, 1, 1, 1, :status, 1)")


def test_an_0003_database_with_two_open_visits_is_refused_then_upgrades_once_one_is_voided(
        pg_url):
    with migrate.migration_session(pg_url) as config:
        command.upgrade(config, "0003")
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        for statement in _SCHEMA_0003_ROWS:
            conn.execute(text(statement))
    with pytest.raises(UpgradeRefused, match=r"appointment 1 \(dose 1 due 2026-03-02 of García, "
                                             r"José \(MRN PG1\)\) has visit 1 \(checked_in, "
                                             r"opened by Anna Keller\), visit 2 \(checked_in"):
        ensure_database(pg_url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0003"
        conn.execute(text("UPDATE infusion_visits SET voided_at = now(), voided_by_id = 2, "
                          "void_reason = 'Opened twice' WHERE id = 2"))
    assert ensure_database(pg_url).action == "upgraded"
    with engine.begin() as conn:
        assert conn.execute(text("SELECT username FROM nurses WHERE is_first_account")
                            ).scalars().all() == ["akeller"]
        conn.execute(_ANOTHER_VISIT, {"status": "cancelled"})
    with pytest.raises(IntegrityError, match="uq_infusion_visits_open_appointment_id"), \
            engine.begin() as conn:
        conn.execute(_ANOTHER_VISIT, {"status": "infusing"})
    engine.dispose()


def test_a_newer_schema_is_refused(pg_url, pg_factory):
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_future'"))
    engine.dispose()
    with pytest.raises(DatabaseTooNew):
        ensure_database(pg_url)


def test_audit_rows_record_old_and_new_values_and_the_chain_verifies(pg_factory, pg_nurses,
                                                                     pg_patient, pg_url):
    with UnitOfWork(pg_factory, nurse_id=pg_nurses[1]) as work:
        work.patients.get(pg_patient).notes = "needle phobia"
        work.commit()
    with UnitOfWork(pg_factory, nurse_id=None) as work:
        entry = list(work.audit.history("patients", pg_patient))[-1]
        assert entry.actor_id == pg_nurses[1]
        assert entry.changes == {"notes": {"old": None, "new": "needle phobia"}}
        assert verify_audit(work.session).ok
    engine = make_engine(pg_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET record_id = 99 WHERE id = 3"))
    engine.dispose()
    with UnitOfWork(pg_factory, nurse_id=None) as work:
        assert verify_audit(work.session).first_broken_id == 3


def test_timestamps_round_trip_as_aware_utc(pg_factory, pg_nurses, pg_patient):
    taken = datetime(2026, 3, 2, 10, 15, 30, 123456, tzinfo=timezone(timedelta(hours=1)))
    with UnitOfWork(pg_factory, nurse_id=pg_nurses[0]) as work:
        weight = work.weights.add(WeightMeasurement(patient_id=pg_patient,
                                                    weight_kg=Decimal("72.35"),
                                                    measured_at=taken))
        work.commit()
        weight_id = weight.id
    with UnitOfWork(pg_factory, nurse_id=None) as work:
        stored = work.weights.get(weight_id)
        assert stored.measured_at == taken and stored.measured_at.tzinfo is UTC
        assert stored.weight_kg == Decimal("72.35")


def test_the_second_workstation_to_save_the_same_patient_gets_a_conflict(pg_url, pg_factory,
                                                                        pg_nurses, pg_patient):
    other = make_engine(pg_url)
    with UnitOfWork(pg_factory, nurse_id=pg_nurses[0]) as first, \
            UnitOfWork(make_session_factory(other), nurse_id=pg_nurses[1]) as second:
        mine, theirs = first.patients.get(pg_patient), second.patients.get(pg_patient)
        mine.phone, theirs.phone = "1", "2"
        first.commit()
        with pytest.raises(ConcurrentEditError, match="changed by Anna Keller"):
            second.commit()
    other.dispose()
    with UnitOfWork(pg_factory, nurse_id=None) as work:
        assert work.patients.get(pg_patient).phone == "1"


def test_concurrent_writers_extend_the_chain_one_after_the_other(pg_url, pg_factory, pg_nurses):
    errors: list[BaseException] = []

    def register(prefix: str) -> None:
        engine = make_engine(pg_url)
        factory = make_session_factory(engine)
        try:
            for i in range(15):
                with UnitOfWork(factory, nurse_id=pg_nurses[0]) as work:
                    work.patients.add(Patient(mrn=f"{prefix}{i}", family_name="Load",
                                              given_names=prefix, date_of_birth=date(1970, 1, 1),
                                              sex=Sex.UNKNOWN))
                    work.commit()
        except BaseException as exc:  # reported to the main thread
            errors.append(exc)
        finally:
            engine.dispose()

    threads = [threading.Thread(target=register, args=(p,)) for p in ("T", "U", "V")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    with UnitOfWork(pg_factory, nurse_id=None) as work:
        report = verify_audit(work.session)
        assert report.ok and report.rows_checked == 2 + 45
        assert work.patients.count("load") == 45


@pytest.mark.parametrize(("typed", "expected"), [
    ("jose", ["A100"]), ("garc", ["A100", "A101"]), ("garcia lopez", ["A101"]),
    ("obrien", ["B200"]), ("van der", ["C300"]), ("b2", ["B200"]), ("1980-02-29", ["A100"]),
    ("50%", []),
])
def test_name_search_works_whatever_the_database_collation(pg_factory, pg_nurses, typed,
                                                           expected):
    people = [("A100", "García", "José", date(1980, 2, 29)),
              ("A101", "Garcia Lopez", "María", date(1975, 5, 1)),
              ("B200", "O'Brien", "Seán", date(1990, 12, 24)),
              ("C300", "van der Berg", "Anouk", date(2001, 1, 9))]
    with UnitOfWork(pg_factory, nurse_id=pg_nurses[0]) as work:
        for mrn, family, given_names, born in people:
            work.patients.add(Patient(mrn=mrn, family_name=family, given_names=given_names,
                                      date_of_birth=born, sex=Sex.UNKNOWN))
        work.flush()
        assert sorted(p.mrn for p in work.patients.search(typed)) == expected
