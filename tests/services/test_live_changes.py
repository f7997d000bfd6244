"""Following another workstation: ``services.live`` says who changed what, and when.

Workstation A (``ctx``) watches; workstation B (``second_ctx``: its own engine on the same
database, Beat Meier signed in) books and records. Each test runs on one SQLite file and, when
``CLINIC_APP_TEST_PG_URL`` names a scratch database (wiped before each test), on PostgreSQL.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from clinic_testing import copy_database
from sqlalchemy import text
from visit_fixtures import book_first_dose

from clinic_app.config import normalise_database_url, sqlite_url_for
from clinic_app.services.context import ServiceContext
from clinic_app.services.live import ChangeWatch, OtherWorkstationChange, watch_changes
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import open_visit
from clinic_app.storage import ensure_database, make_engine

PG_URL = os.environ.get("CLINIC_APP_TEST_PG_URL", "")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="CLINIC_APP_TEST_PG_URL is not set"),
    ),
]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, db_path: Path, migrated_template: Path) -> str:
    """The database both workstations share (replaces the services' SQLite-only one)."""
    if request.param == "postgresql":
        url = normalise_database_url(PG_URL)
        engine = make_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    else:
        url = sqlite_url_for(copy_database(migrated_template, db_path.parent))
    ensure_database(url)
    return url


@pytest.fixture
def watch(ctx: ServiceContext, second_ctx: ServiceContext) -> Iterator[ChangeWatch]:
    """Workstation A's watch, opened once both nurses exist."""
    opened = watch_changes(ctx)
    yield opened
    opened.close()


def _next_change(
    watch: ChangeWatch, ctx: ServiceContext, timeout: float = 2.0
) -> OtherWorkstationChange | None:
    """Poll as the window's timer does, for at most ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        change = watch.poll(ctx)
        if change is not None or time.monotonic() > deadline:
            return change
        time.sleep(0.02)


def test_a_booking_on_another_workstation_names_its_nurse_and_local_time(
    watch: ChangeWatch, ctx: ServiceContext, second_ctx: ServiceContext, patient: PatientSummary
) -> None:
    _next_change(watch, ctx, timeout=0.3)  # the patient registered by workstation A
    book_first_dose(second_ctx, patient.id)
    change = _next_change(watch, ctx)
    assert change is not None
    assert "appointments" in change.tables
    assert change.message == "Changed by Beat Meier at 09:30"  # 08:30 UTC in Warsaw
    assert watch.poll(ctx) is None  # told once


def test_this_workstations_own_changes_are_not_reported(
    watch: ChangeWatch, ctx: ServiceContext, patient: PatientSummary
) -> None:
    book_first_dose(ctx, patient.id)
    assert _next_change(watch, ctx, timeout=0.5) is None


def test_opening_the_visit_elsewhere_is_reported_after_the_booking(
    watch: ChangeWatch,
    ctx: ServiceContext,
    second_ctx: ServiceContext,
    patient: PatientSummary,
    clock,
) -> None:
    booking = book_first_dose(ctx, patient.id)
    clock.advance(minutes=12)
    open_visit(second_ctx, appointment_id=booking.appointment_id, weight="71")
    change = _next_change(watch, ctx)
    assert change is not None and "infusion_visits" in change.tables
    assert change.message == "Changed by Beat Meier at 09:42"


def test_a_change_of_unknown_origin_reads_plainly() -> None:
    assert OtherWorkstationChange(frozenset(), "", None).message == (
        "Changed on another workstation"
    )
