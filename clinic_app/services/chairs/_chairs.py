"""Chairs as configured resources (issue 14): one service function per change, each chained
into the audit trail (who, when, old and new values) in its own transaction; an
administrator's action (permission ``manage_chairs``).

A chair's name is unique (compared as typed, after trimming) and at most 40 characters; a
chair is never deleted: deactivated, it stays on the bookings that name it and is offered no
more. Renaming a chair renames it in every appointment that names it, in the same
transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_validation import normalise_text
from clinic_app.domain.permissions import Permission
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound
from clinic_app.services.patients import require_nurse
from clinic_app.services.permissions import require_permission
from clinic_app.storage.audit_chain import PendingAudit, append_entries
from clinic_app.storage.errors import RecordNotFound
from clinic_app.storage.models import AuditAction, Chair
from clinic_app.storage.models.chairs import CHAIR_NAME_LENGTH
from clinic_app.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ChairSummary:
    """A chair as the screens show it."""

    id: int
    name: str
    active: bool
    notes: str
    version: int


def _summary(chair: Chair) -> ChairSummary:
    return ChairSummary(chair.id, chair.name, chair.active, chair.notes or "", chair.version)


def _name(name: str) -> str:
    return normalise_text(
        name, field="name", label="Chair name", max_length=CHAIR_NAME_LENGTH, required=True
    )


def _notes(notes: str) -> str | None:
    return normalise_text(notes, field="notes", label="Notes", max_length=500) or None


def _refuse_taken(uow: UnitOfWork, name: str, keep_id: int | None = None) -> None:
    other = uow.chairs.by_name(name)
    if other is not None and other.id != keep_id:
        state = "" if other.active else " (inactive: reactivate it instead)"
        raise InvalidInput("name", f"There is already a chair called {name!r}{state}.")


def _load(uow: UnitOfWork, chair_id: int, expected_version: int | None) -> Chair:
    try:
        return uow.chairs.get(chair_id, expected_version=expected_version)
    except RecordNotFound:
        raise NotFound(f"No chair with id {chair_id}.") from None


def _audit(
    ctx: ServiceContext,
    uow: UnitOfWork,
    chair: Chair,
    action: AuditAction,
    changes: dict[str, tuple[object, object]],
) -> None:
    """Chain the change into the audit trail, in this transaction (a chair is not an ORM-
    audited record: see :class:`~clinic_app.storage.models.chairs.Chair`)."""
    uow.flush()
    append_entries(
        uow.session.connection(),
        [
            PendingAudit(
                Chair.__tablename__,
                chair.id,
                action,
                {key: {"old": old, "new": new} for key, (old, new) in changes.items()},
            )
        ],
        actor_id=ctx.nurse_id,
        at=ctx.now(),
    )


def list_chairs(ctx: ServiceContext, *, include_inactive: bool = False) -> tuple[ChairSummary, ...]:
    """The chairs by name: the active ones (the booking dialog's choice), or all."""
    require_nurse(ctx)
    with ctx.read_only() as uow:
        return tuple(_summary(c) for c in uow.chairs.all_by_name() if include_inactive or c.active)


def add_chair(ctx: ServiceContext, *, name: str, notes: str = "") -> ChairSummary:
    """Add an active chair; refused when the name is taken or blank."""
    clean, remark = _name(name), _notes(notes)
    with ctx.unit_of_work() as uow:
        require_permission(ctx, uow, Permission.MANAGE_CHAIRS)
        _refuse_taken(uow, clean)
        chair = uow.chairs.add(Chair(name=clean, active=True, notes=remark))
        uow.flush()
        _audit(
            ctx,
            uow,
            chair,
            AuditAction.INSERT,
            {
                "id": (None, chair.id),
                "name": (None, clean),
                "active": (None, True),
                "notes": (None, remark),
            },
        )
        uow.commit()
        return _summary(chair)


def rename_chair(
    ctx: ServiceContext,
    *,
    chair_id: int,
    name: str,
    notes: str | None = None,
    expected_version: int | None = None,
) -> ChairSummary:
    """Rename a chair (and, when given, change its notes); its bookings follow the new name."""
    clean = _name(name)
    remark = None if notes is None else _notes(notes)
    with ctx.unit_of_work() as uow:
        require_permission(ctx, uow, Permission.MANAGE_CHAIRS)
        chair = _load(uow, chair_id, expected_version)
        _refuse_taken(uow, clean, keep_id=chair.id)
        changes: dict[str, tuple[object, object]] = {}
        if clean != chair.name:
            changes["name"] = (chair.name, clean)
            for appointment in uow.appointments.naming_chair(chair.name):
                appointment.chair = clean  # each one audited
            chair.name = clean
        if notes is not None and remark != chair.notes:
            changes["notes"] = (chair.notes, remark)
            chair.notes = remark
        if changes:
            _audit(ctx, uow, chair, AuditAction.UPDATE, changes)
        uow.commit()
        return _summary(chair)


def set_chair_active(
    ctx: ServiceContext, *, chair_id: int, active: bool, expected_version: int | None = None
) -> ChairSummary:
    """Deactivate a chair (kept on its bookings, offered no more) or reactivate it."""
    with ctx.unit_of_work() as uow:
        require_permission(ctx, uow, Permission.MANAGE_CHAIRS)
        chair = _load(uow, chair_id, expected_version)
        if chair.active != active:
            _audit(ctx, uow, chair, AuditAction.UPDATE, {"active": (chair.active, active)})
            chair.active = active
        uow.commit()
        return _summary(chair)
