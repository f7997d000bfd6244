"""Importing a clinic's existing patient list: every row is checked with the patient form's
rules (:func:`clinic_app.domain.patient_validation.validate_patient`) before anything is saved,
and nothing is saved when any row is wrong. Duplicates (an MRN used twice in the file or already
on file, voided records included; the same names and date of birth twice or already on file)
are reported, never merged. The import is one transaction, audited under the signed-in nurse.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.patient_validation import ValidPatient, validate_patient
from clinic_app.domain.units import parse_weight, round_kg
from clinic_app.interop.patient_csv import PatientList, PatientRow, RowProblem
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotSignedIn
from clinic_app.storage.models import (
    Allergy,
    NoKnownAllergies,
    Patient,
    Sex,
    WeightKind,
    WeightMeasurement,
)
from clinic_app.storage.search_keys import name_key
from clinic_app.storage.unit_of_work import UnitOfWork

Identity = tuple[str, str, date]


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did (or, with ``dry_run``, would do): ``problems`` empty means the rows
    were saved (unless a dry run)."""

    rows: int
    imported: int
    problems: tuple[RowProblem, ...]
    dry_run: bool

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Checked:
    row: PatientRow
    patient: ValidPatient
    weight_kg: Decimal | None


def _identity(valid: ValidPatient) -> Identity:
    return name_key(valid.family_name), name_key(valid.given_names), valid.date_of_birth


def _weight(ctx: ServiceContext, text: str) -> Decimal | None:
    if not text:
        return None
    return round_kg(parse_weight(text, "kg", max_kg=ctx.settings.dosing.max_weight_kg).kg)


def _check_row(ctx: ServiceContext, row: PatientRow) -> _Checked:
    """The row checked as the patient form and the weight field are (every problem at once)."""
    checks = FieldChecks()
    valid = checks.check(
        lambda: validate_patient(
            mrn=row.mrn,
            family_name=row.family_name,
            given_names=row.given_names,
            date_of_birth=row.date_of_birth,
            sex=row.sex,
            today=ctx.local_now().date(),
        )
    )
    weight = checks.check(lambda: _weight(ctx, row.weight_kg))
    checks.raise_problems()
    assert valid is not None  # raise_problems() raised otherwise
    return _Checked(row, valid, weight)


def _on_file(uow: UnitOfWork) -> tuple[dict[str, str], dict[Identity, str]]:
    """MRNs on file (voided too) and the identities of patients not voided, each to its MRN."""
    rows = uow.session.execute(
        select(
            Patient.mrn,
            Patient.family_key,
            Patient.given_key,
            Patient.date_of_birth,
            Patient.voided_at,
        )
    ).all()
    mrns = {r.mrn: r.mrn for r in rows}
    identities = {
        (r.family_key, r.given_key, r.date_of_birth): r.mrn for r in rows if r.voided_at is None
    }
    return mrns, identities


def _duplicates(checked: list[_Checked], uow: UnitOfWork) -> list[RowProblem]:
    mrns_on_file, people_on_file = _on_file(uow)
    seen_mrn: dict[str, int] = {}
    seen_person: dict[Identity, int] = {}
    problems: list[RowProblem] = []
    for item in checked:
        mrn, person, line = item.patient.mrn, _identity(item.patient), item.row.line
        if mrn in mrns_on_file:
            problems.append(RowProblem(line, f"MRN {mrn} is already on file."))
        elif mrn in seen_mrn:
            problems.append(RowProblem(line, f"MRN {mrn} is also on line {seen_mrn[mrn]}."))
        if person in people_on_file:
            problems.append(
                RowProblem(
                    line,
                    "A patient with this name and date of birth is on "
                    f"file: MRN {people_on_file[person]}.",
                )
            )
        elif person in seen_person:
            problems.append(
                RowProblem(
                    line, f"The same name and date of birth is also on line {seen_person[person]}."
                )
            )
        seen_mrn.setdefault(mrn, line)
        seen_person.setdefault(person, line)
    return problems


def _save(ctx: ServiceContext, uow: UnitOfWork, item: _Checked) -> None:
    valid = item.patient
    patient = Patient(
        mrn=valid.mrn,
        family_name=valid.family_name,
        given_names=valid.given_names,
        date_of_birth=valid.date_of_birth,
        sex=Sex(valid.sex),
    )
    uow.patients.add(patient)
    uow.session.flush()
    today = ctx.local_now().date()
    for substance in item.row.allergies:
        uow.allergies.add(Allergy(patient_id=patient.id, substance=substance, noted_on=today))
    if item.row.no_known_allergies:
        uow.no_known_allergies.add(NoKnownAllergies(patient_id=patient.id, stated_on=today))
    if item.weight_kg is not None:
        uow.weights.add(
            WeightMeasurement(
                patient_id=patient.id,
                weight_kg=item.weight_kg,
                measured_at=ctx.now(),
                kind=WeightKind.ACTUAL,
            )
        )


def _checked_rows(
    ctx: ServiceContext, rows: tuple[PatientRow, ...], problems: list[RowProblem]
) -> list[_Checked]:
    checked: list[_Checked] = []
    for row in rows:
        try:
            checked.append(_check_row(ctx, row))
        except InvalidInput as exc:
            problems.extend(RowProblem(row.line, m) for m in str(exc).splitlines())
    return checked


def import_patients(
    ctx: ServiceContext, *, patients: PatientList, dry_run: bool = False
) -> ImportOutcome:
    """Check every row, then save them all in one transaction, or nothing when any row has a
    problem (or with ``dry_run``). Needs a signed-in nurse, dry runs too."""
    if ctx.nurse_id is None:
        raise NotSignedIn("No nurse is signed in. Sign in to import patients.")
    problems = list(patients.problems)
    checked = _checked_rows(ctx, patients.rows, problems)
    count = len(patients.rows) + len(patients.problems)
    with ctx.unit_of_work() as uow:
        problems.extend(_duplicates(checked, uow))
        problems.sort(key=lambda p: p.line)
        if problems or dry_run:
            return ImportOutcome(count, 0, tuple(problems), dry_run)
        for item in checked:
            _save(ctx, uow, item)
        uow.commit()
    return ImportOutcome(count, len(checked), (), False)


def problem_report(outcome: ImportOutcome) -> str:
    """The report file's text: one line per problem, ``line N: why``."""
    head = f"{len(outcome.problems)} problem(s) in {outcome.rows} row(s); nothing was imported.\n"
    return head + "".join(f"line {p.line}: {p.message}\n" for p in outcome.problems)
