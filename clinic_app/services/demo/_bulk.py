"""The scale-up part of the demo database: many patients with their history, written in bulk.

Rows are complete and valid (every column set as the models would, the visits' checklists
answered in full, the search keys folded), but they are written with SQLAlchemy Core inserts in
batches instead of one ORM object at a time, which would take hours at 50,000 patients. The
audit trail gets **one entry per batch** (table ``demo_seed``, "demo data seeded", with the id
ranges written), chained like every other entry, so ``verify-audit`` still checks the whole
trail; the individual demo rows have no audit history of their own.

Most bulk patients are past patients (a stopped course of 3 to 10 doses in the last 8 years); a
few per cent are on treatment now, with their next appointments planned or booked.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, Table, func, insert, select, text

from clinic_app.domain.ctcae import ctcae_version
from clinic_app.domain.protocols import load_protocol
from clinic_app.services.context import ServiceContext
from clinic_app.services.demo._chair_plan import ChairPlan, chair_plan, write_chair
from clinic_app.services.demo._people import ALLERGENS, demo_mrn, make_person
from clinic_app.services.demo._schedule import (
    DemoOrder,
    dose_days,
    dose_plan,
    dose_snapshot,
    open_doses,
)
from clinic_app.services.demo._visits import check_rows, template_for, vitals_rows
from clinic_app.storage.audit_chain import PendingAudit, append_entries
from clinic_app.storage.models import (
    Allergy,
    Appointment,
    AuditAction,
    ChecklistEntry,
    InfusionVisit,
    Patient,
    ProductLot,
    Reaction,
    ScreeningRecord,
    TreatmentCourse,
    VitalSigns,
    WeightMeasurement,
)
from clinic_app.storage.search_keys import name_key

TABLES: tuple[Table, ...] = tuple(m.__table__ for m in (  # type: ignore[misc]
    Patient, Allergy, ScreeningRecord, TreatmentCourse, Appointment, WeightMeasurement,
    InfusionVisit, ProductLot, ChecklistEntry, VitalSigns, Reaction))
BATCH_SIZE = 500
ACTIVE_SHARE = 0.04
REACTION_SHARE = 0.03
ORDERS = (
    (DemoOrder("infliximab", "crohns", Decimal(5)), 30),
    (DemoOrder("infliximab", "ulcerative_colitis", Decimal(5)), 10),
    (DemoOrder("infliximab", "rheumatoid_arthritis", Decimal(3)), 6),
    (DemoOrder("infliximab", "ankylosing_spondylitis", Decimal(5)), 4),
    (DemoOrder("vedolizumab", "ulcerative_colitis", None), 12),
    (DemoOrder("vedolizumab", "crohns", None), 8),
    (DemoOrder("tocilizumab", "rheumatoid_arthritis", Decimal(8)), 14),
    (DemoOrder("tocilizumab", "giant_cell_arteritis", Decimal(6)), 4),
    (DemoOrder("anifrolumab", "sle", None), 12),
)
CHAIRS = tuple(f"Chair {n}" for n in range(1, 9))
SLOTS = tuple(time(h, m) for h in range(8, 15) for m in (0, 30))
PRESCRIBERS = ("Dr Ewa Nowak", "Dr Jean Dupont", "Dr Карина Орлова", "Dr Miguel Ortega")


@dataclass
class Batch:
    """Rows waiting to be written, per table, with the next free id of each table."""

    next_ids: dict[str, int]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    new_chairs: list[str] = field(default_factory=list)

    def add(self, table: Table, values: dict[str, Any]) -> int:
        """Queue a row; returns its id."""
        row_id = self.next_ids[table.name]
        self.next_ids[table.name] = row_id + 1
        self.rows.setdefault(table.name, []).append({"id": row_id, "version": 1, **values})
        return row_id

    def id_ranges(self) -> dict[str, list[int]]:
        """The first and last id written per table."""
        return {name: [rows[0]["id"], rows[-1]["id"]] for name, rows in self.rows.items() if rows}


@dataclass(frozen=True)
class BulkContext:
    """What every bulk patient needs: the clinic, the day, the demo nurses, the clock."""

    ctx: ServiceContext
    today: date
    nurse_ids: tuple[int, ...]
    chairs: ChairPlan | None = None  # set by seed_bulk from the database


def next_ids(connection: Connection) -> dict[str, int]:
    """The next free id of every bulk table."""
    return {table.name: int(connection.scalar(select(func.max(table.c.id))) or 0) + 1
            for table in TABLES}


def _at(bulk: BulkContext, day: date, slot: time) -> datetime:
    return datetime.combine(day, slot, tzinfo=bulk.ctx.tz).astimezone(UTC)


def _place(bulk: BulkContext, batch: Batch, order: DemoOrder, number: int, day: date,
           seat: _Seat) -> _Seat:
    """The seat of this visit: the patient's usual time and chair when free, else the nearest
    free start and chair within the day's hours (:mod:`._chair_plan`)."""
    assert bulk.chairs is not None
    length = bulk.chairs.minutes(order.protocol_id, number)
    slot, chair, new = bulk.chairs.place(day, seat.slot, length)
    if new:
        batch.new_chairs.append(chair)
    return replace(seat, slot=slot, chair=chair)


def _weighted_order(rng: random.Random) -> DemoOrder:
    orders, weights = zip(*ORDERS, strict=True)
    return rng.choices(orders, weights=weights)[0]


def _patient(bulk: BulkContext, batch: Batch, rng: random.Random, number: int) -> int:
    person = make_person(rng, demo_mrn(number), bulk.today)
    patient_id = batch.add(Patient.__table__, {  # type: ignore[arg-type]
        "mrn": person.mrn, "family_name": person.family_name,
        "given_names": person.given_names, "family_key": name_key(person.family_name),
        "given_key": name_key(person.given_names), "date_of_birth": person.date_of_birth,
        "sex": person.sex, "phone": person.phone, "email": None, "address": person.address,
        "notes": None})
    if rng.random() < 0.12:
        substance, reaction = rng.choice(ALLERGENS)
        batch.add(Allergy.__table__, {"patient_id": patient_id, "substance": substance,  # type: ignore[arg-type]
                                      "reaction": reaction, "severity": "moderate",
                                      "noted_on": None})
    return patient_id


def _screening(batch: Batch, order: DemoOrder, patient_id: int, first_dose: date) -> None:
    for requirement in load_protocol(order.protocol_id).screening:
        batch.add(ScreeningRecord.__table__, {  # type: ignore[arg-type]
            "patient_id": patient_id, "kind": requirement.kind,
            "taken_on": first_dose - timedelta(days=10), "outcome": "negative",
            "valid_until": None, "note": None})


def _course(batch: Batch, rng: random.Random, order: DemoOrder, patient_id: int,
            first_dose: date, status: str) -> int:
    mode = "mg_per_kg" if order.mg_per_kg is not None else "fixed"
    return batch.add(TreatmentCourse.__table__, {  # type: ignore[arg-type]
        "patient_id": patient_id, "protocol_id": order.protocol_id,
        "indication_id": order.indication_id, "dosing_mode": mode,
        "dose_mg_per_kg": order.mg_per_kg, "fixed_dose_mg": order.fixed_mg,
        "prescriber": rng.choice(PRESCRIBERS), "start_date": first_dose, "status": status,
        "notes": None})


def _appointment(batch: Batch, course_id: int, number: int, due: date,
                 starts_at: datetime | None, chair: str | None, status: str) -> int:
    return batch.add(Appointment.__table__, {  # type: ignore[arg-type]
        "course_id": course_id, "dose_number": number, "due_date": due,
        "starts_at": starts_at, "chair": chair, "status": status})


@dataclass(frozen=True)
class _Seat:
    slot: time
    chair: str
    nurse_id: int
    weight: Decimal


def _visit(bulk: BulkContext, batch: Batch, rng: random.Random, seat: _Seat, *,
           order: DemoOrder, patient_id: int, course_id: int, appointment_id: int,
           number: int, day: date) -> tuple[int, datetime]:
    """A completed visit with its weight, lot, checklist and vitals; returns (id, end)."""
    weight = seat.weight + Decimal(rng.choice((-1, 0, 0, 1))) / 2
    plan = dose_plan(order, weight, False, bulk.ctx.settings)
    start = _at(bulk, day, seat.slot) + timedelta(minutes=20)
    template = template_for(plan, number, previous_reaction=False)
    weight_id = batch.add(WeightMeasurement.__table__, {  # type: ignore[arg-type]
        "patient_id": patient_id, "weight_kg": weight, "measured_at": start - timedelta(
            minutes=32), "kind": "actual"})
    end = start + template.infusion
    visit_id = batch.add(InfusionVisit.__table__, {  # type: ignore[arg-type]
        "patient_id": patient_id, "course_id": course_id, "appointment_id": appointment_id,
        "nurse_id": seat.nurse_id, "status": "completed", "weight_kg_used": weight,
        "weight_id": weight_id, "started_at": start, "ended_at": end,
        "dose_plan": dose_snapshot(order, weight, False, bulk.ctx.settings)})
    for use in plan.vials:
        batch.add(ProductLot.__table__, {  # type: ignore[arg-type]
            "visit_id": visit_id, "product": use.product.name,
            "lot_number": f"L{day:%y%m}{rng.randint(100, 999)}",
            "expiry_date": day + timedelta(days=rng.randint(90, 700)), "vials": use.count})
    for values in check_rows(template, start, str(weight), seat.nurse_id):
        batch.add(ChecklistEntry.__table__, {"visit_id": visit_id, **values})  # type: ignore[arg-type]
    for values in vitals_rows(template, start, seat.nurse_id, rng):
        batch.add(VitalSigns.__table__, {"visit_id": visit_id, **values})  # type: ignore[arg-type]
    return visit_id, end


def _reaction(batch: Batch, rng: random.Random, patient_id: int, visit_id: int,
              end: datetime, nurse_id: int) -> None:
    batch.add(Reaction.__table__, {  # type: ignore[arg-type]
        "patient_id": patient_id, "visit_id": visit_id,
        "onset_at": end + timedelta(minutes=rng.randint(10, 40)),
        "signs": rng.choice((["flushing"], ["itching", "urticaria"], ["chills"])),
        "ctcae_term": "infusion_related_reaction", "grade": 1, "ctcae_version": ctcae_version(),
        "actions": "Observed; settled without treatment.", "outcome": "Resolved",
        "nurse_id": nurse_id})


def _history(bulk: BulkContext, batch: Batch, rng: random.Random, patient_id: int) -> None:
    order = _weighted_order(rng)
    active = rng.random() < ACTIVE_SHARE
    earliest = 60 * 7 if active else 8 * 365
    closed = bulk.ctx.settings.closed_days
    first = bulk.today - timedelta(days=rng.randint(0 if active else 70 * 7, earliest))
    while closed.is_closed(first):
        first += timedelta(days=1)
    count = 40 if active else rng.randint(3, 10)
    days = [d for d in dose_days(order, first, count, closed) if d[1] < bulk.today]
    _screening(batch, order, patient_id, first)
    course_id = _course(batch, rng, order, patient_id, first, "active" if active else "stopped")
    seat = _Seat(rng.choice(SLOTS), rng.choice(CHAIRS), rng.choice(bulk.nurse_ids),
                 Decimal(rng.randint(90, 220)) / 2)
    last: tuple[int, datetime] | None = None
    for number, (due, day) in enumerate(days, start=1):
        placed = _place(bulk, batch, order, number, day, seat)
        appointment_id = _appointment(batch, course_id, number, due,
                                      _at(bulk, day, placed.slot), placed.chair, "done")
        last = _visit(bulk, batch, rng, placed, order=order, patient_id=patient_id,
                      course_id=course_id, appointment_id=appointment_id, number=number,
                      day=day)
    if last is not None and rng.random() < REACTION_SHARE:
        _reaction(batch, rng, patient_id, *last, seat.nurse_id)
    if active:
        _future(bulk, batch, order, course_id, first, tuple(d[1] for d in days), seat)


def _future(bulk: BulkContext, batch: Batch, order: DemoOrder, course_id: int, first: date,
            given: tuple[date, ...], seat: _Seat) -> None:
    """The open doses of an active course: the next one booked if within four weeks."""
    doses = open_doses(order, first, given, bulk.today, bulk.ctx.settings.closed_days)
    for index, (number, due, suggested) in enumerate(doses):
        soon = index == 0 and suggested is not None and suggested - bulk.today < timedelta(28)
        if soon and suggested is not None:
            placed = _place(bulk, batch, order, number, suggested, seat)
            _appointment(batch, course_id, number, due, _at(bulk, suggested, placed.slot),
                         placed.chair, "booked")
        else:
            _appointment(batch, course_id, number, due, None, None, "planned")


def _insert_rows(connection: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table``.

    On SQLite the values go through each column type's own bind processor (so they are stored
    exactly as the ORM stores them) and then straight to the driver's ``executemany``, which is
    several times faster than SQLAlchemy's per-row parameter handling for millions of rows.
    """
    if connection.dialect.name != "sqlite":
        connection.execute(insert(table), rows)
        return
    columns = list(rows[0])
    dialect = connection.dialect
    processors = [table.c[name].type.dialect_impl(dialect).bind_processor(dialect)
                  for name in columns]
    values = [tuple(value if process is None or value is None else process(value)
                    for value, process in zip((row[name] for name in columns), processors,
                                              strict=True))
              for row in rows]
    names = ", ".join(columns)
    marks = ", ".join("?" for _ in columns)
    connection.exec_driver_sql(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", values)


def write_batch(connection: Connection, batch: Batch, *, nurse_id: int, at: datetime,
                number: int) -> None:
    """Insert the queued rows in dependency order and chain one audit entry for the batch."""
    for table in TABLES:
        rows = batch.rows.get(table.name)
        if rows:
            _insert_rows(connection, table, rows)
    note: dict[str, dict[str, Any]] = {"note": {"old": None, "new": "demo data seeded"},
            "rows": {"old": None, "new": batch.id_ranges()}}
    append_entries(connection, [PendingAudit("demo_seed", number, AuditAction.INSERT, note)],
                   actor_id=nurse_id, at=at)


def fix_sequences(connection: Connection) -> None:
    """On PostgreSQL, move each id sequence past the ids written explicitly."""
    if connection.dialect.name != "postgresql":
        return
    for table in TABLES:
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"(SELECT COALESCE(MAX(id), 1) FROM {table.name}))"))


def seed_bulk(bulk: BulkContext, connection_factory: Callable[[], Any], *,
              numbers: Iterable[int], total: int, seed: int,
              progress: Callable[[int, int], None]) -> int:
    """Write the bulk patients ``numbers`` (MRN numbers) in batches; returns how many."""
    wanted = list(numbers)
    done = 0
    with connection_factory() as connection:
        bulk = replace(bulk, chairs=chair_plan(connection, bulk.ctx.settings, bulk.ctx.tz))
    for start in range(0, len(wanted), BATCH_SIZE):
        chunk = wanted[start:start + BATCH_SIZE]
        with connection_factory() as connection, connection.begin():
            batch = Batch(next_ids(connection))
            for number in chunk:
                rng = random.Random(seed * 1_000_003 + number)
                _history(bulk, batch, rng, _patient(bulk, batch, rng, number))
            for chair in batch.new_chairs:
                write_chair(connection, chair, nurse_id=bulk.nurse_ids[0], at=bulk.ctx.now())
            write_batch(connection, batch, nurse_id=bulk.nurse_ids[0], at=bulk.ctx.now(),
                        number=start // BATCH_SIZE + 1)
            fix_sequences(connection)
        done += len(chunk)
        progress(done, total)
    return done
