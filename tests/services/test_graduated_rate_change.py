"""Changing the rate of a graduated infusion (issue 12, "Graduated rate")."""

from __future__ import annotations

from datetime import time
from decimal import Decimal

import pytest
from visit_fixtures import NORMAL_VITALS, book_first_dose, open_ready_visit

from clinic_app.services.clinic_day import clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import change_rate, get_visit, record_vitals, start_infusion


def _graduated(ctx: ServiceContext, patient: PatientSummary) -> int:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id, graduated=True)
    return start_infusion(ctx, visit_id=visit.id).id


def test_a_jump_above_the_next_step_needs_a_reason_naming_the_next_step(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    visit_id = _graduated(ctx, patient)
    clock.advance(minutes=5)  # type: ignore[attr-defined]
    with pytest.raises(OverrideRequired, match="next step is 40 mL/h") as refused:
        change_rate(ctx, visit_id=visit_id, rate="120")
    assert refused.value.codes == ("RATE_SKIPS_STEPS",)
    assert get_visit(ctx, visit_id=visit_id).events == ()  # nothing half-saved


def test_the_reason_is_kept_on_the_rate_change_and_in_the_audit_trail(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    visit_id = _graduated(ctx, patient)
    clock.advance(minutes=5)  # type: ignore[attr-defined]
    detail = change_rate(ctx, visit_id=visit_id, rate="120", note="Prescriber: usual rate")
    (event,) = detail.events
    assert (event.kind, event.rate_ml_per_h, event.note) == (
        "rate_change",
        Decimal(120),
        "Prescriber: usual rate",
    )
    with ctx.unit_of_work() as uow:
        audited = uow.audit.history("infusion_events", event.id)
    assert audited[-1].changes["note"]["new"] == "Prescriber: usual rate"


def test_the_next_step_needs_no_reason_and_is_suggested(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    visit_id = _graduated(ctx, patient)
    assert get_visit(ctx, visit_id=visit_id).infusion.suggested_rate_ml_per_h == Decimal(40)  # type: ignore[union-attr]
    clock.advance(minutes=5)  # type: ignore[attr-defined]
    detail = change_rate(ctx, visit_id=visit_id, rate="40")
    assert detail.infusion is not None
    assert detail.infusion.suggested_rate_ml_per_h == Decimal(80)


def test_the_rate_runs_since_the_last_rate_change(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    visit_id = _graduated(ctx, patient)
    clock.advance(minutes=5)  # type: ignore[attr-defined]
    changed_at = ctx.now()
    clock.advance(minutes=3)  # type: ignore[attr-defined]
    change_rate(ctx, visit_id=visit_id, rate="30", at=changed_at)
    progress = get_visit(ctx, visit_id=visit_id).infusion
    assert progress is not None and progress.rate_since == changed_at


def test_after_a_change_by_hand_the_next_step_is_due_a_step_length_later_on_visit_and_today(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    """Started 09:30 at 20 mL/h; at 09:35 the nurse puts the pump up to 40 mL/h by hand: the
    table holds 40 mL/h for 15 min, so 80 mL/h is due at 09:50 - shown on the visit and as the
    Today row's next thing to do once it comes before the next vitals, never as late."""
    visit_id = _graduated(ctx, patient)
    clock.advance(minutes=5)  # type: ignore[attr-defined]
    detail = change_rate(ctx, visit_id=visit_id, rate="40")
    progress = detail.infusion
    assert progress is not None
    assert progress.step_number is None  # no longer running the table by itself
    assert progress.next_rate_ml_per_h == Decimal(80)
    assert progress.next_step_at is not None
    assert progress.next_step_at.astimezone(ctx.tz).strftime("%H:%M") == "09:50"
    clock.advance(minutes=14)  # 09:49: the vitals due by 09:50 taken, the step comes first
    record_vitals(ctx, visit_id=visit_id, item_key="vitals.t15", **NORMAL_VITALS)
    record_vitals(ctx, visit_id=visit_id, item_key="vitals.rate_change.1", **NORMAL_VITALS)
    (row,) = clinic_day(ctx, day="2026-03-02")
    assert row.next_due == "Rate: step up to 80 mL/h (graduated)"
    assert row.next_due_local == time(9, 50)
    clock.advance(minutes=7)  # 09:56: past due, a prompt, never late
    (row,) = clinic_day(ctx, day="2026-03-02")
    assert not any("step up" in item for item in row.overdue_items)
    change_rate(ctx, visit_id=visit_id, rate="80")
    (row,) = clinic_day(ctx, day="2026-03-02")
    assert row.next_due != "Rate: step up to 80 mL/h (graduated)"

