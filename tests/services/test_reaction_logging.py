"""Logging reactions and what they change in the next infusion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from visit_fixtures import book, book_first_dose, infuse, open_ready_visit

from clinic_app.domain.errors import Contraindicated, InvalidInput
from clinic_app.services.chart import get_chart, patient_audit
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import start_course
from clinic_app.services.errors import ActionNotAllowed, OverrideRequired
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import get_reaction, log_reaction
from clinic_app.services.visits import open_visit, pause_infusion, preview_dose, start_infusion
from clinic_app.services.visits.dto import MedicationForm

Counts = Callable[[], dict[str, int]]


def _running_visit(ctx: ServiceContext, clock: object, patient_id: int,
                   protocol: str = "infliximab") -> tuple[int, tuple[int, ...]]:
    booking = book_first_dose(ctx, patient_id, protocol=protocol)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    return visit.id, booking.appointment_ids


def test_an_acute_reaction_during_the_infusion_is_graded_and_placed_in_time(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id, _ = _running_visit(ctx, clock, patient.id)
    pause_infusion(ctx, visit_id=visit_id, reason="Reaction")
    detail = log_reaction(
        ctx, patient_id=patient.id, visit_id=visit_id, onset=ctx.now(),
        signs=["urticaria", "itching"], term="infusion_related_reaction", grade=2,
        actions="Infusion stopped, saline running, prescriber called",
        medications=[MedicationForm(drug="Clemastine", dose="2", dose_unit="mg", route="IV")],
        outcome="Resolved after 30 minutes", notes="  Hives on the chest  ")
    assert detail.onset_class == "during_infusion" and detail.minutes_after_start == 10
    assert detail.summary.ctcae_version == "CTCAE v5.0"
    assert detail.summary.notes == "Hives on the chest"
    assert detail.medications[0].dose == 2 and detail.medications[0].given_by == "Anna Keller"
    assert any("prescriber" in line for line in detail.guidance)
    assert get_reaction(ctx, reaction_id=detail.summary.id) == detail


def test_anaphylaxis_to_anifrolumab_puts_the_contraindication_on_file_and_stops_the_drug(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id, appointments = _running_visit(ctx, clock, patient.id, protocol="anifrolumab")
    detail = log_reaction(ctx, patient_id=patient.id, visit_id=visit_id, onset=ctx.now(),
                          signs=["anaphylaxis", "hypotension"], term="anaphylaxis", grade=3,
                          actions="Epinephrine 0.5 mg IM", infusion_action="stopped")
    assert detail.contraindication_codes == ("anaphylaxis_anifrolumab",)
    chart = get_chart(ctx, patient_id=patient.id)
    assert [c.code for c in chart.contraindications] == ["anaphylaxis_anifrolumab"]
    assert chart.contraindications[0].reaction_id == detail.summary.id
    (course,) = chart.courses
    assert course.status == "stopped"  # in the same transaction as the reaction
    assert [w.code for w in detail.consequences] == ["REACTION_CONTRAINDICATION"]
    clock.advance(days=28)  # type: ignore[attr-defined]
    with pytest.raises(ActionNotAllowed, match="cancelled"):
        book(ctx, appointments[1], day=ctx.local_now().date().isoformat())
    with pytest.raises(Contraindicated):
        start_course(ctx, patient_id=patient.id, protocol_id="anifrolumab", indication_id="sle",
                     fixed_mg="300", prescriber="Dr Nowak", first_dose=ctx.local_now().date())


@pytest.mark.parametrize(("signs", "term", "grade"), [
    (["anaphylaxis", "hypotension"], "anaphylaxis", 3),
    (["urticaria", "hypotension"], "infusion_related_reaction", 4),
    (["bronchospasm"], "allergic_reaction", 4),
])
def test_severe_hypersensitivity_to_infliximab_stops_the_course_and_refuses_the_next_dose(
        ctx: ServiceContext, patient: PatientSummary, clock: object, signs: list[str],
        term: str, grade: int) -> None:
    visit_id, appointments = _running_visit(ctx, clock, patient.id)
    detail = log_reaction(ctx, patient_id=patient.id, visit_id=visit_id, onset=ctx.now(),
                          signs=signs, term=term, grade=grade, infusion_action="stopped")
    assert detail.contraindication_codes == ("hypersensitivity_murine",)
    messages = " ".join(w.message for w in detail.consequences)
    assert [w.code for w in detail.consequences] == ["REACTION_CONTRAINDICATION"]
    for never in ("premedicate", "graduated", "Prescriber review before the next"):
        assert never not in messages
    chart = get_chart(ctx, patient_id=patient.id)
    assert chart.courses[0].status == "stopped"
    notes = [line.new for line in patient_audit(ctx, patient_id=patient.id)
             if line.record == "treatment course" and line.field == "notes"]
    assert any("Infliximab contraindicated after the reaction" in str(n) for n in notes)
    clock.advance(days=14)  # type: ignore[attr-defined]
    with pytest.raises(ActionNotAllowed):
        open_visit(ctx, appointment_id=appointments[1], weight="72.5")
    with pytest.raises(Contraindicated):
        start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                     indication_id="crohns", mg_per_kg="5", prescriber="Dr Nowak",
                     first_dose=ctx.local_now().date())


def test_a_grade_3_infusion_reaction_to_infliximab_keeps_the_course_for_prescriber_review(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id, _ = _running_visit(ctx, clock, patient.id)
    detail = log_reaction(ctx, patient_id=patient.id, visit_id=visit_id, onset=ctx.now(),
                          signs=["urticaria"], term="infusion_related_reaction", grade=3,
                          infusion_action="stopped")
    assert detail.contraindication_codes == ()
    assert "PRESCRIBER_REVIEW_AFTER_REACTION" in {w.code for w in detail.consequences}
    assert get_chart(ctx, patient_id=patient.id).courses[0].status == "active"


def test_a_mild_reaction_to_anifrolumab_brings_premedication_to_the_next_dose(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id, appointments = _running_visit(ctx, clock, patient.id, protocol="anifrolumab")
    log_reaction(ctx, patient_id=patient.id, visit_id=visit_id, onset=ctx.now(),
                 signs=["flushing"], term="infusion_related_reaction", grade=2,
                 infusion_action="paused")
    clock.advance(days=28)  # type: ignore[attr-defined]
    book(ctx, appointments[1], day=ctx.local_now().date().isoformat(), time="15:00")
    preview = preview_dose(ctx, appointment_id=appointments[1], weight="70")
    assert preview.premedication is not None and "acetaminophen" in preview.premedication
    assert "PREMEDICATE_AFTER_REACTION" in preview.ack_needed
    second = open_visit(ctx, appointment_id=appointments[1], weight="70",
                        acknowledged=preview.ack_needed)
    assert second.previous_reaction
    assert second.checklist.of("pre.premedication").state.value == "due"


@pytest.mark.parametrize(("protocol", "after_end"), [
    ("tocilizumab", timedelta(minutes=45)), ("anifrolumab", timedelta(hours=20)),
])
def test_a_reaction_within_the_drugs_own_window_after_its_short_observation_is_acute(
        ctx: ServiceContext, patient: PatientSummary, clock: object, protocol: str,
        after_end: timedelta, table_counts: Counts) -> None:
    booking = book_first_dose(ctx, patient.id, protocol=protocol)
    visit = infuse(ctx, clock, booking.appointment_id, weight="70")
    assert visit.ended_at is not None
    clock.set(visit.ended_at + after_end + timedelta(minutes=5))  # type: ignore[attr-defined]
    before = table_counts()
    with pytest.raises(InvalidInput, match="must be graded"):
        log_reaction(ctx, patient_id=patient.id, onset=visit.ended_at + after_end,
                     signs=["fever"])
    assert table_counts() == before
    detail = log_reaction(ctx, patient_id=patient.id, onset=visit.ended_at + after_end,
                          signs=["fever"], term="infusion_related_reaction", grade=1)
    assert detail.onset_class == "acute_after"
    assert "PREMEDICATE_AFTER_REACTION" in {w.code for w in detail.consequences}


def test_signs_of_an_immediate_reaction_make_a_late_infliximab_onset_acute(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    assert visit.ended_at is not None
    clock.advance(hours=6)  # type: ignore[attr-defined]
    late = visit.ended_at + timedelta(hours=5)
    fever = log_reaction(ctx, patient_id=patient.id, onset=late, signs=["fever"])
    assert fever.onset_class == "delayed"  # past the 2-hour window, no immediate sign
    hives = log_reaction(ctx, patient_id=patient.id, onset=late, signs=["urticaria"],
                         term="allergic_reaction", grade=2)
    assert hives.onset_class == "acute_after"


def test_a_booked_dose_cannot_be_opened_after_an_anaphylaxis_to_the_drug(
        ctx: ServiceContext, patient: PatientSummary, clock: object,
        table_counts: Counts) -> None:
    visit_id, appointments = _running_visit(ctx, clock, patient.id, protocol="anifrolumab")
    clock.advance(days=27)  # type: ignore[attr-defined]
    book(ctx, appointments[1], day=ctx.local_now().date().isoformat(), time="15:00")
    log_reaction(ctx, patient_id=patient.id, visit_id=visit_id,
                 onset=ctx.now() - timedelta(days=27), signs=["anaphylaxis"],
                 term="anaphylaxis", grade=3, infusion_action="stopped")
    before = table_counts()
    with pytest.raises(ActionNotAllowed, match="course is stopped"):
        open_visit(ctx, appointment_id=appointments[1], weight="70")
    assert table_counts() == before


def test_an_earlier_infliximab_reaction_makes_the_next_dose_graduated_with_premedication(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    clock.advance(minutes=40)  # type: ignore[attr-defined]
    log_reaction(ctx, patient_id=patient.id, visit_id=visit.id,
                 onset=visit.ended_at + timedelta(minutes=30),  # type: ignore[operator]
                 signs=["flushing"], term="infusion_related_reaction", grade=1)
    clock.advance(days=14)  # type: ignore[attr-defined]
    book(ctx, booking.appointment_ids[1], day=ctx.local_now().date().isoformat(),
         time="15:00")
    preview = preview_dose(ctx, appointment_id=booking.appointment_ids[1], weight="72.5")
    assert preview.graduated and preview.plan.titration
    assert preview.premedication is not None and "antihistamine" in preview.premedication
    assert {"PREMEDICATE_AFTER_REACTION", "GRADUATED_RATE_AFTER_REACTION"} <= set(
        preview.ack_needed)
    standard = preview_dose(ctx, appointment_id=booking.appointment_ids[1], weight="72.5",
                            graduated=False)
    assert not standard.graduated
    second = open_visit(ctx, appointment_id=booking.appointment_ids[1], weight="72.5",
                        acknowledged=preview.ack_needed)
    assert second.previous_reaction and second.dose_plan.graduated
    assert second.checklist.of("pre.premedication").state.value == "due"


def test_a_delayed_rash_is_linked_to_the_last_infusion_before_it(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    clock.advance(days=12)  # type: ignore[attr-defined]
    detail = log_reaction(ctx, patient_id=patient.id, onset="2026-03-12 08:00",
                          signs=["psoriasiform_rash"], term="infusion_related_reaction",
                          grade=1, outcome="Referred to dermatology")
    assert detail.summary.visit_id == visit.id
    assert detail.onset_class == "delayed" and detail.days_after_end == 9


def _rash_after_first_infusion(ctx: ServiceContext, clock: object,
                               patient_id: int) -> tuple[int, tuple[int, ...]]:
    booking = book_first_dose(ctx, patient_id)
    visit = infuse(ctx, clock, booking.appointment_id)
    clock.advance(days=12)  # type: ignore[attr-defined]
    return visit.id, booking.appointment_ids


def test_a_delayed_rash_may_be_logged_not_graded_with_notes(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id, _ = _rash_after_first_infusion(ctx, clock, patient.id)
    detail = log_reaction(ctx, patient_id=patient.id, onset="2026-03-12 08:00",
                          signs=["psoriasiform_rash"],
                          notes="Scaly plaques on the palms and soles.\nNo fever.")
    summary = detail.summary
    assert (summary.visit_id, detail.onset_class) == (visit_id, "delayed")
    assert (summary.term, summary.grade, summary.ctcae_version) == (None, None, None)
    assert not summary.graded and summary.grading_text == "not graded"
    assert summary.notes == "Scaly plaques on the palms and soles.\nNo fever."
    assert detail.grade_text == "Not graded (delayed reaction)"
    assert detail.guidance == ()
    assert get_reaction(ctx, reaction_id=summary.id) == detail
    chart = get_chart(ctx, patient_id=patient.id)
    assert "Reaction: delayed psoriasiform rash (not graded) (12 Mar 2026)" in {
        b.text for b in chart.alerts}


def test_an_ungraded_psoriasiform_rash_needs_the_prescribers_decision_before_the_next_dose(
        ctx: ServiceContext, patient: PatientSummary, clock: object,
        table_counts: Counts) -> None:
    _visit_id, appointments = _rash_after_first_infusion(ctx, clock, patient.id)
    detail = log_reaction(ctx, patient_id=patient.id, onset="2026-03-12 08:00",
                          signs=["psoriasiform_rash"], term="", grade="")
    assert [w.code for w in detail.consequences] == [
        "PRESCRIBER_DECISION_AFTER_DELAYED_REACTION"]  # the shortened infusion is off
    book(ctx, appointments[1], day=ctx.local_now().date().isoformat(), time="15:00")
    preview = preview_dose(ctx, appointment_id=appointments[1], weight="72.5")
    assert not preview.graduated and preview.premedication is None
    assert "PRESCRIBER_DECISION_AFTER_DELAYED_REACTION" in preview.override_needed
    before = table_counts()
    with pytest.raises(OverrideRequired):  # an acknowledgement alone is not enough
        open_visit(ctx, appointment_id=appointments[1], weight="72.5",
                   acknowledged=preview.ack_needed)
    assert table_counts() == before
    second = open_visit(ctx, appointment_id=appointments[1], weight="72.5",
                        acknowledged=preview.ack_needed,
                        override_reason="Dr Nowak 2026-03-15: continue, topical steroid")
    assert not second.previous_reaction and not second.dose_plan.graduated


def test_a_delayed_reaction_with_a_term_but_no_grade_writes_nothing(
        ctx: ServiceContext, patient: PatientSummary, clock: object,
        table_counts: Counts) -> None:
    _rash_after_first_infusion(ctx, clock, patient.id)
    before = table_counts()
    with pytest.raises(InvalidInput, match="or leave the delayed reaction not graded") as caught:
        log_reaction(ctx, patient_id=patient.id, onset="2026-03-12 08:00",
                     signs=["arthralgia"], term="infusion_related_reaction")
    assert caught.value.field == "grade"
    assert table_counts() == before


@pytest.mark.parametrize(("changes", "field"), [
    ({"signs": ["sneezing"]}, "signs"),
    ({"signs": "urticaria"}, "signs"),
    ({"term": "anaphylaxis", "grade": 2}, "grade"),
    ({"grade": "severe"}, "grade"),
    ({"term": None, "grade": None}, "grade"),
    ({"term": "", "grade": ""}, "grade"),
    ({"grade": None}, "grade"),
    ({"onset": "2026-03-02 08:00"}, "onset"),
    ({"onset": "2031-01-01 10:00"}, "onset"),
    ({"medications": [MedicationForm(drug="Clemastine", dose="two")]}, "medications"),
    ({"medications": [MedicationForm(drug="Clemastine", given_at="2026-03-02 09:00")]},
     "medications"),
])
def test_a_reaction_with_bad_input_writes_nothing(
        ctx: ServiceContext, patient: PatientSummary, clock: object, table_counts: Counts,
        changes: dict[str, object], field: str) -> None:
    visit_id, _ = _running_visit(ctx, clock, patient.id)
    values: dict[str, object] = {"patient_id": patient.id, "visit_id": visit_id,
                                 "onset": ctx.now(), "signs": ["urticaria"],
                                 "term": "infusion_related_reaction", "grade": 2}
    values.update(changes)
    before = table_counts()
    with pytest.raises(InvalidInput) as caught:
        log_reaction(ctx, **values)  # type: ignore[arg-type]
    assert caught.value.field == field
    assert table_counts() == before


def test_a_reaction_needs_an_infusion_before_it(
        ctx: ServiceContext, make_patient: Callable[..., PatientSummary],
        table_counts: Counts) -> None:
    patient = make_patient()
    before = table_counts()
    with pytest.raises(InvalidInput):
        log_reaction(ctx, patient_id=patient.id, onset=ctx.now(), signs=["rash"],
                     term="infusion_related_reaction", grade=1)
    assert table_counts() == before
