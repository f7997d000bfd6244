"""A reaction logged during the infusion pauses or stops the pump in the same transaction; the
pump may not run again after an anaphylaxis; an early end needs a reason."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.domain.errors import InvalidInput
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import ActionNotAllowed
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import _logging as reaction_logging
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import (
    allowed_infusion_actions,
    change_rate,
    end_infusion,
    get_visit,
    pause_infusion,
    resume_infusion,
    start_infusion,
)
from clinic_app.storage.models import Reaction

Counts = Callable[[], dict[str, int]]


def _running(ctx: ServiceContext, clock: object, patient_id: int,
             protocol: str = "infliximab") -> int:
    booking = book_first_dose(ctx, patient_id, protocol=protocol)
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    return visit.id


def _log(ctx: ServiceContext, patient_id: int, visit_id: int, *, term: str, grade: int,
         action: str) -> None:
    log_reaction(ctx, patient_id=patient_id, visit_id=visit_id, onset=ctx.now(),
                 signs=["urticaria"], term=term, grade=grade, infusion_action=action)


def test_a_reaction_with_the_infusion_paused_records_the_pause_with_the_reaction(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _running(ctx, clock, patient.id)
    _log(ctx, patient.id, visit_id, term="infusion_related_reaction", grade=2, action="paused")
    visit = get_visit(ctx, visit_id=visit_id)
    assert visit.infusion is not None and visit.infusion.state == "paused"
    assert visit.infusion.paused_since == ctx.now()
    assert [e.kind for e in visit.events] == ["pause"]
    assert "reaction" in (visit.events[0].note or "") and len(visit.reactions) == 1


def test_a_reaction_with_the_infusion_stopped_ends_it_with_the_reaction_as_the_reason(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _running(ctx, clock, patient.id)
    _log(ctx, patient.id, visit_id, term="infusion_related_reaction", grade=3, action="stopped")
    visit = get_visit(ctx, visit_id=visit_id)
    assert visit.status == "observation" and visit.ended_at == ctx.now()
    assert visit.events[-1].kind == "stop"
    assert "Stopped for good" in (visit.events[-1].note or "")


def test_the_reaction_is_not_saved_when_the_pump_cannot_be_interrupted(
        ctx: ServiceContext, patient: PatientSummary, clock: object, table_counts: Counts,
        monkeypatch: pytest.MonkeyPatch) -> None:
    visit_id = _running(ctx, clock, patient.id)

    def fail(*args: object, **kwargs: object) -> None:
        raise ActionNotAllowed("The pump could not be stopped.")

    monkeypatch.setattr(reaction_logging, "interrupt_for_reaction", fail)
    before = table_counts()
    with pytest.raises(ActionNotAllowed):
        _log(ctx, patient.id, visit_id, term="anaphylaxis", grade=3, action="stopped")
    assert table_counts() == before


@pytest.mark.parametrize(("term", "grade"), [("infusion_related_reaction", 3),
                                             ("infusion_related_reaction", 4),
                                             ("anaphylaxis", 3)])
def test_a_severe_reaction_that_did_not_interrupt_the_infusion_is_refused(
        ctx: ServiceContext, patient: PatientSummary, clock: object, table_counts: Counts,
        term: str, grade: int) -> None:
    visit_id = _running(ctx, clock, patient.id)
    before = table_counts()
    with pytest.raises(InvalidInput) as refused:
        _log(ctx, patient.id, visit_id, term=term, grade=grade, action="none")
    assert refused.value.field == "infusion_action"
    assert table_counts() == before


def test_a_mild_reaction_may_leave_the_infusion_running(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _running(ctx, clock, patient.id)
    _log(ctx, patient.id, visit_id, term="infusion_related_reaction", grade=1, action="none")
    visit = get_visit(ctx, visit_id=visit_id)
    assert visit.infusion is not None and visit.infusion.state == "running"


def test_an_unknown_infusion_action_is_refused(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _running(ctx, clock, patient.id)
    with pytest.raises(InvalidInput) as refused:
        _log(ctx, patient.id, visit_id, term="infusion_related_reaction", grade=1,
             action="slowed")
    assert refused.value.field == "infusion_action"


@pytest.mark.parametrize(("term", "grade"), [("infusion_related_reaction", 3),
                                           ("infusion_related_reaction", 4),
                                           ("anaphylaxis", 3)])
def test_a_severe_reaction_may_only_stop_the_infusion_not_pause_it(
        ctx: ServiceContext, patient: PatientSummary, clock: object, table_counts: Counts,
        term: str, grade: int) -> None:
    visit_id = _running(ctx, clock, patient.id)
    before = table_counts()
    with pytest.raises(InvalidInput, match="not restarted today") as refused:
        _log(ctx, patient.id, visit_id, term=term, grade=grade, action="paused")
    assert refused.value.field == "infusion_action"
    assert table_counts() == before
    assert get_visit(ctx, visit_id=visit_id).status == "infusing"


def test_the_form_is_offered_only_stopped_for_a_severe_reaction() -> None:
    assert allowed_infusion_actions(infusing=True, term="infusion_related_reaction",
                                    grade=3) == ("stopped",)
    assert allowed_infusion_actions(infusing=True, term="anaphylaxis", grade=4) == ("stopped",)
    assert allowed_infusion_actions(infusing=True, term="infusion_related_reaction",
                                    grade=2) == ("none", "paused", "stopped")
    assert allowed_infusion_actions(infusing=False, term="anaphylaxis", grade=3) == ("none",)


def test_anaphylaxis_to_anifrolumab_stops_the_infusion_for_good(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _running(ctx, clock, patient.id, protocol="anifrolumab")
    _log(ctx, patient.id, visit_id, term="anaphylaxis", grade=3, action="stopped")
    assert get_visit(ctx, visit_id=visit_id).status == "observation"
    with pytest.raises(ActionNotAllowed):
        resume_infusion(ctx, visit_id=visit_id)


def _severe_on_file(ctx: ServiceContext, patient_id: int, visit_id: int, term: str) -> None:
    """A severe reaction on file at a visit whose pump is only paused (as older versions let a
    nurse record)."""
    with ctx.unit_of_work() as uow:
        uow.reactions.add(Reaction(patient_id=patient_id, visit_id=visit_id, onset_at=ctx.now(),
                                   signs=["urticaria"], ctcae_term=term, grade=3,
                                   ctcae_version="5.0", nurse_id=ctx.nurse_id))
        uow.commit()


@pytest.mark.parametrize(("term", "refusal"),
                         [("anaphylaxis", "anaphylaxis was logged at this visit"),
                          ("infusion_related_reaction", "grade 3 or higher reaction was logged")])
def test_the_pump_may_not_resume_nor_change_rate_after_a_severe_reaction_at_the_visit(
        ctx: ServiceContext, patient: PatientSummary, clock: object, term: str,
        refusal: str) -> None:
    visit_id = _running(ctx, clock, patient.id)
    pause_infusion(ctx, visit_id=visit_id)
    _severe_on_file(ctx, patient.id, visit_id, term)
    with pytest.raises(ActionNotAllowed, match=refusal):
        resume_infusion(ctx, visit_id=visit_id)
    with pytest.raises(ActionNotAllowed, match="change the rate"):
        change_rate(ctx, visit_id=visit_id, rate="50")
    assert end_infusion(ctx, visit_id=visit_id, reason="Reaction").status == "observation"


def test_resuming_after_a_mild_reaction_pause_is_allowed(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _running(ctx, clock, patient.id)
    _log(ctx, patient.id, visit_id, term="infusion_related_reaction", grade=2, action="paused")
    clock.advance(minutes=15)  # type: ignore[attr-defined]
    assert get_visit(ctx, visit_id=visit_id).continue_refusal is None
    visit = resume_infusion(ctx, visit_id=visit_id)
    assert visit.infusion is not None and visit.infusion.state == "running"


def test_a_reaction_after_the_infusion_cannot_pause_the_pump(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _running(ctx, clock, patient.id)
    pause_infusion(ctx, visit_id=visit_id)
    end_infusion(ctx, visit_id=visit_id, reason="Vein lost")
    with pytest.raises(InvalidInput) as refused:
        _log(ctx, patient.id, visit_id, term="infusion_related_reaction", grade=1,
             action="paused")
    assert refused.value.field == "infusion_action"


def test_ending_before_the_bag_is_empty_without_a_reason_is_refused(
        ctx: ServiceContext, patient: PatientSummary, clock: object, table_counts: Counts) -> None:
    visit_id = _running(ctx, clock, patient.id)
    before = table_counts()
    with pytest.raises(InvalidInput) as refused:
        end_infusion(ctx, visit_id=visit_id)
    assert refused.value.field == "reason" and "still in the bag" in str(refused.value)
    assert table_counts() == before


def test_ending_before_the_bag_is_empty_with_a_reason_records_it(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    visit_id = _running(ctx, clock, patient.id)
    ended = end_infusion(ctx, visit_id=visit_id, reason="Patient asked to stop")
    assert ended.status == "observation"
    assert (ended.events[-1].kind, ended.events[-1].note) == ("stop", "Patient asked to stop")


def test_a_reaction_during_the_infusion_must_say_what_was_done_with_the_pump(
        ctx: ServiceContext, patient: PatientSummary, clock: object, table_counts: Counts) -> None:
    visit_id = _running(ctx, clock, patient.id)
    before = table_counts()
    with pytest.raises(InvalidInput) as refused:
        log_reaction(ctx, patient_id=patient.id, visit_id=visit_id, onset=ctx.now(),
                     signs=["urticaria"], term="infusion_related_reaction", grade=1,
                     infusion_action=None)
    assert refused.value.field == "infusion_action"
    assert table_counts() == before
