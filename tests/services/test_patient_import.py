"""Importing an existing patient list: all rows or none, duplicates reported, audited."""

from __future__ import annotations

import time

from clinic_testing import patient_form
from sqlalchemy import func, select

from clinic_app.interop.patient_csv import read_patient_list
from clinic_app.services import exchange, patients
from clinic_app.services.context import ServiceContext
from clinic_app.storage.models import Allergy, AuditEntry, Patient, WeightMeasurement

HEADER = "Hospital number;Surname;First name;DOB;Gender;Allergies;Weight\n"


def _count(ctx: ServiceContext, what: type) -> int:
    with ctx.read_only() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(what)) or 0)


def _file(*rows: str) -> bytes:
    return b"\xef\xbb\xbf" + (HEADER + "".join(r + "\n" for r in rows)).encode()


def test_a_good_file_is_imported_with_allergies_and_weights_and_audited(
    ctx: ServiceContext,
) -> None:
    data = _file("P-1;Żółć;Zoë;17/05/1980;F;Penicillin|latex;61,5", "P-2;Smith;Bob;1975-01-31;M;;")
    outcome = exchange.import_patients(ctx, patients=read_patient_list(data))
    assert outcome.ok and outcome.imported == 2
    with ctx.read_only() as uow:
        zoe = uow.patients.get_by_mrn("P-1")
        assert zoe is not None and zoe.family_name == "Żółć"
        assert {a.substance for a in uow.allergies.list_by(patient_id=zoe.id)} == {
            "Penicillin",
            "latex",
        }
        (weight,) = uow.weights.list_by(patient_id=zoe.id)
        assert str(weight.weight_kg) in {"61.5", "61.50"}
        audited = uow.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.table_name == "patients")
        )
        assert audited == 2


def test_one_bad_row_saves_nothing_and_every_problem_names_its_line(ctx: ServiceContext) -> None:
    data = _file("P-1;Smith;Ann;1980-05-17;F;;", "P 2!;;Bob;2099-01-01;X;;900")
    outcome = exchange.import_patients(ctx, patients=read_patient_list(data))
    assert not outcome.ok and outcome.imported == 0
    assert {p.line for p in outcome.problems} == {3}
    report = exchange.problem_report(outcome)
    assert "line 3: MRN" in report and "Family name" in report and "Sex" in report
    assert "future" in report and "weight" in report.lower()
    assert _count(ctx, Patient) == 0 and _count(ctx, Allergy) == 0


def test_duplicates_in_the_file_and_on_file_are_reported_never_merged(ctx: ServiceContext) -> None:
    patients.register_patient(
        ctx,
        form=patient_form(
            mrn="OLD-1", family_name="Müller", given_names="Eva", date_of_birth="1970-02-03"
        ),
    )
    data = _file(
        "OLD-1;Novak;Jan;1960-01-01;M;;",
        "N-1;Muller;Eva;1970-02-03;F;;",
        "N-2;Li;Bo;1990-01-02;M;;",
        "N-2;Lee;Bo;1991-01-02;M;;",
        "N-3;Li;Bo;1990-01-02;M;;",
    )
    outcome = exchange.import_patients(ctx, patients=read_patient_list(data))
    messages = {(p.line, p.message) for p in outcome.problems}
    assert (2, "MRN OLD-1 is already on file.") in messages
    assert (3, "A patient with this name and date of birth is on file: MRN OLD-1.") in messages
    assert (5, "MRN N-2 is also on line 4.") in messages
    assert (6, "The same name and date of birth is also on line 4.") in messages
    assert _count(ctx, Patient) == 1


def test_a_dry_run_checks_everything_and_saves_nothing(ctx: ServiceContext) -> None:
    outcome = exchange.import_patients(
        ctx, patients=read_patient_list(_file("P-1;Smith;Ann;1980-05-17;F;;")), dry_run=True
    )
    assert outcome.ok and outcome.dry_run and outcome.imported == 0
    assert _count(ctx, Patient) == 0 and _count(ctx, WeightMeasurement) == 0


def letters(number: int) -> str:
    """A distinct name of letters for each number (0 -> "Aaaa")."""
    word = ""
    for _ in range(4):
        number, digit = divmod(number, 26)
        word += chr(ord("a") + digit)
    return word.capitalize()


def many_rows(count: int) -> list[str]:
    return [
        f"M-{i};{letters(i)};Ann;1980-01-{1 + i % 28:02d};F;Penicillin;70" for i in range(count)
    ]


def test_two_thousand_rows_import_in_a_few_seconds(ctx: ServiceContext) -> None:
    rows = many_rows(2000)
    started = time.perf_counter()
    outcome = exchange.import_patients(ctx, patients=read_patient_list(_file(*rows)))
    assert outcome.ok and outcome.imported == 2000
    assert time.perf_counter() - started < 12  # 10,000 rows must take under a minute
