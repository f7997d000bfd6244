"""Workstation B for the live-update tests: a separate program on the shared database.

It signs in as the demo's charge nurse (Magdalena Kowalska) and acts through the services, as
its own window would, printing ``committed <epoch seconds>`` after each change so that the test
can measure how long the change took to appear on workstation A. Between two actions it waits
for a line on standard input; an id given as ``-`` is taken from that line::

    python live_workstation.py DATABASE_URL [book PATIENT_ID] open-visit APPOINTMENT_ID \
        vitals VISIT_ID ITEM_KEY

The clock is the tests' fake clock (Monday 2 March 2026, 09:30 in Warsaw), twenty minutes on for
the vitals (the end of the observation period is due then).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from clinic_testing import T0, WARSAW, FakeClock
from visit_fixtures import book_first_dose

from clinic_app.domain.settings import load_settings
from clinic_app.services import accounts
from clinic_app.services.context import ServiceContext
from clinic_app.services.demo import DEMO_PASSWORD
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.visits import open_visit, record_vitals
from clinic_app.storage import make_engine, make_session_factory

VITALS = {
    "systolic": "120",
    "diastolic": "80",
    "heart_rate": "70",
    "temperature": "36.6",
    "respiratory_rate": "14",
    "spo2": "98",
}


@contextmanager
def workstation_b(url: str, clock: FakeClock) -> Iterator[ServiceContext]:
    """Workstation B inside a test: its own engine on ``url``, Magdalena Kowalska signed in."""
    engine = make_engine(url)
    ctx = ServiceContext(
        session_factory=make_session_factory(engine),
        settings=load_settings(),
        tz=WARSAW,
        clock=clock,
    )
    nurse = accounts.sign_in(ctx, username="mkowalska", secret=DEMO_PASSWORD)
    try:
        yield ctx.as_nurse(nurse.id)
    finally:
        engine.dispose()


def open_visit_acknowledging(ctx: ServiceContext, appointment_id: int) -> None:
    """Open the visit weighing 71 kg, acknowledging what the demo patient's record asks."""
    try:
        open_visit(ctx, appointment_id=appointment_id, weight="71")
    except OverrideRequired as needed:  # the demo patient's earlier reaction: acknowledged
        open_visit(ctx, appointment_id=appointment_id, weight="71", acknowledged=needed.codes)


def main(url: str, actions: list[str]) -> None:
    clock = FakeClock()
    with workstation_b(url, clock) as ctx:
        _act(ctx, clock, actions)


def _act(ctx: ServiceContext, clock: FakeClock, actions: list[str]) -> None:
    line = ""
    first = True
    while actions:
        if not first:
            line = sys.stdin.readline().strip()  # the test says when to go on
        first = False
        action = actions.pop(0)
        record_id = int(line if actions[0] == "-" else actions[0])
        actions.pop(0)
        if action == "book":
            book_first_dose(ctx, record_id)
        elif action == "open-visit":
            open_visit_acknowledging(ctx, record_id)
        elif action == "vitals":
            clock.set(T0 + timedelta(minutes=20))
            record_vitals(ctx, visit_id=record_id, item_key=actions.pop(0), **VITALS)
        else:
            raise SystemExit(f"unknown action {action!r}")
        print(f"committed {time.time()}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
