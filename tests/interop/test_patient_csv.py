"""Reading a patient list exported from a spreadsheet: headers, encodings, separators, dates."""

from __future__ import annotations

import pytest

from clinic_app.domain.errors import InvalidInput
from clinic_app.interop.patient_csv import DateOrder, iso_date, read_patient_list

BOM = b"\xef\xbb\xbf"


def test_a_semicolon_file_with_a_bom_and_accents_maps_the_common_headers() -> None:
    data = (
        BOM
        + (
            "Hospital number;Surname;First name;Date of birth;Gender;Allergies;Weight\n"
            "A-1;Żółć;Zoë;1980-05-17;F;Penicillin, latex;61,5\n"
        ).encode()
    )
    found = read_patient_list(data)
    assert found.problems == ()
    (row,) = found.rows
    assert (row.mrn, row.family_name, row.given_names) == ("A-1", "Żółć", "Zoë")
    assert (row.date_of_birth, row.sex, row.weight_kg) == ("1980-05-17", "female", "61.5")
    assert row.allergies == ("Penicillin", "latex") and row.line == 2
    assert found.columns["mrn"] == "Hospital number"


def test_a_comma_file_without_bom_reads_nka_as_no_known_allergies() -> None:
    data = b"MRN,Last name,Given name,DOB,Sex,Allergies\nB2,Smith,Ann,17/05/1980,female,NKA\n"
    (row,) = read_patient_list(data).rows
    assert row.no_known_allergies and row.allergies == ()
    assert row.date_of_birth == "1980-05-17"


def test_a_missing_column_is_named() -> None:
    with pytest.raises(InvalidInput, match="no column for date_of_birth"):
        read_patient_list(b"MRN,Surname,First name,Sex\nA,B,C,F\n")


def test_a_file_that_is_not_utf8_is_refused_with_a_hint() -> None:
    with pytest.raises(InvalidInput, match="CSV UTF-8"):
        read_patient_list("MRN,Surname\nA,Müller\n".encode("latin-1"))


def test_an_ambiguous_slashed_date_is_refused_unless_the_order_is_given() -> None:
    with pytest.raises(InvalidInput, match="day first or month first"):
        iso_date("03/04/1980", DateOrder.AUTO)
    assert iso_date("03/04/1980", DateOrder.DAY_FIRST) == "1980-04-03"
    assert iso_date("03/04/1980", DateOrder.MONTH_FIRST) == "1980-03-04"
    assert iso_date("13/04/1980", DateOrder.AUTO) == "1980-04-13"
    assert iso_date("04/13/1980", DateOrder.AUTO) == "1980-04-13"
    assert iso_date("04/04/1980", DateOrder.AUTO) == "1980-04-04"


def test_an_ambiguous_date_is_a_problem_of_its_row_only() -> None:
    data = b"MRN,Surname,First name,DOB,Sex\nA1,Smith,Ann,03/04/1980,F\nA2,Li,Bo,1990-01-02,M\n"
    found = read_patient_list(data)
    assert [p.line for p in found.problems] == [2]
    assert [r.mrn for r in found.rows] == ["A2"]
