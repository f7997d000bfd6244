"""Do the records still say what their audit trail says? (issue 11, item 9)

The hash chain (:mod:`.audit_chain`) proves that no audit row was altered; it says nothing about
the records themselves. Someone who edits a weight, a name or an un-voids a record with an SQL
tool leaves the audit trail intact. This module replays each record's audit rows (the insert,
then every update and void, in order) and compares the result with the row as stored:

- a column whose stored value differs from the last value its audit rows give is reported (by
  table, record id and column name only: no clinical value or name is printed);
- a record with no audit row (inserted outside the program) and an audit trail whose record is
  gone (deleted outside the program) are reported;
- what the audit trail cannot speak for is skipped, and counted: columns added by a later
  migration that no audit row of the record mentions (their values came from the migration),
  secrets kept only as ``[redacted]`` (only whether one is set is compared), and the rows the
  large demo seeds in bulk under one ``demo_seed`` entry per batch of id ranges.

Tables and audit rows are read in record order side by side (the audit rows through their
``(table_name, record_id)`` index), so memory stays flat on a clinic of any size.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from clinic_app.storage.audit import REDACTED
from clinic_app.storage.audit_chain import audit_value
from clinic_app.storage.models import Audited, AuditEntry, Base

DEMO_SEED_TABLE = "demo_seed"


@dataclass(frozen=True)
class RecordsReport:
    """Records compared with their audit trail: how many, and the problems found (at most
    ``limit`` of them are kept)."""

    records_checked: int
    problems: tuple[str, ...]
    seeded_in_bulk: int = 0

    @property
    def ok(self) -> bool:
        """True when every record says what its audit trail says."""
        return not self.problems


def audited_tables() -> list[tuple[Table, type[Audited]]]:
    """Every audited table with its model, in name order."""
    found = [(mapper.local_table, mapper.class_) for mapper in Base.registry.mappers
             if issubclass(mapper.class_, Audited)]
    return sorted(((t, c) for t, c in found if isinstance(t, Table)), key=lambda p: p[0].name)


def _same(expected: Any, actual: Any) -> bool:
    if expected == actual:
        return True
    if isinstance(expected, str) and isinstance(actual, str):
        try:  # Decimals may come back with another scale: 72.5 and 72.50 are the same weight
            return Decimal(expected) == Decimal(actual)
        except InvalidOperation:
            return False
    return False


def _replayed(entries: list[Any], columns: set[str]) -> dict[str, Any]:
    """The last value each column was given by the record's audit rows."""
    expected: dict[str, Any] = {}
    for entry in entries:
        for name, change in entry.changes.items():
            if name in columns and isinstance(change, dict) and "new" in change:
                expected[name] = change["new"]
    return expected


def _differences(table: Table, model: type[Audited], row: Any, entries: list[Any]) -> list[str]:
    columns = {c.name for c in table.columns} - set(model.__audit_exclude__)
    out = []
    for name, value in _replayed(entries, columns).items():
        stored = audit_value(row._mapping[name])
        if name in model.__audit_redact__ or value == REDACTED:
            same = (value is None) == (stored is None)
        else:
            same = _same(value, stored)
        if not same:
            out.append(f"{table.name} {row.id}: {name} differs from its audit trail "
                       "(changed outside the program)")
    return out


def _entries_by_record(session: Session, table: str) -> Iterator[tuple[int, list[Any]]]:
    rows = session.execute(
        select(AuditEntry.record_id, AuditEntry.changes)
        .where(AuditEntry.table_name == table)
        .order_by(AuditEntry.record_id, AuditEntry.id),
        execution_options={"yield_per": 2000})
    current: int | None = None
    group: list[Any] = []
    for entry in rows:
        if entry.record_id != current:
            if current is not None:
                yield current, group
            current, group = entry.record_id, []
        group.append(entry)
    if current is not None:
        yield current, group


def _bulk_ranges(session: Session) -> dict[str, list[tuple[int, int]]]:
    """The id ranges the large demo wrote in bulk, by table."""
    ranges: dict[str, list[tuple[int, int]]] = {}
    for changes in session.scalars(select(AuditEntry.changes)
                                   .where(AuditEntry.table_name == DEMO_SEED_TABLE)):
        for table, (first, last) in ((changes.get("rows") or {}).get("new") or {}).items():
            ranges.setdefault(table, []).append((int(first), int(last)))
    return ranges


def _seeded(ranges: list[tuple[int, int]], record_id: int) -> bool:
    return any(first <= record_id <= last for first, last in ranges)


def verify_records(session: Session, *, limit: int = 20) -> RecordsReport:
    """Compare every audited record with its audit trail (module rules)."""
    problems: list[str] = []
    checked = seeded = 0
    bulk = _bulk_ranges(session)
    for table, model in audited_tables():
        entries = _entries_by_record(session, table.name)
        pending = next(entries, None)
        rows = session.execute(select(table).order_by(table.c.id),
                               execution_options={"yield_per": 2000})
        for row in rows:
            while pending is not None and pending[0] < row.id:
                problems.append(f"{table.name} {pending[0]}: the record is gone but its audit "
                                "trail is not (deleted outside the program)")
                pending = next(entries, None)
            if pending is not None and pending[0] == row.id:
                problems.extend(_differences(table, model, row, pending[1]))
                pending = next(entries, None)
                checked += 1
            elif _seeded(bulk.get(table.name, []), row.id):
                seeded += 1
            else:
                problems.append(f"{table.name} {row.id}: the record has no audit trail "
                                "(written outside the program)")
            if len(problems) >= limit:
                return RecordsReport(checked, tuple(problems[:limit]), seeded)
        while pending is not None:
            problems.append(f"{table.name} {pending[0]}: the record is gone but its audit "
                            "trail is not (deleted outside the program)")
            pending = next(entries, None)
    return RecordsReport(checked, tuple(problems[:limit]), seeded)
