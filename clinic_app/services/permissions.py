"""The services' side of the permission table (:mod:`clinic_app.domain.permissions`).

Each use case that takes an action of the table checks it here, inside its transaction, against
the signed-in nurse's role as stored now (a role changed on another workstation counts at once).
"""

from __future__ import annotations

from collections.abc import Iterable

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.permissions import Permission, Role, may, refusal
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotPermitted, NotSignedIn
from clinic_app.storage.models import Nurse
from clinic_app.storage.unit_of_work import UnitOfWork


def current_role(ctx: ServiceContext, uow: UnitOfWork) -> Role:
    """The signed-in nurse's role; :class:`NotSignedIn` without an active signed-in nurse."""
    nurse = None if ctx.nurse_id is None else uow.session.get(Nurse, ctx.nurse_id)
    if nurse is None or not nurse.is_active:
        raise NotSignedIn("No nurse is signed in (or her account was disabled): sign in again.")
    return nurse.role


def require_permission(ctx: ServiceContext, uow: UnitOfWork, permission: Permission) -> None:
    """Refuse (:class:`NotPermitted`, naming who may) unless the signed-in nurse's role may."""
    if not may(current_role(ctx, uow), permission):
        raise NotPermitted(refusal(permission))


def require_override_permission(ctx: ServiceContext, uow: UnitOfWork,
                                warnings: Iterable[ClinicalWarning], reason: str | None) -> None:
    """A reason given for a stop-level warning (one that ``requires_override``) is the
    prescriber's go-ahead recorded by a charge nurse or an administrator (permission table)."""
    if reason and any(w.requires_override for w in warnings):
        require_permission(ctx, uow, Permission.OVERRIDE_STOP_WARNINGS)
