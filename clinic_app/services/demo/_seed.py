"""Fill a database with demo data so a newcomer can try every screen (issue 3, seed-demo).

Two parts:

1. The named patients (:mod:`._core`): twelve stories told through the
   real use cases, fully audited, with visits today in every state and the special histories.
2. With ``patients=N``, more synthetic patients up to N in all, with their history
   (:mod:`._bulk`): written in bulk with one audit entry per batch.

Deterministic: the same ``seed`` and ``today`` give the same names, dates and values. Refuses a
database that already holds patients unless ``force=True`` (demo data is then added beside
them, with MRNs after the existing demo ones). The database is marked a demo first
(:func:`clinic_app.storage.clinic_identity.mark_demo`), also when demo data joins real records:
it then holds made-up patients, so the window says DEMO DATA and it is never restored over a
real clinic. Demo nurses are created if missing; they sign in
with the password :data:`DEMO_PASSWORD` or the PIN :data:`DEMO_PIN`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine, func, select

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.permissions import Role
from clinic_app.domain.settings import ClinicSettings, ClosedDays
from clinic_app.services.context import ServiceContext
from clinic_app.services.demo._bulk import BulkContext, seed_bulk
from clinic_app.services.demo._core import CAST, seed_named
from clinic_app.services.demo._people import demo_mrn
from clinic_app.services.demo._walk import Demo, DemoClock
from clinic_app.services.errors import ActionNotAllowed
from clinic_app.storage.clinic_identity import mark_demo
from clinic_app.storage.models import Nurse, Patient
from clinic_app.storage.unit_of_work import UnitOfWork

DEMO_PASSWORD = "demo-password"
DEMO_PIN = "1234"
DEMO_NURSES = (("demo", "Demo Nurse"), ("mkowalska", "Magdalena Kowalska"),
               ("ipetrenko", "Ірина Петренко"), ("jlefort", "Julien Lefort"))
#: The demo sign-in may try everything (administrator); a charge nurse and nurses besides.
DEMO_ROLES = {"demo": Role.ADMINISTRATOR, "mkowalska": Role.CHARGE_NURSE}
DEFAULT_SEED = 20261122
MAX_PATIENTS = 500_000

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class DemoSummary:
    """What :func:`seed_demo` wrote: the demo sign-in, how many patients, which MRN is whose."""

    username: str
    password: str
    pin: str
    patients: int
    named: tuple[tuple[str, str], ...]  # (story key, MRN), e.g. ("infusing_today", "DEMO000005")


def _demo_nurses(ctx: ServiceContext) -> tuple[int, ...]:
    """Mark the database a demo and create the demo nurses that are missing; their ids."""
    ids = []
    with UnitOfWork(ctx.session_factory, nurse_id=ctx.nurse_id, clock=ctx.clock) as uow:
        mark_demo(uow.session)
        for username, name in DEMO_NURSES:
            nurse = uow.nurses.get_by_username(username)
            if nurse is None:
                nurse = Nurse(username=username, display_name=name,
                              role=DEMO_ROLES.get(username, Role.NURSE))
                nurse.set_password(DEMO_PASSWORD)
                nurse.set_pin(DEMO_PIN)
                uow.nurses.add(nurse)
                uow.flush()
            ids.append(nurse.id)
        uow.commit()
    return tuple(ids)


def _existing(ctx: ServiceContext) -> tuple[int, int]:
    """(patients on file, demo patients on file)."""
    with ctx.read_only() as uow:
        total = uow.session.scalar(select(func.count()).select_from(Patient)) or 0
        demo = uow.session.scalar(select(func.count()).select_from(Patient)
                                  .where(Patient.mrn.like("DEMO%"))) or 0
    return int(total), int(demo)


#: The demo's "now" when it is not the real time: early afternoon, so that today's stories
#: (the earliest booked 5 hours before "now", the latest 2 hours after) fall between 08:00 and
#: 16:00.
QUIET_ANCHOR = time(13, 30)


def demo_clinic_settings(settings: ClinicSettings) -> ClinicSettings:
    """The settings of the scratch demo clinic (``clinic-app --demo``): the clinic's own, but open
    every day, so that a newcomer trying the app at a weekend or on a holiday finds today's
    patients on the Today board and can walk a whole visit (a real clinic's closed days still
    apply to a demo seeded into its database, see :func:`demo_day`)."""
    return replace(settings, closed_days=ClosedDays(weekdays=frozenset()))


def demo_day(ctx: ServiceContext, today: date) -> date:
    """The demo's clinic day: ``today`` when the clinic is open, else the last open day before
    it (a demo seeded at a weekend or on a holiday books nothing on a closed day)."""
    day = today
    while ctx.settings.closed_days.is_closed(day):
        day -= timedelta(days=1)
    return day


def _anchor(ctx: ServiceContext, day: date) -> datetime:
    """The demo's "now": the real time when seeding on the demo day in opening hours, else
    :data:`QUIET_ANCHOR` on the demo day."""
    local = ctx.local_now()
    if local.date() == day and time(7) <= local.time() <= time(22):
        return ctx.now()
    return datetime.combine(day, QUIET_ANCHOR, tzinfo=ctx.tz)


def _engine(ctx: ServiceContext) -> Engine:
    bind = ctx.session_factory.kw.get("bind")
    assert isinstance(bind, Engine)
    return bind


def seed_demo(ctx: ServiceContext, *, today: date, patients: int | None = None,
              progress: Progress | None = None, force: bool = False,
              seed: int = DEFAULT_SEED) -> DemoSummary:
    """Seed the demo data (module text); ``progress(done, total, stage)`` reports as it goes.

    The demo's day is ``today``, or the last open day before it when the clinic is closed
    (:func:`demo_day`); its "now" is the real time in opening hours, else 13:30 (every booking
    then falls on an open day between 08:00 and 16:00).

    ``patients`` is the total number of patients wanted (at least the named ones are always
    written). Raises :class:`ActionNotAllowed` on a database with patients unless ``force``.
    """
    if patients is not None and not 0 <= patients <= MAX_PATIENTS:
        raise InvalidInput("patients", f"Give 0 to {MAX_PATIENTS:,} patients, not {patients}.")
    total, offset = _existing(ctx)
    if total and not force:
        raise ActionNotAllowed(f"The database already holds {total} patients: the demo fills "
                               "only an empty database (use force to add demo data anyway).")
    report = progress or (lambda done, all_, stage: None)
    nurses = _demo_nurses(ctx)
    today = demo_day(ctx, today)
    now = _anchor(ctx, today)
    clock = DemoClock(now)
    demo = Demo(replace(ctx, clock=clock, nurse_id=nurses[0]), clock, random.Random(seed))
    named = seed_named(demo, today=today, now=now, mrn=lambda n: demo_mrn(offset + n),
                       progress=lambda done, all_: report(done, all_, "named patients"))
    extra = max(0, (patients or 0) - len(CAST))
    first = offset + len(CAST) + 1
    bulk = BulkContext(replace(ctx, clock=lambda: now), today, nurses)
    seed_bulk(bulk, _engine(ctx).connect, numbers=range(first, first + extra), total=extra,
              seed=seed, progress=lambda done, all_: report(done, all_, "patients"))
    return DemoSummary(username=DEMO_NURSES[0][0], password=DEMO_PASSWORD, pin=DEMO_PIN,
                       patients=len(CAST) + extra, named=tuple(named.items()))
