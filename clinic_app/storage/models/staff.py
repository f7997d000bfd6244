"""Nurse accounts. Passwords and PINs are kept only as argon2 hashes."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column, validates

from clinic_app.domain.permissions import Role
from clinic_app.storage import passwords
from clinic_app.storage.models.base import Audited, Base, Versioned, str_enum, unique_where


class Nurse(Audited, Versioned, Base):
    """A user of the program. Accounts are disabled, never deleted (the audit trail names them).

    Account changes are audited with the hashes redacted; the first account is created before
    anyone can sign in, so these writes do not require a nurse.

    ``failed_sign_ins`` counts wrong secrets in a row and ``locked_until`` ends the lock that
    too many of them bring (:mod:`clinic_app.services.accounts`); both are audited, so every
    failed sign-in of an account is in the audit trail.

    ``role`` says what the nurse may do beyond charting (:mod:`clinic_app.domain.permissions`);
    ``is_active`` False is a disabled account.

    ``is_first_account`` marks that account (created without a sign-in, as the administrator).
    A partial unique index allows one such row: two workstations creating "the first account"
    at the same moment cannot both succeed, so at most one account is ever created without a
    sign-in.
    """

    __tablename__ = "nurses"
    __audit_redact__: ClassVar[frozenset[str]] = frozenset({"password_hash", "pin_hash"})
    __audit_requires_nurse__: ClassVar[bool] = False
    __record_label__: ClassVar[str] = "nurse account"
    __table_args__ = (
        unique_where("uq_nurses_first_account", "is_first_account", where="is_first_account"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    pin_hash: Mapped[str | None] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(default=True)
    role: Mapped[Role] = mapped_column(str_enum(Role), default=Role.NURSE, server_default="nurse")
    is_first_account: Mapped[bool] = mapped_column(default=False)
    # Wrong passwords/PINs in a row, and when a lock after too many of them ends (issue 11).
    failed_sign_ins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(default=None)

    @property
    def is_admin(self) -> bool:
        """True for an administrator."""
        return self.role is Role.ADMINISTRATOR

    @validates("username")
    def _fold_username(self, _key: str, value: str) -> str:
        return value.strip().casefold()

    def set_password(self, password: str) -> None:
        """Replace the password (at least 8 characters); only its argon2 hash is kept."""
        passwords.check_password_rules(password)
        self.password_hash = passwords.hash_secret(password)

    def verify_password(self, password: str) -> bool:
        """True when ``password`` is this nurse's password."""
        return passwords.verify_secret(self.password_hash, password)

    def set_pin(self, pin: str) -> None:
        """Replace the quick sign-in PIN (4 to 8 digits); only its argon2 hash is kept."""
        passwords.check_pin_rules(pin)
        self.pin_hash = passwords.hash_secret(pin)

    def verify_pin(self, pin: str) -> bool:
        """True when ``pin`` is this nurse's PIN; a nurse without a PIN never matches."""
        return self.pin_hash is not None and passwords.verify_secret(self.pin_hash, pin)
