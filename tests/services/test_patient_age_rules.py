"""Under 18 (issue 10): the caution the patient's age brings is on the course plan when a course
is started and on the visit's dose preview, derived from the date of birth on the day."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from visit_fixtures import book, screen

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import get_course, start_course
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import open_visit, preview_dose

MakePatient = Callable[..., PatientSummary]


def _course(ctx: ServiceContext, patient_id: int, *, protocol: str = "infliximab",
            indication: str = "crohns", first_dose: str = "2026-03-02", **order: str) -> int:
    screen(ctx, patient_id)
    return start_course(ctx, patient_id=patient_id, protocol_id=protocol,
                        indication_id=indication, prescriber="Dr Ewa Nowak",
                        first_dose=first_dose, **order or {"mg_per_kg": "5"}).id


def _age_cautions(warnings: tuple[ClinicalWarning, ...]) -> list[str]:
    return [w.message for w in warnings
            if w.code == "CONTRAINDICATION_CAUTION" and "Age under 18" in w.message]


def test_starting_infliximab_for_a_16_year_old_puts_the_caution_on_the_plan(
        ctx: ServiceContext, make_patient: MakePatient) -> None:
    child = make_patient(mrn="KID1", date_of_birth="2010-01-15")
    detail = get_course(ctx, course_id=_course(ctx, child.id))
    (caution,) = _age_cautions(detail.warnings)
    assert "paediatric Crohn's disease and ulcerative colitis from 6 years" in caution


def test_an_adult_has_no_age_caution(ctx: ServiceContext, patient: PatientSummary) -> None:
    assert _age_cautions(get_course(ctx, course_id=_course(ctx, patient.id)).warnings) == []


def test_a_patient_18_by_the_first_dose_has_no_age_caution_on_the_plan(
        ctx: ServiceContext, make_patient: MakePatient) -> None:
    nearly = make_patient(mrn="KID2", date_of_birth="2008-03-10")  # 18 on 2026-03-10
    course_id = _course(ctx, nearly.id, first_dose="2026-03-16")
    assert _age_cautions(get_course(ctx, course_id=course_id).warnings) == []


def test_the_dose_preview_for_a_child_asks_to_acknowledge_the_caution(
        ctx: ServiceContext, make_patient: MakePatient) -> None:
    child = make_patient(mrn="KID3", date_of_birth="2012-09-01")
    course_id = _course(ctx, child.id)
    first = get_course(ctx, course_id=course_id).appointments[0]
    book(ctx, first.id, "2026-03-02")
    preview = preview_dose(ctx, appointment_id=first.id, weight="45")
    assert preview.ack_needed == ("CONTRAINDICATION_CAUTION",)
    assert _age_cautions(preview.warnings)
    with pytest.raises(OverrideRequired) as refused:
        open_visit(ctx, appointment_id=first.id, weight="45")
    assert refused.value.codes == ("CONTRAINDICATION_CAUTION",)
    visit = open_visit(ctx, appointment_id=first.id, weight="45",
                       acknowledged=["CONTRAINDICATION_CAUTION"])
    assert visit.acknowledged == ("CONTRAINDICATION_CAUTION",)


def test_tocilizumab_for_polyarticular_jia_has_no_age_caution(
        ctx: ServiceContext, make_patient: MakePatient) -> None:
    child = make_patient(mrn="KID4", date_of_birth="2016-04-04")
    course_id = _course(ctx, child.id, protocol="tocilizumab", indication="polyarticular_jia",
                        mg_per_kg="10")
    detail = get_course(ctx, course_id=course_id)
    assert _age_cautions(detail.warnings) == []
    book(ctx, detail.appointments[0].id, "2026-03-02")
    preview = preview_dose(ctx, appointment_id=detail.appointments[0].id, weight="25")
    assert preview.warnings == ()
