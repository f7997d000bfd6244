"""CTCAE v5.0 grading texts and the guidance shown for each grade."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.ctcae import (
    CtcaeTerm,
    ctcae_version,
    epinephrine_rule,
    grade_definition,
    grades_for,
    grading_note,
    guidance_for,
)
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.protocols import load_protocol

IRR = CtcaeTerm.INFUSION_RELATED_REACTION
ALLERGIC = CtcaeTerm.ALLERGIC_REACTION
ANAPHYLAXIS = CtcaeTerm.ANAPHYLAXIS

IRR_TEXTS = {
    1: "Mild transient reaction; infusion interruption not indicated; intervention not indicated.",
    2: "Therapy or infusion interruption indicated but responds promptly to symptomatic treatment"
       " (e.g. antihistamines, NSAIDs, narcotics, IV fluids); prophylactic medications indicated"
       " for 24 hours or less.",
    3: "Prolonged (not rapidly responsive to symptomatic medication and/or brief interruption);"
       " recurrence of symptoms after initial improvement; hospitalisation indicated for"
       " sequelae.",
    4: "Life-threatening consequences; urgent intervention indicated.",
    5: "Death.",
}
ANAPHYLAXIS_TEXTS = {
    3: "Symptomatic bronchospasm, with or without urticaria; parenteral intervention indicated;"
       " allergy-related oedema/angioedema; hypotension.",
    4: "Life-threatening consequences; urgent intervention indicated.",
    5: "Death.",
}


def test_the_version_recorded_with_each_grade_is_ctcae_5():
    assert ctcae_version() == "CTCAE v5.0"
    assert {g.version for g in grades_for(IRR) + grades_for(ANAPHYLAXIS)} == {"CTCAE v5.0"}


@pytest.mark.parametrize(("grade", "text"), sorted(IRR_TEXTS.items()))
def test_each_infusion_reaction_grade_has_its_ctcae_text(grade, text):
    definition = grade_definition("infusion_related_reaction", grade)
    assert definition.definition == text
    assert definition.term_name == "Infusion related reaction"


@pytest.mark.parametrize(("grade", "text"), sorted(ANAPHYLAXIS_TEXTS.items()))
def test_each_anaphylaxis_grade_has_its_ctcae_text(grade, text):
    assert grade_definition(ANAPHYLAXIS, grade).definition == text


def test_all_grades_of_a_term_come_lowest_first_for_the_picker():
    assert [g.grade for g in grades_for(IRR)] == [1, 2, 3, 4, 5]
    assert [g.grade for g in grades_for("anaphylaxis")] == [3, 4, 5]


@pytest.mark.parametrize("grade", [1, 2])
def test_anaphylaxis_grades_1_and_2_are_refused_as_undefined(grade):
    with pytest.raises(InvalidInput, match=r"does not define grade \d for anaphylaxis.*3, 4, 5"):
        grade_definition(ANAPHYLAXIS, grade)


@pytest.mark.parametrize("grade", [0, 6, True, "2"])
def test_grades_outside_one_to_five_or_not_whole_numbers_are_refused(grade):
    with pytest.raises(InvalidInput) as caught:
        grade_definition(IRR, grade)
    assert caught.value.field == "grade"


ALLERGIC_TEXTS = {
    1: "Systemic intervention not indicated.",
    2: "Oral intervention indicated.",
    3: "Bronchospasm; hospitalization indicated for clinical sequelae; intravenous intervention"
       " indicated.",
    4: "Life-threatening consequences; urgent intervention indicated.",
    5: "Death.",
}


@pytest.mark.parametrize(("grade", "text"), sorted(ALLERGIC_TEXTS.items()))
def test_allergic_reaction_is_offered_beside_the_other_two_terms_with_its_ctcae_text(
        grade, text):
    definition = grade_definition("allergic_reaction", grade)
    assert (definition.definition, definition.term_name) == (text, "Allergic reaction")
    assert list(CtcaeTerm) == [IRR, ALLERGIC, ANAPHYLAXIS]


def test_an_unknown_term_is_refused_naming_the_known_ones():
    with pytest.raises(InvalidInput,
                       match="infusion_related_reaction, allergic_reaction, anaphylaxis"):
        grades_for("hypersensitivity")


def test_the_note_says_one_term_per_event():
    assert "one term only" in grading_note()


def test_mild_infusion_reaction_guidance_slows_and_keeps_the_drug_text():
    infliximab = load_protocol("infliximab")
    lines = guidance_for(infliximab, IRR, 1)
    assert lines[0].startswith("Slow the infusion")
    assert any(line.startswith("Infliximab: Mild or moderate reaction") for line in lines)
    assert lines[-1].startswith("Record onset, signs, vitals")


def test_moderate_infusion_reaction_guidance_stops_keeps_the_line_open_and_calls():
    lines = guidance_for(load_protocol("infliximab"), IRR, 2)
    text = "\n".join(lines)
    for expected in ("Stop the infusion.", "0.9% sodium chloride", "every 5 minutes",
                     "Call the prescriber", "per local protocol", "restart at a lower rate"):
        assert expected in text


def test_severe_infusion_reaction_guidance_does_not_restart_and_asks_for_review():
    text = "\n".join(guidance_for(load_protocol("vedolizumab"), IRR, 3))
    assert "do not restart" in text
    assert "stopped for good" in text
    assert "restart at a lower rate" not in text


@pytest.mark.parametrize("protocol_id", ["infliximab", "anifrolumab", "vedolizumab",
                                         "tocilizumab"])
@pytest.mark.parametrize(("term", "grade"), [(IRR, 3), (IRR, 4), (ALLERGIC, 3), (ALLERGIC, 4),
                                             (ANAPHYLAXIS, 3), (ANAPHYLAXIS, 4)])
def test_mild_or_moderate_advice_is_never_shown_for_a_severe_grade(protocol_id, term, grade):
    protocol = load_protocol(protocol_id)
    text = "\n".join(guidance_for(protocol, term, grade))
    assert protocol.reactions.mild_moderate_guidance not in text
    assert "Mild or moderate" not in text
    assert "restart at a lower rate" not in text


@pytest.mark.parametrize("protocol_id", ["infliximab", "anifrolumab", "vedolizumab",
                                         "tocilizumab"])
@pytest.mark.parametrize("term", [IRR, ALLERGIC])
@pytest.mark.parametrize("grade", [1, 2])
def test_mild_or_moderate_advice_is_shown_for_grades_1_and_2(protocol_id, term, grade):
    protocol = load_protocol(protocol_id)
    lines = guidance_for(protocol, term, grade)
    assert f"{protocol.drug}: {protocol.reactions.mild_moderate_guidance}" in lines


def test_anaphylaxis_guidance_gives_epinephrine_oxygen_and_fluids():
    lines = guidance_for(load_protocol("anifrolumab"), ANAPHYLAXIS, 3, weight_kg=Decimal(70))
    text = "\n".join(lines)
    assert ("Epinephrine (adrenaline) 1 mg/mL IM into the outer thigh: 0.5 mg = 0.5 mL "
            "(0.01 mg/kg, at most 0.5 mg); repeat after 5 minutes if needed.") in text
    assert "oxygen" in text
    assert "IV fluids" in text
    assert "must never be given again" in text


@pytest.mark.parametrize(("weight", "dose"), [
    ("15", "0.15 mg = 0.15 mL (0.01 mg/kg × 15 kg)"),
    ("32.7", "0.32 mg = 0.32 mL (0.01 mg/kg × 32.7 kg)"),
    ("49.9", "0.49 mg = 0.49 mL (0.01 mg/kg × 49.9 kg)"),
    ("50", "0.5 mg = 0.5 mL (0.01 mg/kg, at most 0.5 mg)"),
    ("120", "0.5 mg = 0.5 mL (0.01 mg/kg, at most 0.5 mg)"),
])
def test_epinephrine_is_weight_based_for_a_child_or_under_50_kg(weight, dose):
    text = "\n".join(guidance_for(load_protocol("tocilizumab"), ANAPHYLAXIS, 3,
                                  weight_kg=Decimal(weight)))
    assert f"outer thigh: {dose};" in text
    assert "0.3-0.5" not in text


def test_epinephrine_without_a_weight_gives_the_rule_never_an_adult_range():
    text = "\n".join(guidance_for(load_protocol("infliximab"), ANAPHYLAXIS, 4))
    assert "0.01 mg/kg, at most 0.5 mg (no weight on file" in text
    assert "0.3-0.5" not in text


@given(st.decimals(min_value=Decimal("0.5"), max_value=Decimal(400), places=1))
def test_the_epinephrine_dose_never_exceeds_half_a_milligram_nor_0_01_mg_per_kg(weight):
    dose = Decimal(epinephrine_rule().dose_text(weight).split(" mg")[0])
    assert Decimal(0) <= dose <= Decimal("0.5")
    assert dose <= weight * Decimal("0.01")


def test_guidance_for_a_death_does_not_repeat_restart_advice():
    lines = guidance_for(load_protocol("infliximab"), IRR, 5)
    assert not any(line.startswith("Infliximab:") for line in lines)
    assert any("adverse-event procedure" in line for line in lines)


def test_guidance_for_an_undefined_grade_is_refused():
    with pytest.raises(InvalidInput):
        guidance_for(load_protocol("tocilizumab"), ANAPHYLAXIS, 2)
