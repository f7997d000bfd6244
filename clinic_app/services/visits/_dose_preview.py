"""The dose for an appointment at today's weight, with the patient's own warnings.

Rules (inside a unit of work; nothing here writes):

- the order is the course's (mg/kg or mg) for its indication, calculated by
  :func:`clinic_app.domain.dosing.calculate_dose` with the clinic settings;
- the last weight on file and the weight the course's dose plan was made from
  (:func:`clinic_app.services.courses.plan_weight`: the first dose's weight, or the weight on
  file at the last order change) feed the weight-change warnings, and a weight measured before
  today (the bedside sheet printed from the last weight on file) is checked for its age against
  the dose day (the booked day; clinical reference, "Dosing practice");
- earlier reactions to this drug (:func:`clinic_app.domain.reactions.plan_consequences`) add
  their warnings and, when the protocol has a graduated table, make the graduated rate the
  default after an acute reaction (infliximab label 2.10 and the institutional table);
- contraindications on file, and the ones the patient's age on the dose day brings
  (``age_under_18`` before the 18th birthday, :mod:`clinic_app.domain.patient_age`; infliximab
  and anifrolumab list it as a caution), refuse an absolute one (:class:`Contraindicated`), warn
  a caution and ask for the prescriber's decision as the reason for a ``prescriber_decision``
  one (infliximab in pregnancy);
- the protocol's screening (infliximab: TB test, chest X-ray, hepatitis B; seed 000) missing,
  indeterminate or expired today gives ``SCREENING_DUE``, and a positive latest result gives
  ``SCREENING_POSITIVE`` (its action, e.g. "treat TB first"): both need a reason to open the
  visit, the same rule as on the course plan
  (:mod:`clinic_app.domain.schedule_checks`), so a dose is never prepared with the screening
  gap unseen;
- the shortened infusion (infliximab EU SmPC: over 1 hour for adults on maintenance after 3
  tolerated 2-hour infusions, not above 6 mg/kg) is offered only where the clinic uses it
  (``dosing.allow_shortened_infusion``, off by default) and the dose is eligible
  (:mod:`clinic_app.services.visits._shortened`: every condition with its reason, shown in the
  preview); never after a reaction to the drug ("go back to 2 hours after any reaction"); asked
  for when it is not eligible, it is refused with every condition not met.

Stop-level warnings (``DosePreview.stop_codes``) are the ones that halt the dose until answered
with more than a routine tick: every warning that needs a reason, and a weight that is
implausible, changed past the clinic's threshold since the last weight or the plan's weight, or
measured too long ago (clinical reference, "Dosing practice": confirm the weight and check the
order with the prescriber).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.dosing import calculate_dose
from clinic_app.domain.errors import DoseRefused
from clinic_app.domain.patient_age import age_contraindications
from clinic_app.domain.protocol_model import DosingMode, Protocol
from clinic_app.domain.reactions import ReactionConsequences, ReactionRecord, plan_consequences
from clinic_app.domain.schedule_checks import (
    contraindication_warnings,
    screening_gaps,
    screening_positive_warnings,
)
from clinic_app.domain.shortened_infusion import ShortenedEligibility
from clinic_app.domain.units import NumberInput
from clinic_app.domain.weight_checks import WeightAge
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import plan_weight
from clinic_app.services.errors import ActionNotAllowed, NotFound
from clinic_app.services.patients import latest_weight, reaction_records
from clinic_app.services.visits._shortened import dose_day, shortened_check, tolerated_infusions
from clinic_app.services.visits.dto import DosePreview
from clinic_app.storage.models import (
    Appointment,
    CourseStatus,
    Patient,
    TreatmentCourse,
)
from clinic_app.storage.unit_of_work import UnitOfWork

STOP_ACK_CODES = frozenset({"WEIGHT_CHANGE", "PLAN_WEIGHT_CHANGE", "IMPLAUSIBLE_WEIGHT",
                            "WEIGHT_OUT_OF_DATE"})


def stop_codes(warnings: tuple[ClinicalWarning, ...]) -> tuple[str, ...]:
    """The stop-level warnings' codes (module rules), in order."""
    return tuple(w.code for w in warnings if w.requires_override or w.code in STOP_ACK_CODES)


@dataclass(frozen=True)
class AppointmentRows:
    """An appointment with its course, patient and protocol."""

    appointment: Appointment
    course: TreatmentCourse
    patient: Patient
    protocol: Protocol


def load_appointment(uow: UnitOfWork, appointment_id: int) -> AppointmentRows:
    """The appointment and what hangs on it; :class:`NotFound` if unknown or voided."""
    appointment = uow.session.get(Appointment, appointment_id)
    if appointment is None or appointment.is_voided:
        raise NotFound(f"No appointment with id {appointment_id} (it may have been voided).")
    course = uow.session.get(TreatmentCourse, appointment.course_id)
    assert course is not None  # foreign key
    patient = uow.session.get(Patient, course.patient_id)
    assert patient is not None
    return AppointmentRows(appointment, course, patient, catalogue.protocol(course.protocol_id))


def drug_reactions(ctx: ServiceContext, uow: UnitOfWork,
                   rows: AppointmentRows) -> list[ReactionRecord]:
    """The patient's reactions on file (not voided) before now."""
    return reaction_records(uow.session, rows.patient.id, before=ctx.now(), tz=ctx.tz)


def consequences_for(ctx: ServiceContext, uow: UnitOfWork, rows: AppointmentRows,
                     earlier: list[ReactionRecord] | None = None) -> ReactionConsequences:
    """What the patient's earlier reactions change in this drug's next infusion."""
    if earlier is None:
        earlier = drug_reactions(ctx, uow, rows)
    return plan_consequences(rows.protocol, earlier,
                             shortened_allowed=ctx.settings.dosing.allow_shortened_infusion)


def patient_warnings(ctx: ServiceContext, uow: UnitOfWork, rows: AppointmentRows,
                     consequences: ReactionConsequences) -> tuple[ClinicalWarning, ...]:
    """Reaction consequences, contraindication cautions (on file or from the patient's age
    today; an absolute one is refused) and the screening due or positive today (module
    rules)."""
    codes = {f.code for f in uow.contraindications.list_by(patient_id=rows.patient.id)}
    codes |= set(age_contraindications(rows.patient.date_of_birth, ctx.local_now().date()))
    cautions = contraindication_warnings(rows.protocol,
                                         codes | set(consequences.contraindications))
    own = tuple(w for w in consequences.warnings if w.code != "REACTION_CONTRAINDICATION")
    results = [r.to_domain() for r in uow.screenings.list_by(patient_id=rows.patient.id)]
    screening = (screening_positive_warnings(rows.protocol.screening, results)
                 + screening_gaps(rows.protocol, results, on=ctx.local_now().date()))
    return own + cautions + screening


def _order(course: TreatmentCourse) -> tuple[Decimal | None, Decimal | None]:
    """The order as (mg/kg, fixed mg): exactly one of them is set."""
    if course.dosing_mode is DosingMode.MG_PER_KG:
        return course.dose_mg_per_kg, None
    return None, course.fixed_dose_mg


def require_active(rows: AppointmentRows) -> None:
    """Refuse a stopped or completed course."""
    if rows.course.status is not CourseStatus.ACTIVE:
        raise ActionNotAllowed(
            f"The {rows.protocol.drug} course is {rows.course.status.value.replace('_', ' ')}: "
            "no dose can be prepared for it.")


def _weight_age(ctx: ServiceContext, rows: AppointmentRows,
                weighed_at: datetime | None) -> WeightAge | None:
    """When a weight measured before today was measured, against the dose day (the booked
    day, or today when the booking is past or missing)."""
    if weighed_at is None:
        return None
    return WeightAge(measured_on=weighed_at.astimezone(ctx.tz).date(),
                     dose_day=dose_day(ctx, rows))


def _require_eligible(rows: AppointmentRows, check: ShortenedEligibility | None) -> None:
    """Refuse the shortened infusion asked for when the dose is not eligible, with every
    condition not met."""
    if check is None:
        raise DoseRefused("SHORTENED_NOT_ALLOWED",
                          f"{rows.protocol.drug} has no shortened infusion in its protocol.")
    if not check.eligible:
        raise DoseRefused("SHORTENED_NOT_ALLOWED", check.refusal())


def preview_for(ctx: ServiceContext, uow: UnitOfWork, rows: AppointmentRows, *,
                weight: NumberInput, unit: str, graduated: bool | None,
                override_reason: str | None, replacing_weight: int | None = None,
                weighed_at: datetime | None = None, shortened: bool = False,
                offer_shortened: bool = False) -> DosePreview:
    """The dose preview for ``rows`` (see the module text for the rules); the weight-change
    warnings ignore ``replacing_weight`` (the wrong weight a re-weighing replaces).
    ``weighed_at`` is when ``weight`` was measured when it is a weight on file (None: measured
    now, today's weight). ``shortened`` asks for the shortened infusion; ``offer_shortened``
    says in the preview whether it may be chosen for this dose."""
    earlier = drug_reactions(ctx, uow, rows)
    consequences = consequences_for(ctx, uow, rows, earlier)
    extra = patient_warnings(ctx, uow, rows, consequences)
    previous = latest_weight(uow, rows.patient.id, excluding=replacing_weight)
    use_graduated = consequences.graduated_titration if graduated is None else bool(graduated)
    mg_per_kg, fixed_mg = _order(rows.course)
    tolerated = tolerated_infusions(uow, rows.patient.id, rows.protocol.id)

    def calculate(short: bool) -> DosePlan:
        return calculate_dose(
            rows.protocol, weight, weight_unit=unit, indication=rows.course.indication_id,
            mg_per_kg=mg_per_kg, fixed_mg=fixed_mg,
            previous_weight_kg=None if previous is None else previous.weight_kg,
            plan_weight=plan_weight(uow, rows.course, tz=ctx.tz,
                                    excluding_weight=replacing_weight),
            weight_age=_weight_age(ctx, rows, weighed_at),
            override_reason=override_reason, graduated=use_graduated, settings=ctx.settings,
            shortened=short, tolerated_doses=tolerated,
        )

    plan = calculate(False)
    check = shortened_check(ctx, rows, plan, tolerated=tolerated, reactions=earlier)
    if shortened:
        _require_eligible(rows, check)
        plan = calculate(True)
    warnings = plan.warnings + extra
    shown = check if offer_shortened and not plan.graduated \
        and ctx.settings.dosing.allow_shortened_infusion else None
    return DosePreview(
        shortened_minutes=plan.duration_min if plan.shortened
        else None if shown is None else shown.minutes,
        shortened_check=shown,
        plan=plan, warnings=warnings, graduated=plan.graduated,
        premedication=consequences.premedication,
        previous_weight_kg=None if previous is None else previous.weight_kg,
        previous_weight_at=None if previous is None else previous.measured_at,
        override_needed=tuple(w.code for w in warnings if w.requires_override)
        if plan.override_reason is None else (),
        ack_needed=tuple(w.code for w in warnings if w.requires_ack),
        stop_codes=stop_codes(warnings),
    )
