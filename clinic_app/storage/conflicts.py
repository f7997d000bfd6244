"""Turning a lost optimistic-locking race into a message that says who changed what, and when."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from clinic_app.storage.errors import ConcurrentEditError
from clinic_app.storage.models.audit import AuditEntry
from clinic_app.storage.models.base import Audited, Versioned
from clinic_app.storage.models.staff import Nurse


@dataclass(frozen=True)
class EditedRecord:
    """A versioned record being saved, with the version it was loaded at."""

    model: type[Versioned]
    record_id: int
    loaded_version: int


EDITED_KEY = "clinic_app.edited_records"
#: ``session.info`` key: the zone the conflict message gives the time in (the clinic's local
#: time; None: UTC).
SHOWN_ZONE_KEY = "clinic_app.shown_zone"


def edited_records(session: Session) -> list[EditedRecord]:
    """The versioned persistent records a flush of ``session`` would update."""
    found = []
    for obj in session.dirty:
        state = inspect(obj)
        if isinstance(obj, Versioned) and state.persistent and "version" in state.dict:
            (record_id,) = state.mapper.primary_key_from_instance(obj)
            found.append(EditedRecord(type(obj), int(record_id), state.dict["version"]))
    return found


@event.listens_for(Session, "before_flush")
def _remember_edited(session: Session, _ctx: UOWTransaction, _instances: object) -> None:
    """Note what this flush updates: a failed flush forgets it, the conflict message needs it."""
    session.info[EDITED_KEY] = edited_records(session)


def last_flush_candidates(session: Session) -> list[EditedRecord]:
    """The versioned records the last flush of ``session`` tried to update."""
    return list(session.info.get(EDITED_KEY, []))


def conflict_error(session: Session, model: type[object], record_id: int) -> ConcurrentEditError:
    """The error for ``record_id``, naming the last writer from the audit trail."""
    table = model.__tablename__  # type: ignore[attr-defined]
    last = session.execute(
        select(AuditEntry.at, Nurse.display_name)
        .outerjoin(Nurse, Nurse.id == AuditEntry.actor_id)
        .where(AuditEntry.table_name == table, AuditEntry.record_id == record_id)
        .order_by(AuditEntry.id.desc())
        .limit(1)
    ).first()
    label = model.__record_label__ if issubclass(model, Audited) else "record"
    return ConcurrentEditError(
        label=label, record_id=record_id,
        changed_by=last.display_name if last else None, changed_at=last.at if last else None,
        tz=session.info.get(SHOWN_ZONE_KEY),
    )


def explain_conflict(session: Session, candidates: list[EditedRecord]) -> ConcurrentEditError:
    """After a failed save (session rolled back): the first candidate changed elsewhere."""
    for candidate in candidates:
        current = session.execute(
            select(candidate.model.version).where(
                candidate.model.id == candidate.record_id  # type: ignore[attr-defined]
            )
        ).scalar_one_or_none()
        if current != candidate.loaded_version:
            return conflict_error(session, candidate.model, candidate.record_id)
    first = candidates[0] if candidates else None
    return ConcurrentEditError(
        label=first.model.__record_label__ if first and issubclass(first.model, Audited)
        else "record",
        record_id=first.record_id if first else 0, changed_by=None, changed_at=None,
    )
