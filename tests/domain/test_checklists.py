"""The monitoring checklist: pre-infusion checks, vitals, observation and discharge."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clinic_app.domain.checklist_templates import (
    ItemKind,
    load_checklist_templates,
    parse_checklist_template,
)
from clinic_app.domain.checklists import (
    CLEARANCE_KEY,
    DEFAULT_GRACE,
    MISSED_VITALS_KEY,
    Checklist,
    ChecklistEntry,
    ItemState,
    Phase,
    build_checklist,
    grace_from,
)
from clinic_app.domain.ctcae import CtcaeTerm
from clinic_app.domain.errors import InvalidInput, ProtocolError
from clinic_app.domain.infusion_timeline import InfusionTimeline, Pause, RateChange
from clinic_app.domain.observation import (
    MedicationGiven,
    ObservationExtension,
    ReactionAtVisit,
    is_epinephrine,
    observation_extension,
)
from clinic_app.domain.protocol_model import PreCheck, PreCheckNote
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.reactions import OnsetClass, ReactionRecord
from clinic_app.domain.settings import load_settings

START = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)
TEMPLATES = load_checklist_templates()


def at(hour: int, minute: int) -> datetime:
    return datetime(2026, 3, 2, hour, minute, tzinfo=UTC)


def bag(volume: int | str, rate: int | str, **events: object) -> InfusionTimeline:
    return InfusionTimeline.at_rate(volume_ml=Decimal(volume), rate_ml_per_h=Decimal(rate),
                                    started_at=START, **events)  # type: ignore[arg-type]


def checklist(drug: str = "infliximab", timeline: InfusionTimeline | None = None, *,
              dose: int = 1, previous_reaction: bool = False,
              planned: bool = False, extension: ObservationExtension | None = None) -> Checklist:
    return build_checklist(protocol=load_protocol(drug), dose_number=dose, templates=TEMPLATES,
                           timeline=timeline or bag(250, 125),
                           previous_reaction=previous_reaction, planned=planned,
                           extension=extension)


def vitals_times(chk: Checklist) -> list[tuple[str, datetime | None]]:
    return [(i.key, i.due_at) for i in chk.items if i.phase is Phase.INFUSION]


def pre_keys(chk: Checklist) -> list[str]:
    return [i.key for i in chk.items if i.phase is Phase.PRE]


def good_answers(chk: Checklist, moment: datetime = START) -> list[ChecklistEntry]:
    """Every pre-infusion item answered in the way that lets the infusion start."""
    answers = {ItemKind.YES_NO: "no", ItemKind.VALUE: "72.5"}
    entries = [ChecklistEntry(i.key, moment, answers.get(i.kind))
               for i in chk.items if i.phase is Phase.PRE]
    return [replace(e, answer="yes") if e.key == "pre.anaphylaxis_kit" else e for e in entries]


# ---- the time points --------------------------------------------------------------------------

def test_infliximab_at_125_ml_per_hour_has_vitals_at_the_protocol_times_and_at_the_end() -> None:
    assert vitals_times(checklist()) == [
        ("vitals.t0", at(10, 0)), ("vitals.t15", at(10, 15)), ("vitals.t30", at(10, 30)),
        ("vitals.t60", at(11, 0)), ("vitals.t90", at(11, 30)), ("vitals.end", at(12, 0)),
    ]


def test_the_120_minute_point_falls_at_the_end_and_is_served_by_the_end_vitals() -> None:
    end = checklist().item("vitals.end")
    assert "120 min" in end.text
    with pytest.raises(KeyError):
        checklist().item("vitals.t120")


def test_infliximab_observation_lasts_two_hours_with_vitals_every_hour() -> None:
    chk = checklist()
    assert chk.observation_end == at(14, 0)
    observation = [(i.key, i.due_at) for i in chk.items if i.phase is Phase.OBSERVATION]
    assert observation == [("obs.t60", at(13, 0)), ("obs.end", at(14, 0)),
                           ("obs.complete", at(14, 0))]


def test_discharge_items_are_due_when_observation_ends() -> None:
    chk = checklist()
    discharge = [i for i in chk.items if i.phase is Phase.DISCHARGE]
    assert {i.key for i in discharge} >= {"discharge.cannula", "discharge.feels_well",
                                          "discharge.next_appointment",
                                          "discharge.delayed_reactions", "discharge.whom_to_call"}
    assert {i.due_at for i in discharge} == {at(14, 0)}


def test_a_twenty_minute_pause_at_10_40_moves_the_later_vitals_and_the_end() -> None:
    chk = checklist(timeline=bag(250, 125, pauses=[Pause(at(10, 40), at(11, 0))]))
    times = dict(vitals_times(chk))
    assert times["vitals.t30"] == at(10, 30)
    assert times["vitals.t60"] == at(11, 20)
    assert times["vitals.end"] == at(12, 20)
    assert chk.observation_end == at(14, 20)


def test_a_slower_rate_at_10_45_adds_vitals_at_11_00_and_moves_the_end() -> None:
    chk = checklist(timeline=bag(250, 125, rate_changes=[RateChange(at(10, 45), Decimal("62.5"))]))
    times = vitals_times(chk)
    at_eleven = chk.item("vitals.t60")
    assert at_eleven.due_at == at(11, 0)
    assert "15 min after rate change 1 (to 62.5 mL/h)" in at_eleven.text
    assert times[-1] == ("vitals.end", at(13, 15))
    assert ("vitals.t120", at(12, 0)) in times  # the infusion now runs past 120 minutes
    assert chk.observation_end == at(15, 15)


def test_a_rate_change_away_from_a_protocol_time_gets_its_own_vitals_item() -> None:
    chk = checklist(timeline=bag(250, 125, rate_changes=[RateChange(at(10, 50), Decimal(100))]))
    assert chk.item("vitals.rate_change.1").due_at == at(11, 5)


def test_a_pause_after_a_rate_change_delays_the_vitals_due_after_it() -> None:
    timeline = bag(250, 125, rate_changes=[RateChange(at(10, 50), Decimal(100))],
                   pauses=[Pause(at(10, 55), at(11, 5))])
    assert checklist(timeline=timeline).item("vitals.rate_change.1").due_at == at(11, 15)


def test_each_step_of_a_graduated_table_is_a_rate_change_with_its_own_vitals() -> None:
    steps = load_protocol("infliximab").administration.titration
    timeline = InfusionTimeline(volume_ml=Decimal(250), steps=steps, started_at=START)
    chk = checklist(timeline=timeline, previous_reaction=True)
    assert chk.item("vitals.step.3").due_at == at(10, 45)
    assert "step 4 (120 mL/h)" in chk.item("vitals.t60").text
    assert chk.item("vitals.end").due_at == at(12, 17)


def test_an_infusion_stopped_early_drops_the_later_vitals() -> None:
    chk = checklist(timeline=bag(250, 125, ended_at=at(10, 40)))
    assert [k for k, _ in vitals_times(chk)] == ["vitals.t0", "vitals.t15", "vitals.t30",
                                                 "vitals.end"]
    assert chk.observation_end == at(12, 40)


def test_while_paused_the_times_after_the_pause_are_unknown() -> None:
    chk = checklist(timeline=bag(250, 125, pauses=[Pause(at(10, 40))]))
    assert chk.item("vitals.t30").due_at == at(10, 30)
    assert chk.item("vitals.t60").due_at is None
    assert chk.item("obs.end").due_at is None
    assert chk.infusion_end is None


def test_vedolizumab_is_observed_two_hours_after_doses_one_and_two_then_one_hour() -> None:
    timeline = bag(250, 500)  # 30 minutes
    assert checklist("vedolizumab", timeline, dose=2).observation_end == at(12, 30)
    later = checklist("vedolizumab", timeline, dose=3)
    assert later.observation_minutes == 60
    assert later.observation_end == at(11, 30)
    assert later.item("obs.end").due_at == at(11, 30)


def test_anifrolumab_runs_30_minutes_with_a_30_minute_observation() -> None:
    chk = checklist("anifrolumab", bag(100, 200))
    assert vitals_times(chk) == [("vitals.t0", at(10, 0)), ("vitals.t15", at(10, 15)),
                                 ("vitals.end", at(10, 30))]
    assert [i.key for i in chk.items if i.phase is Phase.OBSERVATION] == ["obs.end",
                                                                         "obs.complete"]
    assert chk.observation_end == at(11, 0)


# ---- the pre-infusion checks ------------------------------------------------------------------

def test_the_pre_infusion_checks_cover_identity_allergies_weight_vitals_and_screening() -> None:
    assert pre_keys(checklist()) == [
        "pre.identity", "pre.allergies", "pre.weight", "pre.baseline_vitals",
        "pre.fever_infection", "pre.tb_exposure", "pre.pregnancy", "pre.surgery",
        "pre.live_vaccine", "pre.neuro_symptoms", "pre.heart_failure_symptoms",
        "pre.anaphylaxis_kit",
    ]


@pytest.mark.parametrize("drug", ["anifrolumab", "vedolizumab", "tocilizumab"])
def test_the_infliximab_only_questions_are_not_asked_for_other_drugs(drug: str) -> None:
    keys = pre_keys(checklist(drug, bag(100, 100)))
    assert "pre.neuro_symptoms" not in keys and "pre.heart_failure_symptoms" not in keys
    for common in ("pre.fever_infection", "pre.tb_exposure", "pre.pregnancy", "pre.surgery",
                   "pre.live_vaccine", "pre.anaphylaxis_kit"):
        assert common in keys


def test_vedolizumab_asks_about_new_or_worsening_neurological_signs_before_each_dose() -> None:
    for dose in (1, 2, 3, 9):
        item = checklist("vedolizumab", bag(250, 500), dose=dose).item("pre.pml_symptoms")
        assert item.text.startswith("New or worsening neurological signs or symptoms")
        assert "weakness on one side of the body" in item.text
        assert "thinking, memory or orientation" in item.text
        assert item.required and item.blocking_answer == "yes"
        assert item.action is not None
        assert "hold the dose and tell the prescriber" in item.action
        assert "progressive multifocal leukoencephalopathy (PML)" in item.action
    for drug in ("infliximab", "anifrolumab", "tocilizumab"):
        assert "pre.pml_symptoms" not in pre_keys(checklist(drug, bag(100, 200))), drug


def test_a_yes_to_the_pml_question_blocks_the_start_and_says_what_to_do() -> None:
    chk = checklist("vedolizumab", bag(250, 500))
    entries = [replace(e, answer="yes") if e.key == "pre.pml_symptoms" else e
               for e in good_answers(chk)]
    (blocker,) = chk.start_check(entries).blockers
    assert blocker.key == "pre.pml_symptoms"
    assert "Answer: yes. Do not start: hold the dose and tell the prescriber today." in (
        blocker.message)
    assert chk.start_check(good_answers(chk)).allowed


def live_vaccine_action(drug: str) -> str:
    action = checklist(drug, bag(100, 200)).item("pre.live_vaccine").action
    assert action is not None and action.startswith("Do not start: call the prescriber.")
    return action


def test_the_live_vaccine_question_uses_each_drugs_own_words() -> None:
    assert "contraindicated during infliximab treatment" in live_vaccine_action("infliximab")
    assert "Avoid live or live-attenuated vaccines" in live_vaccine_action("anifrolumab")
    assert "Avoid live vaccines during tocilizumab" in live_vaccine_action("tocilizumab")
    vedolizumab = live_vaccine_action("vedolizumab")
    assert "a caution, not a contraindication" in vedolizumab
    assert "only if the benefit outweighs the risk" in vedolizumab
    assert "contraindicated" not in vedolizumab


def test_infliximab_in_pregnancy_is_the_prescribers_decision_not_a_contraindication() -> None:
    action = checklist().item("pre.pregnancy").action
    assert action is not None and "prescriber's decision" in action
    assert "contraindication" not in action
    (pregnancy,) = [c for c in load_protocol("infliximab").contraindications
                    if c.code == "pregnancy"]
    assert pregnancy.severity == "prescriber_decision"  # an override with the decision


def test_a_template_item_limited_to_infliximab_is_read_with_its_protocols() -> None:
    item = ('[[items]]\ncode = "a"\ntext = "t"\nkind = "tick"\nsource = "s"\n'
            'protocols = ["infliximab"]\n')
    (parsed,) = parse_checklist_template(TEMPLATE_HEAD + item, "ok.toml").items
    assert parsed.protocols == ("infliximab",)
    assert parsed.applies_to("infliximab") and not parsed.applies_to("vedolizumab")


def test_premedication_is_asked_only_after_a_previous_reaction_with_the_protocol_text() -> None:
    assert "pre.premedication" not in pre_keys(checklist())
    item = checklist(previous_reaction=True).item("pre.premedication")
    assert "H1/H2 antihistamine" in item.text
    assert item.required


def test_tocilizumab_adds_the_blocking_lab_gate() -> None:
    chk = checklist("tocilizumab", bag(100, 100))
    gate = chk.item("pre.labs_gate")
    assert gate.required and "neutrophils" in gate.text
    entries = [e for e in good_answers(chk) if e.key != "pre.labs_gate"]
    check = chk.start_check(entries)
    assert not check.allowed
    assert [b.key for b in check.blockers] == ["pre.labs_gate"]
    assert chk.start_check(good_answers(chk)).allowed


def test_the_infusion_may_start_when_every_check_is_answered_and_none_blocks() -> None:
    chk = checklist()
    assert chk.start_check(good_answers(chk)).allowed


def test_fever_today_blocks_the_start_and_says_to_call_the_prescriber() -> None:
    chk = checklist()
    entries = [replace(e, answer="yes") if e.key == "pre.fever_infection" else e
               for e in good_answers(chk)]
    (blocker,) = chk.start_check(entries).blockers
    assert blocker.key == "pre.fever_infection"
    assert "call the prescriber" in blocker.message


def test_a_missing_anaphylaxis_kit_blocks_the_start() -> None:
    chk = checklist()
    entries = [replace(e, answer="no") if e.key == "pre.anaphylaxis_kit" else e
               for e in good_answers(chk)]
    assert [b.key for b in chk.start_check(entries).blockers] == ["pre.anaphylaxis_kit"]


def test_an_unanswered_check_blocks_the_start() -> None:
    chk = checklist()
    entries = [e for e in good_answers(chk) if e.key != "pre.identity"]
    (blocker,) = chk.start_check(entries).blockers
    assert blocker.key == "pre.identity" and blocker.message.startswith("Not done yet")


def test_the_pregnancy_question_accepts_not_applicable_but_the_others_do_not() -> None:
    chk = checklist()
    entries = [replace(e, answer="not_applicable") if e.key == "pre.pregnancy" else e
               for e in good_answers(chk)]
    assert chk.start_check(entries).allowed
    wrong = [replace(e, answer="not_applicable") if e.key == "pre.fever_infection" else e
             for e in good_answers(chk)]
    with pytest.raises(InvalidInput, match=r"pre\.fever_infection is answered with one of yes, no"):
        chk.start_check(wrong)


def test_the_weight_item_needs_a_value() -> None:
    chk = checklist()
    entries = [replace(e, answer=" ") if e.key == "pre.weight" else e for e in good_answers(chk)]
    with pytest.raises(InvalidInput, match=r"pre\.weight needs a value"):
        chk.start_check(entries)


def test_a_protocol_check_with_a_template_code_is_refused() -> None:
    protocol = load_protocol("tocilizumab")
    clash = replace(protocol, pre_checks=(PreCheck("identity", "Identity", True, "test"),))
    with pytest.raises(ProtocolError, match=r"pre_checks\.code"):
        build_checklist(protocol=clash, dose_number=1, templates=TEMPLATES,
                        timeline=bag(100, 100))


def test_drug_specific_notes_reach_only_that_drugs_checklist() -> None:
    surgery = checklist("infliximab").item("pre.surgery")
    assert surgery.action is not None
    assert "at least 1 month after the last infusion" in surgery.action
    assert "murine proteins" in checklist("infliximab").item("pre.allergies").text
    for drug in ("anifrolumab", "vedolizumab", "tocilizumab"):
        texts = " ".join(f"{i.text} {i.action or ''}" for i in checklist(drug, bag(100, 200)).items)
        assert "infliximab" not in texts.lower(), drug


def test_a_note_for_an_item_the_template_does_not_have_is_refused() -> None:
    protocol = replace(load_protocol("infliximab"),
                       pre_check_notes=(PreCheckNote("dancing", "No.", "test"),))
    with pytest.raises(ProtocolError, match=r"pre_check_notes\.dancing"):
        build_checklist(protocol=protocol, dose_number=1, templates=TEMPLATES,
                        timeline=bag(250, 125))


def test_a_note_for_an_item_not_asked_at_that_drugs_visits_is_refused() -> None:
    note = PreCheckNote("heart_failure_symptoms", "Not for this drug.", "test")
    protocol = replace(load_protocol("anifrolumab"), pre_check_notes=(note,))
    with pytest.raises(ProtocolError, match=r"pre_check_notes\.heart_failure_symptoms"):
        build_checklist(protocol=protocol, dose_number=1, templates=TEMPLATES,
                        timeline=bag(100, 200))


def test_each_note_keeps_its_source_apart_from_the_text_the_nurse_reads() -> None:
    notes = {n.code: n for n in load_protocol("infliximab").pre_check_notes}
    surgery = notes["surgery"]
    assert surgery.source.startswith("Seed 000")
    assert "seed" not in surgery.text.lower()
    assert checklist("infliximab").item("pre.surgery").action.endswith(surgery.text)


# ---- status at a moment -----------------------------------------------------------------------

DONE_BY_11 = ["vitals.t0", "vitals.t15", "vitals.t30"]


def started_done(chk: Checklist) -> list[str | ChecklistEntry]:
    return [*good_answers(chk), *DONE_BY_11]


def test_at_11_05_the_11_00_vitals_are_still_due_and_next() -> None:
    chk = checklist()
    status = chk.status(at(11, 5), started_done(chk))
    assert status.of("vitals.t60").state is ItemState.DUE
    assert status.next_due is not None and status.next_due.item.key == "vitals.t60"
    assert status.overdue == ()


def test_at_11_06_the_11_00_vitals_are_overdue_and_the_11_30_vitals_are_next() -> None:
    chk = checklist()
    status = chk.status(at(11, 6), started_done(chk))
    assert [s.item.key for s in status.overdue] == ["vitals.t60"]
    assert status.next_due is not None
    assert (status.next_due.item.key, status.next_due.item.due_at) == ("vitals.t90", at(11, 30))
    assert status.of("vitals.t90").state is ItemState.UPCOMING


def test_items_are_due_from_the_grace_period_before_their_time() -> None:
    chk = checklist()
    assert chk.status(at(10, 54), started_done(chk)).of("vitals.t60").state is ItemState.UPCOMING
    assert chk.status(at(10, 55), started_done(chk)).of("vitals.t60").state is ItemState.DUE


def test_the_grace_period_is_a_clinic_setting() -> None:
    chk = checklist()
    settings = load_settings()
    assert grace_from(settings.checklists) == DEFAULT_GRACE == timedelta(minutes=5)
    status = chk.status(at(11, 6), started_done(chk), grace=timedelta(minutes=10))
    assert status.of("vitals.t60").state is ItemState.DUE


def test_done_items_are_done_with_the_time_they_were_recorded() -> None:
    chk = checklist()
    status = chk.status(at(10, 20), [ChecklistEntry("vitals.t15", at(10, 16))])
    assert status.of("vitals.t15").state is ItemState.DONE
    assert status.of("vitals.t15").done_at == at(10, 16)
    assert status.of("vitals.t0").state is ItemState.OVERDUE


def test_unchecked_pre_infusion_items_are_overdue_once_the_infusion_has_started() -> None:
    chk = checklist()
    status = chk.status(at(10, 30), DONE_BY_11)
    assert status.of("pre.identity").state is ItemState.OVERDUE


def test_observation_and_discharge_items_wait_until_the_infusion_has_ended() -> None:
    chk = checklist()
    during = chk.status(at(11, 5), started_done(chk))
    assert during.of("obs.t60").state is ItemState.NOT_YET
    assert during.of("discharge.cannula").state is ItemState.NOT_YET
    after = chk.status(at(12, 10), started_done(chk))
    assert after.of("obs.t60").state is ItemState.UPCOMING
    assert after.of("vitals.end").state is ItemState.OVERDUE


def test_while_paused_the_items_after_the_pause_are_not_yet_timed() -> None:
    chk = checklist(timeline=bag(250, 125, pauses=[Pause(at(10, 40))]))
    status = chk.status(at(11, 10), started_done(chk))
    assert status.of("vitals.t60").state is ItemState.NOT_YET
    assert status.next_due is None
    assert status.overdue == ()


def test_a_planned_checklist_times_the_checks_from_the_planned_start_only() -> None:
    chk = checklist(planned=True)
    assert chk.planned
    status = chk.status(at(10, 20), [])
    assert status.of("pre.identity").state is ItemState.OVERDUE  # the patient is waiting
    assert status.of("vitals.t15").state is ItemState.NOT_YET
    assert status.next_due is None
    assert chk.status(at(9, 30), []).of("pre.identity").state is ItemState.UPCOMING


def test_a_planned_checklist_cannot_have_events() -> None:
    with pytest.raises(InvalidInput, match="planned checklist"):
        checklist(timeline=bag(250, 125, pauses=[Pause(at(10, 40), at(11, 0))]), planned=True)


def test_rebuilding_after_a_pause_moves_the_times_and_keeps_what_was_done() -> None:
    before = checklist()
    after = checklist(timeline=bag(250, 125, pauses=[Pause(at(10, 40), at(11, 0))]))
    done = started_done(before)
    status = after.status(at(11, 6), done)
    assert [status.of(k).state for k in DONE_BY_11] == [ItemState.DONE] * 3
    assert status.of("vitals.t60").state is ItemState.UPCOMING
    assert status.of("vitals.t60").item.due_at == at(11, 20)
    assert {i.key for i in before.items} == {i.key for i in after.items}


def test_entries_for_keys_no_longer_in_the_checklist_are_ignored() -> None:
    status = checklist().status(at(10, 5), ["vitals.rate_change.9", "vitals.t0"])
    assert status.of("vitals.t0").state is ItemState.DONE


def test_a_key_recorded_twice_keeps_the_latest_entry() -> None:
    entries = [ChecklistEntry("vitals.t0", at(10, 2)), ChecklistEntry("vitals.t0", at(10, 1))]
    assert checklist().status(at(10, 5), entries).of("vitals.t0").done_at == at(10, 2)


def test_a_naive_moment_a_naive_entry_and_a_negative_grace_are_refused() -> None:
    chk = checklist()
    with pytest.raises(InvalidInput, match="time zone"):
        chk.status(datetime(2026, 3, 2, 11, 0), [])
    with pytest.raises(InvalidInput, match="time zone"):
        ChecklistEntry("vitals.t0", datetime(2026, 3, 2, 10, 0))
    with pytest.raises(InvalidInput, match="negative"):
        chk.status(at(11, 0), [], grace=timedelta(minutes=-1))


@pytest.mark.parametrize("dose", [0, -1, True])
def test_a_dose_number_below_one_is_refused(dose: int) -> None:
    with pytest.raises(InvalidInput, match="counts from 1"):
        checklist(dose=dose)


# ---- discharge --------------------------------------------------------------------------------

def discharge_entries(chk: Checklist, feels_well: str = "yes") -> list[ChecklistEntry]:
    """Every item after the start answered: vitals of the infusion, observation, discharge."""
    keys = [i.key for i in chk.items
            if i.phase in (Phase.INFUSION, Phase.OBSERVATION, Phase.DISCHARGE)]
    return [ChecklistEntry(k, at(14, 0), feels_well if k == "discharge.feels_well" else None)
            for k in keys]


def test_the_patient_may_go_home_after_observation_with_every_discharge_item_done() -> None:
    chk = checklist()
    assert chk.discharge_check(at(14, 0), discharge_entries(chk), tz=UTC).allowed


def test_the_patient_may_not_go_home_before_observation_ends() -> None:
    chk = checklist()
    (blocker,) = chk.discharge_check(at(13, 30), discharge_entries(chk), tz=UTC).blockers
    assert "runs until 14:00 (" in blocker.message and blocker.until == at(14, 0)


def test_the_end_of_observation_is_written_in_the_clinic_s_local_time() -> None:
    chk = checklist()
    warsaw = ZoneInfo("Europe/Warsaw")
    (blocker,) = chk.discharge_check(at(13, 30), discharge_entries(chk), tz=warsaw).blockers
    assert "runs until 15:00 (" in blocker.message and "+00:00" not in blocker.message


def test_an_observation_ending_on_another_local_day_names_the_date() -> None:
    chk = checklist()
    brisbane = ZoneInfo("Australia/Brisbane")  # UTC+10: 13:30 UTC is 23:30, 14:00 is 00:00
    (blocker,) = chk.discharge_check(at(13, 30), discharge_entries(chk), tz=brisbane).blockers
    assert "runs until 3 Mar 2026 00:00" in blocker.message


def test_a_patient_who_feels_unwell_may_not_go_home() -> None:
    chk = checklist()
    (blocker,) = chk.discharge_check(at(14, 5), discharge_entries(chk, "no"),
                                     tz=UTC).blockers
    assert blocker.key == "discharge.feels_well" and "Do not discharge" in blocker.message


def test_missing_end_vitals_block_and_missed_hourly_ones_need_a_reason() -> None:
    chk = checklist()
    entries = [e for e in discharge_entries(chk) if e.key not in ("obs.end", "obs.t60")]
    blockers = chk.discharge_check(at(14, 5), entries, tz=UTC).blockers
    assert [b.key for b in blockers] == ["obs.end", MISSED_VITALS_KEY]
    assert "60 min after the end of the infusion (13:00)" in blockers[1].message
    with_reason = chk.discharge_check(at(14, 5), entries, tz=UTC,
                                      missed_vitals_reason="Patient asleep; prescriber aware")
    assert [b.key for b in with_reason.blockers] == ["obs.end"]


def test_vitals_due_during_the_infusion_and_never_recorded_are_listed_at_discharge() -> None:
    chk = checklist()
    entries = [e for e in discharge_entries(chk) if e.key not in ("vitals.t15", "vitals.t30")]
    (blocker,) = chk.discharge_check(at(14, 5), entries, tz=UTC).blockers
    assert blocker.key == MISSED_VITALS_KEY
    assert "15 min into the infusion (10:15); 30 min into the infusion (10:30)" in \
        blocker.message
    assert [i.key for i in chk.missed_vitals(at(14, 5), entries)] == ["vitals.t15",
                                                                     "vitals.t30"]
    assert chk.discharge_check(at(14, 5), entries, tz=UTC,
                               missed_vitals_reason="Pump alarm; vitals not charted").allowed


def test_vitals_not_yet_past_their_grace_are_not_missed() -> None:
    chk = checklist()
    assert chk.missed_vitals(at(10, 4), []) == ()  # t0 (10:00) is within its 5-min grace
    assert [i.key for i in chk.missed_vitals(at(10, 6), [])] == ["vitals.t0"]


# ---- observation after a severe reaction ------------------------------------------------------

def _anaphylaxis(onset, *, epinephrine=(), grade=3, term=CtcaeTerm.ANAPHYLAXIS,
                 signs=("anaphylaxis",), onset_class=OnsetClass.DURING_INFUSION):
    record = ReactionRecord(protocol_id="infliximab", onset_class=onset_class, signs=signs,
                            occurred_on=onset.date(), term=term, grade=grade)
    return ReactionAtVisit(record, onset, tuple(MedicationGiven("Epinephrine 1 mg/mL", t)
                                                for t in epinephrine))


def test_anaphylaxis_extends_observation_from_the_last_epinephrine_dose() -> None:
    onset = at(10, 12)
    extension = observation_extension([_anaphylaxis(onset, epinephrine=(at(10, 14), at(10, 22)))],
                                      protocol_minutes=120, after_severe_reaction_minutes=240)
    assert extension is not None
    assert (extension.from_at, extension.minutes, extension.until) == (at(10, 22), 240,
                                                                       at(14, 22))
    assert extension.cause == "anaphylaxis grade 3 and epinephrine given"


@pytest.mark.parametrize(("term", "grade", "signs", "epi", "extended"), [
    (CtcaeTerm.INFUSION_RELATED_REACTION, 2, ("urticaria",), False, False),
    (CtcaeTerm.INFUSION_RELATED_REACTION, 2, ("urticaria",), True, True),
    (CtcaeTerm.INFUSION_RELATED_REACTION, 3, ("urticaria",), False, True),
    (CtcaeTerm.ALLERGIC_REACTION, 4, ("bronchospasm",), False, True),
    (CtcaeTerm.ANAPHYLAXIS, 3, ("anaphylaxis",), False, True),
])
def test_observation_is_extended_for_grade_3_or_more_anaphylaxis_or_any_epinephrine(
        term, grade, signs, epi, extended) -> None:
    reaction = _anaphylaxis(at(10, 30), epinephrine=(at(10, 35),) if epi else (), grade=grade,
                            term=term, signs=signs)
    result = observation_extension([reaction], protocol_minutes=120,
                                   after_severe_reaction_minutes=240)
    assert (result is not None) == extended


def test_the_protocols_observation_wins_when_it_is_longer_than_the_setting() -> None:
    result = observation_extension([_anaphylaxis(at(10, 30))], protocol_minutes=360,
                                   after_severe_reaction_minutes=240)
    assert result is not None and result.minutes == 360


def test_epinephrine_is_recognised_by_any_of_its_names() -> None:
    for name in ("Adrenaline 1 mg/mL", "EpiPen 0.3 mg", "epinephrine", "ADRENALIN"):
        assert is_epinephrine(name)
    assert not is_epinephrine("Clemastine")


def test_an_extended_observation_keeps_the_patient_and_asks_the_prescribers_clearance() -> None:
    reaction = _anaphylaxis(at(10, 12), epinephrine=(at(10, 14),))
    extension = observation_extension([reaction], protocol_minutes=120,
                                      after_severe_reaction_minutes=240)
    chk = checklist(extension=extension)
    assert chk.observation_end == at(14, 14)  # not 14:00: 4 h from the epinephrine
    clearance = chk.item(CLEARANCE_KEY)
    assert clearance.required and clearance.kind is ItemKind.VALUE
    assert "anaphylaxis grade 3 and epinephrine given" in clearance.text
    hourly = [i.key for i in chk.items if i.key.startswith("obs.after_reaction.")]
    # after the 12:00 end; 13:14 is served by the protocol's 13:00 set (one set, not two)
    assert hourly == ["obs.after_reaction.2"]
    entries = [e for e in discharge_entries(chk) if e.key != CLEARANCE_KEY]
    at_two = chk.discharge_check(at(14, 0), entries, tz=UTC)
    assert at_two.blockers[0].key == "obs.end" and "extended after the reaction" in \
        at_two.blockers[0].message
    later = chk.discharge_check(at(14, 20), entries, tz=UTC)
    assert [b.key for b in later.blockers] == [CLEARANCE_KEY]
    cleared = [*entries, ChecklistEntry(CLEARANCE_KEY, at(14, 20), "Dr Nowak: home with EpiPen")]
    assert chk.discharge_check(at(14, 20), cleared, tz=UTC).allowed


# ---- templates --------------------------------------------------------------------------------

def test_every_template_item_names_its_source() -> None:
    for template in (TEMPLATES.pre_infusion, TEMPLATES.discharge):
        assert template.version and template.source
        assert all(item.source for item in template.items)


TEMPLATE_HEAD = 'schema_version = 1\nname = "t"\nversion = "1"\nsource = "s"\n'


@pytest.mark.parametrize(("item", "field"), [
    ('code = "a"\ntext = "t"\nkind = "tick"\nsource = "s"\ncolour = "red"', "items[0].colour"),
    ('code = "a"\ntext = "t"\nkind = "tick"\nsource = "s"\nblocking_answer = "yes"\n'
     'action = "x"', "items[0].blocking_answer"),
    ('code = "a"\ntext = "t"\nkind = "yes_no"\nsource = "s"\nblocking_answer = "yes"',
     "items[0].action"),
    ('code = "a"\ntext = "t"\nkind = "yes_no"\nsource = "s"\nblocking_answer = "maybe"\n'
     'action = "x"', "items[0].blocking_answer"),
    ('code = "a"\ntext = "t"\nkind = "checkbox"\nsource = "s"', "items[0].kind"),
    ('code = "A b"\ntext = "t"\nkind = "tick"\nsource = "s"', "items[0].code"),
    ('code = "a"\ntext = "t"\nkind = "tick"', "items[0].source"),
    ('code = "a"\ntext = "t"\nkind = "tick"\nsource = "s"\nwhen = "always"', "items[0].when"),
    ('code = "a"\ntext = "t"\nkind = "tick"\nsource = "s"\nprotocols = ["aspirin"]',
     "items[0].protocols"),
    ('code = "a"\ntext = "t"\nkind = "tick"\nsource = "s"\nprotocols = []',
     "items[0].protocols"),
    ('code = "a"\ntext = "t"\nkind = "tick"\nsource = "s"\nprotocols = "infliximab"',
     "items[0].protocols"),
])
def test_a_malformed_template_item_names_the_field(item: str, field: str) -> None:
    with pytest.raises(ProtocolError) as caught:
        parse_checklist_template(TEMPLATE_HEAD + "[[items]]\n" + item, "bad.toml")
    assert caught.value.field == field and caught.value.file_name == "bad.toml"


def test_a_template_code_used_twice_is_refused() -> None:
    item = '[[items]]\ncode = "a"\ntext = "t"\nkind = "tick"\nsource = "s"\n'
    with pytest.raises(ProtocolError, match="codes used once each"):
        parse_checklist_template(TEMPLATE_HEAD + item + item, "bad.toml")


# ---- properties -------------------------------------------------------------------------------

gaps = st.integers(min_value=1, max_value=60)


@st.composite
def visits(draw: st.DrawFn) -> Checklist:
    """A visit of any drug and dose, graduated or not, with random pauses and rate changes."""
    drug = draw(st.sampled_from(["infliximab", "vedolizumab", "anifrolumab", "tocilizumab"]))
    moment, pauses, changes = START, [], []
    for is_pause, gap, length, rate in draw(st.lists(st.tuples(
            st.booleans(), gaps, gaps, st.integers(10, 400)), max_size=5)):
        moment += timedelta(minutes=gap)
        if is_pause:
            pauses.append(Pause(moment, moment + timedelta(minutes=length)))
            moment += timedelta(minutes=length)
        else:
            changes.append(RateChange(moment, Decimal(rate)))
    graduated = load_protocol("infliximab").administration.titration
    steps = graduated if draw(st.booleans()) else [(Decimal(draw(st.integers(20, 500))), None)]
    timeline = InfusionTimeline(volume_ml=Decimal(draw(st.integers(50, 500))), steps=steps,
                                started_at=START, pauses=pauses, rate_changes=changes)
    return checklist(drug, timeline, dose=draw(st.integers(1, 6)),
                     previous_reaction=draw(st.booleans()))


@given(visits())
def test_due_times_never_go_backwards_in_the_order_of_the_list(chk: Checklist) -> None:
    times = [i.due_at for i in chk.items]
    assert all(t is not None for t in times)
    assert times == sorted(times)  # type: ignore[type-var]


@given(visits())
def test_keys_are_unique_and_infusion_vitals_fall_within_the_infusion(chk: Checklist) -> None:
    keys = [i.key for i in chk.items]
    assert len(keys) == len(set(keys))
    end = chk.infusion_end
    assert end is not None
    assert all(chk.started_at <= i.due_at <= end for i in chk.items  # type: ignore[operator]
               if i.phase is Phase.INFUSION)


@given(visits(), st.integers(min_value=-30, max_value=600), st.data())
def test_whatever_was_recorded_stays_done(chk: Checklist, offset: int, data: st.DataObject) -> None:
    keys = [i.key for i in chk.items]
    done = data.draw(st.lists(st.sampled_from(keys), unique=True))
    status = chk.status(START + timedelta(minutes=offset), done)
    assert {s.item.key for s in status.items if s.state is ItemState.DONE} == set(done)
    assert all(s.state is ItemState.OVERDUE for s in status.overdue)
