"""What an administrator does with accounts: roles, disabling, enabling, resetting a password.

Rules (issue 11, item 13; the permission table is :mod:`clinic_app.domain.permissions`):

- only an administrator manages accounts; every change is in the audit trail with her name;
- accounts are disabled, never deleted: a disabled account cannot sign in and keeps its name
  on every record it signed; enabling it again restores it as it was;
- the last active administrator can be neither disabled nor given another role, so the clinic
  always has someone who can manage its accounts; nobody disables her own account;
- a reset sets a new password typed by the nurse at the administrator's side, removes the PIN
  (it was set with the forgotten password) and lifts a sign-in lock.
"""

from __future__ import annotations

from sqlalchemy import func, select

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.permissions import Permission, Role, parse_role
from clinic_app.services.accounts._auth import summary
from clinic_app.services.accounts.dto import NurseSummary
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ActionNotAllowed, NotFound
from clinic_app.services.permissions import require_permission
from clinic_app.storage.errors import RecordNotFound
from clinic_app.storage.models import Nurse
from clinic_app.storage.unit_of_work import UnitOfWork


def check_permission(ctx: ServiceContext, permission: Permission) -> None:
    """Refuse (:class:`NotPermitted`) unless the signed-in nurse's role may take ``permission``
    (for actions outside the database, e.g. restoring it from the command line)."""
    with ctx.read_only() as uow:
        require_permission(ctx, uow, permission)


def _managed(ctx: ServiceContext, uow: UnitOfWork, nurse_id: int,
             expected_version: int | None) -> Nurse:
    require_permission(ctx, uow, Permission.MANAGE_ACCOUNTS)
    try:
        return uow.nurses.get(nurse_id, expected_version=expected_version)
    except RecordNotFound:
        raise NotFound(f"No nurse account with id {nurse_id}.") from None


def _refuse_last_administrator(uow: UnitOfWork, nurse: Nurse, doing: str) -> None:
    if nurse.role is not Role.ADMINISTRATOR or not nurse.is_active:
        return
    others = uow.session.scalar(
        select(func.count()).select_from(Nurse)
        .where(Nurse.role == Role.ADMINISTRATOR, Nurse.is_active, Nurse.id != nurse.id))
    if not others:
        raise ActionNotAllowed(f"{nurse.display_name} is the clinic's only active "
                               f"administrator: make another nurse administrator before you "
                               f"{doing}.")


def set_role(ctx: ServiceContext, *, nurse_id: int, role: Role | str,
             expected_version: int | None = None) -> NurseSummary:
    """Give the account ``role`` (module rules)."""
    chosen = role if isinstance(role, Role) else parse_role(role)
    with ctx.unit_of_work() as uow:
        nurse = _managed(ctx, uow, nurse_id, expected_version)
        if chosen is not Role.ADMINISTRATOR:
            _refuse_last_administrator(uow, nurse, f"make {nurse.display_name} a "
                                                   f"{chosen.label.lower()}")
        nurse.role = chosen
        uow.commit()
        return summary(nurse)


def disable_nurse(ctx: ServiceContext, *, nurse_id: int,
                  expected_version: int | None = None) -> NurseSummary:
    """Disable the account: it can no longer sign in (module rules)."""
    with ctx.unit_of_work() as uow:
        nurse = _managed(ctx, uow, nurse_id, expected_version)
        if nurse.id == ctx.nurse_id:
            raise ActionNotAllowed("You cannot disable your own account: ask another "
                                   "administrator.")
        _refuse_last_administrator(uow, nurse, f"disable {nurse.display_name}'s account")
        nurse.is_active = False
        uow.commit()
        return summary(nurse)


def enable_nurse(ctx: ServiceContext, *, nurse_id: int,
                 expected_version: int | None = None) -> NurseSummary:
    """Enable a disabled account again, with its role, password and PIN as they were."""
    with ctx.unit_of_work() as uow:
        nurse = _managed(ctx, uow, nurse_id, expected_version)
        nurse.is_active = True
        uow.commit()
        return summary(nurse)


def reset_password(ctx: ServiceContext, *, nurse_id: int, secret: str,
                   expected_version: int | None = None) -> NurseSummary:
    """Set a new password (at least 8 characters), remove the PIN and lift a sign-in lock."""
    with ctx.unit_of_work() as uow:
        nurse = _managed(ctx, uow, nurse_id, expected_version)
        try:
            nurse.set_password(secret)
        except InvalidInput as error:
            raise InvalidInput("secret", str(error)) from None
        nurse.pin_hash = None
        nurse.failed_sign_ins, nurse.locked_until = 0, None
        uow.commit()
        return summary(nurse)
