"""Drug levels and anti-drug antibodies (issue 13, therapeutic drug monitoring): recorded for a
course, refused with a message per field, voided with a reason, audited, and the course's TDM
series built from the infusions as given."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
from visit_fixtures import book, book_first_dose, infuse, open_ready_visit

from clinic_app.domain.drug_levels import AntibodyStatus, LevelKind
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import InvalidInputs
from clinic_app.services.chart import patient_audit
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import change_order
from clinic_app.services.drug_levels import course_tdm, record_drug_level, void_drug_level
from clinic_app.services.drug_levels.dto import DrugLevelForm
from clinic_app.services.errors import NotFound
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import end_infusion, start_infusion

Counts = Callable[[], dict[str, int]]


def test_a_trough_is_recorded_and_linked_to_the_dose_it_was_drawn_before(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    form = DrugLevelForm(
        kind="trough", drawn_on="2026-03-02", value="2.1", assay="ELISA", before_dose="1"
    )
    entry = record_drug_level(ctx, course_id=booking.course_id, form=form)
    assert entry.level.kind is LevelKind.TROUGH and entry.level.value == Decimal("2.1")
    assert entry.level.unit == "µg/mL" and entry.level.before_dose == 1
    assert entry.appointment_id == booking.appointment_id
    assert entry.nurse == "Anna Keller" and entry.voided is None


def test_bad_input_is_refused_field_by_field_and_nothing_is_written(
    ctx: ServiceContext, patient: PatientSummary, table_counts: Counts
) -> None:
    booking = book_first_dose(ctx, patient.id)
    before = table_counts()
    form = DrugLevelForm(kind="trough", drawn_on="2026-02-01", value="-2", before_dose="x")
    with pytest.raises(InvalidInputs) as raised:
        record_drug_level(ctx, course_id=booking.course_id, form=form)
    messages = {e.field: str(e) for e in raised.value.errors}
    assert "before the course began (2 Mar 2026)" in messages["drawn_on"]
    assert "cannot be negative" in messages["value"]
    assert "enter the dose number" in messages["before_dose"]
    assert table_counts() == before


@pytest.mark.parametrize(
    ("drawn_on", "words"),
    [("", "Date drawn is required"), ("2026-03-03", "in the future"), ("soon", "is not a date")],
)
def test_the_day_drawn_is_required_real_and_not_in_the_future(
    ctx: ServiceContext, patient: PatientSummary, drawn_on: str, words: str
) -> None:
    booking = book_first_dose(ctx, patient.id)
    with pytest.raises(InvalidInput, match=words) as raised:
        record_drug_level(
            ctx,
            course_id=booking.course_id,
            form=DrugLevelForm(kind="trough", drawn_on=drawn_on, value="3"),
        )
    assert raised.value.field == "drawn_on"


def test_a_voided_level_stays_marked_leaves_the_plot_and_is_in_the_audit_trail(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    entry = record_drug_level(
        ctx,
        course_id=booking.course_id,
        form=DrugLevelForm(kind="trough", drawn_on="2026-03-02", value="20"),
    )
    with pytest.raises(InvalidInput, match="reason"):
        void_drug_level(ctx, level_id=entry.id, reason=" ")
    voided = void_drug_level(ctx, level_id=entry.id, reason="Wrong patient's result")
    assert voided.voided is not None and voided.voided.reason == "Wrong patient's result"
    view = course_tdm(ctx, patient_id=patient.id, course_id=booking.course_id)
    assert [e.id for e in view.entries] == [entry.id] and view.series.troughs == ()
    lines = [
        (a.record, a.field)
        for a in patient_audit(ctx, patient_id=patient.id)
        if a.record == "drug level"
    ]
    assert ("drug level", "value") in lines and ("drug level", "void_reason") in lines


def test_another_patients_course_is_not_shown(
    ctx: ServiceContext, patient: PatientSummary, make_patient: Callable[..., PatientSummary]
) -> None:
    booking = book_first_dose(ctx, patient.id)
    other = make_patient(mrn="MRN002", family_name="Other")
    with pytest.raises(NotFound):
        course_tdm(ctx, patient_id=other.id, course_id=booking.course_id)


def test_the_series_has_the_doses_given_intervals_the_escalation_and_the_results(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    booking = book_first_dose(ctx, patient.id)
    infuse(ctx, clock, booking.appointment_id)
    clock.advance(days=14)  # type: ignore[attr-defined]
    book(ctx, booking.appointment_ids[1], day=ctx.local_now().date().isoformat(), time="15:00")
    infuse(ctx, clock, booking.appointment_ids[1])
    record_drug_level(
        ctx,
        course_id=booking.course_id,
        form=DrugLevelForm(
            kind="trough", drawn_on=ctx.local_now().date().isoformat(), value="1.2", before_dose="3"
        ),
    )
    record_drug_level(
        ctx,
        course_id=booking.course_id,
        form=DrugLevelForm(
            kind="antibody",
            drawn_on=ctx.local_now().date().isoformat(),
            value="",
            reported="negative",
            before_dose="3",
        ),
    )
    change_order(
        ctx,
        course_id=booking.course_id,
        mg_per_kg="10",
        reason="Low trough",
        override_reason="Prescriber: escalation",
    )
    clock.advance(days=28)  # type: ignore[attr-defined]
    book(ctx, booking.appointment_ids[2], day=ctx.local_now().date().isoformat(), time="15:00")
    infuse(ctx, clock, booking.appointment_ids[2], override_reason="Prescriber: escalation")

    view = course_tdm(ctx, patient_id=patient.id, course_id=booking.course_id)
    doses = view.series.doses
    assert [p.dose.dose_number for p in doses] == [1, 2, 3]
    assert [p.weeks_since_previous for p in doses] == [None, Decimal(2), Decimal(4)]
    assert [p.dose.ordered_mg_per_kg for p in doses] == [Decimal(5), Decimal(5), Decimal(10)]
    assert [p.dose.dose_number for p in view.series.dose_changes] == [3]
    assert doses[0].dose.given_on == date(2026, 3, 2)
    assert view.series.antibodies[0].status is AntibodyStatus.NEGATIVE
    assert view.summary == (
        "Latest trough 1.2 µg/mL on 16 Mar 2026, before dose 3; antibodies negative"
    )
    assert view.drug and "prescriber decides" in view.note


def test_an_infusion_stopped_early_is_plotted_with_the_part_it_gave(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    visit = start_infusion(ctx, visit_id=visit.id)
    clock.advance(minutes=visit.dose_plan.duration_min // 2)  # type: ignore[attr-defined]
    end_infusion(ctx, visit_id=visit.id, reason="Stopped: chest tightness")
    (point,) = course_tdm(ctx, patient_id=patient.id, course_id=booking.course_id).series.doses
    assert point.dose.partial and Decimal(0) < point.dose.mg_per_kg < Decimal(5)
    assert point.dose.ordered_mg_per_kg == Decimal(5)
