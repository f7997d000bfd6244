"""Nurse accounts: the first account, later accounts, hashed secrets, signing in."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from clinic_app.domain.errors import InvalidInput
from clinic_app.services.accounts import create_nurse, has_nurses, list_nurses, sign_in
from clinic_app.services.errors import NotSignedIn, SignInFailed
from clinic_app.storage import verify_audit
from clinic_app.storage.models import AuditAction, AuditEntry, Nurse


def test_a_new_database_has_no_nurses_and_the_first_account_needs_no_sign_in(blank_ctx):
    assert not has_nurses(blank_ctx)
    first = create_nurse(blank_ctx, username=" AKeller ", display_name="Anna Keller",
                         secret="correct horse battery", pin="1234")
    assert (first.username, first.display_name, first.is_admin, first.has_pin) == (
        "akeller", "Anna Keller", True, True)
    assert has_nurses(blank_ctx)


def test_later_accounts_need_a_signed_in_nurse(ctx, table_counts):
    before = table_counts()
    with pytest.raises(NotSignedIn):
        create_nurse(ctx.signed_out(), username="bmeier", display_name="Beat Meier",
                     secret="long enough secret")
    assert table_counts() == before
    second = create_nurse(ctx, username="bmeier", display_name="Beat Meier",
                          secret="long enough secret")
    assert not second.is_admin and not second.has_pin


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"username": "AKELLER"}, "username"),
    ({"username": "a keller"}, "username"),
    ({"username": ""}, "username"),
    ({"display_name": "\x07"}, "display_name"),
    ({"secret": "short"}, "secret"),
    ({"pin": "12a4"}, "pin"),
    ({"pin": "123"}, "pin"),
])
def test_bad_account_input_names_the_field_and_writes_nothing(ctx, table_counts, kwargs, field):
    values = {"username": "cnowak", "display_name": "Celina Nowak",
              "secret": "correct horse battery"}
    values.update(kwargs)
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        create_nurse(ctx, **values)
    assert error.value.field == field
    assert table_counts() == before


def test_secrets_are_stored_only_as_argon2_hashes_and_redacted_in_the_audit(
        blank_ctx, session_factory):
    nurse = create_nurse(blank_ctx, username="akeller", display_name="Anna Keller",
                         secret="correct horse battery", pin="2468")
    with session_factory() as session:
        row = session.get(Nurse, nurse.id)
        assert row.password_hash.startswith("$argon2id$")
        assert "correct horse battery" not in row.password_hash
        assert row.pin_hash.startswith("$argon2id$")
        changes = session.scalars(select(AuditEntry.changes)).one()
    assert changes["password_hash"]["new"] == "[redacted]"
    assert "correct horse battery" not in str(changes)


def test_sign_in_takes_the_password_and_ignores_the_name_case(ctx, first_nurse):
    assert sign_in(ctx, username="AKELLER", secret=first_nurse.password).id == first_nurse.id


@pytest.mark.parametrize(("username", "secret"), [
    ("akeller", "wrong password"), ("nobody", "correct horse battery"), ("akeller", ""),
])
def test_a_wrong_name_or_secret_fails_with_the_same_message(ctx, first_nurse, username, secret):
    with pytest.raises(SignInFailed, match=r"^Unknown user name or wrong password\.$"):
        sign_in(ctx, username=username, secret=secret)
    with pytest.raises(SignInFailed, match=r"^Unknown user name or wrong password/PIN\.$"):
        sign_in(ctx, username=username, secret=secret, password_signed_in_at=ctx.now())


def test_a_disabled_account_cannot_sign_in(ctx, first_nurse, session_factory):
    with session_factory() as session:
        session.get(Nurse, first_nurse.id).is_active = False
        session.commit()
    with pytest.raises(SignInFailed, match="disabled: ask an administrator"):
        sign_in(ctx, username="akeller", secret=first_nurse.password)


def test_list_nurses_shows_every_account_without_secrets(ctx, second_nurse):
    listed = list_nurses(ctx)
    assert [n.display_name for n in listed] == ["Anna Keller", "Beat Meier"]
    assert not any(hasattr(n, "password_hash") for n in listed)


# --- guessing (issue 11) ------------------------------------------------------------------------

def test_the_pin_does_not_start_a_shift_but_opens_the_idle_lock_of_a_nurse_who_used_her_password(
        ctx, first_nurse, clock):
    with pytest.raises(SignInFailed, match="wrong password"):
        sign_in(ctx, username="akeller", secret=first_nurse.pin)
    signed = clock.now
    clock.advance(hours=3)
    unlocked = sign_in(ctx, username="akeller", secret=first_nurse.pin,
                       password_signed_in_at=signed)
    assert unlocked.id == first_nurse.id


def test_the_pin_opens_the_lock_only_within_the_clinics_hours_after_the_password(
        ctx, first_nurse, clock):
    signed = clock.now
    clock.advance(hours=ctx.settings.accounts.pin_valid_hours, minutes=1)
    with pytest.raises(SignInFailed):
        sign_in(ctx, username="akeller", secret=first_nurse.pin, password_signed_in_at=signed)
    assert sign_in(ctx, username="akeller", secret=first_nurse.password,
                   password_signed_in_at=signed).id == first_nurse.id


def test_sixty_wrong_pins_then_the_right_one_do_not_sign_in(ctx, first_nurse, clock):
    signed = clock.now
    for _ in range(60):
        with pytest.raises(SignInFailed):
            sign_in(ctx, username="akeller", secret="0000", password_signed_in_at=signed)
    with pytest.raises(SignInFailed, match="locked until"):
        sign_in(ctx, username="akeller", secret=first_nurse.pin, password_signed_in_at=signed)
    with pytest.raises(SignInFailed, match="locked until"):
        sign_in(ctx, username="akeller", secret=first_nurse.password)


def test_the_lock_starts_at_the_limit_and_doubles_with_each_further_failure(
        ctx, first_nurse, clock, session_factory):
    limit = ctx.settings.accounts.max_failed_sign_ins
    for attempt in range(1, limit + 3):
        with pytest.raises(SignInFailed):
            sign_in(ctx, username="akeller", secret="wrong password")
        with session_factory() as session:
            locked = session.scalars(select(Nurse.locked_until)).one()
        if attempt < limit:
            assert locked is None
        else:
            minutes = ctx.settings.accounts.lockout_minutes * 2 ** (attempt - limit)
            assert locked == clock.now + timedelta(minutes=minutes)
            clock.set(locked)  # wait out the lock before the next try


def test_a_right_password_after_the_lock_resets_the_count(ctx, first_nurse, clock,
                                                         session_factory):
    for _ in range(ctx.settings.accounts.max_failed_sign_ins):
        with pytest.raises(SignInFailed):
            sign_in(ctx, username="akeller", secret="wrong password")
    clock.advance(minutes=ctx.settings.accounts.lockout_minutes)
    assert sign_in(ctx, username="akeller", secret=first_nurse.password).id == first_nurse.id
    with session_factory() as session:
        assert session.execute(select(Nurse.failed_sign_ins, Nurse.locked_until)).one() == (
            0, None)


def test_every_failed_sign_in_of_an_account_is_in_the_audit_trail(ctx, first_nurse,
                                                                  session_factory):
    for _ in range(3):
        with pytest.raises(SignInFailed):
            sign_in(ctx, username="akeller", secret="wrong password")
    with session_factory() as session:
        counts = [e.changes["failed_sign_ins"]["new"] for e in session.scalars(
            select(AuditEntry).where(AuditEntry.table_name == "nurses",
                                     AuditEntry.action == AuditAction.UPDATE)
            .order_by(AuditEntry.id)) if "failed_sign_ins" in e.changes]
        assert counts == [1, 2, 3]
        assert verify_audit(session).ok
