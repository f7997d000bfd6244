"""What the nurse decided at the opening stays on the visit: the warnings with their override
reason or acknowledgement, and the same alert badges as the chart."""

from __future__ import annotations

from visit_fixtures import book_first_dose

from clinic_app.services.chart import get_chart
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients import (
    record_screening,
    record_weight,
)
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import get_appointment, get_visit, open_visit

REASON = "Dr Nowak: latent TB treated, cleared to continue"


def _positive_tb(ctx: ServiceContext, patient: PatientSummary) -> int:
    booking = book_first_dose(ctx, patient.id)
    record_screening(ctx, patient_id=patient.id, kind="tb", taken_on="2026-02-25",
                     outcome="positive")
    return booking.appointment_id


def test_an_overridden_positive_screen_stays_on_the_open_visit_with_its_reason(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    appointment_id = _positive_tb(ctx, patient)
    visit = open_visit(ctx, appointment_id=appointment_id, weight="72.5",
                       override_reason=REASON)
    decisions = get_visit(ctx, visit_id=visit.id).dose_decisions
    screening = [d for d in decisions if d.code == "SCREENING_POSITIVE"]
    assert len(screening) == 1
    assert screening[0].decision == "overridden" and screening[0].reason == REASON
    assert screening[0].text.endswith(f"(overridden: {REASON})")


def test_an_acknowledged_weight_change_is_kept_as_acknowledged(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    record_weight(ctx, patient_id=patient.id, weight="60")
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="72.5",
                       acknowledged=["WEIGHT_CHANGE"])
    decisions = get_visit(ctx, visit_id=visit.id).dose_decisions
    assert [(d.code, d.decision) for d in decisions] == [("WEIGHT_CHANGE", "acknowledged")]
    assert decisions[0].text.endswith("(acknowledged)")


def test_the_visit_and_the_open_visit_step_show_the_charts_alert_badges(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    appointment_id = _positive_tb(ctx, patient)
    header = get_appointment(ctx, appointment_id=appointment_id)
    visit = open_visit(ctx, appointment_id=appointment_id, weight="72.5",
                       override_reason=REASON)
    chart = get_chart(ctx, patient_id=patient.id).alerts
    assert any(b.kind == "screening" for b in chart)
    assert get_visit(ctx, visit_id=visit.id).alerts == chart
    assert header.alerts == chart
