"""Logging a reaction (acute or delayed) and reading it back for the report.

Rules (clinical reference, "Monitoring and reactions" and "CTCAE v5.0 grading"; seeds 000-002):

- every reaction is linked to the infusion visit it followed: the visit it happened at, or, for
  a delayed one logged later, the patient's last infusion started before the onset (seed 001:
  a rash weeks after the fourth infusion); the onset is placed against that visit's times
  (during the infusion, acute within the observation period, delayed after it);
- the nurse picks the CTCAE term and grade (the version is stored with it); an acute reaction
  must be graded, a delayed one may be left not graded and described in the notes
  (:func:`clinic_app.domain.reactions.check_grading`); the signs come from the catalogue;
  medications are recorded with dose, route and time;
- what the patient's reactions now change is decided by
  :func:`clinic_app.domain.reactions.plan_consequences`: a contraindication it activates (e.g.
  anaphylaxis to anifrolumab, seed 002) is put on file at once, so the course can no longer be
  planned or given;
- a reaction logged while its visit's pump runs says what was done with it (paused, stopped for
  good, not interrupted; a grade >= 3 or an anaphylaxis must pause or stop it, clinical
  reference "First response: stop the infusion", anifrolumab label 2.10); the pause or the end
  is recorded in the same transaction as the reaction
  (:mod:`clinic_app.services.visits`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from clinic_app.domain.ctcae import grade_definition, guidance_for
from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_validation import normalise_text
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.reactions import (
    NOT_GRADED_TEXT,
    ReactionRecord,
    check_grading,
    onset_at_minute_precision,
    plan_consequences,
)
from clinic_app.domain.units import parse_number
from clinic_app.services.chart import reaction_summary
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import halt_course
from clinic_app.services.errors import NotFound
from clinic_app.services.patients import (
    last_infusion_before,
    load_patient,
    nurse_names,
    onset_of,
    reaction_records,
    visit_dose_number,
    visit_protocol_id,
)
from clinic_app.services.reactions._marks import pump_marker
from clinic_app.services.typed_input import not_in_future, parse_moment
from clinic_app.services.visits import (
    NOT_INTERRUPTED,
    STOPPED,
    check_infusion_action,
    interrupt_for_reaction,
)
from clinic_app.services.visits.dto import MedicationEntry, MedicationForm, ReactionDetail
from clinic_app.storage.models import (
    ContraindicationFlag,
    CourseStatus,
    InfusionVisit,
    Reaction,
    ReactionMedication,
    VisitStatus,
)
from clinic_app.storage.unit_of_work import UnitOfWork


def _grade(value: int | str | None) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = "" if value is None else str(value).strip()
    if not text:
        return None
    if not text.isdecimal():
        raise InvalidInput("grade", f"The CTCAE grade is a whole number from 1 to 5, got "
                                    f"{value!r}.")
    return int(text)


def _term(value: str | None) -> str | None:
    text = "" if value is None else str(value).strip()
    return text or None


def _signs(signs: Sequence[str]) -> tuple[str, ...]:
    if isinstance(signs, str) or not all(isinstance(s, str) for s in signs):
        raise InvalidInput("signs", "The signs are a list of sign codes.")
    return tuple(dict.fromkeys(s.strip() for s in signs))


def _linked_visit(uow: UnitOfWork, patient_id: int, visit_id: int | None,
                  onset: datetime) -> InfusionVisit:
    if visit_id is not None:
        visit = uow.session.get(InfusionVisit, visit_id)
        if visit is None or visit.is_voided or visit.patient_id != patient_id:
            raise InvalidInput("visit_id", f"No infusion visit {visit_id} of this patient.")
        if visit.started_at is None:
            raise InvalidInput("visit_id", "This visit's infusion has not started: log the "
                                           "reaction once it has, or note it in the record.")
        return visit
    found = last_infusion_before(uow.session, patient_id, onset)
    if found is None:
        raise InvalidInput("onset", "No infusion of this patient started before this onset: a "
                                    "reaction is linked to the infusion it followed.")
    return found


def _onset_against(visit: InfusionVisit, onset: datetime) -> datetime:
    """The onset to record: one typed in the minute the infusion started is the start itself
    (:func:`clinic_app.domain.reactions.onset_at_minute_precision`, issue 12)."""
    if visit.started_at is None:
        return onset
    return onset_at_minute_precision(onset, infusion_start=visit.started_at)


def _medication(ctx: ServiceContext, form: MedicationForm, onset: datetime,
                number: int) -> ReactionMedication:
    field = "medications"
    drug = normalise_text(form.drug, field=field, label=f"Medication {number}", max_length=120,
                          required=True)
    dose = None
    if str(form.dose).strip():
        dose = parse_number(form.dose, field=field, label=f"Dose of {drug}")
        if dose <= 0:
            raise InvalidInput(field, f"The dose of {drug} must be more than 0.")
    now = ctx.now()
    given = not_in_future(parse_moment(form.given_at, now=now, tz=ctx.tz, field=field,
                                       label=f"Time {drug} was given"),
                          now=now, field=field, label=f"The time {drug} was given")
    if given < onset:
        raise InvalidInput(field, f"{drug} is timed before the onset of the reaction.")
    return ReactionMedication(
        drug=drug, dose=dose,
        dose_unit=normalise_text(form.dose_unit, field=field, label="Unit", max_length=20) or None,
        route=normalise_text(form.route, field=field, label="Route", max_length=30) or None,
        given_at=given, nurse_id=ctx.nurse_id)


def _flag_contraindications(ctx: ServiceContext, uow: UnitOfWork, reaction: Reaction,
                            drug: str) -> None:
    """Put on file the contraindication the patient's reactions now activate, and stop the
    drug's active courses: the drug is not given again (seed 000, seed 002, labels)."""
    protocol = load_protocol(visit_protocol_id(uow.session, _visit(uow, reaction)))
    records = reaction_records(uow.session, reaction.patient_id, before=ctx.now(), tz=ctx.tz)
    on_file = {f.code for f in uow.contraindications.list_by(patient_id=reaction.patient_id)}
    day = date_text(reaction.onset_at.astimezone(ctx.tz).date())
    codes = plan_consequences(protocol, records).contraindications
    for code in codes:
        if code not in on_file:
            uow.contraindications.add(ContraindicationFlag(
                patient_id=reaction.patient_id, code=code, source="reaction",
                reaction_id=reaction.id,
                note=f"Raised by the reaction to {drug} on {day} (reaction {reaction.id})."))
    if not codes:
        return
    texts = "; ".join(c.text for c in protocol.contraindications if c.code in codes)
    for course in uow.courses.list_by(patient_id=reaction.patient_id, protocol_id=protocol.id,
                                      status=CourseStatus.ACTIVE):
        halt_course(ctx, uow, course, f"{drug} contraindicated after the reaction on {day} "
                                      f"(reaction {reaction.id}): {texts}.")


def _visit(uow: UnitOfWork, reaction: Reaction) -> InfusionVisit:
    visit = None if reaction.visit_id is None else uow.session.get(InfusionVisit,
                                                                     reaction.visit_id)
    if visit is None:
        raise NotFound(f"Reaction {reaction.id} is not linked to an infusion visit.")
    return visit


def _texts(actions: str, outcome: str, notes: str) -> dict[str, str]:
    return {name: normalise_text(value, field=name, label=name.capitalize(), max_length=4000,
                                 multiline=True)
            for name, value in (("actions", actions), ("outcome", outcome), ("notes", notes))}


def _pump_note(reaction: Reaction, action: str) -> str:
    what = "Stopped for good" if action == STOPPED else "Paused"
    graded = ("" if reaction.ctcae_term is None
              else f": {reaction.ctcae_term.replace('_', ' ')} grade {reaction.grade}")
    return f"{what} for a reaction {pump_marker(reaction.id)}{graded})."


def log_reaction(
    ctx: ServiceContext, *, patient_id: int, visit_id: int | None = None,
    onset: datetime | str, signs: Sequence[str], term: str | None = None,
    grade: int | str | None = None, actions: str = "",
    medications: Sequence[MedicationForm] = (), outcome: str = "", notes: str = "",
    infusion_action: str | None = NOT_INTERRUPTED,
) -> ReactionDetail:
    """Log a reaction graded by the nurse; contraindications it activates go on file.

    ``onset`` is when it began (aware datetime, or local "YYYY-MM-DD HH:MM" / "HH:MM" today);
    ``visit_id`` None links it to the last infusion started before the onset; an onset typed in
    the minute the infusion started is recorded at the start (issue 12). ``signs`` are
    catalogue codes; ``term`` "infusion_related_reaction" or "anaphylaxis" with a ``grade`` the
    term defines (CTCAE v5.0). Both may be None (or "") for a delayed reaction only, which is
    then described in ``notes``; an acute one without them is refused on ``grade``. Bad input
    raises :class:`InvalidInput`; nothing is written.

    ``infusion_action`` ("none", "paused" or "stopped") says what was done with the pump when the
    visit is infusing (None: not answered, refused while infusing); "paused" pauses it now,
    "stopped" ends it now with the reaction as the reason. A grade >= 3 or an anaphylaxis with
    "none" is refused on ``infusion_action``; any other value than "none" is refused when the
    visit is not infusing.
    """
    now = ctx.now()
    moment = not_in_future(parse_moment(onset, now=now, tz=ctx.tz, field="onset",
                                        label="Onset"), now=now, field="onset",
                           label="The onset")
    chosen_term, chosen_grade = _term(term), _grade(grade)
    text = _texts(actions, outcome, notes)
    with ctx.unit_of_work() as uow:
        load_patient(uow, patient_id)
        visit = _linked_visit(uow, patient_id, visit_id, moment)
        typed, moment = moment, _onset_against(visit, moment)
        protocol_id = visit_protocol_id(uow.session, visit)
        chosen_signs = _signs(signs)
        onset_class = onset_of(uow.session, visit, moment, chosen_signs).onset_class
        definition = check_grading(onset_class, chosen_term, chosen_grade)
        record = ReactionRecord(protocol_id=protocol_id, onset_class=onset_class,
                                signs=chosen_signs,
                                occurred_on=moment.astimezone(ctx.tz).date(),
                                term=None if definition is None else definition.term,
                                grade=chosen_grade)
        meds = [_medication(ctx, form, typed, n) for n, form in enumerate(medications, 1)]
        action = check_infusion_action(infusion_action,
                                       infusing=visit.status == VisitStatus.INFUSING,
                                       term=chosen_term, grade=chosen_grade)
        reaction = uow.reactions.add(Reaction(
            patient_id=patient_id, visit_id=visit.id, onset_at=moment, signs=list(record.signs),
            ctcae_term=None if definition is None else definition.term.value,
            grade=None if definition is None else definition.grade,
            ctcae_version=None if definition is None else definition.version,
            actions=text["actions"] or None, outcome=text["outcome"] or None,
            notes=text["notes"] or None, nurse_id=ctx.nurse_id))
        uow.flush()
        for med in meds:
            med.reaction_id = reaction.id
            uow.reaction_medications.add(med)
        _flag_contraindications(ctx, uow, reaction, load_protocol(protocol_id).drug)
        if action != NOT_INTERRUPTED:
            uow.flush()
            interrupt_for_reaction(ctx, uow, visit.id, action, _pump_note(reaction, action))
        uow.commit()
        return reaction_detail(ctx, uow, reaction)


def get_reaction(ctx: ServiceContext, *, reaction_id: int) -> ReactionDetail:
    """A reaction with its medications, onset, grade text and what it changed."""
    with ctx.read_only() as uow:
        reaction = uow.session.get(Reaction, reaction_id)
        if reaction is None:
            raise NotFound(f"No reaction with id {reaction_id}.")
        return reaction_detail(ctx, uow, reaction)


def reaction_detail(ctx: ServiceContext, uow: UnitOfWork, reaction: Reaction) -> ReactionDetail:
    """The reaction DTO (inside a unit of work)."""
    visit = _visit(uow, reaction)
    protocol = load_protocol(visit_protocol_id(uow.session, visit))
    onset = onset_of(uow.session, visit, reaction.onset_at, reaction.signs)
    meds = uow.reaction_medications.list_by(reaction_id=reaction.id)
    names = nurse_names(uow.session, [reaction.nurse_id, reaction.voided_by_id,
                                      *(m.nurse_id for m in meds)])
    records = reaction_records(uow.session, reaction.patient_id, before=ctx.now(), tz=ctx.tz)
    consequences = plan_consequences(
        protocol, records, shortened_allowed=ctx.settings.dosing.allow_shortened_infusion)
    definition = (None if reaction.ctcae_term is None or reaction.grade is None
                  else grade_definition(reaction.ctcae_term, reaction.grade))
    return ReactionDetail(
        summary=reaction_summary(reaction, names), protocol_id=protocol.id, drug=protocol.drug,
        dose_number=visit_dose_number(uow.session, visit), visit_started_at=visit.started_at,
        visit_ended_at=visit.ended_at,
        observation_minutes=protocol.monitoring.observation_minutes(
            visit_dose_number(uow.session, visit)),
        onset_class=onset.onset_class.value, minutes_after_start=onset.minutes_after_start,
        hours_after_end=onset.hours_after_end, days_after_end=onset.days_after_end,
        grade_text=NOT_GRADED_TEXT if definition is None else definition.definition,
        medications=tuple(MedicationEntry(
            id=m.id, drug=m.drug, dose=m.dose, dose_unit=m.dose_unit or "",
            route=m.route or "", given_at=m.given_at, given_by=names.get(m.nurse_id, ""))
            for m in meds),
        consequences=consequences.warnings,
        contraindication_codes=consequences.contraindications,
        guidance=() if definition is None else tuple(
            guidance_for(protocol, definition.term, definition.grade)),
    )
