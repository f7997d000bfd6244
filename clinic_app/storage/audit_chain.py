"""The hash chain of the audit trail: appending rows and checking that none was altered.

Each row's hash is sha256(previous row's hash + canonical JSON of the row). Editing, removing or
reordering a row breaks the chain from that row on; :func:`verify_audit` names the first one.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.orm import Session

from clinic_app.storage.audit_key import audit_key_of, fingerprint, head_mac
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


class ChainHead(NamedTuple):
    """The chain head as stored: position, hash and signature (:mod:`.audit_key`)."""

    last_id: int
    last_hash: str
    head_mac: str | None
    key_id: str | None
    unsigned_at: int | None


def lock_chain_head(connection: Connection) -> ChainHead:
    """Lock the chain head for this transaction (PostgreSQL row lock) and read it."""
    stmt = select(AuditChainHead.last_id, AuditChainHead.last_hash, AuditChainHead.head_mac,
                  AuditChainHead.key_id, AuditChainHead.unsigned_at).where(
        AuditChainHead.id == HEAD_ID)
    return ChainHead(*connection.execute(stmt.with_for_update()).one())


def head_verifies(head: ChainHead, key: bytes) -> bool:
    """True when ``head`` carries a valid signature under ``key``."""
    return (head.key_id == fingerprint(key) and head.head_mac is not None
            and hmac.compare_digest(head.head_mac, head_mac(key, head.last_id, head.last_hash,
                                                            head.unsigned_at)))


def signed_values(engine: Engine, before: ChainHead, last_id: int,
                  last_hash: str) -> dict[str, Any]:
    """The signature columns of the head after extending ``before`` (:mod:`.audit_key`): none
    without a key; a mark at ``before``'s position when it did not verify under the key."""
    key = audit_key_of(engine)
    if key is None:
        return {"head_mac": None}
    if before.key_id is None:  # never signed: the program signs it when it opens the clinic
        return {}
    unsigned_at = before.unsigned_at
    if unsigned_at is None and not head_verifies(before, key):
        unsigned_at = before.last_id
    return {"head_mac": head_mac(key, last_id, last_hash, unsigned_at),
            "key_id": fingerprint(key), "unsigned_at": unsigned_at}


def anchor_chain(engine: Engine) -> None:
    """Sign the head of a chain never signed, with the engine's key (at start)."""
    key = audit_key_of(engine)
    if key is None:
        return
    with engine.begin() as connection:
        head = lock_chain_head(connection)
        if head.key_id is not None:
            return
        connection.execute(update(AuditChainHead).where(AuditChainHead.id == HEAD_ID).values(
            head_mac=head_mac(key, head.last_id, head.last_hash, None),
            key_id=fingerprint(key), unsigned_at=None))


def append_entries(
    connection: Connection,
    entries: Sequence[PendingAudit],
    *,
    actor_id: int | None,
    at: datetime,
) -> None:
    """Add ``entries`` to the end of the chain inside the caller's transaction."""
    before = lock_chain_head(connection)
    last_id, last_hash = before.last_id, before.last_hash
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
            last_id=last_id, last_hash=last_hash,
            **signed_values(connection.engine, before, last_id, last_hash))
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
