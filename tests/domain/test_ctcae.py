"""CTCAE v5.0 grading texts and the guidance shown for each grade."""

from __future__ import annotations

import pytest

from clinic_app.domain.ctcae import (
    CtcaeTerm,
    ctcae_version,
    grade_definition,
    grades_for,
    grading_note,
    guidance_for,
)
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.protocols import load_protocol

IRR = CtcaeTerm.INFUSION_RELATED_REACTION
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


def test_an_unknown_term_is_refused_naming_the_known_ones():
    with pytest.raises(InvalidInput, match="infusion_related_reaction, anaphylaxis"):
        grades_for("allergic_reaction")


def test_the_note_says_one_term_per_event():
    assert "not both" in grading_note()


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


def test_anaphylaxis_guidance_gives_epinephrine_oxygen_and_fluids():
    lines = guidance_for(load_protocol("anifrolumab"), ANAPHYLAXIS, 3)
    text = "\n".join(lines)
    assert "Epinephrine 0.3-0.5 mg IM (1 mg/mL) in the thigh" in text
    assert "repeat every 5-15 minutes" in text
    assert "oxygen" in text
    assert "IV fluids" in text
    assert "must never be given again" in text


def test_guidance_for_a_death_does_not_repeat_restart_advice():
    lines = guidance_for(load_protocol("infliximab"), IRR, 5)
    assert not any(line.startswith("Infliximab:") for line in lines)
    assert any("adverse-event procedure" in line for line in lines)


def test_guidance_for_an_undefined_grade_is_refused():
    with pytest.raises(InvalidInput):
        guidance_for(load_protocol("tocilizumab"), ANAPHYLAXIS, 2)
