"""A reaction at today's visit shows on the clinic day: its badge leads the row's alerts, the
status says the pump was paused after it, and a pause is due for a decision from its start and
late after the clinic's ``pause_overdue_minutes`` (review of the Today screen, P1-2)."""

from __future__ import annotations

from dataclasses import replace

from visit_fixtures import NORMAL_VITALS, book_first_dose, open_ready_visit

from clinic_app.services.clinic_day import clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients import void_record
from clinic_app.services.patients.dto import AlertBadge, PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import (
    pause_infusion,
    record_vitals,
    resume_infusion,
    start_infusion,
)
from clinic_app.services.visits.dto import ClinicDayRow

DAY = "2026-03-02"


def only_row(ctx: ServiceContext) -> ClinicDayRow:
    (row,) = clinic_day(ctx, day=DAY)
    return row


def running(ctx: ServiceContext, clock: object, patient_id: int) -> int:
    """Infliximab dose 1 started at 09:30 local (its first vitals taken), now 09:40; its visit
    id."""
    booking = book_first_dose(ctx, patient_id)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    record_vitals(ctx, visit_id=visit.id, item_key="vitals.t0", **NORMAL_VITALS)
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    return visit.id


def grade_2_paused(ctx: ServiceContext, patient_id: int, visit_id: int) -> int:
    return log_reaction(ctx, patient_id=patient_id, visit_id=visit_id, onset=ctx.now(),
                        signs=["urticaria"], term="infusion_related_reaction", grade=2,
                        infusion_action="paused").summary.id


def test_a_reaction_at_the_visit_leads_the_alerts_and_the_status_says_paused_after_it(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = running(ctx, clock, patient.id)
    grade_2_paused(ctx, patient.id, visit_id)
    row = only_row(ctx)
    assert row.alerts[0] == AlertBadge("reaction_today", "Reaction 09:40 (grade 2)")
    assert row.paused and row.paused_after_reaction
    assert (row.next_due, f"{row.next_due_local:%H:%M}") == (
        "Paused since 09:40: resume or end", "09:40")
    assert not row.overdue, row.overdue_items


def test_a_pause_after_a_reaction_is_overdue_after_the_clinic_setting(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = running(ctx, clock, patient.id)
    grade_2_paused(ctx, patient.id, visit_id)
    clock.advance(minutes=15)  # type: ignore[attr-defined]  (09:55: exactly the limit)
    assert not only_row(ctx).overdue
    clock.advance(minutes=1)  # type: ignore[attr-defined]
    row = only_row(ctx)
    assert row.overdue
    assert row.overdue_items[0] == "09:40 Paused: resume or end"


def test_the_pause_limit_is_a_clinic_setting(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    assert ctx.settings.checklists.pause_overdue_minutes == 15
    visit_id = running(ctx, clock, patient.id)
    pause_infusion(ctx, visit_id=visit_id)
    clock.advance(minutes=6)  # type: ignore[attr-defined]
    assert not only_row(ctx).overdue
    strict = replace(ctx, settings=replace(ctx.settings, checklists=replace(
        ctx.settings.checklists, pause_overdue_minutes=5)))
    assert only_row(strict).overdue


def test_a_pause_without_a_reaction_is_due_but_not_said_to_follow_one(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = running(ctx, clock, patient.id)
    pause_infusion(ctx, visit_id=visit_id)
    row = only_row(ctx)
    assert row.paused and not row.paused_after_reaction
    assert row.next_due == "Paused since 09:40: resume or end"
    assert all(badge.kind != "reaction_today" for badge in row.alerts)


def test_once_resumed_the_badge_stays_and_the_pause_is_no_longer_due(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = running(ctx, clock, patient.id)
    grade_2_paused(ctx, patient.id, visit_id)
    clock.advance(minutes=20)  # type: ignore[attr-defined]
    resume_infusion(ctx, visit_id=visit_id)
    row = only_row(ctx)
    assert row.alerts[0].text == "Reaction 09:40 (grade 2)"
    assert not row.paused and not row.paused_after_reaction
    assert "Paused" not in (row.next_due or "")
    assert all("Paused" not in item for item in row.overdue_items)


def test_a_voided_reaction_leaves_the_alerts(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = running(ctx, clock, patient.id)
    reaction_id = grade_2_paused(ctx, patient.id, visit_id)
    void_record(ctx, kind="reaction", record_id=reaction_id, reason="Logged on the wrong chart")
    row = only_row(ctx)
    assert all(badge.kind != "reaction_today" for badge in row.alerts)
    assert not row.paused_after_reaction
