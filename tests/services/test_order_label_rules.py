"""Doses the label does not cover, through the services (issue 10): where the order is written
(start, change of order) and where the dose is prepared (the visit's dose preview); the
weight the plan was made from; a weight too old to dose from on the pre-printed sheet."""

from __future__ import annotations

import io
from collections.abc import Callable
from decimal import Decimal

import pytest
from pypdf import PdfReader
from visit_fixtures import book, book_first_dose, infuse, screen

from clinic_app.services import sheets
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import (
    change_order,
    check_order,
    get_course,
    start_course,
    stop_course,
)
from clinic_app.services.errors import ActionNotAllowed, OverrideRequired
from clinic_app.services.patients import record_weight
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import open_visit, preview_dose, preview_reweigh
from clinic_app.storage import verify_audit

Counts = Callable[[], dict[str, int]]
REASON = "Dr Nowak: dose escalation for loss of response, letter of 2026-02-27"


def _start(ctx: ServiceContext, patient_id: int, protocol: str, indication: str,
           **order: object) -> int:
    screen(ctx, patient_id)
    return start_course(ctx, patient_id=patient_id, protocol_id=protocol,
                        indication_id=indication, prescriber="Dr Ewa Nowak",
                        first_dose="2026-03-02", **order).id  # type: ignore[arg-type]


def _refused(table_counts: Counts, action: Callable[[], object]) -> OverrideRequired:
    before = table_counts()
    with pytest.raises(OverrideRequired) as caught:
        action()
    assert table_counts() == before
    return caught.value


# --- Where the order is written --------------------------------------------------------------


def test_starting_infliximab_10_mg_per_kg_for_crohns_disease_needs_the_prescribers_reason(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    screen(ctx, patient.id)

    def start(**extra: object) -> object:
        return start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                            indication_id="crohns", mg_per_kg="10", prescriber="Dr Ewa Nowak",
                            first_dose="2026-03-02", **extra)  # type: ignore[arg-type]

    refused = _refused(table_counts, start)
    assert refused.codes == ("ABOVE_LABEL_MAX",)
    assert "5 mg/kg for Crohn's disease" in str(refused)
    course = start(override_reason=REASON)
    detail = get_course(ctx, course_id=course.id)  # type: ignore[attr-defined]
    assert detail.start_override_reason == REASON
    assert detail.course.order_text == "10 mg/kg"
    with ctx.session_factory() as session:
        assert verify_audit(session).ok


def test_10_mg_per_kg_for_crohns_loss_of_response_needs_no_reason(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    course_id = _start(ctx, patient.id, "infliximab", "crohns_loss_of_response", mg_per_kg="10")
    assert get_course(ctx, course_id=course_id).start_override_reason == ""


@pytest.mark.parametrize(("protocol", "indication", "mg"),
                         [("vedolizumab", "ulcerative_colitis", "150"),
                          ("vedolizumab", "crohns", "299"), ("anifrolumab", "sle", "150")])
def test_a_fixed_dose_drug_ordered_at_another_dose_needs_the_prescribers_reason(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts,
        protocol: str, indication: str, mg: str) -> None:
    screen(ctx, patient.id)
    refused = _refused(table_counts, lambda: start_course(
        ctx, patient_id=patient.id, protocol_id=protocol, indication_id=indication,
        fixed_mg=mg, prescriber="Dr Ewa Nowak", first_dose="2026-03-02"))
    assert refused.codes == ("OFF_LABEL_DOSE",)
    assert f"{mg} mg is off-label" in str(refused)


def test_a_pjia_order_is_checked_against_the_band_of_the_last_weight_on_file(
        ctx: ServiceContext, make_patient: Callable[..., PatientSummary]) -> None:
    child = make_patient(mrn="JIA1", date_of_birth="2014-05-01")
    order = {"patient_id": child.id, "protocol_id": "tocilizumab",
             "indication_id": "polyarticular_jia", "mg_per_kg": "10"}
    assert check_order(ctx, **order) == ()  # never weighed: the dose checks the band
    record_weight(ctx, patient_id=child.id, weight="25")
    assert check_order(ctx, **order) == ()
    record_weight(ctx, patient_id=child.id, weight="34")
    (warning,) = check_order(ctx, **order)
    assert warning.code == "ABOVE_LABEL_MAX" and "at 30 kg or more" in warning.message


def test_checking_an_order_writes_nothing(ctx: ServiceContext, patient: PatientSummary,
                                          table_counts: Counts) -> None:
    before = table_counts()
    (warning,) = check_order(ctx, patient_id=patient.id, protocol_id="infliximab",
                             indication_id="ulcerative_colitis", mg_per_kg="7.5")
    assert warning.requires_override and table_counts() == before


def test_changing_the_order_checks_it_and_keeps_who_why_and_the_reason(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    course_id = _start(ctx, patient.id, "infliximab", "crohns", mg_per_kg="5")

    def change(**extra: object) -> object:
        return change_order(ctx, course_id=course_id, mg_per_kg="10",
                            reason="Loss of response at week 30", ordered_by="Dr Lis",
                            **extra)  # type: ignore[arg-type]

    assert _refused(table_counts, change).codes == ("ABOVE_LABEL_MAX",)
    detail = change(override_reason=REASON)
    (entry,) = detail.order_changes  # type: ignore[attr-defined]
    assert (entry.order_text, entry.ordered_by, entry.reason, entry.override_reason) == (
        "10 mg/kg", "Dr Lis", "Loss of response at week 30", REASON)
    assert detail.course.mg_per_kg == 10  # type: ignore[attr-defined]
    with ctx.session_factory() as session:
        assert verify_audit(session).ok


def test_changing_to_the_loss_of_response_indication_needs_no_reason_and_is_dosed_from_it(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    detail = change_order(ctx, course_id=booking.course_id, mg_per_kg="10",
                          indication_id="crohns_loss_of_response",
                          reason="Lost response; Dr Nowak escalates")
    assert detail.course.indication_id == "crohns_loss_of_response"
    assert detail.order_changes[0].ordered_by == "Dr Ewa Nowak"  # the course's prescriber
    preview = preview_dose(ctx, appointment_id=booking.appointment_id, weight="70")
    assert preview.plan.dose_mg == 700 and preview.override_needed == ()


def test_a_change_of_order_needs_a_reason_and_a_running_course(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    from clinic_app.domain.errors import InvalidInput
    from clinic_app.services.errors import InvalidInputs

    course_id = _start(ctx, patient.id, "infliximab", "crohns", mg_per_kg="5")
    with pytest.raises(InvalidInput) as missing:
        change_order(ctx, course_id=course_id, mg_per_kg="5", reason=" ")
    assert missing.value.field == "reason"
    with pytest.raises(InvalidInputs) as both:
        change_order(ctx, course_id=course_id, mg_per_kg="five", reason="")
    assert sorted(e.field for e in both.value.errors) == ["mg_per_kg", "reason"]
    stop_course(ctx, course_id=course_id, reason="Remission")
    with pytest.raises(ActionNotAllowed):
        change_order(ctx, course_id=course_id, mg_per_kg="5", reason="Re-confirmed")


# --- Where the dose is prepared --------------------------------------------------------------


def test_the_dose_preview_asks_again_for_a_reason_for_a_dose_above_the_indications_maximum(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    course_id = _start(ctx, patient.id, "infliximab", "ulcerative_colitis", mg_per_kg="7.5",
                       override_reason=REASON)
    first = get_course(ctx, course_id=course_id).appointments[0]
    book(ctx, first.id, "2026-03-02")
    preview = preview_dose(ctx, appointment_id=first.id, weight="70")
    assert preview.override_needed == ("ABOVE_LABEL_MAX",)
    assert "5 mg/kg for Ulcerative colitis" in preview.warnings[0].message
    visit = open_visit(ctx, appointment_id=first.id, weight="70", override_reason=REASON)
    assert visit.dose_plan.dose_mg == 525


def test_a_fixed_dose_drug_at_another_dose_needs_a_reason_when_the_dose_is_prepared(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    course_id = _start(ctx, patient.id, "vedolizumab", "crohns", fixed_mg="150",
                       override_reason="Dr Nowak: half dose, trial protocol 22-104")
    first = get_course(ctx, course_id=course_id).appointments[0]
    book(ctx, first.id, "2026-03-02")
    refused = _refused(table_counts, lambda: open_visit(ctx, appointment_id=first.id,
                                                         weight="70"))
    assert refused.codes == ("OFF_LABEL_DOSE",)
    visit = open_visit(ctx, appointment_id=first.id, weight="70",
                       override_reason="Dr Nowak: half dose, trial protocol 22-104")
    assert visit.dose_plan.dose_mg == 150


def test_a_capped_dose_is_acknowledged_before_the_visit_opens_and_kept_with_it(
        ctx: ServiceContext, patient: PatientSummary, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id, protocol="tocilizumab")
    preview = preview_dose(ctx, appointment_id=booking.appointment_id, weight="175")
    assert "CAPPED" in preview.ack_needed and preview.plan.dose_mg == 800
    capped = next(w for w in preview.warnings if w.code == "CAPPED")
    assert capped.message.startswith(
        "Ordered 1400 mg (8 mg/kg × 175 kg) is above the label cap of 800 mg per infusion "
        "(Rheumatoid arthritis): 800 mg will be prepared.")
    refused = _refused(table_counts, lambda: open_visit(
        ctx, appointment_id=booking.appointment_id, weight="175"))
    assert refused.codes == ("CAPPED",)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="175",
                       acknowledged=["CAPPED"])
    assert visit.acknowledged == ("CAPPED",)


# --- The plan's weight -----------------------------------------------------------------------


def _next_dose(ctx: ServiceContext, clock: object, appointment_id: int, weight: str,
               **options: object) -> None:
    clock.advance(days=14)  # type: ignore[attr-defined]
    book(ctx, appointment_id, ctx.local_now().date().isoformat(), time="15:00")
    infuse(ctx, clock, appointment_id, weight, **options)


def test_a_gradual_drift_is_flagged_against_the_first_doses_weight(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    infuse(ctx, clock, booking.appointment_id, "70")
    _next_dose(ctx, clock, booking.appointment_ids[1], "76")  # +8.6 %: no warning
    clock.advance(days=28)  # type: ignore[attr-defined]
    third = booking.appointment_ids[2]
    book(ctx, third, ctx.local_now().date().isoformat(), time="15:00")
    preview = preview_dose(ctx, appointment_id=third, weight="82")
    # 76 -> 82 kg is +7.9 %, but 70 -> 82 kg (dose 1) is +17.1 %.
    assert preview.ack_needed == ("PLAN_WEIGHT_CHANGE",)
    assert "PLAN_WEIGHT_CHANGE" in preview.stop_codes
    message = preview.warnings[0].message
    assert "from 70 kg to 82 kg (+17.1 %)" in message
    assert "the first dose, dose 1 on 2 Mar 2026" in message


def test_a_re_confirmed_order_takes_the_weight_on_file_as_the_plans_weight(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    infuse(ctx, clock, booking.appointment_id, "70")
    _next_dose(ctx, clock, booking.appointment_ids[1], "76")
    clock.advance(days=20)  # type: ignore[attr-defined]
    record_weight(ctx, patient_id=patient.id, weight="81")
    detail = change_order(ctx, course_id=booking.course_id, mg_per_kg="5",
                          reason="Weight gain reviewed: 5 mg/kg re-confirmed")
    assert detail.order_changes[-1].plan_weight_kg == Decimal("81.0")
    clock.advance(days=8)  # type: ignore[attr-defined]
    third = booking.appointment_ids[2]
    book(ctx, third, ctx.local_now().date().isoformat(), time="15:00")
    # 82 kg: +17.1 % from dose 1's 70 kg, but +1.2 % from the re-confirmed 81 kg.
    assert preview_dose(ctx, appointment_id=third, weight="82").warnings == ()
    infuse(ctx, clock, third, "84")
    clock.advance(days=56)  # type: ignore[attr-defined]
    fourth = booking.appointment_ids[3]
    book(ctx, fourth, ctx.local_now().date().isoformat(), time="15:00")
    drift = preview_dose(ctx, appointment_id=fourth, weight="90")  # +7.1 % from 84 kg
    assert drift.ack_needed == ("PLAN_WEIGHT_CHANGE",)
    assert "81 kg on file when the order was changed on 5 Apr 2026" in drift.warnings[0].message


def test_re_weighing_the_first_visit_does_not_compare_with_the_wrong_weight(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    wrong = open_visit(ctx, appointment_id=booking.appointment_id, weight="90")
    preview = preview_reweigh(ctx, visit_id=wrong.id, weight="70")
    assert preview.warnings == ()


# --- A weight too old to dose from -----------------------------------------------------------


def _text(data: bytes) -> str:
    return " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
                    .split())


def test_the_bedside_sheet_printed_from_an_old_weight_asks_for_a_re_weigh(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    record_weight(ctx, patient_id=patient.id, weight="71", measured_at="2026-01-16 09:00")
    page = _text(sheets.bedside_checklist(ctx, appointment_id=booking.appointment_id))
    assert "45 days before the dose (more than 30 days)" in page and "re-weigh" in page
    record_weight(ctx, patient_id=patient.id, weight="71", measured_at="2026-02-27 09:00")
    page = _text(sheets.bedside_checklist(ctx, appointment_id=booking.appointment_id))
    assert "days before the dose" not in page
