"""Who may do what: the roles and the one table of their permissions (issue 11, item 13).

Every nurse signed in may chart: register and edit patients, weigh, plan, book, open visits,
check, give, record vitals and reactions, print, and void a record she entered herself (a
mistake of her own shift). The actions below need more, and this table is the only place that
says who may take them; the services check it (``clinic_app.services.permissions``) and the
screens only hide what the services would refuse.

- **Nurse**: none of the actions below.
- **Charge nurse**: voids a record a colleague entered, and records the prescriber's go-ahead for
  a stop-level warning (an order or a dose the label does not cover, a dose given against a
  contraindication or a blocking caution): the second, senior pair of eyes that clinics require
  before a stop is overridden.
- **Administrator**: everything a charge nurse may, and the accounts (add, disable, enable,
  reset a password, change a role), restoring the database over a readable one and reading the
  access log.

The clinic settings (``resources/clinic_settings.toml``) have no screen: they are changed in the
installed program's files, so by whoever the operating system lets change the program (the
clinic's IT administrator), not by any role of this table.

The first account of a clinic is its administrator. Accounts are disabled, never deleted (the
audit trail names them), and the last active administrator cannot be disabled or demoted, so a
clinic never locks itself out of its accounts.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from clinic_app.domain.errors import InvalidInput


class Role(StrEnum):
    """A nurse account's role (stored by its value)."""

    NURSE = "nurse"
    CHARGE_NURSE = "charge_nurse"
    ADMINISTRATOR = "administrator"

    @property
    def label(self) -> str:
        """The role as a nurse reads it: "Charge nurse"."""
        return self.value.replace("_", " ").capitalize()


class Permission(StrEnum):
    """An action that not every signed-in nurse may take."""

    MANAGE_ACCOUNTS = "manage_accounts"
    VOID_OTHERS_RECORDS = "void_others_records"
    OVERRIDE_STOP_WARNINGS = "override_stop_warnings"
    RESTORE_DATABASE = "restore_database"
    READ_ACCESS_LOG = "read_access_log"
    MANAGE_CHAIRS = "manage_chairs"

    @property
    def action(self) -> str:
        """The action in words, to finish "Only ... may ..."."""
        return _ACTIONS[self]


_ACTIONS = MappingProxyType({
    Permission.MANAGE_ACCOUNTS: "add, disable, enable or reset nurse accounts or change roles",
    Permission.VOID_OTHERS_RECORDS: "void a record another nurse entered",
    Permission.OVERRIDE_STOP_WARNINGS: "record the prescriber's go-ahead for a stop-level warning",
    Permission.RESTORE_DATABASE: "restore the database from a backup",
    Permission.READ_ACCESS_LOG: "read or export the access log",
    Permission.MANAGE_CHAIRS: "add, rename, deactivate or reactivate chairs",
})

_CHARGE_NURSE = frozenset({Permission.VOID_OTHERS_RECORDS, Permission.OVERRIDE_STOP_WARNINGS})

#: The permission table: each role and what it may do beyond charting.
ROLE_PERMISSIONS: MappingProxyType[Role, frozenset[Permission]] = MappingProxyType({
    Role.NURSE: frozenset(),
    Role.CHARGE_NURSE: _CHARGE_NURSE,
    Role.ADMINISTRATOR: frozenset(Permission),
})


def may(role: Role, permission: Permission) -> bool:
    """True when a nurse with ``role`` may take the action ``permission`` names."""
    return permission in ROLE_PERMISSIONS[role]


def roles_allowed(permission: Permission) -> tuple[Role, ...]:
    """The roles that may take ``permission``, lowest first."""
    return tuple(role for role in Role if may(role, permission))


def refusal(permission: Permission) -> str:
    """The message for a nurse whose role may not: "Only a charge nurse or an administrator
    may void a record another nurse entered."""
    names = [role.label.lower() for role in roles_allowed(permission)]
    who = " or ".join(f"{'an' if name[0] in 'aeiou' else 'a'} {name}" for name in names)
    return f"Only {who} may {permission.action}."


def parse_role(value: str) -> Role:
    """The role named ``value`` ("nurse", "charge nurse", "charge_nurse", "administrator");
    :class:`InvalidInput` on "role", naming the roles, otherwise."""
    key = value.strip().casefold().replace(" ", "_").replace("-", "_") if isinstance(value, str) \
        else ""
    try:
        return Role(key)
    except ValueError:
        known = ", ".join(role.label.lower() for role in Role)
        raise InvalidInput("role", f"Unknown role {value!r}: choose one of {known}.") from None
