"""Laboratory results and their gate through the services (issue 13): recorded on the chart
with clear refusals, voided with a reason and audited, shown at the visit's pre-check with
their age and the label's proposal, and a hold or stop needs the prescriber's decision before
the start."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from pypdf import PdfReader
from visit_fixtures import book, book_first_dose, infuse, open_ready_visit

from clinic_app.domain.field_checks import InvalidInputs
from clinic_app.domain.units import plain
from clinic_app.services.chart import patient_audit
from clinic_app.services.context import ServiceContext
from clinic_app.services.labs import (
    lab_test_choices,
    list_lab_results,
    record_lab_result,
    void_lab_result,
)
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.sheets import infusion_record
from clinic_app.services.visits import (
    LABS_DECISION_KEY,
    LabsDecisionRequired,
    get_visit,
    start_infusion,
)
from clinic_app.services.visits.dto import VisitDetail

Counts = Callable[[], dict[str, int]]
DECISION = "Dr Nowak: give today, recheck ANC next week"


def _labs(
    ctx: ServiceContext,
    patient_id: int,
    *,
    taken_on: str = "2026-02-27",
    anc: str = "4.1",
    platelets: str = "250",
    alt: str = "30",
    ast: str = "28",
) -> None:
    for test, value, unit in (
        ("anc", anc, "x10^9/L"),
        ("platelets", platelets, "x10^9/L"),
        ("alt", alt, "U/L"),
        ("ast", ast, "U/L"),
    ):
        record_lab_result(
            ctx,
            patient_id=patient_id,
            test=test,
            value=value,
            unit=unit,
            taken_on=taken_on,
            source="City hospital lab",
            ref_low="0",
            ref_high="40" if unit == "U/L" else "",
        )


def _first_tocilizumab_visit(ctx: ServiceContext, patient: PatientSummary) -> VisitDetail:
    booking = book_first_dose(ctx, patient.id, protocol="tocilizumab")
    return open_ready_visit(ctx, booking.appointment_id)


def test_a_result_is_recorded_and_listed_latest_first(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    record_lab_result(
        ctx,
        patient_id=patient.id,
        test="crp",
        value="12",
        unit="mg/L",
        taken_on="2026-02-01",
        source="GP letter",
    )
    entry = record_lab_result(
        ctx,
        patient_id=patient.id,
        test="alt",
        value="95",
        unit="U/L",
        taken_on="2026-02-27",
        source=" City  lab ",
        ref_low="0",
        ref_high="40",
    )
    assert (entry.test_name, plain(entry.value), entry.reference, entry.source) == (
        "ALT",
        "95",
        "0-40",
        "City lab",
    )
    listed = list_lab_results(ctx, patient_id=patient.id)
    assert [e.test for e in listed] == ["alt", "crp"]


def test_every_bad_field_is_named_at_once_and_nothing_is_saved(
    ctx: ServiceContext, patient: PatientSummary, table_counts: Counts
) -> None:
    before = table_counts()
    with pytest.raises(InvalidInputs) as refused:
        record_lab_result(
            ctx,
            patient_id=patient.id,
            test="anc",
            value="1,5",
            unit="x10^9/L",
            taken_on="2026-03-09",
            source="",
        )
    fields = {e.field for e in refused.value.errors}
    assert fields == {"value", "taken_on", "source"}
    assert "Date taken cannot be in the future." in str(refused.value)
    assert table_counts() == before


def test_the_unit_must_be_one_of_the_tests(ctx: ServiceContext, patient: PatientSummary) -> None:
    with pytest.raises(Exception, match=r"Platelets is recorded in x10\^9/L, /mm3"):
        record_lab_result(
            ctx,
            patient_id=patient.id,
            test="platelets",
            value="250",
            unit="g/L",
            taken_on="2026-02-27",
            source="Lab",
        )
    choices = {c.code: c.units for c in lab_test_choices()}
    assert choices["anc"] == ("x10^9/L", "/mm3") and choices["haemoglobin"] == ("g/L", "g/dL")


def test_a_result_is_voided_with_a_reason_and_the_audit_keeps_it(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    entry = record_lab_result(
        ctx,
        patient_id=patient.id,
        test="anc",
        value="0.4",
        unit="x10^9/L",
        taken_on="2026-02-27",
        source="Lab",
    )
    voided = void_lab_result(
        ctx, lab_result_id=entry.id, reason="Wrong patient's report", expected_version=entry.version
    )
    assert voided.voided is not None and voided.voided.reason == "Wrong patient's report"
    audit = patient_audit(ctx, patient_id=patient.id)
    assert {line.record for line in audit if line.record_id == entry.id} >= {"lab result"}
    assert any(
        line.field == "void_reason" and line.new == "Wrong patient's report" for line in audit
    )


def test_the_pre_check_shows_the_latest_values_with_their_age(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    _labs(ctx, patient.id)
    visit = _first_tocilizumab_visit(ctx, patient)
    labs = visit.labs
    assert labs is not None and labs.has_rules
    assert [(e.test_name, e.age_days) for e in labs.latest] == [
        ("Neutrophils (ANC)", 3),
        ("Platelets", 3),
        ("ALT", 3),
        ("AST", 3),
    ]
    assert labs.action == "continue" and labs.flags == () and not labs.needs_decision


def test_a_low_count_before_the_first_dose_needs_the_prescribers_decision(
    ctx: ServiceContext, patient: PatientSummary, table_counts: Counts
) -> None:
    _labs(ctx, patient.id, anc="1.5")
    visit = _first_tocilizumab_visit(ctx, patient)
    assert visit.labs is not None and visit.labs.action == "hold"
    assert "Do not start tocilizumab with neutrophils under 2000/mm3" in visit.labs.reasons[0]
    before = table_counts()
    with pytest.raises(LabsDecisionRequired) as refused:
        start_infusion(ctx, visit_id=visit.id)
    assert refused.value.codes == ("LABS_DECISION",)
    assert "The labs propose: Hold the dose." in str(refused.value)
    assert table_counts() == before
    started = start_infusion(ctx, visit_id=visit.id, labs_decision=DECISION)
    assert started.status == "infusing"
    (kept,) = [e for e in started.entries if e.item_key == LABS_DECISION_KEY]
    assert kept.answer.startswith(DECISION + " (labs proposed: Hold the dose. Neutrophils")
    assert kept.text == "Labs: the prescriber's decision to give the dose"
    printed = infusion_record(ctx, visit_id=visit.id)
    text = " ".join(
        " ".join(p.extract_text() for p in PdfReader(io.BytesIO(printed)).pages).split()
    )
    assert "Labs: the prescriber's decision to give the dose" in text
    assert "Dr Nowak: give today, recheck ANC next week" in text


def test_alt_above_the_uln_at_a_later_dose_proposes_4_mg_per_kg_without_blocking(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    booking = book_first_dose(ctx, patient.id, protocol="tocilizumab")
    _labs(ctx, patient.id)
    infuse(ctx, clock, booking.appointment_id)
    clock.advance(days=28)  # type: ignore[attr-defined]
    today = ctx.local_now().date()
    _labs(ctx, patient.id, taken_on=today.isoformat(), alt="96")
    book(ctx, booking.appointment_ids[1], day=today.isoformat(), time="15:00")
    visit = open_ready_visit(ctx, booking.appointment_ids[1])
    assert visit.labs is not None
    assert (visit.labs.action, visit.labs.action_text) == ("reduce", "Reduce to 4 mg/kg")
    assert "ALT 96 U/L (ref. 0-40) = 2.4 x ULN, taken 0 days ago" in visit.labs.reasons[0]
    assert start_infusion(ctx, visit_id=visit.id).status == "infusing"


def test_an_old_result_is_flagged_at_the_pre_check(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    _labs(ctx, patient.id, taken_on="2025-11-20")
    visit = _first_tocilizumab_visit(ctx, patient)
    assert visit.labs is not None
    assert any(
        f.startswith("Neutrophils (ANC) is 102 days old: older than 3 months")
        for f in visit.labs.flags
    )


def test_a_drug_without_lab_rules_lists_the_values_only(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    _labs(ctx, patient.id, anc="0.3")
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    assert visit.labs is not None and not visit.labs.has_rules
    assert len(visit.labs.latest) == 4
    assert get_visit(ctx, visit_id=visit.id).labs == visit.labs
    assert start_infusion(ctx, visit_id=visit.id).status == "infusing"
