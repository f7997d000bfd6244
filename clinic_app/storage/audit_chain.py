"""The hash chain of the audit trail: appending rows and checking that none was altered.

Each row's hash is sha256(previous row's hash + canonical JSON of the row). Editing, removing or
reordering a row breaks the chain from that row on; :func:`verify_audit` names the first one.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.orm import Session

from clinic_app.storage.models.audit import GENESIS_HASH, AuditAction, AuditChainHead, AuditEntry
from clinic_app.storage.types import as_utc

HEAD_ID = 1


def audit_value(value: Any) -> Any:
    """A column value as JSON: Decimals and dates as text, enums by value."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Enum):
        return audit_value(value.value)
    if isinstance(value, datetime):
        return as_utc(value).isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): audit_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [audit_value(v) for v in value]
    raise TypeError(f"cannot record a {type(value).__name__} in the audit trail")


def canonical_json(value: Any) -> str:
    """Deterministic JSON: sorted keys, no spaces, UTF-8 text."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def row_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """sha256 over the previous hash followed by the canonical JSON of the row's content."""
    payload = {
        "id": row["id"],
        "at": as_utc(row["at"]).isoformat(),
        "actor_id": row["actor_id"],
        "table_name": row["table_name"],
        "record_id": row["record_id"],
        "action": AuditAction(row["action"]).value,
        "changes": row["changes"],
    }
    return hashlib.sha256((prev_hash + canonical_json(payload)).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class PendingAudit:
    """One audit row waiting to be chained: which record, what was done, which fields."""

    table_name: str
    record_id: int
    action: AuditAction
    changes: dict[str, dict[str, Any]]


def lock_chain_head(connection: Connection) -> tuple[int, str]:
    """Lock the chain head for this transaction (PostgreSQL row lock) and read it."""
    stmt = select(AuditChainHead.last_id, AuditChainHead.last_hash).where(
        AuditChainHead.id == HEAD_ID)
    last_id, last_hash = connection.execute(stmt.with_for_update()).one()
    return last_id, last_hash


def append_entries(
    connection: Connection,
    entries: Sequence[PendingAudit],
    *,
    actor_id: int | None,
    at: datetime,
) -> None:
    """Add ``entries`` to the end of the chain inside the caller's transaction."""
    last_id, last_hash = lock_chain_head(connection)
    rows = []
    for entry in entries:
        last_id += 1
        row = {
            "id": last_id, "at": as_utc(at), "actor_id": actor_id,
            "table_name": entry.table_name, "record_id": entry.record_id,
            "action": entry.action, "changes": entry.changes,
        }
        digest = row_hash(last_hash, row)
        rows.append({**row, "prev_hash": last_hash, "row_hash": digest})
        last_hash = digest
    connection.execute(insert(AuditEntry), rows)
    connection.execute(
        update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(
            last_id=last_id, last_hash=last_hash)
    )


@dataclass(frozen=True)
class AuditReport:
    """Result of :func:`verify_audit`: rows checked and the first broken row, if any."""

    rows_checked: int
    first_broken_id: int | None = None
    problem: str | None = None

    @property
    def ok(self) -> bool:
        """True when the whole chain is intact."""
        return self.first_broken_id is None


def _check_row(row: Any, expected_id: int, expected_prev: str) -> str | None:
    if row.id != expected_id:
        return f"audit row {expected_id} is missing"
    if row.prev_hash != expected_prev:
        return f"audit row {row.id} does not link to the row before it"
    if row_hash(row.prev_hash, row._mapping) != row.row_hash:
        return f"audit row {row.id} was altered after it was written"
    return None


def verify_audit(session: Session) -> AuditReport:
    """Walk the whole chain in order and report the first row that was altered or removed."""
    expected_prev, expected_id = GENESIS_HASH, 1
    result = session.execute(
        select(AuditEntry.__table__).order_by(AuditEntry.id), execution_options={"yield_per": 1000}
    )
    for row in result:
        problem = _check_row(row, expected_id, expected_prev)
        if problem:
            return AuditReport(expected_id - 1, first_broken_id=min(row.id, expected_id),
                               problem=problem)
        expected_prev, expected_id = row.row_hash, expected_id + 1
    head_id, head_hash = session.execute(
        select(AuditChainHead.last_id, AuditChainHead.last_hash).where(
        AuditChainHead.id == HEAD_ID)
    ).one()
    if (head_id, head_hash) != (expected_id - 1, expected_prev):
        return AuditReport(expected_id - 1, first_broken_id=expected_id,
                           problem=f"the audit trail ends early: rows after {expected_id - 1} "
                           "are missing or the chain head was altered")
    return AuditReport(expected_id - 1)
