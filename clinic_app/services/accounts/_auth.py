"""Nurse accounts and signing in.

The first account can be created before anyone has signed in (it becomes the administrator);
every later account is created by a signed-in administrator, with its role
(:mod:`clinic_app.domain.permissions`). Both rules hold when two workstations
create accounts at the same moment: the database keeps one first account and one account per
user name (unique indexes), and the second workstation is told what its check would have said.

A password has at least 8 characters and an optional PIN 4 to 8 digits, to unlock the idle lock
quickly; only their argon2 hashes are stored (:mod:`clinic_app.storage.passwords`). Signing in
(:func:`sign_in`: the password, a PIN only to unlock; a lock after too many wrong tries) returns
the nurse; the caller then works with ``ctx.as_nurse(nurse.id)``.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from clinic_app.domain.dates import time_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_validation import has_lone_surrogate, normalise_name
from clinic_app.domain.permissions import Permission, Role, parse_role
from clinic_app.domain.settings import AccountSettings
from clinic_app.services.accounts.dto import NurseSummary
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotSignedIn, SignInFailed
from clinic_app.services.permissions import require_permission
from clinic_app.storage import UnitOfWork, passwords
from clinic_app.storage.models import Nurse

USERNAME_MAX_LENGTH = 64
_USERNAME = re.compile(r"[a-z0-9._-]+")


def summary(nurse: Nurse) -> NurseSummary:
    """What the screens see of an account."""
    return NurseSummary(
        id=nurse.id, username=nurse.username, display_name=nurse.display_name,
        role=nurse.role, is_active=nurse.is_active, has_pin=nurse.pin_hash is not None,
        version=nurse.version, is_first_account=nurse.is_first_account,
    )


def _username(value: str) -> str:
    name = value.strip().casefold() if isinstance(value, str) else ""
    if not name:
        raise InvalidInput("username", "User name is required.")
    if len(name) > USERNAME_MAX_LENGTH:
        raise InvalidInput("username", f"User name is too long: at most {USERNAME_MAX_LENGTH} "
                                       "characters.")
    if not _USERNAME.fullmatch(name):
        raise InvalidInput("username", "User name may hold only letters a-z, digits and . _ -")
    return name


def _with_field(field: str, error: InvalidInput) -> InvalidInput:
    return InvalidInput(field, str(error))


def _new_nurse(username: str, display_name: str, secret: str, pin: str | None) -> Nurse:
    nurse = Nurse(
        username=_username(username),
        display_name=normalise_name(display_name, field="display_name", label="Display name"),
    )
    try:
        nurse.set_password(secret)
    except InvalidInput as error:
        raise _with_field("secret", error) from None
    if pin:
        try:
            nurse.set_pin(pin)
        except InvalidInput as error:
            raise _with_field("pin", error) from None
    return nurse


def _any_nurse(uow: UnitOfWork) -> bool:
    return bool(uow.session.scalar(select(exists().where(Nurse.id.is_not(None)))))


def _refuse_taken_username(uow: UnitOfWork, username: str) -> None:
    if uow.nurses.get_by_username(username) is not None:
        raise InvalidInput("username", f"User name {username!r} is already taken.")


def _refuse_second_first_account(uow: UnitOfWork) -> None:
    """Refuse an account without sign-in once the first account exists, naming it."""
    first = uow.session.scalars(select(Nurse).where(Nurse.is_first_account)).one_or_none()
    if first is not None:
        raise NotSignedIn(f"The first account ({first.display_name}, the administrator) was "
                          "created on another workstation a moment ago: sign in to create "
                          "another nurse account.")


def _commit_account(uow: UnitOfWork, ctx: ServiceContext, username: str) -> None:
    """Commit; an account saved on another workstation a moment earlier (the first account, or
    the same user name) is reported as the checks before would have reported it: the unique
    indexes catch what the checks could not see. Nothing of this account is kept."""
    try:
        uow.commit()
    except IntegrityError:
        uow.rollback()
        if ctx.nurse_id is None:
            _refuse_second_first_account(uow)
        _refuse_taken_username(uow, username)
        raise


def has_nurses(ctx: ServiceContext) -> bool:
    """True once at least one account exists (before that, the first one is created)."""
    with ctx.read_only() as uow:
        return _any_nurse(uow)


def create_nurse(
    ctx: ServiceContext, *, username: str, display_name: str, secret: str,
    pin: str | None = None, role: Role | str = Role.NURSE,
) -> NurseSummary:
    """Create an account; the first one needs no sign-in and is the administrator.

    ``secret`` is the password (at least 8 characters); ``pin`` (4 to 8 digits) is optional;
    ``role`` applies from the second account on. User names are unique, case ignored
    (:class:`InvalidInput` on "username"). Without a sign-in once an account exists, also one
    created on another workstation a moment earlier, :class:`NotSignedIn`; signed in as a nurse
    who is not an administrator, :class:`NotPermitted`.
    """
    nurse = _new_nurse(username, display_name, secret, pin)
    chosen = role if isinstance(role, Role) else parse_role(role)
    with UnitOfWork(ctx.session_factory, nurse_id=ctx.nurse_id, clock=ctx.clock) as uow:
        first = not _any_nurse(uow)
        if not first and ctx.nurse_id is None:
            raise NotSignedIn("Sign in to create another nurse account.")
        if not first:
            require_permission(ctx, uow, Permission.MANAGE_ACCOUNTS)
        _refuse_taken_username(uow, nurse.username)
        nurse.is_first_account = first
        nurse.role = Role.ADMINISTRATOR if first else chosen
        uow.nurses.add(nurse)
        _commit_account(uow, ctx, nurse.username)
        return summary(nurse)


@cache
def _decoy_hash() -> str:
    """A hash checked for unknown user names, so a wrong name takes as long as a wrong secret."""
    return passwords.hash_secret("not a real account")


def _lock_minutes(settings: AccountSettings, failures: int) -> int:
    """The lock after ``failures`` wrong secrets in a row: none below the limit, then the first
    lock, doubling with each further failure, up to the longest."""
    over = failures - settings.max_failed_sign_ins
    if over < 0:
        return 0
    return min(settings.lockout_max_minutes, settings.lockout_minutes * 2 ** min(over, 16))


def _pin_allowed(ctx: ServiceContext, password_signed_in_at: datetime | None) -> bool:
    """A PIN opens only the idle lock of a nurse who signed in with her password at this
    workstation within the clinic's ``pin_valid_hours``."""
    if password_signed_in_at is None:
        return False
    age = ctx.now() - password_signed_in_at
    return timedelta(0) <= age <= timedelta(hours=ctx.settings.accounts.pin_valid_hours)


def _local_hm(ctx: ServiceContext, moment: datetime) -> str:
    return time_text(moment, ctx.tz)


def sign_in(ctx: ServiceContext, *, username: str, secret: str,
            password_signed_in_at: datetime | None = None) -> NurseSummary:
    """The nurse whose password is ``secret``; :class:`SignInFailed` otherwise.

    Rules (issue 11: 60 wrong PINs, then the right one, signed in; a PIN was accepted in the
    password field, so an account fell to 10^4 guesses):

    - the password signs in; the PIN only unlocks the idle lock of a nurse who signed in with
      her password at this workstation within the clinic's ``pin_valid_hours``
      (``password_signed_in_at``, kept by the workstation for the nurse it locked);
    - after ``max_failed_sign_ins`` wrong secrets in a row the account is locked for
      ``lockout_minutes``, doubling with each further failure (up to ``lockout_max_minutes``);
      while locked even the right secret is refused, and the message says until when; each
      failure is written to the account (and so to the audit trail); a success resets the count.

    The message for a wrong name or secret does not say which was wrong; disabled accounts
    cannot sign in.
    """
    failed = SignInFailed("Unknown user name or wrong password/PIN." if password_signed_in_at
                          else "Unknown user name or wrong password.")
    if not isinstance(username, str) or not isinstance(secret, str) or not secret:
        raise failed
    now = ctx.now()
    with UnitOfWork(ctx.session_factory, nurse_id=None, clock=ctx.clock) as uow:
        # a name with a lone surrogate cannot be looked up (no UTF-8 form): no account has it
        nurse = None if has_lone_surrogate(username) else uow.nurses.get_by_username(username)
        if nurse is None:
            passwords.verify_secret(_decoy_hash(), secret)
            raise failed
        if nurse.locked_until is not None and now < nurse.locked_until:
            passwords.verify_secret(_decoy_hash(), secret)
            raise SignInFailed(
                f"Too many wrong passwords or PINs: the account {nurse.username!r} is locked "
                f"until {_local_hm(ctx, nurse.locked_until)}. Try again then, or ask a "
                "colleague to help.")
        right = nurse.verify_password(secret) or (
            _pin_allowed(ctx, password_signed_in_at) and nurse.verify_pin(secret))
        if not right:
            nurse.failed_sign_ins += 1
            minutes = _lock_minutes(ctx.settings.accounts, nurse.failed_sign_ins)
            if minutes:
                nurse.locked_until = now + timedelta(minutes=minutes)
            uow.commit()
            raise failed
        if not nurse.is_active:
            raise SignInFailed(f"The account {nurse.username!r} is disabled: ask an administrator.")
        if nurse.failed_sign_ins or nurse.locked_until is not None:
            nurse.failed_sign_ins, nurse.locked_until = 0, None
            uow.commit()
        return summary(nurse)


def list_nurses(ctx: ServiceContext) -> tuple[NurseSummary, ...]:
    """Every account, active ones first, by display name."""
    with ctx.read_only() as uow:
        rows = uow.session.scalars(select(Nurse).order_by(Nurse.is_active.desc(),
                                                          Nurse.display_name, Nurse.id))
        return tuple(summary(n) for n in rows)
