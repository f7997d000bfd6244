"""The permission table (issue 11, item 13): one place says who may do what."""

from __future__ import annotations

import pytest

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.permissions import (
    ROLE_PERMISSIONS,
    Permission,
    Role,
    may,
    parse_role,
    refusal,
    roles_allowed,
)


def test_a_nurse_charts_but_takes_none_of_the_guarded_actions() -> None:
    assert ROLE_PERMISSIONS[Role.NURSE] == frozenset()


def test_a_charge_nurse_voids_a_colleagues_record_and_records_a_go_ahead_only() -> None:
    assert ROLE_PERMISSIONS[Role.CHARGE_NURSE] == {Permission.VOID_OTHERS_RECORDS,
                                                  Permission.OVERRIDE_STOP_WARNINGS}


@pytest.mark.parametrize("permission", list(Permission))
def test_an_administrator_may_everything_and_each_permission_has_words(
        permission: Permission) -> None:
    assert may(Role.ADMINISTRATOR, permission)
    assert refusal(permission).startswith("Only ")
    assert roles_allowed(permission)[-1] is Role.ADMINISTRATOR


def test_accounts_restore_and_the_access_log_are_for_administrators_only() -> None:
    for permission in (Permission.MANAGE_ACCOUNTS, Permission.RESTORE_DATABASE,
                       Permission.READ_ACCESS_LOG):
        assert roles_allowed(permission) == (Role.ADMINISTRATOR,)
        assert refusal(permission).startswith("Only an administrator may ")


@pytest.mark.parametrize(("text", "role"), [
    ("nurse", Role.NURSE), ("Charge nurse", Role.CHARGE_NURSE), ("charge-nurse",
                                                                  Role.CHARGE_NURSE),
    (" ADMINISTRATOR ", Role.ADMINISTRATOR)])
def test_roles_are_named_as_a_nurse_types_them(text: str, role: Role) -> None:
    assert parse_role(text) is role
    assert role.label[0].isupper()


@pytest.mark.parametrize("text", ["", "admin", "doctor", "\ud800"])
def test_an_unknown_role_names_the_roles(text: str) -> None:
    with pytest.raises(InvalidInput, match="choose one of nurse, charge nurse, administrator"):
        parse_role(text)
