"""Patient use cases against a real SQLite file: register, edit, search, record, void, audit."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from clinic_app.domain.errors import ImpossibleWeight, InvalidInput
from clinic_app.domain.patient_validation import validate_patient
from clinic_app.services import patients as patients_module
from clinic_app.services.chart import get_chart, patient_audit
from clinic_app.services.courses import start_course
from clinic_app.services.errors import NotFound, NotSignedIn
from clinic_app.services.patients import (
    _registration,
    add_allergy,
    add_contraindication,
    add_diagnosis,
    count_patients,
    edit_patient,
    get_patient,
    record_screening,
    record_weight,
    register_patient,
    search_patients,
    void_record,
)
from clinic_app.services.patients.dto import PatientForm
from clinic_app.storage import ConcurrentEditError, verify_audit
from clinic_app.storage.models import AuditEntry


def form(**fields: Any) -> PatientForm:
    values: dict[str, Any] = {
        "mrn": "MRN001", "family_name": "García", "given_names": "José",
        "date_of_birth": "1980-02-29", "sex": "male",
    }
    values.update(fields)
    return PatientForm(**values)


def audit_rows(session_factory) -> list[AuditEntry]:
    with session_factory() as session:
        return list(session.scalars(select(AuditEntry).order_by(AuditEntry.id)))


# --- register -----------------------------------------------------------------------------


def test_registering_a_patient_returns_a_summary_with_the_display_name(ctx):
    summary = register_patient(ctx, form=form(mrn=" mrn 7 ", family_name="Żółć",
                                              given_names="Łukasz", date_of_birth="01.02.1990"))
    assert summary.mrn == "MRN7"
    assert summary.display_name == "ŻÓŁĆ, Łukasz"
    assert summary.date_of_birth == date(1990, 2, 1)
    assert summary.sex == "male"
    assert summary.version == 1


def test_registering_a_patient_is_signed_by_the_nurse_in_the_audit_trail(
        ctx, session_factory, first_nurse):
    summary = register_patient(ctx, form=form())
    inserts = [r for r in audit_rows(session_factory)
               if r.table_name == "patients" and r.record_id == summary.id]
    assert len(inserts) == 1
    assert inserts[0].actor_id == first_nurse.id
    assert inserts[0].changes["family_name"] == {"old": None, "new": "García"}


@pytest.mark.parametrize(("fields", "field"), [
    ({"family_name": ""}, "family_name"),
    ({"given_names": "Jo\x00sé"}, "given_names"),
    ({"family_name": "X" * 121}, "family_name"),
    ({"date_of_birth": "1980-02-30"}, "date_of_birth"),
    ({"date_of_birth": "02/29/1980"}, "date_of_birth"),
    ({"date_of_birth": "2030-01-01"}, "date_of_birth"),
    ({"mrn": "MRN 00/1"}, "mrn"),
    ({"sex": "x"}, "sex"),
    ({"email": "not an address"}, "email"),
])
def test_a_bad_form_is_refused_naming_the_field_and_nothing_is_written(
        ctx, table_counts, fields, field):
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        register_patient(ctx, form=form(**fields))
    assert error.value.field == field
    assert table_counts() == before


def test_a_used_mrn_is_refused_naming_the_patient_who_holds_it(ctx, patient, table_counts):
    before = table_counts()
    with pytest.raises(InvalidInput, match=r"MRN MRN001 is already used by GARCÍA, José") as e:
        register_patient(ctx, form=form(mrn="mrn001", family_name="Other"))
    assert e.value.field == "mrn"
    assert table_counts() == before


def test_two_workstations_registering_one_mrn_at_once_the_second_gets_a_field_error(
        ctx, second_ctx, monkeypatch, table_counts):
    check = _registration._refuse_used_mrn

    def other_workstation_saves_in_between(uow, mrn, *, own_id=None):
        check(uow, mrn, own_id=own_id)
        monkeypatch.setattr(_registration, "_refuse_used_mrn", check)
        register_patient(second_ctx, form=form(family_name="Otero"))

    monkeypatch.setattr(_registration, "_refuse_used_mrn", other_workstation_saves_in_between)
    with pytest.raises(InvalidInput, match="MRN MRN001 is already used by OTERO, José") as e:
        register_patient(ctx, form=form())
    assert e.value.field == "mrn"
    assert table_counts()["patients"] == 1


def test_registering_needs_a_signed_in_nurse(ctx, table_counts):
    before = table_counts()
    with pytest.raises(NotSignedIn):
        register_patient(ctx.signed_out(), form=form())
    assert table_counts() == before


# --- edit ----------------------------------------------------------------------------------


def test_editing_a_patient_saves_the_change_and_bumps_the_version(ctx, patient):
    edited = edit_patient(ctx, patient_id=patient.id, expected_version=patient.version,
                          form=form(given_names="José María", phone="+48 600 100 200"))
    assert edited.given_names == "José María"
    assert edited.version == patient.version + 1
    assert get_patient(ctx, patient_id=patient.id).phone == "+48 600 100 200"


def test_editing_with_a_stale_version_is_a_conflict_and_changes_nothing(ctx, patient):
    edit_patient(ctx, patient_id=patient.id, expected_version=1, form=form(given_names="Pepe"))
    with pytest.raises(ConcurrentEditError, match="Anna Keller"):
        edit_patient(ctx, patient_id=patient.id, expected_version=1, form=form(notes="late"))
    assert get_patient(ctx, patient_id=patient.id).notes == ""


def test_the_conflict_names_the_other_nurse_and_the_time_in_the_clinic_s_local_time(
        ctx, patient):
    edit_patient(ctx, patient_id=patient.id, expected_version=1, form=form(given_names="Pepe"))
    with pytest.raises(ConcurrentEditError) as caught:
        edit_patient(ctx, patient_id=patient.id, expected_version=1, form=form(notes="late"))
    local = caught.value.changed_at.astimezone(ctx.tz)  # type: ignore[union-attr]
    assert f"changed by Anna Keller at {local:%H:%M} on " in str(caught.value)
    assert "UTC" not in str(caught.value)
    assert local.utcoffset() != caught.value.changed_at.utcoffset()  # Warsaw, not UTC


def test_the_second_workstation_saving_the_same_patient_gets_the_conflict(
        ctx, second_ctx, patient):
    seen_by_b = search_patients(second_ctx, text="MRN001")[0]
    edit_patient(ctx, patient_id=patient.id, expected_version=patient.version,
                 form=form(phone="111"))
    with pytest.raises(ConcurrentEditError) as error:
        edit_patient(second_ctx, patient_id=patient.id, expected_version=seen_by_b.version,
                     form=form(phone="222"))
    assert "Anna Keller" in str(error.value)
    assert "reload it" in str(error.value)
    assert get_patient(second_ctx, patient_id=patient.id).phone == "111"


def test_editing_to_another_patients_mrn_is_refused(ctx, make_patient):
    make_patient()
    other = make_patient(mrn="MRN002", family_name="Muñoz")
    with pytest.raises(InvalidInput, match="already used") as error:
        edit_patient(ctx, patient_id=other.id, expected_version=other.version,
                     form=form(mrn="MRN001", family_name="Muñoz"))
    assert error.value.field == "mrn"


def test_editing_an_unknown_patient_is_not_found(ctx):
    with pytest.raises(NotFound):
        edit_patient(ctx, patient_id=999, expected_version=1, form=form())


# --- search -------------------------------------------------------------------------------


@pytest.fixture
def people(make_patient):
    return {
        "jose": make_patient(mrn="A-100", family_name="Muñoz", given_names="José",
                             date_of_birth="1975-06-15"),
        "lukasz": make_patient(mrn="A-200", family_name="Żółć", given_names="Łukasz",
                               date_of_birth="12.11.1988"),
        "anna": make_patient(mrn="B-300", family_name="Иванова", given_names="Анна",
                             date_of_birth="03/04/1962", sex="female"),
        "anne": make_patient(mrn="B-301", family_name="Annecy", given_names="Claire",
                             date_of_birth="1990-01-01", sex="female"),
    }


@pytest.mark.parametrize(("text", "who"), [
    ("jose", {"jose"}), ("JOSÉ", {"jose"}), ("muno", {"jose"}), ("jose munoz", {"jose"}),
    ("munoz jose", {"jose"}), ("łukasz", {"lukasz"}), ("lukasz", {"lukasz"}),
    ("zolc", {"lukasz"}), ("Żółć Łukasz", {"lukasz"}), ("анна", {"anna"}),
    ("иван", {"anna"}), ("ann", {"anne"}), ("a-1", {"jose"}), ("b-30", {"anna", "anne"}),
])
def test_search_finds_by_name_prefix_ignoring_accents_and_case_or_by_mrn(ctx, people, text, who):
    found = {p.id for p in search_patients(ctx, text=text)}
    assert found == {people[name].id for name in who}


@pytest.mark.parametrize("typed", ["1962-04-03", "03.04.1962", "03/04/1962"])
def test_search_by_date_of_birth_in_each_accepted_format(ctx, people, typed):
    assert [p.id for p in search_patients(ctx, text=typed)] == [people["anna"].id]


def test_search_works_before_sign_in(ctx, people):
    assert [p.id for p in search_patients(ctx.signed_out(), text="jose")] == [people["jose"].id]


def test_search_pages_through_results_in_name_order(ctx, make_patient):
    letters = "abcdefg"
    for n, letter in enumerate(letters):
        make_patient(mrn=f"P{n}", family_name=f"Nowak{letter}", given_names="Jan")
    pages = [search_patients(ctx, text="nowak", limit=3, offset=o) for o in (0, 3, 6)]
    assert [len(p) for p in pages] == [3, 3, 1]
    names = [p.family_name for page in pages for p in page]
    assert names == [f"Nowak{letter}" for letter in letters]
    assert count_patients(ctx, text="nowak") == 7


def test_a_page_size_out_of_range_is_refused(ctx):
    with pytest.raises(InvalidInput) as error:
        search_patients(ctx, text="", limit=0)
    assert error.value.field == "limit"


# --- recording ------------------------------------------------------------------------------


def test_recording_a_weight_in_pounds_stores_kilograms(ctx, patient, first_nurse):
    entry = record_weight(ctx, patient_id=patient.id, weight="154", unit="lb")
    assert entry.weight_kg == Decimal("69.9")  # 69.853 kg, kept to 0.1 kg
    assert entry.measured_at == ctx.now()
    assert entry.recorded_by == first_nurse.display_name


def test_a_weight_typed_with_a_local_time_is_stored_in_utc(ctx, patient):
    entry = record_weight(ctx, patient_id=patient.id, weight="72.5",
                          measured_at="02.03.2026 08:15")
    assert entry.measured_at == datetime(2026, 3, 2, 7, 15, tzinfo=UTC)


@pytest.mark.parametrize(("weight", "kwargs", "field"), [
    ("abc", {}, "weight"), ("0", {}, "weight"), ("72,5", {}, "weight"),
    ("72", {"unit": "stone"}, "weight_unit"), ("72", {"kind": "guess"}, "kind"),
    ("72", {"measured_at": "2026-03-02 23:00"}, "measured_at"),
])
def test_a_bad_weight_is_refused_and_nothing_is_written(
        ctx, patient, table_counts, weight, kwargs, field):
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        record_weight(ctx, patient_id=patient.id, weight=weight, **kwargs)
    assert error.value.field == field
    assert table_counts() == before


def test_an_impossible_weight_says_so(ctx, patient):
    with pytest.raises(ImpossibleWeight, match="above the maximum"):
        record_weight(ctx, patient_id=patient.id, weight="720")


def test_allergy_diagnosis_screening_and_contraindication_appear_on_the_chart(ctx, patient):
    add_allergy(ctx, patient_id=patient.id, substance="Penicillin", reaction="rash",
                severity="moderate")
    add_diagnosis(ctx, patient_id=patient.id, description="Crohn's disease", code="k50.9",
                  diagnosed_on="2019-05-01")
    record_screening(ctx, patient_id=patient.id, kind="tb", taken_on="2026-02-20",
                     outcome="negative")
    add_contraindication(ctx, patient_id=patient.id, code="pregnancy", note="12 weeks")
    chart = get_chart(ctx, patient_id=patient.id)
    assert [a.substance for a in chart.allergies] == ["Penicillin"]
    assert chart.diagnoses[0].code == "K50.9"
    assert (chart.screenings[0].kind, chart.screenings[0].outcome) == ("tb", "negative")
    assert chart.contraindications[0].source == "manual"
    assert {b.kind for b in chart.alerts} == {"allergy", "contraindication"}
    assert chart.patient.summary.id == patient.id


@pytest.mark.parametrize(("call", "field"), [
    (lambda c, p: add_allergy(c, patient_id=p, substance=" "), "substance"),
    (lambda c, p: add_diagnosis(c, patient_id=p, description="X", diagnosed_on="2027-01-01"),
     "diagnosed_on"),
    (lambda c, p: record_screening(c, patient_id=p, kind="mri", taken_on="2026-01-01",
                                   outcome="negative"), "kind"),
    (lambda c, p: record_screening(c, patient_id=p, kind="tb", taken_on="2026-01-01",
                                   outcome="fine"), "outcome"),
    (lambda c, p: record_screening(c, patient_id=p, kind="tb", taken_on="2026-01-01",
                                   outcome="negative", valid_until="2025-12-31"), "valid_until"),
    (lambda c, p: add_contraindication(c, patient_id=p, code="bad_luck"), "code"),
])
def test_bad_record_input_names_the_field_and_writes_nothing(
        ctx, patient, table_counts, call, field):
    before = table_counts()
    with pytest.raises(InvalidInput) as error:
        call(ctx, patient.id)
    assert error.value.field == field
    assert table_counts() == before


def test_recording_for_an_unknown_patient_is_not_found(ctx, table_counts):
    before = table_counts()
    with pytest.raises(NotFound):
        add_allergy(ctx, patient_id=4242, substance="Latex")
    assert table_counts() == before


# --- void -----------------------------------------------------------------------------------


def test_voiding_a_weight_keeps_it_on_the_chart_marked_with_reason_and_nurse(ctx, patient):
    entry = record_weight(ctx, patient_id=patient.id, weight="70")
    voiding = void_record(ctx, kind="weight", record_id=entry.id, reason="wrong patient")
    assert (voiding.by, voiding.reason) == ("Anna Keller", "wrong patient")
    (shown,) = get_chart(ctx, patient_id=patient.id).weights
    assert shown.voided is not None and shown.voided.reason == "wrong patient"


def test_voiding_without_a_reason_is_refused_and_nothing_changes(ctx, patient, table_counts):
    entry = add_allergy(ctx, patient_id=patient.id, substance="Latex")
    before = table_counts()
    with pytest.raises(InvalidInput, match="Reason is required") as error:
        void_record(ctx, kind="allergy", record_id=entry.id, reason="  ")
    assert error.value.field == "reason"
    assert table_counts() == before
    assert get_chart(ctx, patient_id=patient.id).allergies[0].voided is None


def test_voiding_twice_or_an_unknown_kind_is_refused(ctx, patient):
    entry = add_allergy(ctx, patient_id=patient.id, substance="Latex")
    void_record(ctx, kind="allergy", record_id=entry.id, reason="duplicate")
    with pytest.raises(InvalidInput, match="already voided"):
        void_record(ctx, kind="allergy", record_id=entry.id, reason="again")
    with pytest.raises(InvalidInput) as error:
        void_record(ctx, kind="spaceship", record_id=1, reason="x")
    assert error.value.field == "kind"


def test_voiding_with_a_stale_version_is_a_conflict(ctx, second_ctx, patient):
    edit_patient(second_ctx, patient_id=patient.id, expected_version=1, form=form(phone="1"))
    with pytest.raises(ConcurrentEditError, match="Beat Meier"):
        void_record(ctx, kind="patient", record_id=patient.id, reason="duplicate",
                    expected_version=1)


def test_a_voided_patient_leaves_search_but_its_chart_stays_readable(ctx, patient):
    void_record(ctx, kind="patient", record_id=patient.id, reason="registered twice")
    assert search_patients(ctx, text="garcia") == ()
    assert search_patients(ctx, text="garcia", include_voided=True)[0].is_voided
    assert get_chart(ctx, patient_id=patient.id).patient.summary.is_voided
    with pytest.raises(NotFound):
        record_weight(ctx, patient_id=patient.id, weight="70")


def test_the_chart_needs_a_signed_in_nurse(ctx, patient):
    with pytest.raises(NotSignedIn):
        get_chart(ctx.signed_out(), patient_id=patient.id)


# --- audit ----------------------------------------------------------------------------------


def test_patient_audit_shows_old_and_new_values_and_the_nurse(ctx, second_ctx, patient, clock):
    clock.advance(minutes=5)
    edit_patient(second_ctx, patient_id=patient.id, expected_version=1,
                 form=form(family_name="García López"))
    weight = record_weight(ctx, patient_id=patient.id, weight="80")
    void_record(ctx, kind="weight", record_id=weight.id, reason="scale not zeroed")
    lines = patient_audit(ctx, patient_id=patient.id)
    rename = [ln for ln in lines if ln.field == "family_name" and ln.action == "update"]
    assert len(rename) == 1
    assert (rename[0].old, rename[0].new, rename[0].nurse) == ("García", "García López",
                                                               "Beat Meier")
    assert rename[0].at == datetime(2026, 3, 2, 8, 35, tzinfo=UTC)
    assert rename[0].record == "patient record"
    voids = [ln for ln in lines if ln.action == "void" and ln.field == "void_reason"]
    assert [(v.record, v.new, v.nurse) for v in voids] == [
        ("weight", "scale not zeroed", "Anna Keller")]
    assert verify_audit_ok(ctx)


def verify_audit_ok(ctx) -> bool:
    with ctx.session_factory() as session:
        return verify_audit(session).ok


# --- properties -----------------------------------------------------------------------------

# Letters and marks of any script, spaces and the punctuation names carry (O'Brien, Smith-Jones).
names = st.text(st.characters(categories=["L", "M", "Zs", "Pd", "Po"]), min_size=1, max_size=40)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(family=names, given_names=names)
def test_any_accepted_name_is_stored_read_back_unchanged_and_found_by_itself(
        fresh_ctx, family, given_names):
    try:
        valid = validate_patient(mrn="X", family_name=family, given_names=given_names,
                                 date_of_birth="1970-01-01", sex="other",
                                 today=date(2026, 3, 2))
    except InvalidInput:
        return
    with fresh_ctx() as ctx:  # a database of its own: no example sees another's patients
        saved = register_patient(ctx, form=form(mrn="H1", family_name=family,
                                                given_names=given_names))
        read = get_patient(ctx, patient_id=saved.id).summary
        assert (read.family_name, read.given_names) == (valid.family_name, valid.given_names)
        found = search_patients(ctx, text=valid.family_name, limit=500)
        assert [p.id for p in found] == [saved.id]


def test_the_chart_flags_screening_missing_or_expired_for_an_active_course(ctx, patient):
    record_screening(ctx, patient_id=patient.id, kind="tb", taken_on="2024-01-10",
                     outcome="negative")  # valid 365 days: expired by 2026
    record_screening(ctx, patient_id=patient.id, kind="hepatitis_b", taken_on="2026-02-20",
                     outcome="negative")
    assert not [b for b in get_chart(ctx, patient_id=patient.id).alerts
                if b.kind == "screening"]  # no course yet: nothing is required
    start_course(ctx, patient_id=patient.id, protocol_id="infliximab",
                 indication_id="crohns", mg_per_kg="5", prescriber="Dr Nowak",
                 first_dose="2026-03-09")
    texts = [b.text for b in get_chart(ctx, patient_id=patient.id).alerts
             if b.kind == "screening"]
    assert any("TB test" in t and "valid until 9 Jan 2025" in t for t in texts)
    assert any(t.startswith("No Chest X-ray on file") for t in texts)
    assert not any("Hepatitis B" in t for t in texts)


def test_a_patient_with_the_same_names_and_birth_date_needs_an_acknowledgement(
        ctx, make_patient, table_counts):
    from clinic_testing import patient_form

    from clinic_app.services.errors import OverrideRequired
    from clinic_app.services.patients import DUPLICATE_PATIENT

    first = make_patient(mrn="MRN001", family_name="Żółć", given_names="Łukasz",
                         date_of_birth="1986-04-12")
    before = table_counts()
    with pytest.raises(OverrideRequired) as refused:
        make_patient(mrn="MRN002", family_name="ZOLC", given_names="lukasz",
                     date_of_birth="12.04.1986")
    assert refused.value.codes == (DUPLICATE_PATIENT,)
    assert f"MRN {first.mrn}" in str(refused.value)
    assert table_counts() == before
    second = patients_module.register_patient(
        ctx, form=patient_form(mrn="MRN002", family_name="Zolc", given_names="Lukasz",
                               date_of_birth="1986-04-12"), acknowledge_duplicate=True)
    assert second.mrn == "MRN002"


def test_a_namesake_born_on_another_day_registers_without_a_question(make_patient):
    make_patient(mrn="MRN001", family_name="Nowak", given_names="Anna", date_of_birth="1980-01-01")
    assert make_patient(mrn="MRN002", family_name="Nowak", given_names="Anna",
                        date_of_birth="1980-01-02").mrn == "MRN002"


def test_name_words_and_a_date_of_birth_together_must_both_match(ctx, make_patient):
    make_patient(mrn="MRN001", family_name="Żółć", given_names="Łukasz",
                 date_of_birth="1986-04-12")
    make_patient(mrn="MRN002", family_name="Żółć", given_names="Ewa", date_of_birth="1990-01-01")
    make_patient(mrn="MRN003", family_name="Nowak", given_names="Anna",
                 date_of_birth="1986-04-12")
    found = patients_module.search_patients(ctx, text="zolc 12.04.1986")
    assert [p.mrn for p in found] == ["MRN001"]
    assert patients_module.count_patients(ctx, text="1986-04-12 zolc") == 1
    assert patients_module.count_patients(ctx, text="nowak 12.04.1986") == 1


@pytest.mark.parametrize("text", ["31.02.1980", "zolc 31.02.1980", "2026-13-01"])
def test_a_date_that_is_not_a_date_says_so(ctx, text):
    word = text.split()[-1]
    with pytest.raises(InvalidInput, match=f"{word} is not a date"):
        patients_module.count_patients(ctx, text=text)
    with pytest.raises(InvalidInput, match=f"{word} is not a date"):
        patients_module.search_patients(ctx, text=text)
