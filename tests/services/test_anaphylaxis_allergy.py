"""An anaphylaxis to a drug also appears as a drug allergy (issue 12, "Allergies"): derived from
the reaction on file, so voiding the reaction leaves no stale allergy."""

from __future__ import annotations

from datetime import date

from visit_fixtures import book_first_dose, open_ready_visit

from clinic_app.domain.allergy_status import AllergyState, allergy_state, anaphylaxis_allergies
from clinic_app.services import patients
from clinic_app.services.chart import get_chart
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import get_visit, start_infusion


def test_each_drug_reads_once_with_the_day_of_its_first_anaphylaxis() -> None:
    texts = anaphylaxis_allergies([("Infliximab", date(2026, 12, 5)),
                                   ("infliximab", date(2026, 12, 20))])
    assert texts == ["Infliximab (anaphylaxis, reaction on 5 Dec 2026)"]
    assert allergy_state(texts, True) is AllergyState.LISTED  # supersedes "none known"


def test_anaphylaxis_lists_the_drug_as_an_allergy_until_the_reaction_is_voided(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    patients.record_no_known_allergies(ctx, patient_id=patient.id)
    booking = book_first_dose(ctx, patient.id, protocol="infliximab")
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    detail = log_reaction(ctx, patient_id=patient.id, visit_id=visit.id, onset=ctx.now(),
                          signs=["anaphylaxis", "hypotension"], term="anaphylaxis", grade=3,
                          actions="Epinephrine 0.5 mg IM", infusion_action="stopped")
    chart = get_chart(ctx, patient_id=patient.id)
    assert chart.allergy_state == "listed"
    assert "Infliximab (anaphylaxis, reaction on" in chart.allergy_line
    assert any("Infliximab (anaphylaxis" in a for a in get_visit(ctx, visit_id=visit.id).allergies)
    patients.void_record(ctx, kind="reaction", record_id=detail.summary.id,
                         reason="Logged on the wrong patient")
    chart = get_chart(ctx, patient_id=patient.id)
    assert "anaphylaxis" not in chart.allergy_line
