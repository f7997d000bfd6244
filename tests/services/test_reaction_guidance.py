"""What the reaction form reads beside it: the signs, the CTCAE scale, and the guidance for the
drug of the infusion the reaction will be linked to."""

from __future__ import annotations

import pytest
from visit_fixtures import book_first_dose, infuse, open_ready_visit

from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound, NotSignedIn
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import (
    contraindication_texts,
    ctcae_scale,
    log_reaction,
    reaction_guidance,
    reaction_signs,
)
from clinic_app.services.visits import start_infusion


def test_the_scale_lists_the_three_terms_with_anaphylaxis_defined_from_grade_3_only() -> None:
    scale = ctcae_scale()
    assert scale.version == "CTCAE v5.0"
    assert "one term only" in scale.note
    terms = {t.term: t for t in scale.terms}
    assert list(terms) == ["infusion_related_reaction", "allergic_reaction", "anaphylaxis"]
    assert [g.grade for g in terms["allergic_reaction"].grades] == [1, 2, 3, 4, 5]
    assert [g.grade for g in terms["infusion_related_reaction"].grades] == [1, 2, 3, 4, 5]
    anaphylaxis = terms["anaphylaxis"]
    assert [g.grade for g in anaphylaxis.grades] == [3, 4, 5]
    assert anaphylaxis.definition(2) is None
    assert anaphylaxis.undefined_text == "Not defined for anaphylaxis in CTCAE v5.0."
    assert "bronchospasm" in (anaphylaxis.definition(3) or "")


def test_the_signs_come_acute_first_with_their_descriptions() -> None:
    signs = reaction_signs()
    kinds = [s.kind for s in signs]
    assert kinds == sorted(kinds)  # "acute" before "delayed"
    rash = next(s for s in signs if s.code == "psoriasiform_rash")
    assert rash.kind == "delayed" and rash.label and rash.description


def test_contraindication_codes_read_as_the_protocols_text() -> None:
    texts = contraindication_texts(["anaphylaxis_anifrolumab", "no_such_code"])
    assert "anifrolumab" in texts[0].lower() and texts[1] == "no_such_code"


def test_a_visit_infusing_gives_its_drugs_guidance_and_says_the_pump_runs(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    before = reaction_guidance(ctx, patient_id=patient.id, visit_id=visit.id)
    assert (before.visit_id, before.drug, before.infusing) == (visit.id, "Infliximab", False)
    assert before.link_text == ("Linked to the Infliximab infusion (dose 1); onset during the "
                                "infusion.")
    start_infusion(ctx, visit_id=visit.id)
    guidance = reaction_guidance(ctx, patient_id=patient.id, visit_id=visit.id)
    assert guidance.infusing and guidance.patient_name == "GARCÍA, José"
    lines = guidance.lines_for("infusion_related_reaction", 2)
    assert "Stop the infusion." in lines and any(line.startswith("Infliximab:") for line in lines)
    assert any("pinephrine" in line and "0.5 mg = 0.5 mL" in line
               for line in guidance.lines_for("anaphylaxis", 3))  # 72.5 kg: the 0.5 mg cap
    assert guidance.lines_for("anaphylaxis", 1) == ()


def test_the_epinephrine_dose_follows_the_visit_weight_under_50_kg(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id, "38.5")
    guidance = reaction_guidance(ctx, patient_id=patient.id, visit_id=visit.id)
    (line,) = [li for li in guidance.lines_for("anaphylaxis", 3) if "pinephrine" in li]
    assert "0.38 mg = 0.38 mL (0.01 mg/kg × 38.5 kg)" in line
    assert "0.3-0.5" not in line


def test_a_delayed_reaction_is_guided_for_the_infusion_the_service_will_link_it_to(
        ctx: ServiceContext, patient: PatientSummary, clock: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    before_any = reaction_guidance(ctx, patient_id=patient.id, onset="2026-03-01 12:00")
    assert (before_any.visit_id, before_any.drug, before_any.grades) == (None, None, ())
    assert before_any.onset_class is None and "No infusion" in before_any.link_text
    visit = infuse(ctx, clock, booking.appointment_id)
    clock.advance(days=6)  # type: ignore[attr-defined]
    guidance = reaction_guidance(ctx, patient_id=patient.id, onset="2026-03-06 18:00")
    assert (guidance.visit_id, guidance.drug, guidance.infusing) == (visit.id, "Infliximab",
                                                                     False)
    assert guidance.onset_class == "delayed"
    assert guidance.link_text == ("Linked to the Infliximab infusion of 2 Mar 2026 (dose 1); "
                                  "onset after Infliximab's acute-reaction window (2 hours "
                                  "after the end): delayed.")
    assert guidance.onset_class_for(["arthralgia"]) == "delayed"
    assert guidance.onset_class_for(["arthralgia", "angioedema"]) == "acute_after"
    assert guidance.link_text_for(["angioedema"]).endswith(
        "but the signs point to an immediate reaction: handled as acute (grade it).")
    assert "Tell the prescriber before the next dose." in guidance.not_graded
    same_day = reaction_guidance(ctx, patient_id=patient.id, onset=visit.ended_at)
    assert same_day.onset_class == "acute_after"
    logged = log_reaction(ctx, patient_id=patient.id, onset="2026-03-06 18:00",
                          signs=["arthralgia"])
    assert logged.summary.visit_id == guidance.visit_id


def test_guidance_needs_a_nurse_and_the_patients_own_visit(
        ctx: ServiceContext, blank_ctx: ServiceContext, patient: PatientSummary,
        make_patient: object) -> None:
    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    other = make_patient(mrn="MRN002", family_name="Nowak")  # type: ignore[operator]
    with pytest.raises(NotFound, match="No infusion visit"):
        reaction_guidance(ctx, patient_id=other.id, visit_id=visit.id)
    with pytest.raises(NotSignedIn):
        reaction_guidance(blank_ctx, patient_id=patient.id)
