"""Reaction signs, onset classes and what a reaction changes in the next infusion."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.ctcae import CtcaeTerm
from clinic_app.domain.errors import InvalidInput, ProtocolError
from clinic_app.domain.protocols import load_all_protocols, load_protocol, parse_protocol
from clinic_app.domain.reactions import (
    OnsetClass,
    ReactionRecord,
    SignKind,
    all_signs,
    check_grading,
    classify_onset,
    classify_onset_by_day,
    plan_consequences,
    sign,
    signs_to_watch,
)
from clinic_app.resource_files import resource_path

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
END = START + timedelta(hours=2)
IRR = CtcaeTerm.INFUSION_RELATED_REACTION

ACUTE = ["itching", "urticaria", "angioedema", "flushing", "hypotension", "bradycardia",
         "tachycardia", "dyspnoea", "bronchospasm", "chest_pain", "fever", "chills",
         "anaphylaxis"]
IMMEDIATE = {"urticaria", "angioedema", "hypotension", "dyspnoea", "bronchospasm", "anaphylaxis"}
ALLERGIC = CtcaeTerm.ALLERGIC_REACTION
PROTOCOLS = ["infliximab", "anifrolumab", "vedolizumab", "tocilizumab"]
DELAYED = ["arthralgia", "myalgia", "joint_stiffness", "rash", "psoriasiform_rash",
           "serum_sickness"]


def _reaction(protocol_id="infliximab", *, onset=OnsetClass.DURING_INFUSION,
              signs=("urticaria",), term=IRR, grade=2, on=date(2026, 3, 2)):
    return ReactionRecord(protocol_id=protocol_id, onset_class=onset, signs=signs,
                          occurred_on=on, term=term, grade=grade)


# --- the catalogue of signs ------------------------------------------------------------------

@pytest.mark.parametrize("code", ACUTE)
def test_each_acute_sign_is_catalogued_as_acute(code):
    assert sign(code).kind is SignKind.ACUTE


@pytest.mark.parametrize("code", DELAYED)
def test_each_delayed_sign_is_catalogued_as_delayed(code):
    assert sign(code).kind is SignKind.DELAYED


def test_the_catalogue_holds_exactly_the_issue_signs():
    assert [s.code for s in all_signs()] == ACUTE + DELAYED


def test_every_sign_has_a_label_a_description_and_a_source():
    for item in all_signs():
        assert item.label and item.description and item.source


@pytest.mark.parametrize("protocol", load_all_protocols(), ids=lambda p: p.id)
def test_every_sign_a_shipped_protocol_watches_for_is_in_the_catalogue(protocol):
    watched = signs_to_watch(protocol)
    assert [s.code for s in watched] == [*protocol.reactions.watch_acute,
                                         *protocol.reactions.watch_delayed]


@pytest.mark.parametrize("protocol", load_all_protocols(), ids=lambda p: p.id)
def test_each_protocol_watch_list_matches_the_kind_of_its_signs(protocol):
    assert all(sign(c).kind is SignKind.ACUTE for c in protocol.reactions.watch_acute)
    assert all(sign(c).kind is SignKind.DELAYED for c in protocol.reactions.watch_delayed)


def test_an_unknown_sign_is_refused_naming_the_known_ones():
    with pytest.raises(InvalidInput, match=r"Unknown reaction sign 'sneezing'.*itching"):
        sign("sneezing")


# --- onset -----------------------------------------------------------------------------------

def test_an_onset_during_the_infusion_is_during_infusion():
    onset = classify_onset(START + timedelta(minutes=20), infusion_start=START,
                           infusion_end=END, acute_window_minutes=120)
    assert onset.onset_class is OnsetClass.DURING_INFUSION
    assert onset.minutes_after_start == 20
    assert onset.hours_after_end is None


def test_an_onset_while_the_infusion_still_runs_is_during_infusion():
    onset = classify_onset(START + timedelta(minutes=50), infusion_start=START,
                           infusion_end=None, acute_window_minutes=120)
    assert onset.onset_class is OnsetClass.DURING_INFUSION


def test_90_minutes_after_the_end_with_120_minutes_observation_is_acute():
    onset = classify_onset(END + timedelta(minutes=90), infusion_start=START, infusion_end=END,
                           acute_window_minutes=120)
    assert onset.onset_class is OnsetClass.ACUTE_AFTER
    assert onset.hours_after_end == Decimal("1.5")
    assert onset.days_after_end == 0


def test_the_end_of_the_observation_period_is_still_acute():
    onset = classify_onset(END + timedelta(minutes=120), infusion_start=START, infusion_end=END,
                           acute_window_minutes=120)
    assert onset.onset_class is OnsetClass.ACUTE_AFTER


def test_3_hours_after_the_end_is_delayed():
    onset = classify_onset(END + timedelta(hours=3), infusion_start=START, infusion_end=END,
                           acute_window_minutes=120)
    assert onset.onset_class is OnsetClass.DELAYED
    assert onset.hours_after_end == Decimal("3.0")


def test_10_days_after_the_end_is_delayed_and_counts_the_days():
    onset = classify_onset(END + timedelta(days=10, hours=1), infusion_start=START,
                           infusion_end=END, acute_window_minutes=120)
    assert onset.onset_class is OnsetClass.DELAYED
    assert onset.days_after_end == 10


def test_infliximab_150_minutes_after_the_end_is_past_its_2_hour_window():
    window = load_protocol("infliximab").reactions.acute_window_minutes
    assert window == 120
    onset = classify_onset(END + timedelta(minutes=150), infusion_start=START, infusion_end=END,
                           acute_window_minutes=window, signs=("fever",))
    assert onset.onset_class is OnsetClass.DELAYED


@pytest.mark.parametrize("protocol_id", ["anifrolumab", "tocilizumab"])
def test_45_minutes_after_a_30_minute_observation_is_still_acute_for_a_24_hour_window(
        protocol_id):
    protocol = load_protocol(protocol_id)
    assert protocol.monitoring.observation_minutes(1) == 30  # observation is not the window
    onset = classify_onset(END + timedelta(minutes=45), infusion_start=START, infusion_end=END,
                           acute_window_minutes=protocol.reactions.acute_window_minutes,
                           signs=("fever",))
    assert onset.onset_class is OnsetClass.ACUTE_AFTER


def test_the_tocilizumab_window_is_the_labels_24_hours():
    rules = load_protocol("tocilizumab").reactions
    assert rules.acute_window_minutes == 24 * 60
    assert "24 hours" in rules.acute_window_source


@pytest.mark.parametrize("code", sorted(IMMEDIATE))
def test_a_sign_of_an_immediate_reaction_makes_a_late_onset_acute(code):
    onset = classify_onset(END + timedelta(days=3), infusion_start=START, infusion_end=END,
                           acute_window_minutes=120, signs=("fever", code))
    assert onset.onset_class is OnsetClass.ACUTE_AFTER
    assert onset.days_after_end == 3


def test_the_immediate_signs_are_exactly_the_references_list():
    assert {s.code for s in all_signs() if s.immediate} == IMMEDIATE


@pytest.mark.parametrize("naive", ["onset", "infusion_start", "infusion_end"])
def test_naive_datetimes_are_refused_naming_the_field(naive):
    times = {"onset": END, "infusion_start": START, "infusion_end": END}
    times[naive] = times[naive].replace(tzinfo=None)
    with pytest.raises(InvalidInput, match="time zone") as caught:
        classify_onset(times["onset"], infusion_start=times["infusion_start"],
                       infusion_end=times["infusion_end"], acute_window_minutes=120)
    assert caught.value.field == naive


def test_an_onset_before_the_infusion_started_is_refused():
    with pytest.raises(InvalidInput, match="before the infusion started"):
        classify_onset(START - timedelta(minutes=1), infusion_start=START, infusion_end=END,
                       acute_window_minutes=120)


def test_an_infusion_ending_before_it_started_is_refused():
    with pytest.raises(InvalidInput, match="cannot end before it started"):
        classify_onset(END, infusion_start=END, infusion_end=START, acute_window_minutes=120)


def test_a_negative_acute_window_is_refused():
    with pytest.raises(InvalidInput, match="0 minutes or more"):
        classify_onset(END, infusion_start=START, infusion_end=END, acute_window_minutes=-1)


def test_seed_001_psoriasiform_rash_weeks_after_an_untimed_visit_is_delayed():
    fourth_infusion = date(2026, 4, 13)  # week 16 of a course started on 2025-12-22
    onset = classify_onset_by_day(date(2026, 4, 27), infusion_on=fourth_infusion)
    assert onset.onset_class is OnsetClass.DELAYED
    assert onset.days_after_end == 14
    record = ReactionRecord(protocol_id="infliximab", onset_class=onset.onset_class,
                            signs=("psoriasiform_rash",), occurred_on=date(2026, 4, 27))
    assert record.grading is None


def test_an_untimed_onset_on_the_infusion_day_asks_for_times():
    with pytest.raises(InvalidInput, match="needs the infusion and onset times"):
        classify_onset_by_day(date(2026, 3, 2), infusion_on=date(2026, 3, 2))


def test_an_untimed_onset_before_the_infusion_day_is_refused():
    with pytest.raises(InvalidInput, match="before the infusion day"):
        classify_onset_by_day(date(2026, 3, 1), infusion_on=date(2026, 3, 2))


@given(st.integers(min_value=0, max_value=60 * 24 * 30), st.integers(min_value=0, max_value=1440),
       st.lists(st.sampled_from(ACUTE + DELAYED), max_size=3, unique=True))
def test_onsets_after_the_end_are_acute_exactly_within_the_window_or_with_immediate_signs(
        minutes, window, signs):
    onset = classify_onset(END + timedelta(minutes=minutes), infusion_start=START,
                           infusion_end=END, acute_window_minutes=window, signs=signs)
    immediate = bool(IMMEDIATE.intersection(signs))
    expected = (OnsetClass.ACUTE_AFTER if minutes <= window or immediate
                else OnsetClass.DELAYED)
    assert onset.onset_class is expected


# --- the logged reaction ---------------------------------------------------------------------

def test_a_graded_reaction_carries_the_ctcae_version():
    grading = _reaction(grade=2).grading
    assert grading is not None
    assert grading.version == "CTCAE v5.0"
    assert grading.definition.startswith("Therapy or infusion interruption")


def test_a_reaction_graded_as_anaphylaxis_grade_2_is_refused():
    with pytest.raises(InvalidInput, match="does not define grade 2 for anaphylaxis"):
        _reaction(term=CtcaeTerm.ANAPHYLAXIS, grade=2)


def test_a_record_rebuilt_from_stored_text_gets_its_enums_back():
    record = ReactionRecord(protocol_id="infliximab", onset_class="acute_after",
                            signs=["fever", "chills"], occurred_on=date(2026, 3, 2),
                            term="infusion_related_reaction", grade=1)
    assert record.onset_class is OnsetClass.ACUTE_AFTER
    assert record.term is IRR
    assert record.signs == ("fever", "chills")


def test_an_unknown_onset_class_is_refused():
    with pytest.raises(InvalidInput, match="Unknown onset 'later'"):
        _reaction(onset="later")


def test_a_term_without_a_grade_is_refused():
    with pytest.raises(InvalidInput, match="both the CTCAE term and the grade"):
        _reaction(grade=None)


@pytest.mark.parametrize("onset", [OnsetClass.DURING_INFUSION, OnsetClass.ACUTE_AFTER])
def test_an_acute_reaction_must_be_graded(onset):
    with pytest.raises(InvalidInput, match=r"acute reaction .* must be graded") as caught:
        check_grading(onset, None, None)
    assert caught.value.field == "grade"


@pytest.mark.parametrize(("term", "grade"), [(IRR, None), (None, 2)])
def test_an_acute_reaction_needs_both_the_term_and_the_grade(term, grade):
    with pytest.raises(InvalidInput, match="choose both the CTCAE term and the grade") as caught:
        check_grading(OnsetClass.DURING_INFUSION, term, grade)
    assert caught.value.field == "grade"


def test_a_delayed_reaction_may_be_left_not_graded():
    assert check_grading(OnsetClass.DELAYED, None, None) is None


def test_a_delayed_reaction_may_be_graded_with_a_valid_pair():
    definition = check_grading("delayed", "infusion_related_reaction", 1)
    assert definition is not None
    assert (definition.term, definition.grade, definition.version) == (IRR, 1, "CTCAE v5.0")


def test_a_delayed_reaction_with_half_a_grading_is_refused():
    with pytest.raises(InvalidInput, match="or leave the delayed reaction not graded"):
        check_grading(OnsetClass.DELAYED, IRR, None)


@pytest.mark.parametrize("onset", list(OnsetClass))
def test_anaphylaxis_grade_2_is_refused_whatever_the_onset(onset):
    with pytest.raises(InvalidInput, match="does not define grade 2 for anaphylaxis"):
        check_grading(onset, CtcaeTerm.ANAPHYLAXIS, 2)


@given(st.sampled_from(list(OnsetClass)), st.sampled_from([None, *CtcaeTerm]),
       st.one_of(st.none(), st.integers(min_value=1, max_value=5)))
def test_a_grading_is_accepted_exactly_when_paired_and_defined_or_delayed_and_absent(
        onset, term, grade):
    defined = term is not None and grade is not None and (
        term in (IRR, ALLERGIC) or grade >= 3)
    ungraded_delayed = term is None and grade is None and not onset.is_acute
    try:
        result = check_grading(onset, term, grade)
    except InvalidInput:
        assert not (defined or ungraded_delayed)
    else:
        assert defined or ungraded_delayed
        assert (result is None) == ungraded_delayed


def test_a_reaction_without_signs_is_refused():
    with pytest.raises(InvalidInput, match="at least one sign"):
        _reaction(signs=())


def test_a_reaction_with_an_unknown_sign_is_refused():
    with pytest.raises(InvalidInput, match="Unknown reaction sign"):
        _reaction(signs=("hiccups",))


# --- consequences for the next infusion ------------------------------------------------------

def test_anaphylaxis_to_anifrolumab_activates_its_absolute_contraindication():
    anifrolumab = load_protocol("anifrolumab")
    reaction = _reaction("anifrolumab", signs=("anaphylaxis", "hypotension"),
                         term=CtcaeTerm.ANAPHYLAXIS, grade=3)
    result = plan_consequences(anifrolumab, [reaction])
    assert result.contraindications == ("anaphylaxis_anifrolumab",)
    absolute = {c.code for c in anifrolumab.contraindications if c.severity == "absolute"}
    assert set(result.contraindications) <= absolute
    assert "REACTION_CONTRAINDICATION" in {w.code for w in result.warnings}


def test_the_anaphylaxis_sign_alone_is_enough_to_contraindicate_anifrolumab():
    reaction = _reaction("anifrolumab", signs=("anaphylaxis",), term=IRR, grade=2)
    result = plan_consequences(load_protocol("anifrolumab"), [reaction])
    assert result.contraindications == ("anaphylaxis_anifrolumab",)
    assert not result.prescriber_review  # contraindicated: there is no next dose to review


def test_anaphylaxis_to_tocilizumab_activates_its_hypersensitivity_contraindication():
    reaction = _reaction("tocilizumab", signs=("anaphylaxis",), term=CtcaeTerm.ANAPHYLAXIS,
                         grade=4)
    result = plan_consequences(load_protocol("tocilizumab"), [reaction])
    assert result.contraindications == ("hypersensitivity_tocilizumab",)


def test_a_grade_2_infusion_reaction_to_anifrolumab_does_not_contraindicate_it():
    result = plan_consequences(load_protocol("anifrolumab"), [_reaction("anifrolumab")])
    assert result.contraindications == ()


def test_a_prior_grade_2_infliximab_reaction_calls_for_premedication_and_graduated_rate():
    infliximab = load_protocol("infliximab")
    result = plan_consequences(infliximab, [_reaction(grade=2)])
    assert result.premedication == infliximab.reactions.prior_reaction_premedication
    assert result.graduated_titration
    assert not result.prescriber_review
    assert result.contraindications == ()
    codes = {w.code for w in result.warnings}
    assert {"PREMEDICATE_AFTER_REACTION", "GRADUATED_RATE_AFTER_REACTION"} <= codes


def test_any_infliximab_reaction_rules_out_the_shortened_infusion_where_the_clinic_uses_it():
    result = plan_consequences(load_protocol("infliximab"),
                               [_reaction(onset=OnsetClass.DELAYED, signs=("arthralgia",),
                                          term=None, grade=None)], shortened_allowed=True)
    assert result.standard_duration_only
    assert result.premedication is None
    assert not result.graduated_titration
    standard = next(w for w in result.warnings if w.code == "STANDARD_DURATION_AFTER_REACTION")
    assert "at least 120 minutes" in standard.message


def test_no_warning_about_a_shortened_infusion_when_the_clinic_does_not_use_it():
    result = plan_consequences(load_protocol("infliximab"), [_reaction(grade=1)])
    assert not result.standard_duration_only
    assert "STANDARD_DURATION_AFTER_REACTION" not in {w.code for w in result.warnings}
    assert all("shortened" not in w.message for w in result.warnings)


def _seed_001_rash(grade=None):
    return _reaction(onset=OnsetClass.DELAYED, signs=("psoriasiform_rash",),
                     term=None if grade is None else IRR, grade=grade, on=date(2026, 4, 27))


def test_an_ungraded_psoriasiform_rash_asks_for_the_prescribers_decision_with_a_reason():
    result = plan_consequences(load_protocol("infliximab"), [_seed_001_rash()])
    assert result.delayed_review and result.prescriber_decision
    assert (result.premedication, result.graduated_titration) == (None, False)
    assert not result.prescriber_review
    codes = [w.code for w in result.warnings]
    assert "PREMEDICATE_AFTER_REACTION" not in codes
    assert "GRADUATED_RATE_AFTER_REACTION" not in codes
    decision = next(w for w in result.warnings
                    if w.code == "PRESCRIBER_DECISION_AFTER_DELAYED_REACTION")
    assert decision.requires_override  # a reason, not a tick
    assert "psoriasiform rash on 27 Apr 2026, not graded" in decision.message
    assert "first treated by stopping the drug" in decision.message


def test_an_ungraded_delayed_arthralgia_asks_the_prescriber_to_review_it_by_acknowledgement():
    arthralgia = _reaction(onset=OnsetClass.DELAYED, signs=("arthralgia",), term=None,
                           grade=None)
    result = plan_consequences(load_protocol("infliximab"), [arthralgia])
    assert result.delayed_review and not result.prescriber_decision
    review = next(w for w in result.warnings
                  if w.code == "PRESCRIBER_REVIEW_AFTER_DELAYED_REACTION")
    assert review.requires_ack and not review.requires_override


def test_a_delayed_reaction_the_nurse_graded_is_handled_as_an_infusion_reaction():
    result = plan_consequences(load_protocol("infliximab"), [_seed_001_rash(grade=1)])
    assert not result.delayed_review
    assert result.premedication is not None and result.graduated_titration
    premedicate = next(w for w in result.warnings if w.code == "PREMEDICATE_AFTER_REACTION")
    assert "infusion related reaction grade 1 on 27 Apr 2026" in premedicate.message


@pytest.mark.parametrize("protocol_id", PROTOCOLS)
@pytest.mark.parametrize("grade", [2, 3])
def test_no_warning_contradicts_a_grade_the_nurse_chose(protocol_id, grade):
    graded = _reaction(protocol_id, onset=OnsetClass.DELAYED, signs=("rash",), term=ALLERGIC,
                       grade=grade)
    text = " ".join(w.message for w in plan_consequences(load_protocol(protocol_id),
                                                        [graded]).warnings)
    assert "not an infusion reaction" not in text
    assert "not graded" not in text


def test_a_severe_delayed_reaction_still_needs_the_prescriber_override():
    result = plan_consequences(load_protocol("infliximab"), [_seed_001_rash(grade=3)])
    assert result.prescriber_review
def test_only_infusion_reactions_bring_premedication_when_both_are_on_file():
    acute = _reaction(grade=1, on=date(2026, 1, 5))
    result = plan_consequences(load_protocol("infliximab"), [acute, _seed_001_rash()])
    assert result.graduated_titration and result.delayed_review
    premedicate = next(w for w in result.warnings if w.code == "PREMEDICATE_AFTER_REACTION")
    assert "5 Jan 2026" in premedicate.message and "27 Apr 2026" not in premedicate.message
    assert result.prescriber_review  # two days: recurrent


def test_a_drug_without_a_shortened_infusion_gets_no_duration_note():
    result = plan_consequences(load_protocol("vedolizumab"), [_reaction("vedolizumab")])
    assert not result.standard_duration_only
    assert result.premedication is not None
    assert not result.graduated_titration


def test_a_grade_3_reaction_calls_for_prescriber_review_before_any_further_dose():
    result = plan_consequences(load_protocol("infliximab"), [_reaction(grade=3)])
    assert result.prescriber_review
    review = next(w for w in result.warnings if w.code == "PRESCRIBER_REVIEW_AFTER_REACTION")
    assert review.requires_override
    assert "stopping the drug for good" in review.message
    assert "severe reaction: infusion related reaction grade 3 on 2 Mar 2026" in review.message
    assert result.contraindications == ()  # grade 3 is reviewed, not contraindicated


def test_reactions_on_two_days_are_recurrent_and_call_for_prescriber_review():
    first = _reaction(grade=1, on=date(2026, 1, 5))
    second = _reaction(grade=1, on=date(2026, 3, 2))
    result = plan_consequences(load_protocol("infliximab"), [first, second])
    assert result.prescriber_review
    review = next(w for w in result.warnings if w.code == "PRESCRIBER_REVIEW_AFTER_REACTION")
    assert "recurrent" in review.message


def test_a_reaction_to_another_drug_does_not_change_this_plan():
    anaphylaxis_to_infliximab = _reaction("infliximab", signs=("anaphylaxis",),
                                          term=CtcaeTerm.ANAPHYLAXIS, grade=3)
    result = plan_consequences(load_protocol("anifrolumab"), [anaphylaxis_to_infliximab])
    assert result.contraindications == ()
    assert result.premedication is None
    assert not result.prescriber_review
    assert result.warnings == ()


def test_no_reactions_change_nothing():
    result = plan_consequences(load_protocol("infliximab"), [])
    assert (result.contraindications, result.premedication, result.graduated_titration,
            result.standard_duration_only, result.prescriber_review, result.delayed_review,
            result.warnings) == ((), None, False, False, False, False, ())


@pytest.mark.parametrize("reaction", [
    _reaction(signs=("anaphylaxis", "hypotension"), term=CtcaeTerm.ANAPHYLAXIS, grade=3),
    _reaction(signs=("urticaria",), term=IRR, grade=4),
    _reaction(signs=("bronchospasm",), term=ALLERGIC, grade=4),
    _reaction(signs=("anaphylaxis",), term=IRR, grade=2),
], ids=["anaphylaxis", "irr-grade-4", "allergic-grade-4", "anaphylaxis-sign"])
def test_severe_hypersensitivity_to_infliximab_contraindicates_it_and_nothing_else_is_said(
        reaction):
    infliximab = load_protocol("infliximab")
    result = plan_consequences(infliximab, [reaction])
    assert result.contraindications == ("hypersensitivity_murine",)
    assert (result.premedication, result.graduated_titration, result.prescriber_review,
            result.delayed_review) == (None, False, False, False)
    assert [w.code for w in result.warnings] == ["REACTION_CONTRAINDICATION"]
    message = result.warnings[0].message
    assert "Infliximab is contraindicated: Hypersensitivity to infliximab" in message
    for never in ("premedicate", "graduated", "Prescriber review before the next"):
        assert never not in message


def test_a_grade_3_infusion_reaction_to_infliximab_is_reviewed_not_contraindicated():
    result = plan_consequences(load_protocol("infliximab"), [_reaction(grade=3)])
    assert result.contraindications == ()
    assert result.prescriber_review and result.premedication is not None


@pytest.mark.parametrize(("protocol_id", "min_grade"), [
    ("infliximab", 4), ("anifrolumab", 4), ("vedolizumab", 3), ("tocilizumab", 4)])
def test_each_drug_is_contraindicated_from_its_hypersensitivity_grade(protocol_id, min_grade):
    protocol = load_protocol(protocol_id)
    assert protocol.reactions.hypersensitivity_min_grade == min_grade
    for grade in range(1, 6):
        result = plan_consequences(protocol, [_reaction(protocol_id, term=ALLERGIC,
                                                        grade=grade)])
        assert bool(result.contraindications) == (grade >= min_grade)


@pytest.mark.parametrize("protocol_id", PROTOCOLS)
@pytest.mark.parametrize("grade", [1, 2])
def test_every_drug_has_a_premedication_and_review_path_after_a_mild_or_moderate_reaction(
        protocol_id, grade):
    protocol = load_protocol(protocol_id)
    result = plan_consequences(protocol, [_reaction(protocol_id, grade=grade)])
    assert result.premedication == protocol.reactions.prior_reaction_premedication
    premedicate = next(w for w in result.warnings if w.code == "PREMEDICATE_AFTER_REACTION")
    assert premedicate.requires_ack
    assert "prescriber reviews it before this dose" in premedicate.message


def _anifrolumab_with(old, new):
    text = resource_path("protocols", "anifrolumab.toml").read_text(encoding="utf-8")
    assert old in text
    return text.replace(old, new)


_CODE_LINE = 'hypersensitivity_contraindication = "anaphylaxis_anifrolumab"\n'


def test_a_protocol_whose_hypersensitivity_contraindicates_must_name_the_code():
    with pytest.raises(ProtocolError, match=r"reactions\.hypersensitivity_contraindication"):
        parse_protocol(_anifrolumab_with(_CODE_LINE, ""), "anifrolumab.toml")


def test_the_named_code_must_be_an_absolute_contraindication_of_the_protocol():
    caution = 'hypersensitivity_contraindication = "other_biologic"\n'
    with pytest.raises(ProtocolError, match="an absolute contraindication in this file"):
        parse_protocol(_anifrolumab_with(_CODE_LINE, caution), "anifrolumab.toml")


@pytest.mark.parametrize("key", ["prior_reaction_premedication", "acute_window_minutes",
                                 "mild_moderate_guidance"])
def test_every_protocol_must_give_its_reaction_path(key):
    text = resource_path("protocols", "anifrolumab.toml").read_text(encoding="utf-8")
    line = next(li for li in text.splitlines() if li.startswith(f"{key} = "))
    with pytest.raises(ProtocolError, match=rf"reactions\.{key}"):
        parse_protocol(text.replace(line + "\n", ""), "anifrolumab.toml")


def test_a_hypersensitivity_grade_outside_ctcae_is_refused():
    with pytest.raises(ProtocolError, match="hypersensitivity_min_grade"):
        parse_protocol(_anifrolumab_with("hypersensitivity_min_grade = 4",
                                         "hypersensitivity_min_grade = 6"), "anifrolumab.toml")
