"""Infliximab in pregnancy through the services (issue 10): the course starts and plans with the
prescriber's decision asked for; the dose is prepared only with the decision recorded."""

from __future__ import annotations

import pytest
from visit_fixtures import book_first_dose, screen

from clinic_app.domain.errors import Contraindicated
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import get_course, start_course
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.patients import add_contraindication
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import open_visit, preview_dose

DECISION = "Dr Nowak: benefits outweigh risks at 14 weeks; last dose planned by week 30"


def test_a_pregnant_patients_course_starts_with_the_decision_on_its_plan(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    add_contraindication(ctx, patient_id=patient.id, code="pregnancy", note="14 weeks")
    booking = book_first_dose(ctx, patient.id)
    warnings = get_course(ctx, course_id=booking.course_id).warnings
    decision = [w for w in warnings if w.code == "CONTRAINDICATION_DECISION"]
    assert len(decision) == 1 and decision[0].requires_override
    assert "6 to 12 months after birth" in decision[0].message


def test_the_dose_needs_the_prescribers_decision_as_the_reason(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    add_contraindication(ctx, patient_id=patient.id, code="pregnancy", note="14 weeks")
    booking = book_first_dose(ctx, patient.id)
    preview = preview_dose(ctx, appointment_id=booking.appointment_id, weight="70")
    assert preview.override_needed == ("CONTRAINDICATION_DECISION",)
    assert "CONTRAINDICATION_DECISION" in preview.stop_codes
    with pytest.raises(OverrideRequired) as refused:
        open_visit(ctx, appointment_id=booking.appointment_id, weight="70")
    assert refused.value.codes == ("CONTRAINDICATION_DECISION",)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="70",
                       override_reason=DECISION)
    assert visit.dose_plan.override_reason == DECISION
    kept = [w.message for w in visit.dose_plan.warnings if w.code == "CONTRAINDICATION_DECISION"]
    assert kept and "live vaccines" in kept[0]


def test_breastfeeding_still_refuses_infliximab(ctx: ServiceContext,
                                                patient: PatientSummary) -> None:
    add_contraindication(ctx, patient_id=patient.id, code="breastfeeding")
    screen(ctx, patient.id)
    with pytest.raises(Contraindicated, match="Breastfeeding"):
        start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                     indication_id="crohns", mg_per_kg="5", prescriber="Dr Ewa Nowak",
                     first_dose="2026-03-02")
