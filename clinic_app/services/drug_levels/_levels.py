"""Recording a course's drug levels and antibody results, voiding one, and the TDM series.

Rules (:mod:`clinic_app.domain.drug_levels`): a trough in µg/mL, antibodies as the lab reports
them (a value with its unit and cutoff, or positive/negative), the day drawn not in the future
nor before the course began, the dose it was drawn before optional. A dose number that has an
appointment in the course (not voided) is linked to it. The plot's doses are the course's
ended infusions, each with the mg it gave (the whole dose, or the part infused when stopped
early, :func:`clinic_app.services.visits.ended_dose_mg`) over the weight used. The app shows;
the prescriber decides (no dosing model).
"""

from __future__ import annotations

from collections.abc import Sequence

from clinic_app.domain.dates import in_zone
from clinic_app.domain.drug_levels import (
    NO_MODEL_NOTE,
    AntibodyStatus,
    DrugLevel,
    GivenDose,
    LevelKind,
    check_drug_level,
    tdm_series,
    tdm_summary,
)
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.units import round_mg_per_kg
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.services.drug_levels.dto import DrugLevelEntry, DrugLevelForm, TdmView
from clinic_app.services.errors import NotFound
from clinic_app.services.patients import nurse_names, require_nurse, void_record, voiding
from clinic_app.services.typed_input import parse_day
from clinic_app.services.visits import ended_dose_mg, load_visit
from clinic_app.storage.models import DrugLevel as DrugLevelRow
from clinic_app.storage.models import TreatmentCourse, VisitStatus
from clinic_app.storage.unit_of_work import UnitOfWork

_UNGIVEN = (VisitStatus.CHECKED_IN, VisitStatus.CANCELLED)


def _course(uow: UnitOfWork, course_id: int) -> TreatmentCourse:
    course = uow.session.get(TreatmentCourse, course_id)
    if course is None or course.is_voided:
        raise NotFound(f"No treatment course with id {course_id} (it may have been voided).")
    return course


def _checked(ctx: ServiceContext, form: DrugLevelForm, course: TreatmentCourse) -> DrugLevel:
    """The form checked; every bad field at once (the day's own problem first)."""
    today = ctx.local_now().date()
    checks = FieldChecks()
    day = checks.check(lambda: parse_day(form.drawn_on, field="drawn_on", label="Date drawn"))
    level = checks.check(
        lambda: check_drug_level(
            kind=form.kind,
            drawn_on=day or course.start_date,
            value=form.value,
            unit=form.unit,
            reported=form.reported,
            cutoff=form.cutoff,
            assay=form.assay,
            before_dose=form.before_dose,
            today=today,
            course_start=course.start_date,
        )
    )
    checks.raise_problems()
    assert level is not None  # else raised
    return level


def _appointment_id(uow: UnitOfWork, course_id: int, dose_number: int | None) -> int | None:
    if dose_number is None:
        return None
    found = uow.appointments.list_by(course_id=course_id, dose_number=dose_number)
    return found[0].id if found else None


def _level(row: DrugLevelRow) -> DrugLevel:
    return DrugLevel(
        kind=LevelKind(row.kind), drawn_on=row.drawn_on, value=row.value, unit=row.unit,
        reported=None if row.reported is None else AntibodyStatus(row.reported),
        cutoff=row.cutoff, assay=row.assay or "", before_dose=row.before_dose_number,
    )  # fmt: skip


def _entries(uow: UnitOfWork, rows: Sequence[DrugLevelRow]) -> tuple[DrugLevelEntry, ...]:
    names = nurse_names(uow.session, [n for r in rows for n in (r.nurse_id, r.voided_by_id)])
    return tuple(
        DrugLevelEntry(id=r.id, version=r.version, course_id=r.course_id, level=_level(r),
                       appointment_id=r.appointment_id, nurse=names.get(r.nurse_id, ""),
                       voided=voiding(r, names))
        for r in sorted(rows, key=lambda r: (r.drawn_on, r.id))
    )  # fmt: skip


def record_drug_level(
    ctx: ServiceContext, *, course_id: int, form: DrugLevelForm
) -> DrugLevelEntry:
    """Record a trough level or an antibody result of the course (checked as the module says;
    :class:`InvalidInput` naming each bad field, nothing written). Returns it as recorded."""
    require_nurse(ctx)
    with ctx.unit_of_work() as uow:
        course = _course(uow, course_id)
        level = _checked(ctx, form, course)
        row = uow.drug_levels.add(DrugLevelRow(
            patient_id=course.patient_id, course_id=course.id, kind=level.kind.value,
            value=level.value, unit=level.unit,
            reported=None if level.reported is None else level.reported.value,
            cutoff=level.cutoff, assay=level.assay or None, drawn_on=level.drawn_on,
            before_dose_number=level.before_dose,
            appointment_id=_appointment_id(uow, course.id, level.before_dose),
            nurse_id=ctx.nurse_id,
        ))  # fmt: skip
        uow.commit()
        return _entries(uow, [row])[0]


def void_drug_level(
    ctx: ServiceContext, *, level_id: int, reason: str, expected_version: int | None = None
) -> DrugLevelEntry:
    """Void a result entered in error, with a reason (it stays, marked), by the rules of every
    voided record (:func:`clinic_app.services.patients.void_record`)."""
    if not (reason or "").strip():
        raise InvalidInput(
            "reason", "Give the reason to void this drug level (e.g. entered in error)."
        )
    void_record(ctx, kind="drug_level", record_id=level_id, reason=reason,
                expected_version=expected_version)  # fmt: skip
    with ctx.read_only() as uow:
        return _entries(uow, [uow.drug_levels.get(level_id)])[0]


def _given_doses(ctx: ServiceContext, uow: UnitOfWork, course_id: int) -> list[GivenDose]:
    doses = []
    for visit in uow.visits.list_by(course_id=course_id):
        if visit.status in _UNGIVEN or visit.started_at is None or visit.ended_at is None:
            continue
        loaded = load_visit(ctx, uow, visit.id)
        given = ended_dose_mg(loaded)
        if given is None:
            continue
        mg, partial = given
        plan = loaded.snapshot.plan
        doses.append(GivenDose(
            dose_number=loaded.dose_number, given_on=in_zone(visit.started_at, ctx.tz).date(),
            mg_per_kg=round_mg_per_kg(mg / plan.weight.kg), ordered_mg_per_kg=plan.mg_per_kg,
            partial=partial,
        ))  # fmt: skip
    return doses


def course_tdm(ctx: ServiceContext, *, patient_id: int, course_id: int) -> TdmView:
    """The course's TDM for the chart: the plot's series (ended infusions, results not
    voided), the latest trough and antibody result in words, every result on file."""
    require_nurse(ctx)
    with ctx.read_only() as uow:
        course = _course(uow, course_id)
        if course.patient_id != patient_id:
            raise NotFound(f"Course {course_id} is not this patient's.")
        return tdm_view(ctx, uow, course)


def tdm_view(ctx: ServiceContext, uow: UnitOfWork, course: TreatmentCourse) -> TdmView:
    """The course's TDM read inside the caller's unit of work (no sign-in checked: the printed
    sheets use it too)."""
    rows = uow.drug_levels.list_by(course_id=course.id, include_voided=True)
    entries = _entries(uow, rows)
    series = tdm_series(
        _given_doses(ctx, uow, course.id), [e.level for e in entries if e.voided is None]
    )
    return TdmView(
        course_id=course.id,
        drug=catalogue.protocol(course.protocol_id).drug,
        course_start=course.start_date,
        series=series,
        summary=tdm_summary(series),
        entries=entries,
        note=NO_MODEL_NOTE,
    )
