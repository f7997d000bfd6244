"""Roles that are enforced (issue 11, item 13): the permission table, through the services.

Before the fix ``is_admin`` was only displayed: any signed-in nurse created accounts, voided a
colleague's records and recorded the go-ahead for a stop-level warning. Anna Keller (the first
account) is the administrator; Beat Meier is a nurse unless a test makes him more.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import select
from visit_fixtures import screen

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.permissions import Role
from clinic_app.services.accounts import (
    create_nurse,
    disable_nurse,
    enable_nurse,
    list_nurses,
    reset_password,
    set_role,
    sign_in,
)
from clinic_app.services.chart import patient_audit
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import start_course
from clinic_app.services.errors import ActionNotAllowed, NotPermitted, SignInFailed
from clinic_app.services.patients import record_weight, void_record
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.storage.models import AuditEntry

Counts = Callable[[], dict[str, int]]
REASON = "Dr Nowak: dose escalation for loss of response, letter of 2026-02-27"


def _refused(table_counts: Counts, action: Callable[[], object], match: str) -> None:
    before = table_counts()
    with pytest.raises(NotPermitted, match=match):
        action()
    assert table_counts() == before


# --- accounts -------------------------------------------------------------------------------


def test_a_nurse_cannot_add_an_account_and_nothing_is_written(
        second_ctx: ServiceContext, table_counts: Counts) -> None:
    _refused(table_counts, lambda: create_nurse(
        second_ctx, username="cnowak", display_name="Celina Nowak", secret="long enough secret"),
        r"^Only an administrator may add, disable, enable or reset nurse accounts")


def test_an_administrator_adds_an_account_with_its_role(ctx: ServiceContext) -> None:
    added = create_nurse(ctx, username="cnowak", display_name="Celina Nowak",
                         secret="long enough secret", role="charge nurse")
    assert added.role is Role.CHARGE_NURSE and not added.is_admin
    assert {n.username: n.role for n in list_nurses(ctx)}["cnowak"] is Role.CHARGE_NURSE


def test_an_unknown_role_is_a_field_error(ctx: ServiceContext) -> None:
    with pytest.raises(InvalidInput, match="Unknown role 'boss'") as caught:
        create_nurse(ctx, username="cnowak", display_name="Celina Nowak",
                     secret="long enough secret", role="boss")
    assert caught.value.field == "role"


def test_only_an_administrator_changes_a_role_and_the_change_is_audited(
        ctx: ServiceContext, second_ctx: ServiceContext, second_nurse, first_nurse) -> None:
    with pytest.raises(NotPermitted):
        set_role(second_ctx, nurse_id=second_nurse.id, role=Role.ADMINISTRATOR)
    changed = set_role(ctx, nurse_id=second_nurse.id, role=Role.CHARGE_NURSE)
    assert changed.role is Role.CHARGE_NURSE
    with ctx.session_factory() as session:
        rows = session.scalars(select(AuditEntry).where(
            AuditEntry.table_name == "nurses", AuditEntry.record_id == second_nurse.id)
            .order_by(AuditEntry.id)).all()
    assert rows[-1].changes["role"] == {"old": "nurse", "new": "charge_nurse"}
    assert rows[-1].actor_id == first_nurse.id


def test_the_last_administrator_can_be_neither_demoted_nor_disabled(
        ctx: ServiceContext, first_nurse, second_nurse) -> None:
    with pytest.raises(ActionNotAllowed, match="only active administrator"):
        set_role(ctx, nurse_id=first_nurse.id, role="nurse")
    with pytest.raises(ActionNotAllowed, match="cannot disable your own account"):
        disable_nurse(ctx, nurse_id=first_nurse.id)
    set_role(ctx, nurse_id=second_nurse.id, role="administrator")
    assert set_role(ctx, nurse_id=first_nurse.id, role="nurse").role is Role.NURSE


def test_a_disabled_account_cannot_sign_in_until_it_is_enabled_again(
        ctx: ServiceContext, second_nurse) -> None:
    disabled = disable_nurse(ctx, nurse_id=second_nurse.id)
    assert not disabled.is_active
    with pytest.raises(SignInFailed, match="disabled: ask an administrator"):
        sign_in(ctx, username="bmeier", secret=second_nurse.password)
    assert [n.username for n in list_nurses(ctx)] == ["akeller", "bmeier"]  # never deleted
    enable_nurse(ctx, nurse_id=second_nurse.id)
    assert sign_in(ctx, username="bmeier", secret=second_nurse.password).id == second_nurse.id


def test_a_disabled_nurse_signed_in_elsewhere_can_no_longer_take_guarded_actions(
        ctx: ServiceContext, second_ctx: ServiceContext, second_nurse) -> None:
    set_role(ctx, nurse_id=second_nurse.id, role="administrator")
    disable_nurse(ctx, nurse_id=second_nurse.id)
    with pytest.raises(Exception, match="disabled"):
        create_nurse(second_ctx, username="cnowak", display_name="Celina Nowak",
                     secret="long enough secret")


def test_a_reset_sets_a_new_password_removes_the_pin_and_lifts_the_lock(
        ctx: ServiceContext, second_nurse) -> None:
    for _ in range(ctx.settings.accounts.max_failed_sign_ins):
        with pytest.raises(SignInFailed):
            sign_in(ctx, username="bmeier", secret="wrong password")
    with pytest.raises(SignInFailed, match="locked until"):
        sign_in(ctx, username="bmeier", secret=second_nurse.password)
    reset = reset_password(ctx, nurse_id=second_nurse.id, secret="a brand new secret")
    assert not reset.has_pin
    assert sign_in(ctx, username="bmeier", secret="a brand new secret").id == second_nurse.id
    with pytest.raises(SignInFailed):
        sign_in(ctx, username="bmeier", secret=second_nurse.password)
    with pytest.raises(SignInFailed):
        sign_in(ctx, username="bmeier", secret=second_nurse.pin,
                password_signed_in_at=ctx.now() - timedelta(minutes=5))


def test_a_nurse_cannot_reset_a_colleagues_password(second_ctx: ServiceContext,
                                                     first_nurse) -> None:
    with pytest.raises(NotPermitted):
        reset_password(second_ctx, nurse_id=first_nurse.id, secret="taken over account")
    assert sign_in(second_ctx, username="akeller", secret=first_nurse.password)


# --- voiding --------------------------------------------------------------------------------


def test_a_nurse_voids_her_own_entry_but_not_a_colleagues(
        ctx: ServiceContext, second_ctx: ServiceContext, second_nurse,
        patient: PatientSummary, table_counts: Counts) -> None:
    annas = record_weight(ctx, patient_id=patient.id, weight="70")
    beats = record_weight(second_ctx, patient_id=patient.id, weight="71")
    assert void_record(second_ctx, kind="weight", record_id=beats.id,
                       reason="Typed into the wrong chart").reason == "Typed into the wrong chart"
    _refused(table_counts, lambda: void_record(second_ctx, kind="weight", record_id=annas.id,
                                               reason="Looks wrong"),
             r"^Only a charge nurse or an administrator may void a record another nurse "
             r"entered\.$")
    set_role(ctx, nurse_id=second_nurse.id, role="charge_nurse")
    assert void_record(second_ctx, kind="weight", record_id=annas.id,
                       reason="Scale not zeroed").reason == "Scale not zeroed"


# --- stop-level warnings --------------------------------------------------------------------


def _escalated_course(ctx: ServiceContext, patient_id: int) -> object:
    return start_course(ctx, patient_id=patient_id, protocol_id="infliximab",
                        indication_id="crohns", mg_per_kg="10", prescriber="Dr Ewa Nowak",
                        first_dose="2026-03-02", override_reason=REASON)


def test_only_a_charge_nurse_records_the_go_ahead_for_an_order_the_label_does_not_cover(
        ctx: ServiceContext, second_ctx: ServiceContext, second_nurse,
        patient: PatientSummary, table_counts: Counts) -> None:
    screen(ctx, patient.id)
    _refused(table_counts, lambda: _escalated_course(second_ctx, patient.id),
             r"^Only a charge nurse or an administrator may record the prescriber's go-ahead "
             r"for a stop-level warning\.$")
    set_role(ctx, nurse_id=second_nurse.id, role=Role.CHARGE_NURSE)
    _escalated_course(second_ctx, patient.id)
    notes = [line for line in patient_audit(ctx, patient_id=patient.id)
             if line.field == "override_reason"]
    assert notes and notes[-1].nurse == "Beat Meier"


def test_a_nurse_still_starts_an_order_within_the_label(
        second_ctx: ServiceContext, ctx: ServiceContext, patient: PatientSummary) -> None:
    screen(ctx, patient.id)
    course = start_course(second_ctx, patient_id=patient.id, protocol_id="infliximab",
                          indication_id="crohns", mg_per_kg="5", prescriber="Dr Ewa Nowak",
                          first_dose="2026-03-02")
    assert course.status == "active"
