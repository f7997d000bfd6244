"""Issue 12, "Decisions reach the record": the reason to start despite flagged baseline vitals
is part of the visit record (not only the audit trail) and reaches the printed record."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from visit_fixtures import answer_pre_checks, book_first_dose

from clinic_app.domain.checklists import START_OVERRIDE_KEY
from clinic_app.domain.errors import InvalidInput
from clinic_app.services.chart import patient_audit
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.sheets._records import visit_record
from clinic_app.services.visits import (
    BaselineFlagged,
    CorrectionNeedsReason,
    get_visit,
    open_visit,
    record_check,
    record_vitals,
    start_infusion,
)

Counts = Callable[[], dict[str, int]]
HIGH_BP = {
    "systolic": "182",
    "diastolic": "104",
    "heart_rate": "80",
    "temperature": "36.8",
    "respiratory_rate": "16",
    "spo2": "98",
}


def test_the_reason_to_start_despite_flags_is_an_entry_of_the_visit_record(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    record_vitals(ctx, visit_id=visit.id, item_key="pre.baseline_vitals", **HIGH_BP)
    answer_pre_checks(ctx, visit.id)
    try:
        start_infusion(ctx, visit_id=visit.id)
    except BaselineFlagged as flagged:
        codes = flagged.codes
    start_infusion(
        ctx,
        visit_id=visit.id,
        acknowledged_flags=codes,
        flags_reason="prescriber informed, proceed",
    )
    detail = get_visit(ctx, visit_id=visit.id)
    overrides = [e for e in detail.entries if e.item_key == START_OVERRIDE_KEY]
    assert len(overrides) == 1
    entry = overrides[0]
    assert "182/104" in entry.answer and "prescriber informed, proceed" in entry.answer
    assert entry.nurse and entry.text == "Started despite flagged baseline vitals"
    record = visit_record(detail, (), None)
    assert any(
        "prescriber informed, proceed" in a.answer
        and a.item == "Started despite flagged baseline vitals"
        for a in record.checklist
    )


def test_changing_a_saved_answer_needs_a_reason_and_keeps_the_old_answer(
    ctx: ServiceContext, patient: PatientSummary, table_counts: Counts
) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    record_check(ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="yes")
    record_check(ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="yes")  # same
    before = table_counts()
    with pytest.raises(CorrectionNeedsReason) as caught:
        record_check(ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="no")
    assert table_counts() == before
    assert "Yes" in str(caught.value) and "reason" in str(caught.value)
    with pytest.raises(CorrectionNeedsReason):
        record_check(
            ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="no", reason="   "
        )
    entry = record_check(
        ctx,
        visit_id=visit.id,
        item_key="pre.fever_infection",
        answer="no",
        reason="clicked the wrong button",
    )
    assert entry.corrects == "yes" and entry.correction_reason == "clicked the wrong button"
    detail = get_visit(ctx, visit_id=visit.id)
    answers = [e.answer for e in detail.entries if e.item_key == "pre.fever_infection"]
    assert answers == ["yes", "yes", "no"]
    latest = detail.entries[-1]
    assert latest.corrects == "yes" and latest.correction_reason == "clicked the wrong button"
    record = visit_record(detail, (), None)
    printed = [a.answer for a in record.checklist if a.item.startswith("Fever")]
    assert printed == ["no (corrected: yes -> no, reason: clicked the wrong button)"]


def test_a_first_answer_needs_no_reason_and_is_no_correction(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    first = record_check(ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="yes")
    ticked = record_check(ctx, visit_id=visit.id, item_key="pre.identity")
    for entry in (first, ticked):
        assert entry.corrects is None and entry.correction_reason is None
    record = visit_record(get_visit(ctx, visit_id=visit.id), (), None)
    printed = {a.item.split(" ")[0]: a.answer for a in record.checklist}
    assert printed["Fever"] == "yes" and printed["Patient"] == "done"


def test_the_reason_for_a_change_is_in_the_audit_trail_with_the_old_answer_kept(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    old = record_check(ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="no")
    new = record_check(
        ctx,
        visit_id=visit.id,
        item_key="pre.fever_infection",
        answer="yes",
        reason="patient now reports a cough",
    )
    lines = [
        line
        for line in patient_audit(ctx, patient_id=patient.id)
        if line.record == "checklist entry"
    ]
    reasons = [
        (line.record_id, line.action, line.nurse, line.new)
        for line in lines
        if line.field == "correction_reason"
    ]
    assert reasons == [(new.id, "insert", "Anna Keller", "patient now reports a cough")]
    values = {(line.record_id, line.new) for line in lines if line.field == "value"}
    assert {(old.id, "no"), (new.id, "yes")} <= values
    assert not [line for line in lines if line.record_id == old.id and line.action != "insert"]


@pytest.mark.parametrize("reason", ["x" * 501, "wrong\ud800button", "wrong\x00button"])
def test_a_reason_that_cannot_be_kept_is_refused_with_a_message_and_nothing_written(
    ctx: ServiceContext, patient: PatientSummary, table_counts: Counts, reason: str
) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    record_check(ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="no")
    before = table_counts()
    with pytest.raises(InvalidInput) as caught:
        record_check(
            ctx, visit_id=visit.id, item_key="pre.fever_infection", answer="yes", reason=reason
        )
    assert caught.value.field == "reason" and "reason" in str(caught.value).lower()
    assert table_counts() == before


def test_a_no_fever_answer_against_a_measured_fever_needs_a_reason_before_the_start(
    ctx: ServiceContext, patient: PatientSummary, table_counts: Counts
) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    answer_pre_checks(ctx, visit.id)  # the fever question answered "no"
    record_vitals(
        ctx,
        visit_id=visit.id,
        item_key="pre.baseline_vitals",
        **{**HIGH_BP, "systolic": "120", "diastolic": "80", "temperature": "38.2"},
    )
    before = table_counts()
    with pytest.raises(BaselineFlagged) as caught:
        start_infusion(ctx, visit_id=visit.id)
    assert table_counts() == before
    assert "FEVER_ANSWER_DISAGREES" in caught.value.codes
    assert '"No fever" was answered' in str(caught.value) and "38.2 C" in str(caught.value)
    with pytest.raises(BaselineFlagged):
        start_infusion(
            ctx,
            visit_id=visit.id,
            acknowledged_flags=("FEVER",),
            flags_reason="prescriber informed",
        )
    start_infusion(
        ctx,
        visit_id=visit.id,
        acknowledged_flags=caught.value.codes,
        flags_reason="prescriber informed, feels well",
    )
    record = visit_record(get_visit(ctx, visit_id=visit.id), (), None)
    started = [
        a.answer for a in record.checklist if a.item == "Started despite flagged baseline vitals"
    ]
    assert len(started) == 1 and '"No fever" was answered' in started[0]
    assert "prescriber informed, feels well" in started[0]


def test_no_fever_answer_with_a_normal_temperature_starts_without_a_question(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_visit(ctx, appointment_id=booking.appointment_id, weight="80")
    answer_pre_checks(ctx, visit.id)
    start_infusion(ctx, visit_id=visit.id)
    assert get_visit(ctx, visit_id=visit.id).started_at is not None
