"""Closing a visit before the start: the dose not given today, or the visit re-weighed.

Rules:

- both only before the start (status ``checked_in``); once the infusion has started it is ended
  instead (End infusion, with the reason when the bag is not empty), never "not given", and the
  weight used for the dose stays as it was;
- not given (:func:`hold_dose`): the pre-check can say "do not start; call the prescriber"
  (fever, active infection, a positive TB screen; clinical reference, "Pre-infusion checks").
  The reason (what was found and who decided) is required. The visit is closed as
  ``cancelled`` with the reason stored; its appointment becomes ``not_given``: the dose is still
  owed, it can be booked again and the course plan shows it due or overdue as for a missed dose
  (:data:`clinic_app.services.courses.OPEN_STATUSES`);
- re-weighed (:func:`reweigh_visit`): the weight measured when the visit was opened was wrong.
  In one transaction the wrong weight and the visit are voided ("Re-weighed: <reason>") and a
  new visit opens for the same appointment at the new weight under the rules of opening
  (:mod:`._opening`: booked today, reasons and acknowledgements). The
  weight-change warning compares with the last weight on file before the wrong one. Nothing
  recorded on the old visit carries over (the weight answer would be wrong, and answers given
  for the old dose are not answers for the new one): pre-check answers, baseline vitals and lots
  stay with the voided visit and the pre-check starts again.
"""

from __future__ import annotations

from collections.abc import Collection

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.field_checks import FieldChecks
from clinic_app.domain.patient_validation import normalise_line
from clinic_app.domain.units import NumberInput
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import sync_appointments
from clinic_app.services.errors import ActionNotAllowed
from clinic_app.services.permissions import require_override_permission
from clinic_app.services.visits._dose_preview import (
    AppointmentRows,
    load_appointment,
    preview_for,
    require_active,
)
from clinic_app.services.visits._opening import (
    acknowledged_codes,
    record_opening,
    require_bookable_today,
    require_decisions,
)
from clinic_app.services.visits._rules import local_hm
from clinic_app.services.visits._state import LoadedVisit, load_visit
from clinic_app.services.visits._views import visit_detail
from clinic_app.services.visits.dto import DosePreview, VisitDetail
from clinic_app.storage.conflicts import conflict_error
from clinic_app.storage.models import (
    AppointmentStatus,
    InfusionVisit,
    VisitStatus,
    WeightMeasurement,
)
from clinic_app.storage.unit_of_work import UnitOfWork

REASON_MAX = 500
REWEIGHED = "Re-weighed: "


def _reason(text: str, what: str) -> str:
    """The reason on one line (:func:`normalise_line`); required."""
    cleaned = normalise_line(text or "", field="reason", label="The reason",
                             max_length=REASON_MAX)
    if not cleaned:
        raise InvalidInput("reason", f"Give the reason {what}.")
    return cleaned


def _not_started(ctx: ServiceContext, loaded: LoadedVisit, action: str, after_start: str) -> None:
    """Refuse ``action`` unless the infusion has not started yet (module rules)."""
    visit = loaded.visit
    if visit.status is VisitStatus.CHECKED_IN:
        return
    if visit.status is VisitStatus.CANCELLED:
        raise ActionNotAllowed(f"Cannot {action}: this visit was closed as not given "
                               f"({visit.not_given_reason or 'no reason on file'}).")
    started = "" if visit.started_at is None else f" at {local_hm(ctx, visit.started_at)}"
    raise ActionNotAllowed(f"Cannot {action}: the infusion started{started}. {after_start}")


def _load_before_start(ctx: ServiceContext, uow: UnitOfWork, visit_id: int,
                       expected_version: int | None, action: str,
                       after_start: str) -> LoadedVisit:
    loaded = load_visit(ctx, uow, visit_id, for_update=True)
    if expected_version is not None and loaded.visit.version != expected_version:
        raise conflict_error(uow.session, InfusionVisit, visit_id)
    _not_started(ctx, loaded, action, after_start)
    return loaded


_HOLD_AFTER_START = ("To stop it, use End infusion and give the reason; the dose then counts "
                     "as given.")


def hold_dose(ctx: ServiceContext, *, visit_id: int, reason: str,
              expected_version: int | None = None) -> VisitDetail:
    """Close the visit before the start: the dose is not given today (module rules).

    ``reason`` says what was found and who decided ("Temp 38.4 °C; Dr Nowak: postpone 1
    week"); empty raises :class:`InvalidInput` on "reason". After the start
    :class:`ActionNotAllowed`; ``expected_version`` (the visit's version shown) raises
    :class:`ConcurrentEditError` when another workstation changed the visit since.
    """
    why = _reason(reason, "the dose is not given today (what was found, who decided)")
    with ctx.unit_of_work() as uow:
        loaded = _load_before_start(ctx, uow, visit_id, expected_version,
                                    "record the dose as not given", _HOLD_AFTER_START)
        visit = loaded.visit
        visit.status = VisitStatus.CANCELLED
        visit.not_given_reason = why
        if loaded.appointment is not None:
            loaded.appointment.status = AppointmentStatus.NOT_GIVEN
            uow.flush()
            sync_appointments(ctx, uow, loaded.course, as_of=ctx.local_now().date())
        uow.commit()
        return visit_detail(ctx, uow, load_visit(ctx, uow, visit_id))


_REWEIGH_AFTER_START = ("The dose given follows the weight used; record the correct weight in "
                        "the chart and tell the prescriber.")


def _reweighed_preview(ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit, *,
                       weight: NumberInput, unit: str,
                       override_reason: str | None) -> tuple[AppointmentRows, DosePreview]:
    appointment = loaded.appointment
    if appointment is None:
        raise ActionNotAllowed("This visit has no appointment to open again: record the "
                               "correct weight in the chart.")
    rows = load_appointment(uow, appointment.id)
    require_active(rows)
    require_bookable_today(ctx, appointment.status, appointment.starts_at,
                           appointment.dose_number)
    preview = preview_for(ctx, uow, rows, weight=weight, unit=unit,
                          graduated=loaded.snapshot.plan.graduated,
                          shortened=loaded.snapshot.plan.shortened,
                          override_reason=override_reason,
                          replacing_weight=loaded.visit.weight_id)
    return rows, preview


def preview_reweigh(ctx: ServiceContext, *, visit_id: int, weight: NumberInput,
                    unit: str = "kg", override_reason: str | None = None) -> DosePreview:
    """The dose plan the visit would have at ``weight`` (nothing is written).

    As :func:`._recording.preview_dose`, with the weight-change warning
    compared to the last weight before the one being replaced.
    """
    with ctx.read_only() as uow:
        loaded = load_visit(ctx, uow, visit_id)
        _not_started(ctx, loaded, "re-weigh", _REWEIGH_AFTER_START)
        return _reweighed_preview(ctx, uow, loaded, weight=weight, unit=unit,
                                  override_reason=override_reason)[1]


def reweigh_visit(ctx: ServiceContext, *, visit_id: int, weight: NumberInput, reason: str,
                  unit: str = "kg", acknowledged: Collection[str] = (),
                  override_reason: str | None = None,
                  expected_version: int | None = None) -> VisitDetail:
    """Replace a visit opened at a wrong weight with a new one at ``weight`` (module rules).

    Returns the new visit. ``reason`` (why the first weight was wrong) is required; a missing
    reason and a refused weight are raised together (:class:`InvalidInputs`, every bad field at
    once). A warning of the new dose that needs a reason or an acknowledgement raises
    :class:`OverrideRequired` as when opening; after the start :class:`ActionNotAllowed`.
    Nothing is written on refusal.
    """
    codes = acknowledged_codes(acknowledged)
    with ctx.unit_of_work() as uow:
        loaded = _load_before_start(ctx, uow, visit_id, expected_version, "re-weigh",
                                    _REWEIGH_AFTER_START)
        checks = FieldChecks()  # the form's order: the weight, then the reason
        found = checks.check(lambda: _reweighed_preview(ctx, uow, loaded, weight=weight,
                                                        unit=unit,
                                                        override_reason=override_reason))
        why = checks.check(
            lambda: _reason(reason, "for re-weighing (why the first weight was wrong)"))
        checks.raise_problems()
        assert why is not None and found is not None  # raise_problems() raised otherwise
        rows, preview = found
        require_decisions(preview, codes)
        require_override_permission(ctx, uow, preview.warnings, override_reason)
        note = REWEIGHED + why
        wrong = None if loaded.visit.weight_id is None else uow.session.get(
            WeightMeasurement, loaded.visit.weight_id)
        if wrong is not None and not wrong.is_voided:
            uow.void(wrong, reason=note)
        uow.void(loaded.visit, reason=note)
        uow.flush()
        visit = record_opening(ctx, uow, rows, preview, codes)
        uow.commit()
        return visit_detail(ctx, uow, load_visit(ctx, uow, visit.id))
