"""The printed sheets from what is on record: one function per sheet, PDF bytes out.

Each reads in one read-only unit of work (no sign-in needed: the administrator's command line
prints too), maps the services' DTOs onto :mod:`clinic_app.reports.records` and calls the sheet.
``paper`` is "a4" or "letter"; None uses the clinic setting ``[clinic] paper``.
"""

from __future__ import annotations

from datetime import date, datetime

from clinic_app.domain.dates import date_text
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_validation import normalise_line, normalise_mrn
from clinic_app.domain.protocol_model import DosingMode
from clinic_app.domain.units import NumberInput, round_kg_used
from clinic_app.domain.unweighed_dose import fixed_dose_without_weight
from clinic_app.reports import sheets as pdf
from clinic_app.reports.records import (
    BookedDose,
    CourseLevels,
    DoseSummary,
    OrderInfo,
    PlanningWeight,
    ReactionReport,
    Reporter,
    ReviewRecord,
)
from clinic_app.services import catalogue
from clinic_app.services.access_log import log_sheet_printed
from clinic_app.services.clinic_day import chair_timeline, clinic_day
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import compute_plan, course_appointments, review_state
from clinic_app.services.courses.dto import ResponseReviewState
from clinic_app.services.drug_levels import tdm_view
from clinic_app.services.errors import ActionNotAllowed, NotFound
from clinic_app.services.patients import latest_weight, load_patient, patient_summary
from clinic_app.services.reactions import reaction_detail
from clinic_app.services.sheets._records import (
    clinic_contact,
    day_list_entry,
    double_check_records,
    event_records,
    indication_name,
    lot_record,
    order_info,
    patient_header,
    premedication_records,
    pump_action,
    reaction_details,
    visit_record,
)
from clinic_app.services.typed_input import parse_day
from clinic_app.services.visits import (
    AppointmentRows,
    allergy_texts,
    checklist_of,
    consequences_for,
    dose_given,
    double_check_status,
    has_no_known_allergies,
    load_appointment,
    load_visit,
    premedication_entries,
    preview_for,
    visit_course,
    visit_detail,
)
from clinic_app.storage.audit_check import chain_head
from clinic_app.storage.models import (
    AppointmentStatus,
    CourseStatus,
    InfusionVisit,
    Reaction,
    TreatmentCourse,
    VisitStatus,
    WeightMeasurement,
)
from clinic_app.storage.unit_of_work import UnitOfWork

RECIPIENT_MAX_LENGTH = 200


def paper_size(ctx: ServiceContext, paper: str | None) -> pdf.PaperSize:
    """The paper asked for, or the clinic's; :class:`InvalidInput` on ``paper`` if unknown."""
    name = (paper or ctx.settings.clinic.paper or "a4").strip().lower()
    try:
        return pdf.PaperSize(name)
    except ValueError:
        raise InvalidInput("paper", f"Paper {paper!r} is not known: use a4 or letter.") from None


def _weighed_at(uow: UnitOfWork, weight_id: int | None) -> datetime | None:
    row = None if weight_id is None else uow.session.get(WeightMeasurement, weight_id)
    return None if row is None else row.measured_at


def _visit_checklist(ctx: ServiceContext, uow: UnitOfWork, visit_id: int,
                     paper: pdf.PaperSize, reaction_card: bool) -> bytes:
    loaded = load_visit(ctx, uow, visit_id)
    if loaded.visit.status is VisitStatus.CANCELLED:
        raise ActionNotAllowed(
            f"This dose was not given today ({loaded.visit.not_given_reason or 'no reason on file'}"
            "): no monitoring checklist is printed for it. Print the infusion record instead.")
    booked = loaded.appointment.starts_at if loaded.appointment else None
    start = max(booked, ctx.now()) if booked else ctx.now()
    course = visit_course(loaded)
    return pdf.bedside_checklist_pdf(
        clinic=clinic_contact(ctx),
        patient=patient_header(patient_summary(loaded.patient),
                               allergy_texts(uow, loaded.patient.id, ctx.tz),
                               no_known_allergies=has_no_known_allergies(uow, loaded.patient.id),
                               weight_kg=loaded.visit.weight_kg_used,
                               weighed_at=_weighed_at(uow, loaded.visit.weight_id)),
        protocol=loaded.protocol, plan=loaded.snapshot.plan,
        checklist=checklist_of(loaded, start), tz=ctx.tz, printed_at=ctx.now(),
        order=order_info(course, loaded.course.start_date), paper=paper,
        reaction_card=reaction_card,
        double_checks=double_check_records(double_check_status(ctx, uow, loaded),
                                           counting_only=True),
        premedications=premedication_records(premedication_entries(uow, visit_id)))


def bedside_checklist(ctx: ServiceContext, *, visit_id: int | None = None,
                      appointment_id: int | None = None, weight: NumberInput | None = None,
                      unit: str = "kg", paper: str | None = None,
                      reaction_card: bool = False) -> bytes:
    """The bedside checklist of a visit, or of a booked appointment before the patient comes;
    ``reaction_card`` adds the reaction card (anaphylaxis first) on a page of its own.

    An open visit prints today's weight, taken when it was opened. An appointment without a
    visit has no weight for today: its dose is planned from ``weight`` (given when printing) or
    else the last weight on file, and the sheet leaves "Weight today" blank, names that earlier
    weight and marks a weight-based dose as provisional; the times come from the booked start.
    """
    size = paper_size(ctx, paper)
    if (visit_id is None) == (appointment_id is None):
        raise InvalidInput("visit_id", "Give either a visit or an appointment.")
    with ctx.read_only() as uow:
        if visit_id is None:
            assert appointment_id is not None
            visit = uow.visits.open_for_appointment(appointment_id)
            visit_id = None if visit is None else visit.id
        if visit_id is not None:
            data = _visit_checklist(ctx, uow, visit_id, size, reaction_card)
            patient_id = _visit_patient(uow, visit_id)
            sheet = f"bedside checklist, visit {visit_id}"
        else:
            assert appointment_id is not None
            data = _appointment_checklist(ctx, uow, appointment_id, weight, unit, size,
                                          reaction_card)
            patient_id = load_appointment(uow, appointment_id).patient.id
            sheet = f"bedside checklist, appointment {appointment_id}"
    log_sheet_printed(ctx, patient_id=patient_id, sheet=sheet)
    return data


def _visit_patient(uow: UnitOfWork, visit_id: int) -> int | None:
    visit = uow.session.get(InfusionVisit, visit_id)
    return None if visit is None else visit.patient_id


def _appointment_checklist(ctx: ServiceContext, uow: UnitOfWork, appointment_id: int,
                           weight: NumberInput | None, unit: str,
                           paper: pdf.PaperSize, reaction_card: bool) -> bytes:
    rows = load_appointment(uow, appointment_id)
    plan, planned_from = _appointment_plan(ctx, uow, rows, weight, unit)
    checklist = pdf.planned_checklist(
        rows.protocol, plan, dose_number=rows.appointment.dose_number,
        planned_start=rows.appointment.starts_at or ctx.now(),
        previous_reaction=consequences_for(ctx, uow, rows).premedication is not None)
    protocol = rows.protocol
    return pdf.bedside_checklist_pdf(
        clinic=clinic_contact(ctx),
        patient=patient_header(patient_summary(rows.patient),
                               allergy_texts(uow, rows.patient.id, ctx.tz),
                               no_known_allergies=has_no_known_allergies(uow, rows.patient.id)),
        protocol=protocol, plan=plan, checklist=checklist, tz=ctx.tz,
        printed_at=ctx.now(),
        order=OrderInfo(prescriber=rows.course.prescriber,
                        indication=indication_name(protocol, rows.course.indication_id),
                        ordered_on=rows.course.start_date),
        planned_from=planned_from, paper=paper, reaction_card=reaction_card)


def _appointment_plan(ctx: ServiceContext, uow: UnitOfWork, rows: AppointmentRows,
                      weight: NumberInput | None, unit: str) -> tuple[DosePlan, PlanningWeight]:
    """The dose of an appointment before its visit: from ``weight`` (given when printing) or
    the last weight on file; a fixed dose with no weight at all is planned without one
    (:func:`fixed_dose_without_weight`, issue 12); a weight-based dose then needs a weight."""
    weighed_at = None
    if weight is None:
        last = latest_weight(uow, rows.patient.id)
        if last is None:
            if rows.course.dosing_mode is not DosingMode.FIXED:
                raise InvalidInput("weight", "No weight on file for this patient: give today's "
                                             "weight.")
            graduated = consequences_for(ctx, uow, rows).graduated_titration
            return fixed_dose_without_weight(
                rows.protocol, fixed_mg=rows.course.fixed_dose_mg,
                indication=rows.course.indication_id, graduated=graduated,
                settings=ctx.settings), PlanningWeight(None)
        weight, unit, weighed_at = last.weight_kg, "kg", last.measured_at
    preview = preview_for(ctx, uow, rows, weight=weight, unit=unit, graduated=None,
                          override_reason=None, weighed_at=weighed_at)
    return preview.plan, PlanningWeight(round_kg_used(preview.plan.weight_kg), weighed_at)


def blank_checklist(ctx: ServiceContext, *, protocol_id: str, paper: str | None = None) -> bytes:
    """The blank bedside checklist of a protocol, for the downtime stock."""
    return pdf.blank_checklist_pdf(protocol=catalogue.protocol(protocol_id),
                                   clinic=clinic_contact(ctx), tz=ctx.tz, printed_at=ctx.now(),
                                   paper=paper_size(ctx, paper))


def _refuse_voided(what: str, row: InfusionVisit | Reaction) -> None:
    """A record voided (entered in error) is not printed as if it stood."""
    if row.is_voided:
        reason = row.void_reason or "no reason given"
        raise ActionNotAllowed(f"This {what} was voided ({reason}): a voided record is not "
                               "printed.")


def infusion_record(ctx: ServiceContext, *, visit_id: int, paper: str | None = None) -> bytes:
    """Everything recorded at one visit, with times, nurses, pauses, rate changes, reactions.

    A voided visit (e.g. replaced after a re-weighing) is refused: it is not the record.
    """
    size = paper_size(ctx, paper)
    with ctx.read_only() as uow:
        row = uow.session.get(InfusionVisit, visit_id)
        if row is not None:
            _refuse_voided("infusion visit", row)
        loaded = load_visit(ctx, uow, visit_id)
        detail = visit_detail(ctx, uow, loaded)
        rows = uow.reactions.list_by(visit_id=visit_id)
        reactions = tuple(reaction_detail(ctx, uow, r) for r in rows)
        record = visit_record(detail, reactions, _weighed_at(uow, loaded.visit.weight_id))
    data = pdf.infusion_record_pdf(record, clinic=clinic_contact(ctx), tz=ctx.tz,
                                   printed_at=ctx.now(), paper=size)
    log_sheet_printed(ctx, patient_id=loaded.visit.patient_id,
                      sheet=f"infusion record, visit {visit_id}")
    return data


def reaction_report(ctx: ServiceContext, *, reaction_id: int, paper: str | None = None,
                    recipient: str | None = None) -> bytes:
    """A reaction report for the prescriber or the pharmacovigilance contact.

    A voided reaction (entered in error) is refused: it is not reported. The dose given is the
    services' (:func:`~clinic_app.services.visits.dose_given`: the part infused when the
    infusion was stopped early); a delayed reaction carries no vitals of the infusion day.
    ``recipient`` is one line of at most :data:`RECIPIENT_MAX_LENGTH` characters
    (:func:`normalise_line`): a pasted page would not fit the sheet's address box.
    """
    size = paper_size(ctx, paper)
    to = normalise_line(recipient or "", field="recipient", label="Recipient",
                        max_length=RECIPIENT_MAX_LENGTH) or None
    with ctx.read_only() as uow:
        row = uow.session.get(Reaction, reaction_id)
        if row is None:
            raise NotFound(f"No reaction with id {reaction_id}.")
        _refuse_voided("reaction", row)
        detail = reaction_detail(ctx, uow, row)
        assert row.visit_id is not None  # every reaction is linked to its visit
        loaded = load_visit(ctx, uow, row.visit_id)
        visit = visit_detail(ctx, uow, loaded)
        started = visit.started_at or ctx.now()
        report = ReactionReport(
            patient=patient_header(visit.patient, visit.allergies,
                                   no_known_allergies=visit.no_known_allergies,
                                   weight_kg=visit.weight_kg_used,
                                   weighed_at=_weighed_at(uow, loaded.visit.weight_id)),
            drug=detail.drug, dose_number=detail.dose_number,
            infusion_on=started.astimezone(ctx.tz).date(),
            reaction=reaction_details(detail, visit.vitals,
                                      pump_action(detail, visit.events, ctx.tz)),
            reporter=Reporter(name=detail.summary.nurse, role="Infusion nurse",
                              phone=ctx.clinic_phone or None),
            reported_at=ctx.now(), infusion_started_at=visit.started_at,
            infusion_ended_at=visit.ended_at,
            dose=DoseSummary.from_plan(visit.dose_plan), given=dose_given(visit),
            lots=tuple(lot_record(lot) for lot in visit.lots if lot.voided is None),
            prescriber=visit.course.prescriber, recipient=to,
            events=event_records(visit.events), discharged_at=visit.discharged_at)
    data = pdf.reaction_report_pdf(report, clinic=clinic_contact(ctx), tz=ctx.tz,
                                   printed_at=ctx.now(), paper=size)
    log_sheet_printed(ctx, patient_id=row.patient_id, sheet=f"reaction report, reaction "
                                                           f"{reaction_id}")
    return data


def _course(uow: UnitOfWork, course_id: int) -> TreatmentCourse:
    course = uow.session.get(TreatmentCourse, course_id)
    if course is None or course.is_voided:
        raise NotFound(f"No treatment course with id {course_id}.")
    return course


def _review_record(state: ResponseReviewState | None) -> ReviewRecord | None:
    if state is None:
        return None
    d = state.decision
    return ReviewRecord(dose_number=state.dose_number, week=state.checkpoint_week,
                        decision=None if d is None else d.decision_text,
                        prescriber="" if d is None else d.prescriber,
                        decided_on=None if d is None else d.decided_on)


def schedule_handout(ctx: ServiceContext, *, course_id: int, paper: str | None = None) -> bytes:
    """The patient's next dates for a course, the course's drug levels and response review,
    what to watch for at home and whom to call."""
    size = paper_size(ctx, paper)
    today = ctx.local_now().date()
    with ctx.read_only() as uow:
        course = _course(uow, course_id)
        patient = load_patient(uow, course.patient_id)
        plan = compute_plan(ctx, uow, course, as_of=today).plan
        review = _review_record(review_state(uow, course, plan))
        tdm = tdm_view(ctx, uow, course)
        levels = CourseLevels(levels=tuple(e.level for e in tdm.entries if e.voided is None),
                              summary=tdm.summary)
        booked = tuple(BookedDose(a.dose_number, a.starts_at)
                       for a in course_appointments(uow, course.id)
                       if a.status is AppointmentStatus.BOOKED and a.starts_at is not None
                       and not a.is_voided)
        header = patient_header(patient_summary(patient), allergy_texts(uow, patient.id, ctx.tz),
                                no_known_allergies=has_no_known_allergies(uow, patient.id))
    data = pdf.schedule_handout_pdf(patient=header, protocol=catalogue.protocol(
        course.protocol_id), plan=plan, clinic=clinic_contact(ctx), tz=ctx.tz,
        printed_at=ctx.now(), booked=booked, levels=levels, review=review, paper=size)
    log_sheet_printed(ctx, patient_id=course.patient_id,
                      sheet=f"schedule handout, course {course_id}")
    return data


def active_courses(ctx: ServiceContext, *, mrn: str) -> tuple[int, ...]:
    """The ids of the active courses of the patient with this MRN (for the command line); an
    MRN no patient can have is refused (:func:`normalise_mrn`)."""
    mrn = normalise_mrn(mrn)
    with ctx.read_only() as uow:
        patient = uow.patients.get_by_mrn(mrn)
        if patient is None:
            raise NotFound(f"No patient with MRN {mrn}.")
        return tuple(c.id for c in uow.courses.list_by(patient_id=patient.id)
                     if c.status is CourseStatus.ACTIVE)


def day_list(ctx: ServiceContext, *, day: date | str, paper: str | None = None) -> bytes:
    """The day's appointments by time and chair, with drug, dose and alerts (those who did not
    attend listed and marked, as Today shows them), the chair timeline as Today draws it, and
    the audit chain's length and head as printed (an outside record of the chain:
    :mod:`clinic_app.storage.audit_check`)."""
    size = paper_size(ctx, paper)
    when = parse_day(day, field="day", label="Day")
    rows = clinic_day(ctx, day=when)
    entries = [day_list_entry(r) for r in rows]
    timeline = chair_timeline(ctx, rows=rows)
    with ctx.read_only() as uow:
        head = chain_head(uow.session)
    data = pdf.day_list_pdf(entries, day=when, clinic=clinic_contact(ctx), tz=ctx.tz,
                            printed_at=ctx.now(), paper=size,
                            audit_head=f"{head.last_id} entries, head {head.last_hash[:12]}",
                            timeline=timeline)
    log_sheet_printed(ctx, patient_id=None,
                      sheet=f"day list {date_text(when)}, {len(entries)} "
                            f"patient{'' if len(entries) == 1 else 's'}")
    return data
