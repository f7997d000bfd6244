"""The one place where clinical writes are checked and recorded in the audit trail.

Listeners on every ORM :class:`~sqlalchemy.orm.Session`:

- ``before_flush`` refuses deletes of audited records, clinical writes without a nurse, a void
  without a reason and changes to a voided record, then locks the chain head;
- ``after_flush`` (when new rows have their ids) writes one audit row per inserted, updated or
  voided record, with each field's old and new value, in the same transaction;
- ``do_orm_execute`` refuses bulk ORM INSERT/UPDATE/DELETE statements on audited models, which
  would bypass the flush.

The nurse and the clock come from ``session.info`` (see :func:`bind_actor`; the unit of work
sets them).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import ORMExecuteState, Session, UOWTransaction

from clinic_app.storage.audit_chain import (
    PendingAudit,
    append_entries,
    audit_value,
    lock_chain_head,
)
from clinic_app.storage.errors import (
    AuditBypassRefused,
    DeletionRefused,
    NurseRequired,
    RecordIsVoided,
    VoidReasonRequired,
)
from clinic_app.storage.models.audit import AuditAction
from clinic_app.storage.models.base import Audited, Voidable

NURSE_KEY = "clinic_app.nurse_id"
CLOCK_KEY = "clinic_app.clock"
REDACTED = "[redacted]"


def utc_now() -> datetime:
    """The current time in UTC (the default clock of a unit of work)."""
    return datetime.now(UTC)


def bind_actor(session: Session, nurse_id: int | None, clock: Callable[[], datetime]) -> None:
    """Record who writes through ``session`` and which clock stamps the audit rows."""
    session.info[NURSE_KEY] = nurse_id
    session.info[CLOCK_KEY] = clock


def _audited(objects: Iterable[object]) -> list[Audited]:
    return [obj for obj in objects if isinstance(obj, Audited)]


def _column_changes(obj: Audited) -> dict[str, dict[str, Any]]:
    """Changed columns of a persistent object with their old and new values."""
    state = inspect(obj)
    changes = {}
    for prop in state.mapper.column_attrs:
        if prop.key in obj.__audit_exclude__:
            continue
        history = state.attrs[prop.key].history
        if history.has_changes():
            old = history.deleted[0] if history.deleted else None
            new = history.added[0] if history.added else None
            changes[prop.key] = _pair(obj, prop.key, old, new)
    return changes


def _pair(obj: Audited, key: str, old: Any, new: Any) -> dict[str, Any]:
    if key in obj.__audit_redact__:
        old, new = (None if v is None else REDACTED for v in (old, new))
    return {"old": audit_value(old), "new": audit_value(new)}


def _insert_values(obj: Audited) -> dict[str, dict[str, Any]]:
    mapper = inspect(obj).mapper
    return {
        prop.key: _pair(obj, prop.key, None, getattr(obj, prop.key))
        for prop in mapper.column_attrs
        if prop.key not in obj.__audit_exclude__
    }


def _was_voided(obj: Voidable) -> bool:
    history = inspect(obj).attrs["voided_at"].load_history()
    committed = history.deleted or history.unchanged
    return bool(committed) and committed[0] is not None


def _check_void_rules(obj: Audited, is_new: bool) -> None:
    if not isinstance(obj, Voidable):
        return
    if not is_new and _was_voided(obj):
        raise RecordIsVoided(f"This {obj.__record_label__} was voided; it cannot be changed.")
    if obj.voided_at is not None and not (obj.void_reason or "").strip():
        raise VoidReasonRequired("Give a reason to void this record.")


def _check_write(session: Session, obj: Audited, is_new: bool) -> None:
    if obj.__audit_requires_nurse__ and session.info.get(NURSE_KEY) is None:
        raise NurseRequired(
            f"No nurse is signed in: the {obj.__record_label__} was not saved."
        )
    _check_void_rules(obj, is_new)


@event.listens_for(Session, "before_flush")
def _guard_flush(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    """Refuse what the clinical record must never do, before anything is written."""
    for obj in _audited(session.deleted):
        raise DeletionRefused(
            f"This {obj.__record_label__} cannot be deleted; void it with a reason instead."
        )
    new = _audited(session.new)
    dirty = [obj for obj in _audited(session.dirty) if _column_changes(obj)]
    for obj in new:
        _check_write(session, obj, is_new=True)
    for obj in dirty:
        _check_write(session, obj, is_new=False)
    if new or dirty:
        lock_chain_head(session.connection())


def _pending_entries(session: Session) -> list[PendingAudit]:
    """Inserts first, then updates and voids; each group in table and id order."""
    inserts = [
        PendingAudit(obj.__tablename__, _record_id(obj), AuditAction.INSERT, _insert_values(obj))
        for obj in _audited(session.new)
    ]
    updates = []
    for obj in _audited(session.dirty):
        changes = _column_changes(obj)
        if changes:
            updates.append(PendingAudit(obj.__tablename__, _record_id(obj), _action(changes),
                                        changes))

    def order(entry: PendingAudit) -> tuple[str, int]:
        return entry.table_name, entry.record_id

    return sorted(inserts, key=order) + sorted(updates, key=order)


def _record_id(obj: Audited) -> int:
    (record_id,) = inspect(obj).mapper.primary_key_from_instance(obj)
    return int(record_id)


def _action(changes: dict[str, dict[str, Any]]) -> AuditAction:
    voided = changes.get("voided_at")
    if voided and voided["old"] is None and voided["new"] is not None:
        return AuditAction.VOID
    return AuditAction.UPDATE


@event.listens_for(Session, "after_flush")
def _record_flush(session: Session, _ctx: UOWTransaction) -> None:
    """Write the audit rows of this flush, in its transaction."""
    entries = _pending_entries(session)
    if entries:
        clock = session.info.get(CLOCK_KEY, utc_now)
        append_entries(session.connection(), entries, actor_id=session.info.get(NURSE_KEY),
                       at=clock())


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_writes(state: ORMExecuteState) -> None:
    """Bulk ORM statements skip the flush, so they may not touch audited models."""
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    mapper = state.bind_mapper
    if mapper is not None and issubclass(mapper.class_, Audited):
        raise AuditBypassRefused(
            f"Bulk statements on {mapper.class_.__name__} would bypass the audit trail; "
            "change the records one by one through the session."
        )
