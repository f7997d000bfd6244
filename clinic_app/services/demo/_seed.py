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
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Engine, func, select

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.permissions import Role
from clinic_app.domain.settings import DEFAULT_HOURS, ClinicSettings, ClosedDays
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


#: Today's stories (:mod:`._core`) reach 2 hours past the demo's "now" (the patient booked
#: later today).
STORY_SPAN_AFTER = timedelta(hours=2)


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


def demo_now(ctx: ServiceContext, day: date) -> datetime:
    """The demo's "now" on its clinic ``day``: never after the real time (a nurse trying the
    demo records after it), and late enough that today's stories end within the day's opening
    hours (clinic setting ``[opening_hours]``). So the real time, but at most
    :data:`STORY_SPAN_AFTER` before closing (14:00 with 08:00-16:00), and that latest time on a
    demo day other than the real one (a closed day seeds the open day before it).

    Stories that would begin before the opening begin at it and go only as far as "now"
    (:mod:`._core`): seeded at 06:01, today's patients are all booked from 08:00; at 09:30
    the longer visits are still under way; from 13:00 every state of the day is shown. Every
    booking of the demo's today then starts between opening and closing whatever the wall
    clock says (issue 12: a demo started at 06:01 showed a visit at 06:01)."""
    closes = (ctx.settings.opening_hours.for_weekday(day.weekday()) or DEFAULT_HOURS)[1]
    last = datetime.combine(day, closes, tzinfo=ctx.tz) - STORY_SPAN_AFTER
    if ctx.local_now().date() != day:
        return last.astimezone(UTC)
    return min(ctx.now(), last.astimezone(UTC))


def demo_clock(ctx: ServiceContext) -> Callable[[], datetime]:
    """The clock of a demo window: it runs from the demo's "now" (:func:`demo_now`) as the real
    clock runs. A demo started at 20:00 shows the clinic at 14:00 and moving on, not a day of
    visits six hours late; within the stories' hours it is the real clock."""
    behind = ctx.now() - demo_now(ctx, ctx.local_now().date())
    clock = ctx.clock
    return clock if behind <= timedelta(0) else (lambda: clock() - behind)


def _engine(ctx: ServiceContext) -> Engine:
    bind = ctx.session_factory.kw.get("bind")
    assert isinstance(bind, Engine)
    return bind


def seed_demo(ctx: ServiceContext, *, today: date, patients: int | None = None,
              progress: Progress | None = None, force: bool = False,
              seed: int = DEFAULT_SEED) -> DemoSummary:
    """Seed the demo data (module text); ``progress(done, total, stage)`` reports as it goes.

    The demo's day is ``today``, or the last open day before it when the clinic is closed
    (:func:`demo_day`); its "now" is the real time when today's bookings then fall within the
    clinic's hours, else the nearest time that keeps them there (:func:`demo_now`).

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
    now = demo_now(ctx, today)
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
