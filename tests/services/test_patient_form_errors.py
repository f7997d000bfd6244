"""A patient form (and the chart's small forms) with several bad fields: every problem comes back
in one error, each naming its field, and nothing is written."""

from __future__ import annotations

import pytest
from clinic_testing import patient_form

from clinic_app.domain.errors import ImpossibleWeight, InvalidInput
from clinic_app.services.errors import InvalidInputs
from clinic_app.services.patients import (
    add_allergy,
    add_diagnosis,
    edit_patient,
    get_patient,
    record_screening,
    record_weight,
    register_patient,
)


def fields_and_messages(error: InvalidInput) -> list[tuple[str, str]]:
    assert isinstance(error, InvalidInputs)
    return [(e.field, str(e)) for e in error.errors]


def test_three_bad_fields_are_reported_together_and_nothing_is_written(ctx, table_counts):
    before = table_counts()
    with pytest.raises(InvalidInputs) as error:
        register_patient(ctx, form=patient_form(family_name="", date_of_birth="2030-01-01",
                                                email="abc"))
    assert fields_and_messages(error.value) == [
        ("family_name", "Family name is required."),
        ("date_of_birth", "Date of birth 1 Jan 2030 is in the future."),
        ("email", "E-mail 'abc' is not an address like name@example.org."),
    ]
    assert table_counts() == before


def test_the_collected_error_still_reads_as_one_invalid_input_about_the_first_field(ctx):
    with pytest.raises(InvalidInput) as error:
        register_patient(ctx, form=patient_form(mrn="", given_names="", sex="x"))
    assert error.value.field == "mrn"
    assert str(error.value).splitlines() == [
        "MRN is required.", "Given names is required.",
        "Sex must be one of: female, male, other, unknown."]


def test_an_mrn_already_on_file_is_reported_with_the_other_problems(ctx, patient, table_counts):
    before = table_counts()
    with pytest.raises(InvalidInputs) as error:
        register_patient(ctx, form=patient_form(given_names="Ana", date_of_birth="31.02.1990"))
    assert [f for f, _m in fields_and_messages(error.value)] == ["date_of_birth", "mrn"]
    assert "already used by GARCÍA, José" in str(error.value)
    assert table_counts() == before


def test_a_single_bad_field_is_raised_as_itself(ctx):
    with pytest.raises(InvalidInput) as error:
        register_patient(ctx, form=patient_form(phone="call me"))
    assert not isinstance(error.value, InvalidInputs)
    assert (error.value.field, str(error.value)) == (
        "phone", "Phone 'call me' may hold only digits, spaces and + ( ) - .")


def test_an_edit_reports_every_bad_field_and_keeps_the_record(ctx, patient, make_patient):
    make_patient(mrn="MRN002", family_name="Otero")
    with pytest.raises(InvalidInputs) as error:
        edit_patient(ctx, patient_id=patient.id, expected_version=patient.version,
                     form=patient_form(mrn="MRN002", family_name="4711", email="x@"))
    assert [f for f, _m in fields_and_messages(error.value)] == [
        "family_name", "email", "mrn"]
    kept = get_patient(ctx, patient_id=patient.id)
    assert (kept.summary.mrn, kept.summary.family_name, kept.email) == ("MRN001", "García", "")
    assert kept.summary.version == patient.version


def test_a_weight_of_abc_measured_in_the_future_gives_both_messages(ctx, patient, table_counts):
    before = table_counts()
    with pytest.raises(InvalidInputs) as error:
        record_weight(ctx, patient_id=patient.id, weight="abc", kind="guessed",
                      measured_at="2026-03-03 10:00")
    assert [f for f, _m in fields_and_messages(error.value)] == [
        "weight", "kind", "measured_at"]
    assert "Weight 'abc' is not a number." in str(error.value)
    assert table_counts() == before


def test_a_single_impossible_weight_keeps_its_own_type(ctx, patient):
    with pytest.raises(ImpossibleWeight, match="above the maximum"):
        record_weight(ctx, patient_id=patient.id, weight="900")


def test_the_chart_forms_report_every_bad_field(ctx, patient, table_counts):
    before = table_counts()
    with pytest.raises(InvalidInputs) as allergy:
        add_allergy(ctx, patient_id=patient.id, substance=" ", severity="s" * 41)
    with pytest.raises(InvalidInputs) as diagnosis:
        add_diagnosis(ctx, patient_id=patient.id, description="", diagnosed_on="2027-01-01")
    with pytest.raises(InvalidInputs) as screening:
        record_screening(ctx, patient_id=patient.id, kind="tb", taken_on="2026-03-01",
                         outcome="maybe", valid_until="2026-02-01")
    assert [f for f, _m in fields_and_messages(allergy.value)] == ["substance", "severity"]
    assert [f for f, _m in fields_and_messages(diagnosis.value)] == [
        "description", "diagnosed_on"]
    assert [f for f, _m in fields_and_messages(screening.value)] == ["outcome", "valid_until"]
    assert table_counts() == before
