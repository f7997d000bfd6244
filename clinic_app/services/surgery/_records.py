"""Record a planned surgery or a live vaccine (given or due) on the patient's chart, list them,
and void one with a reason.

A planned surgery needs a day, the procedure (one line, at most 200 characters) and its kind
(:data:`~clinic_app.domain.surgery_windows.SURGERY_KINDS`: the seed's windows differ by kind);
the note is optional. A live vaccine needs its name, whether it was given or is due, and the
day: a vaccine given cannot be in the future. Every bad field is reported at once; nothing is
half-saved.
"""

from __future__ import annotations

from datetime import date

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.patient_validation import normalise_line
from clinic_app.domain.surgery_windows import LIVE_VACCINE_SUGGESTIONS, SURGERY_KINDS
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients import load_patient, nurse_names, void_record, voiding
from clinic_app.services.surgery.dto import (
    PlannedSurgeryEntry,
    SurgeryKindChoice,
    VaccinationEntry,
)
from clinic_app.services.typed_input import parse_day
from clinic_app.storage.models import PlannedSurgery, Vaccination
from clinic_app.storage.unit_of_work import UnitOfWork

VACCINE_STATUSES = ("given", "due")


def surgery_kind_choices() -> tuple[SurgeryKindChoice, ...]:
    """The kinds of planned surgery, in the order the nurse picks from."""
    return tuple(SurgeryKindChoice(code, name) for code, name in SURGERY_KINDS.items())


def live_vaccine_suggestions() -> tuple[str, ...]:
    """Live vaccines to pick from (the nurse may type another)."""
    return LIVE_VACCINE_SUGGESTIONS


def _surgery_entry(row: PlannedSurgery, names: dict[int, str]) -> PlannedSurgeryEntry:
    return PlannedSurgeryEntry(
        id=row.id, version=row.version, planned_on=row.planned_on, procedure=row.procedure,
        kind=row.kind, kind_name=SURGERY_KINDS.get(row.kind, row.kind), note=row.note or "",
        voided=voiding(row, names),
    )  # fmt: skip


def _vaccination_entry(row: Vaccination, names: dict[int, str]) -> VaccinationEntry:
    return VaccinationEntry(
        id=row.id, version=row.version, vaccine=row.vaccine, status=row.status,
        on_date=row.on_date, note=row.note or "", voided=voiding(row, names),
    )  # fmt: skip


def surgery_entries(uow: UnitOfWork, patient_id: int) -> tuple[PlannedSurgeryEntry, ...]:
    """Every planned surgery of the patient (voided ones marked), the latest day first."""
    rows = sorted(uow.planned_surgeries.list_by(patient_id=patient_id, include_voided=True),
                  key=lambda r: (r.planned_on, r.id), reverse=True)  # fmt: skip
    names = nurse_names(uow.session, [r.voided_by_id for r in rows])
    return tuple(_surgery_entry(r, names) for r in rows)


def vaccination_entries(uow: UnitOfWork, patient_id: int) -> tuple[VaccinationEntry, ...]:
    """Every live vaccine of the patient (voided ones marked), the latest day first."""
    rows = sorted(uow.vaccinations.list_by(patient_id=patient_id, include_voided=True),
                  key=lambda r: (r.on_date, r.id), reverse=True)  # fmt: skip
    names = nurse_names(uow.session, [r.voided_by_id for r in rows])
    return tuple(_vaccination_entry(r, names) for r in rows)


def list_planned_surgeries(
    ctx: ServiceContext, *, patient_id: int
) -> tuple[PlannedSurgeryEntry, ...]:
    """The patient's planned surgeries for the chart."""
    with ctx.read_only() as uow:
        load_patient(uow, patient_id)
        return surgery_entries(uow, patient_id)


def list_vaccinations(ctx: ServiceContext, *, patient_id: int) -> tuple[VaccinationEntry, ...]:
    """The patient's live vaccines for the chart."""
    with ctx.read_only() as uow:
        load_patient(uow, patient_id)
        return vaccination_entries(uow, patient_id)


def _required_line(text: str, *, field: str, label: str, max_length: int, missing: str) -> str:
    value = normalise_line(text or "", field=field, label=label, max_length=max_length)
    if not value:
        raise InvalidInput(field, missing)
    return value


def _kind(kind: str) -> str:
    if kind not in SURGERY_KINDS:
        raise InvalidInput("kind", "Choose the kind of surgery: " + "; ".join(
            name.split(",")[0].lower() for name in SURGERY_KINDS.values()) + ".")  # fmt: skip
    return kind


def _note(note: str) -> str | None:
    return normalise_line(note or "", field="note", label="The note", max_length=500) or None


def record_planned_surgery(
    ctx: ServiceContext,
    *,
    patient_id: int,
    planned_on: date | str,
    procedure: str,
    kind: str,
    note: str = "",
) -> PlannedSurgeryEntry:
    """Record a planned surgery on the chart (every bad field reported at once)."""
    checks = FieldChecks()
    day = checks.check(lambda: parse_day(planned_on, field="planned_on", label="Surgery date"))
    what = checks.check(lambda: _required_line(
        procedure, field="procedure", label="The procedure", max_length=200,
        missing="Write the planned procedure (e.g. hip replacement)."))  # fmt: skip
    code = checks.check(lambda: _kind(kind))
    extra = checks.check(lambda: _note(note))
    checks.raise_problems()
    assert day is not None and what and code  # raise_problems() raised otherwise
    row = PlannedSurgery(patient_id=patient_id, planned_on=day, procedure=what, kind=code,
                         note=extra)  # fmt: skip
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        uow.planned_surgeries.add(row)
        uow.commit()
        return _surgery_entry(row, {})


def _status(status: str) -> str:
    if status not in VACCINE_STATUSES:
        raise InvalidInput("status", "Say whether the vaccine was given or is due.")
    return status


def _vaccine_day(ctx: ServiceContext, on_date: date | str, status: str | None) -> date:
    day = parse_day(on_date, field="on_date", label="Vaccine date")
    if status == "given" and day > ctx.local_now().date():
        raise InvalidInput("on_date", "A vaccine given cannot be dated in the future; "
                           "record a future vaccine as due.")  # fmt: skip
    return day


def record_vaccination(
    ctx: ServiceContext,
    *,
    patient_id: int,
    vaccine: str,
    status: str,
    on_date: date | str,
    note: str = "",
) -> VaccinationEntry:
    """Record a live vaccine given or due on the chart (every bad field reported at once)."""
    checks = FieldChecks()
    name = checks.check(lambda: _required_line(
        vaccine, field="vaccine", label="The vaccine", max_length=120,
        missing="Write the live vaccine's name (e.g. yellow fever)."))  # fmt: skip
    given_or_due = checks.check(lambda: _status(status))
    day = checks.check(lambda: _vaccine_day(ctx, on_date, given_or_due))
    extra = checks.check(lambda: _note(note))
    checks.raise_problems()
    assert name and given_or_due and day is not None  # raise_problems() raised otherwise
    row = Vaccination(patient_id=patient_id, vaccine=name, status=given_or_due, on_date=day,
                      note=extra)  # fmt: skip
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        uow.vaccinations.add(row)
        uow.commit()
        return _vaccination_entry(row, {})


def void_planned_surgery(
    ctx: ServiceContext, *, surgery_id: int, reason: str, expected_version: int | None = None
) -> PlannedSurgeryEntry:
    """Void a planned surgery entered in error or cancelled, with a reason (it stays on file)."""
    void_record(ctx, kind="planned_surgery", record_id=surgery_id, reason=reason,
                expected_version=expected_version)  # fmt: skip
    with ctx.read_only() as uow:
        row = uow.planned_surgeries.get(surgery_id)
        return next(e for e in surgery_entries(uow, row.patient_id) if e.id == row.id)


def void_vaccination(
    ctx: ServiceContext, *, vaccination_id: int, reason: str, expected_version: int | None = None
) -> VaccinationEntry:
    """Void a live vaccine entered in error, with a reason (it stays on file)."""
    void_record(ctx, kind="vaccination", record_id=vaccination_id, reason=reason,
                expected_version=expected_version)  # fmt: skip
    with ctx.read_only() as uow:
        row = uow.vaccinations.get(vaccination_id)
        return next(e for e in vaccination_entries(uow, row.patient_id) if e.id == row.id)
