"""Facts the audit trail must hold that are not a column of the record, e.g. an override reason.

A note is one extra chained audit row on the record ("update" of pseudo-fields whose old value
is empty), written in the same transaction right after the record's own change, so it is signed
by the same nurse, hashed into the chain and checked by ``verify_audit`` like every other row.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect

from clinic_app.storage.audit_chain import PendingAudit, append_entries, audit_value
from clinic_app.storage.models import AuditAction, Audited
from clinic_app.storage.unit_of_work import UnitOfWork


def note_in_audit(uow: UnitOfWork, record: Audited, notes: dict[str, Any]) -> None:
    """Chain ``notes`` (name -> value) to ``record``'s audit history inside ``uow``."""
    uow.flush()
    (record_id,) = inspect(record).mapper.primary_key_from_instance(record)
    entry = PendingAudit(
        table_name=record.__tablename__, record_id=int(record_id), action=AuditAction.UPDATE,
        changes={name: {"old": None, "new": audit_value(value)} for name, value in notes.items()},
    )
    append_entries(uow.session.connection(), [entry], actor_id=uow.nurse_id, at=uow.clock())
