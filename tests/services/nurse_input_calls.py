"""Every service function that takes text from a nurse, with valid arguments, over a clinic day
built once (the "world"): for the tests that feed those arguments odd text.

The world is one SQLite file: a nurse (Anna Keller, the administrator), a second nurse (Clara
Wolf), a patient with records on file (José
García, MRN001) and five patients of today's infliximab clinic at each stage of a visit:
booked, open and checked, infusing, paused, ended (observation over, a vital sign missed) with
a reaction logged. The clock stands at the moment the world was finished.

Each :class:`ServiceCall` names a public service function, its valid keyword arguments for the
world and the paths of its text arguments (``"day"``, ``"form.family_name"`` in a form,
``"signs.0"`` in a sequence, ``"medications.0.dose"`` in a form inside a sequence).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from clinic_testing import FakeClock, open_context, patient_form
from visit_fixtures import (
    NORMAL_VITALS,
    PRODUCT_INFLIXIMAB,
    PROTOCOL_ORDERS,
    book_first_dose,
    open_ready_visit,
    screen,
)

from clinic_app.services import (
    access_log,
    accounts,
    clinic_day,
    courses,
    drug_levels,
    labs,
    patients,
    reactions,
    sheets,
    surgery,
    visits,
)
from clinic_app.services.context import ServiceContext
from clinic_app.services.drug_levels.dto import DrugLevelForm
from clinic_app.services.visits.dto import MedicationForm, PremedicationForm

PASSWORD = "correct horse battery"
PIN = "2468"


@dataclass(frozen=True)
class World:
    """The ids and texts of the world's records, and the moment its clock stands at."""

    nurse_id: int
    other_nurse_id: int
    export_path: Path
    now: datetime
    patient_id: int
    patient_version: int
    allergy_id: int
    course_id: int
    booked_appointment_id: int
    next_appointment_id: int
    checked_visit_id: int
    infusing_visit_id: int
    infusing_patient_id: int
    paused_visit_id: int
    ended_visit_id: int
    reaction_id: int
    premedication_id: int
    lab_result_id: int
    surgery_id: int
    vaccination_id: int
    double_check_id: int
    drug_level_id: int
    review_id: int
    booking_codes: tuple[str, ...]
    local_time: str


def _patient(ctx: ServiceContext, mrn: str, family_name: str) -> int:
    return patients.register_patient(ctx, form=patient_form(
        mrn=mrn, family_name=family_name, given_names="Anna")).id


def _visit_at_stage(ctx: ServiceContext, mrn: str, family_name: str, chair: str) -> int:
    patient_id = _patient(ctx, mrn, family_name)
    booking = book_first_dose(ctx, patient_id, chair=chair)
    return open_ready_visit(ctx, booking.appointment_id).id


def build_world(path: Path, clock: FakeClock) -> World:
    """Fill the SQLite file at ``path`` (migrated here) with the world; the clock moves on."""
    blank, engine = open_context(path, clock)
    try:
        nurse = accounts.create_nurse(blank, username="akeller", display_name="Anna Keller",
                                      secret=PASSWORD, pin=PIN)
        ctx = blank.as_nurse(nurse.id)
        other = accounts.create_nurse(ctx, username="cwolf", display_name="Clara Wolf",
                                      secret=PASSWORD)
        return _fill(ctx, clock, (nurse.id, other.id), path.parent.parent / "access_log.csv")
    finally:
        engine.dispose()


def _fill(ctx: ServiceContext, clock: FakeClock, nurse_ids: tuple[int, int],
          export_path: Path) -> World:
    patient_id = patients.register_patient(ctx, form=patient_form()).id
    screen(ctx, patient_id)
    allergy = patients.add_allergy(ctx, patient_id=patient_id, substance="Penicillin")
    patients.record_weight(ctx, patient_id=patient_id, weight="72.5")
    booked = book_first_dose(ctx, patient_id, chair="Chair 1")
    ended_visit = _visit_at_stage(ctx, "MRN010", "Ended", "Chair 2")
    visits.start_infusion(ctx, visit_id=ended_visit)
    clock.advance(minutes=121)
    visits.end_infusion(ctx, visit_id=ended_visit)
    ended_patient = visits.get_visit(ctx, visit_id=ended_visit).patient.id
    reaction = reactions.log_reaction(ctx, patient_id=ended_patient, visit_id=ended_visit,
                                      onset=ctx.now(), signs=["flushing"],
                                      term="infusion_related_reaction", grade=1)
    clock.advance(minutes=121)
    visits.record_vitals(ctx, visit_id=ended_visit, item_key="obs.end", **NORMAL_VITALS)
    for key in ("obs.complete", "discharge.cannula", "discharge.next_appointment",
                "discharge.delayed_reactions", "discharge.whom_to_call"):
        visits.record_check(ctx, visit_id=ended_visit, item_key=key)
    visits.record_check(ctx, visit_id=ended_visit, item_key="discharge.feels_well",
                        answer="yes")
    checked_visit = _visit_at_stage(ctx, "MRN011", "Checked", "Chair 3")
    infusing_visit = _visit_at_stage(ctx, "MRN012", "Infusing", "Chair 4")
    paused_visit = _visit_at_stage(ctx, "MRN013", "Paused", "Chair 5")
    visits.start_infusion(ctx, visit_id=infusing_visit)
    visits.start_infusion(ctx, visit_id=paused_visit)
    clock.advance(minutes=10)
    visits.pause_infusion(ctx, visit_id=paused_visit, reason="Itching")
    clock.advance(minutes=5)
    premedication = visits.record_premedication(ctx, visit_id=checked_visit, form=_PREMEDICATION)
    lab = labs.record_lab_result(ctx, patient_id=patient_id, test="alt", value="95", unit="U/L",
                                 taken_on="2026-02-27", source="City lab", ref_high="40")
    planned = surgery.record_planned_surgery(ctx, patient_id=patient_id, planned_on="2026-09-01",
                                             procedure="Cataract", kind="clean")
    vaccine = surgery.record_vaccination(ctx, patient_id=patient_id, vaccine="BCG",
                                         status="given", on_date="2025-06-01")
    checked = visits.sign_double_check(ctx, visit_id=checked_visit, what="dose_plan",
                                       username="cwolf", secret=PASSWORD, attested=True)
    level = drug_levels.record_drug_level(ctx, course_id=booked.course_id, form=_DRUG_LEVEL)
    reviewed = book_first_dose(ctx, _patient(ctx, "MRN014", "Reviewed"), chair="Chair 6")
    review = courses.record_review_decision(ctx, course_id=reviewed.course_id,
                                            decision="continue", decided_on="2026-03-02")
    assert review.response_review is not None and review.response_review.decision is not None
    next_appointment = booked.appointment_ids[1]
    warnings = courses.booking_warnings(ctx, appointment_id=next_appointment, day="2026-03-16")
    return World(
        nurse_id=nurse_ids[0], other_nurse_id=nurse_ids[1], export_path=export_path,
        now=ctx.now(), patient_id=patient_id,
        patient_version=patients.get_patient(ctx, patient_id=patient_id).summary.version,
        allergy_id=allergy.id, course_id=booked.course_id,
        booked_appointment_id=booked.appointment_id, next_appointment_id=next_appointment,
        checked_visit_id=checked_visit, infusing_visit_id=infusing_visit,
        infusing_patient_id=visits.get_visit(ctx, visit_id=infusing_visit).patient.id,
        paused_visit_id=paused_visit, ended_visit_id=ended_visit,
        reaction_id=reaction.summary.id, premedication_id=premedication.id,
        lab_result_id=lab.id, surgery_id=planned.id, vaccination_id=vaccine.id,
        double_check_id=checked.entries[0].id,
        drug_level_id=level.id,
        review_id=review.response_review.decision.id,
        booking_codes=tuple(w.code for w in warnings),
        local_time=ctx.local_now().strftime("%H:%M"),
    )


Arguments = Callable[[World], dict[str, Any]]


@dataclass(frozen=True)
class ServiceCall:
    """A service function, its valid keyword arguments in the world, its text arguments, and
    the tables its refusal is meant to write (none but for the sign-in)."""

    function: Callable[..., object]
    arguments: Arguments
    texts: tuple[str, ...]
    refusal_writes: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        """The group and function, e.g. "patients.register_patient"."""
        return f"{self.function.__module__.split('.')[2]}.{self.function.__name__}"


def _form(**fields: str) -> Any:
    return patient_form(mrn="MRN900", family_name="Nowak", given_names="Ewa", **fields)


_FORM_TEXTS = tuple(f"form.{name}" for name in (
    "mrn", "family_name", "given_names", "date_of_birth", "sex", "phone", "email", "address",
    "notes"))
_ORDER = PROTOCOL_ORDERS["tocilizumab"]
_MEDICATION = MedicationForm(drug="Clemastine", dose="2", dose_unit="mg", route="IV")
_PREMEDICATION = PremedicationForm(drug="cetirizine", dose="10", unit="mg", route="oral",
                                   kind="antihistamine", lot="C123")
_DRUG_LEVEL = DrugLevelForm(kind="antibody", drawn_on="2026-03-02", value="12", unit="ng/mL",
                            cutoff="10", assay="ELISA", before_dose="1")
_DRUG_LEVEL_PATHS = ("kind", "drawn_on", "value", "unit", "reported", "cutoff", "assay",
                     "before_dose")
_PREMEDICATION_PATHS = ("drug", "dose", "unit", "route", "kind", "given_at", "lot")

CALLS = (
    # accounts
    ServiceCall(accounts.create_nurse, lambda w: dict(
        username="bmeier", display_name="Beat Meier", secret=PASSWORD, pin="1357",
        role="charge_nurse"), ("username", "display_name", "secret", "pin", "role")),
    ServiceCall(accounts.reset_password, lambda w: dict(
        nurse_id=w.other_nurse_id, secret="a new password 7"), ("secret",)),
    ServiceCall(accounts.set_role, lambda w: dict(nurse_id=w.other_nurse_id,
                                                  role="charge_nurse"), ("role",)),
    # a wrong password counts against the account and may lock it (issue 11, item 12)
    ServiceCall(accounts.sign_in, lambda w: dict(username="akeller", secret=PASSWORD),
                ("username", "secret"), refusal_writes=("nurses", "audit_log", "audit_chain_head")),
    # patients
    ServiceCall(patients.register_patient, lambda w: dict(form=_form(phone="+48 22 123 45 67",
                                                                     email="ewa@example.org")),
                _FORM_TEXTS),
    ServiceCall(patients.edit_patient, lambda w: dict(
        patient_id=w.patient_id, expected_version=w.patient_version,
        form=patient_form(address="ul. Polna 1", notes="Prefers the left arm")), _FORM_TEXTS),
    ServiceCall(patients.search_patients, lambda w: dict(text="garcia jose"), ("text",)),
    ServiceCall(patients.count_patients, lambda w: dict(text="MRN0"), ("text",)),
    ServiceCall(patients.add_allergy, lambda w: dict(
        patient_id=w.patient_id, substance="Latex", reaction="Rash", severity="mild"),
        ("substance", "reaction", "severity")),
    ServiceCall(patients.add_contraindication, lambda w: dict(
        patient_id=w.patient_id, code="pregnancy", note="12 weeks"), ("code", "note")),
    ServiceCall(patients.add_diagnosis, lambda w: dict(
        patient_id=w.patient_id, description="Crohn's disease", code="K50.9",
        diagnosed_on="2019-05-14"), ("description", "code", "diagnosed_on")),
    ServiceCall(patients.record_screening, lambda w: dict(
        patient_id=w.patient_id, kind="tb", taken_on="2026-02-25", outcome="negative",
        valid_until="2027-02-25", note="IGRA"),
        ("kind", "taken_on", "outcome", "valid_until", "note")),
    ServiceCall(patients.record_weight, lambda w: dict(
        patient_id=w.patient_id, weight="160", unit="lb", kind="actual",
        measured_at=f"2026-03-02 {w.local_time}"), ("weight", "unit", "kind", "measured_at")),
    ServiceCall(patients.void_record, lambda w: dict(
        kind="allergy", record_id=w.allergy_id, reason="Entered for the wrong patient"),
        ("kind", "reason")),
    # labs
    ServiceCall(labs.record_lab_result, lambda w: dict(
        patient_id=w.patient_id, test="anc", value="1.5", unit="x10^9/L", taken_on="2026-02-27",
        source="City lab", ref_low="1.8", ref_high="7.5"),
        ("test", "value", "unit", "taken_on", "source", "ref_low", "ref_high")),
    ServiceCall(labs.void_lab_result, lambda w: dict(
        lab_result_id=w.lab_result_id, reason="Wrong patient's report"), ("reason",)),
    # surgery
    ServiceCall(surgery.record_planned_surgery, lambda w: dict(
        patient_id=w.patient_id, planned_on="2026-10-05", procedure="Hip replacement",
        kind="septic", note="Orthopaedics"), ("planned_on", "procedure", "kind", "note")),
    ServiceCall(surgery.void_planned_surgery, lambda w: dict(
        surgery_id=w.surgery_id, reason="Operation cancelled"), ("reason",)),
    ServiceCall(surgery.record_vaccination, lambda w: dict(
        patient_id=w.patient_id, vaccine="Yellow fever", status="due", on_date="2026-11-02",
        note="Travel"), ("vaccine", "status", "on_date", "note")),
    ServiceCall(surgery.void_vaccination, lambda w: dict(
        vaccination_id=w.vaccination_id, reason="Wrong patient"), ("reason",)),
    # courses
    ServiceCall(courses.start_course, lambda w: dict(
        patient_id=w.patient_id, protocol_id="tocilizumab", indication_id=_ORDER[0],
        mg_per_kg="8", prescriber="Dr Ewa Nowak", first_dose="2026-03-09"),
        ("protocol_id", "indication_id", "mg_per_kg", "prescriber", "first_dose")),
    ServiceCall(courses.start_course, lambda w: dict(
        patient_id=w.patient_id, protocol_id="vedolizumab", indication_id="ulcerative_colitis",
        fixed_mg="300", prescriber="Dr Ewa Nowak", first_dose="2026-03-09",
        override_reason="Prescriber confirmed"), ("fixed_mg", "override_reason")),
    ServiceCall(courses.check_order, lambda w: dict(
        patient_id=w.patient_id, protocol_id="tocilizumab", indication_id=_ORDER[0],
        mg_per_kg="8"), ("protocol_id", "indication_id", "mg_per_kg")),
    ServiceCall(courses.check_order, lambda w: dict(
        patient_id=w.patient_id, protocol_id="anifrolumab", indication_id="sle",
        fixed_mg="300"), ("fixed_mg",)),
    ServiceCall(courses.record_review_decision, lambda w: dict(
        course_id=w.course_id, decision="other", decided_on="2026-03-02",
        prescriber="Dr Ewa Nowak", note="Partial response: recheck at week 22"),
        ("decision", "decided_on", "prescriber", "note")),
    ServiceCall(courses.void_review_decision, lambda w: dict(
        review_id=w.review_id, reason="Recorded on the wrong course"), ("reason",)),
    ServiceCall(courses.get_course, lambda w: dict(course_id=w.course_id, as_of="2026-04-01"),
                ("as_of",)),
    ServiceCall(courses.booking_warnings, lambda w: dict(
        appointment_id=w.next_appointment_id, day="2026-03-16"), ("day",)),
    ServiceCall(courses.suggest_slots, lambda w: dict(
        appointment_id=w.next_appointment_id, day="2026-03-16"), ("day",)),
    ServiceCall(courses.book_appointment, lambda w: dict(
        appointment_id=w.next_appointment_id, day="2026-03-16", time="10:30", chair="Chair 2",
        override_reason="Patient's request", acknowledged=w.booking_codes or ("",)),
        ("day", "time", "chair", "override_reason", "acknowledged.0")),
    ServiceCall(courses.change_interval, lambda w: dict(
        course_id=w.course_id, from_dose="4", weeks="6", reason="Loss of response",
        ordered_by="Dr Ewa Nowak"), ("from_dose", "weeks", "reason", "ordered_by")),
    ServiceCall(courses.change_order, lambda w: dict(
        course_id=w.course_id, reason="Loss of response", mg_per_kg="10",
        indication_id="crohns", ordered_by="Dr Ewa Nowak", override_reason="Prescriber"),
        ("reason", "mg_per_kg", "indication_id", "ordered_by", "override_reason")),
    ServiceCall(courses.change_order, lambda w: dict(
        course_id=w.course_id, reason="Fixed dose", fixed_mg="400",
        override_reason="Prescriber's order"), ("fixed_mg",)),
    ServiceCall(courses.stop_course, lambda w: dict(course_id=w.course_id,
                                                    reason="Remission"), ("reason",)),
    # visits
    ServiceCall(visits.preview_dose, lambda w: dict(
        appointment_id=w.booked_appointment_id, weight="72.5", unit="kg",
        override_reason="Scale checked"), ("weight", "unit", "override_reason")),
    ServiceCall(visits.open_visit, lambda w: dict(
        appointment_id=w.booked_appointment_id, weight="160", unit="lb",
        override_reason="Scale checked", acknowledged=("",)),
        ("weight", "unit", "override_reason", "acknowledged.0")),
    ServiceCall(visits.record_check, lambda w: dict(
        visit_id=w.checked_visit_id, item_key="pre.fever_infection", answer="no"),
        ("item_key", "answer")),
    ServiceCall(visits.record_check, lambda w: dict(  # a saved "no" changed: a correction
        visit_id=w.checked_visit_id, item_key="pre.fever_infection", answer="yes",
        reason="patient now reports a cough"), ("reason",)),
    ServiceCall(visits.record_lot, lambda w: dict(
        visit_id=w.checked_visit_id, product_name=PRODUCT_INFLIXIMAB, lot="AB1234",
        expiry="2027-06-30", vials="4"), ("product_name", "lot", "expiry", "vials")),
    ServiceCall(visits.read_vial_scan, lambda w: dict(
        visit_id=w.checked_visit_id, scan="]d20100614141999996" "10AB1234\x1d17270630"),
        ("scan",)),
    ServiceCall(visits.record_scanned_lot, lambda w: dict(
        visit_id=w.checked_visit_id, scan="]d20100614141999996" "10AB1234\x1d17270630",
        vials="4"), ("scan", "vials")),
    ServiceCall(visits.record_vitals, lambda w: dict(
        visit_id=w.infusing_visit_id, systolic="128", diastolic="78", heart_rate="72",
        temperature="98.6", respiratory_rate="14", spo2="98", at=w.local_time,
        temperature_unit="F"),
        ("systolic", "diastolic", "heart_rate", "temperature", "respiratory_rate", "spo2", "at",
         "temperature_unit")),
    ServiceCall(visits.record_vitals, lambda w: dict(
        visit_id=w.checked_visit_id, item_key="pre.baseline_vitals", heart_rate="70"),
        ("item_key",)),
    ServiceCall(visits.hold_dose, lambda w: dict(visit_id=w.checked_visit_id,
                                                 reason="Fever 38.4"), ("reason",)),
    ServiceCall(visits.preview_reweigh, lambda w: dict(
        visit_id=w.checked_visit_id, weight="73", unit="kg", override_reason="Rechecked"),
        ("weight", "unit", "override_reason")),
    ServiceCall(visits.reweigh_visit, lambda w: dict(
        visit_id=w.checked_visit_id, weight="73", unit="kg", reason="Weighed in coat",
        override_reason="Rechecked", acknowledged=("",)),
        ("weight", "unit", "reason", "override_reason", "acknowledged.0")),
    ServiceCall(visits.start_infusion, lambda w: dict(
        visit_id=w.checked_visit_id, at=w.local_time, acknowledged_flags=("",),
        flags_reason="Prescriber informed", premedication_reason="Prescriber: not needed",
        labs_decision="Dr Nowak: give today"),
        ("at", "acknowledged_flags.0", "flags_reason", "premedication_reason", "labs_decision")),
    ServiceCall(visits.record_premedication, lambda w: dict(
        visit_id=w.checked_visit_id,
        form=dataclasses.replace(_PREMEDICATION, given_at=w.local_time)),
        tuple(f"form.{name}" for name in _PREMEDICATION_PATHS)),
    ServiceCall(visits.record_premedications, lambda w: dict(
        visit_id=w.checked_visit_id,
        forms=(dataclasses.replace(_PREMEDICATION, given_at=w.local_time),)),
        tuple(f"forms.0.{name}" for name in _PREMEDICATION_PATHS)),
    ServiceCall(visits.void_premedication, lambda w: dict(
        premedication_id=w.premedication_id, reason="Entered in error"), ("reason",)),
    ServiceCall(visits.sign_double_check, lambda w: dict(
        visit_id=w.checked_visit_id, what="bag", username="cwolf", secret=PASSWORD,
        attested=True), ("what", "username", "secret"),
        refusal_writes=("nurses", "audit_log", "audit_chain_head")),
    ServiceCall(visits.void_double_check, lambda w: dict(
        double_check_id=w.double_check_id, reason="Signed in error"), ("reason",)),
    ServiceCall(visits.pause_infusion, lambda w: dict(
        visit_id=w.infusing_visit_id, at=w.local_time, reason="Itching"), ("at", "reason")),
    ServiceCall(visits.change_rate, lambda w: dict(
        visit_id=w.infusing_visit_id, rate="100", at=w.local_time, note="Slower"),
        ("rate", "at", "note")),
    ServiceCall(visits.end_infusion, lambda w: dict(
        visit_id=w.infusing_visit_id, at=w.local_time, reason="Bag empty"), ("at", "reason")),
    ServiceCall(visits.end_preview, lambda w: dict(
        visit_id=w.infusing_visit_id, at=w.local_time), ("at",)),
    ServiceCall(visits.resume_infusion, lambda w: dict(visit_id=w.paused_visit_id,
                                                       at=w.local_time), ("at",)),
    ServiceCall(visits.discharge, lambda w: dict(
        visit_id=w.ended_visit_id, missed_vitals_reason="Patient asleep"),
        ("missed_vitals_reason",)),
    # drug levels
    ServiceCall(drug_levels.record_drug_level, lambda w: dict(
        course_id=w.course_id, form=_DRUG_LEVEL),
        tuple(f"form.{name}" for name in _DRUG_LEVEL_PATHS)),
    ServiceCall(drug_levels.void_drug_level, lambda w: dict(
        level_id=w.drug_level_id, reason="Entered in error"), ("reason",)),
    # reactions
    ServiceCall(reactions.log_reaction, lambda w: dict(
        patient_id=w.infusing_patient_id, visit_id=w.infusing_visit_id, onset=w.local_time,
        signs=("urticaria",), term="infusion_related_reaction", grade="2",
        actions="Infusion paused", medications=(_MEDICATION,), outcome="Resolved",
        notes="Hives", infusion_action="paused"),
        ("onset", "signs.0", "term", "grade", "actions", "medications.0.drug",
         "medications.0.dose", "medications.0.dose_unit", "medications.0.route",
         "medications.0.given_at", "outcome", "notes", "infusion_action")),
    ServiceCall(reactions.reaction_guidance, lambda w: dict(
        patient_id=w.infusing_patient_id, visit_id=w.infusing_visit_id, onset=w.local_time),
        ("onset",)),
    # the access log
    ServiceCall(access_log.access_log, lambda w: dict(
        since="2026-03-01", until="2026-03-02", mrn="MRN001"), ("since", "until", "mrn")),
    ServiceCall(access_log.export_access_log, lambda w: dict(
        since="2026-03-01", until="2026-03-02", mrn="MRN001"), ("since", "until", "mrn")),
    ServiceCall(access_log.save_access_log, lambda w: dict(
        path=w.export_path, since="2026-03-01", until="2026-03-02", mrn="MRN001"),
        ("since", "until", "mrn")),
    ServiceCall(access_log.log_sheet_printed, lambda w: dict(
        patient_id=w.patient_id, sheet="infusion record, visit 1"), ("sheet",)),
    # the clinic day and the sheets
    ServiceCall(clinic_day.clinic_day, lambda w: dict(day="2026-03-02"), ("day",)),
    ServiceCall(sheets.active_courses, lambda w: dict(mrn="MRN001"), ("mrn",)),
    ServiceCall(sheets.blank_checklist, lambda w: dict(protocol_id="infliximab", paper="a4"),
                ("protocol_id", "paper")),
    ServiceCall(sheets.bedside_checklist, lambda w: dict(
        appointment_id=w.booked_appointment_id, weight="72.5", unit="kg", paper="letter"),
        ("weight", "unit", "paper")),
    ServiceCall(sheets.day_list, lambda w: dict(day="2026-03-02", paper="a4"), ("day", "paper")),
    ServiceCall(sheets.infusion_record, lambda w: dict(visit_id=w.ended_visit_id, paper="a4"),
                ("paper",)),
    ServiceCall(sheets.reaction_report, lambda w: dict(
        reaction_id=w.reaction_id, paper="a4", recipient="Dr Ewa Nowak"),
        ("paper", "recipient")),
    ServiceCall(sheets.schedule_handout, lambda w: dict(course_id=w.course_id, paper="a4"),
                ("paper",)),
)


def with_text(arguments: Mapping[str, Any], path: str, text: str) -> dict[str, Any]:
    """``arguments`` with the text at ``path`` replaced by ``text``."""
    name, _, rest = path.partition(".")
    return {**arguments, name: _replaced(arguments[name], rest, text)}


def _replaced(value: Any, path: str, text: str) -> Any:
    if not path:
        return text
    head, _, rest = path.partition(".")
    if head.isdigit():
        items = list(value)
        items[int(head)] = _replaced(items[int(head)], rest, text)
        return tuple(items)
    return dataclasses.replace(value, **{head: _replaced(getattr(value, head), rest, text)})


def text_at(arguments: Mapping[str, Any], path: str) -> str:
    """The valid text at ``path`` ("" where the valid argument is not text, e.g. None)."""
    value: Any = arguments
    for part in path.split("."):
        value = value[int(part)] if part.isdigit() else (
            value[part] if isinstance(value, Mapping) else getattr(value, part))
    return value if isinstance(value, str) else ""
