"""Patient search stays fast with 50,000 patients, through the indexes (EXPLAIN QUERY PLAN).

Run with ``pytest -m slow tests/storage/test_search_scale.py -s`` to see the timings.
"""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from sqlalchemy import insert, select

from clinic_app.config import sqlite_url_for
from clinic_app.storage import UnitOfWork, ensure_database, make_engine, make_session_factory
from clinic_app.storage.models import Patient, Sex
from clinic_app.storage.patient_search import search_condition
from clinic_app.storage.search_keys import name_key

pytestmark = pytest.mark.slow

PATIENTS = 50_000
FAMILY = ["García", "Müller", "Rossi", "Martin", "Novak", "Jensen", "Kowalski", "Dubois",
          "Smith", "Nguyen", "Silva", "Horvat", "Papadopoulos", "Ivanova", "Öztürk", "Lee"]
GIVEN = ["José", "Anna", "Luca", "Zoë", "Marta", "Jan", "Emma", "Noah", "Léa", "Ali", "Sofia",
         "Mateo", "Ingrid", "Chloé", "Piotr", "Aiko"]
BUDGET_SECONDS = 0.25  # per query, generous for a slow CI machine; typical figures are ~1 ms


def _born(i: int) -> date:
    return date(1930, 1, 1) + timedelta(days=i * 7919 % 30_000)


def _family(i: int) -> str:
    return f"{FAMILY[i % len(FAMILY)]}{['', 'a', 'ek', 'son', 'ini'][i % 5]}{i % 97}"


def _rows() -> list[dict]:
    rows = []
    for i in range(PATIENTS):
        family, given = _family(i), GIVEN[i * 7 % len(GIVEN)]
        rows.append({
            "mrn": f"M{i:07d}", "family_name": family, "given_names": given,
            "family_key": name_key(family), "given_key": name_key(given),
            "date_of_birth": _born(i), "sex": list(Sex)[i % 4].value, "version": 1,
        })
    return rows


@pytest.fixture(scope="module")
def crowded(tmp_path_factory):
    """A database with 50,000 patients, inserted in bulk with Core (shared by the module)."""
    url = sqlite_url_for(tmp_path_factory.mktemp("scale") / "clinic.sqlite3")
    ensure_database(url)
    engine = make_engine(url)
    started = time.perf_counter()
    with engine.begin() as conn:
        conn.execute(insert(Patient.__table__), _rows())
        conn.exec_driver_sql("ANALYZE")
    print(f"\nbulk insert of {PATIENTS} patients: {time.perf_counter() - started:.2f} s")
    yield engine
    engine.dispose()


QUERIES = {
    "name prefix 'garc'": ("garc", None),
    "family + given 'muller no'": ("muller no", None),
    "given name 'chloe'": ("chloe", None),
    "MRN exact 'M0049999'": ("M0049999", None),
    "MRN prefix 'M00123'": ("M00123", None),
    "date of birth typed": (_born(12_345).isoformat(), None),
    "name narrowed by date of birth": (_family(12_345)[:5], _born(12_345)),
    "first page, no text": ("", None),
}


@pytest.mark.parametrize("label", list(QUERIES))
def test_a_search_among_50000_patients_uses_an_index_and_is_fast(crowded, label):
    text, born = QUERIES[label]
    stmt = (select(Patient.id).where(search_condition(text, born))
            .order_by(Patient.family_key, Patient.given_key, Patient.id).limit(50))
    with crowded.connect() as conn:
        compiled = stmt.compile(crowded, compile_kwargs={"literal_binds": True})
        plan = [row[-1] for row in conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}")]
    full_scans = [step for step in plan if step.startswith("SCAN patients")
                  and "USING" not in step]
    assert full_scans == [], plan
    with UnitOfWork(make_session_factory(crowded), nurse_id=None) as work:
        work.patients.search(text, date_of_birth=born)  # warm the statement cache
        started = time.perf_counter()
        found = work.patients.search(text, date_of_birth=born)
        page_seconds = time.perf_counter() - started
        started = time.perf_counter()
        total = work.patients.count(text, date_of_birth=born)
        count_seconds = time.perf_counter() - started
    print(f"\n{label}: page of {len(found)} in {page_seconds * 1000:.1f} ms; "
          f"count {total} in {count_seconds * 1000:.1f} ms; plan: {' | '.join(plan)}")
    assert found
    assert page_seconds < BUDGET_SECONDS
