"""Record a laboratory result on the patient's chart, list them, and void one with a reason.

A result is checked by :func:`clinic_app.domain.labs.lab_value` (a test from the list and one
of its units, a value and reference range that are numbers not below 0, the range's low end not
above its high end); the day taken cannot be in the future and the source (the laboratory or
report) is required. Every bad field is reported at once; nothing is half-saved.
"""

from __future__ import annotations

from datetime import date

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.labs import LAB_TESTS, lab_value, reference_text
from clinic_app.domain.patient_validation import normalise_line
from clinic_app.services.context import ServiceContext
from clinic_app.services.labs.dto import LabResultEntry, LabTestChoice
from clinic_app.services.patients import load_patient, nurse_names, void_record, voiding
from clinic_app.services.typed_input import parse_day
from clinic_app.storage.models import LabResult
from clinic_app.storage.unit_of_work import UnitOfWork


def lab_test_choices() -> tuple[LabTestChoice, ...]:
    """The tests the nurse picks from, in the list's order, with their units."""
    return tuple(LabTestChoice(t.code, t.name, tuple(u.name for u in t.units))
                 for t in LAB_TESTS.values())  # fmt: skip


def lab_entry(row: LabResult, names: dict[int, str]) -> LabResultEntry:
    """A result as the chart shows it."""
    test = LAB_TESTS.get(row.test)
    return LabResultEntry(
        id=row.id, version=row.version, test=row.test,
        test_name=test.name if test else row.test, value=row.value, unit=row.unit,
        reference=reference_text(row.ref_low, row.ref_high), taken_on=row.taken_on,
        source=row.source, voided=voiding(row, names),
    )  # fmt: skip


def lab_entries(uow: UnitOfWork, patient_id: int) -> tuple[LabResultEntry, ...]:
    """Every result of the patient (voided ones marked), the latest taken first."""
    rows = sorted(uow.lab_results.list_by(patient_id=patient_id, include_voided=True),
                  key=lambda r: (r.taken_on, r.id), reverse=True)  # fmt: skip
    names = nurse_names(uow.session, [r.voided_by_id for r in rows])
    return tuple(lab_entry(r, names) for r in rows)


def list_lab_results(ctx: ServiceContext, *, patient_id: int) -> tuple[LabResultEntry, ...]:
    """The patient's results for the chart's Labs page."""
    with ctx.read_only() as uow:
        load_patient(uow, patient_id)
        return lab_entries(uow, patient_id)


def _taken(ctx: ServiceContext, taken_on: date | str) -> date:
    day = parse_day(taken_on, field="taken_on", label="Date taken")
    if day > ctx.local_now().date():
        raise InvalidInput("taken_on", "Date taken cannot be in the future.")
    return day


def record_lab_result(
    ctx: ServiceContext,
    *,
    patient_id: int,
    test: str,
    value: str,
    unit: str,
    taken_on: date | str,
    source: str,
    ref_low: str = "",
    ref_high: str = "",
) -> LabResultEntry:
    """Record one laboratory result on the chart (every bad field reported at once)."""
    checks = FieldChecks()
    day = checks.check(lambda: _taken(ctx, taken_on))
    typed = checks.check(
        lambda: lab_value(
            test=test,
            value=value,
            unit=unit,
            taken_on=day or ctx.local_now().date(),
            ref_low=ref_low,
            ref_high=ref_high,
        )
    )
    origin = checks.check(lambda: _source(source))
    checks.raise_problems()
    assert typed is not None and day is not None and origin  # raise_problems() raised otherwise
    row = LabResult(
        patient_id=patient_id,
        test=typed.test,
        value=typed.value,
        unit=typed.unit,
        ref_low=typed.ref_low,
        ref_high=typed.ref_high,
        taken_on=day,
        source=origin,
    )
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        uow.lab_results.add(row)
        uow.commit()
        return lab_entry(row, {})


def _source(text: str) -> str:
    origin = normalise_line(text or "", field="source", label="The source", max_length=120)
    if not origin:
        raise InvalidInput("source", "Give the source of the result (e.g. the laboratory's name).")
    return origin


def void_lab_result(
    ctx: ServiceContext, *, lab_result_id: int, reason: str, expected_version: int | None = None
) -> LabResultEntry:
    """Void a result entered in error, with a reason (the row and its audit history stay), by
    the rules of every voided record (:func:`clinic_app.services.patients.void_record`)."""
    void_record(ctx, kind="lab_result", record_id=lab_result_id, reason=reason,
                expected_version=expected_version)  # fmt: skip
    with ctx.read_only() as uow:
        row = uow.lab_results.get(lab_result_id)
        return next(e for e in lab_entries(uow, row.patient_id) if e.id == row.id)
