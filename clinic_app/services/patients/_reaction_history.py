"""A patient's logged reactions as the clinical rules take them (inside a unit of work).

Each reaction is linked to the infusion visit it followed (acute ones to the visit they happened
at, delayed ones to the infusion before them, seed 001); the visit gives the drug and the times
the onset is placed against (:func:`clinic_app.domain.reactions.classify_onset`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from clinic_app.domain.ctcae import parse_term
from clinic_app.domain.observation import MedicationGiven, ReactionAtVisit
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.reactions import (
    Onset,
    OnsetClass,
    ReactionRecord,
    classify_onset,
    is_anaphylaxis,
    minute_of,
    onset_at_minute_precision,
)
from clinic_app.storage.models import (
    Appointment,
    InfusionVisit,
    Reaction,
    ReactionMedication,
    TreatmentCourse,
)


def last_infusion_before(session: Session, patient_id: int,
                         onset: datetime) -> InfusionVisit | None:
    """The patient's last infusion (not voided) started at or before ``onset``, at the minute
    precision onsets are typed with: the visit a delayed reaction logged later is linked to
    (seed 001: a rash weeks after the fourth infusion belongs to the fourth); an infusion
    started at 10:02:35 is before an onset typed 10:02 (issue 12)."""
    next_minute = minute_of(onset) + timedelta(minutes=1)
    return session.scalars(
        select(InfusionVisit)
        .where(InfusionVisit.patient_id == patient_id, InfusionVisit.voided_at.is_(None),
               InfusionVisit.started_at.is_not(None), InfusionVisit.started_at < next_minute)
        .order_by(InfusionVisit.started_at.desc(), InfusionVisit.id.desc()).limit(1)
    ).first()


def visit_dose_number(session: Session, visit: InfusionVisit) -> int:
    """The dose number of the visit's appointment (1 without one)."""
    if visit.appointment_id is None:
        return 1
    appointment = session.get(Appointment, visit.appointment_id)
    return 1 if appointment is None else appointment.dose_number


def visit_protocol_id(session: Session, visit: InfusionVisit) -> str:
    """The protocol of the visit's course."""
    course = session.get(TreatmentCourse, visit.course_id)
    assert course is not None  # foreign key
    return course.protocol_id


def onset_of(session: Session, visit: InfusionVisit, onset_at: datetime,
             signs: Sequence[str] = ()) -> Onset:
    """When the reaction began relative to the visit's infusion (during, acute after, delayed),
    against the drug's own acute-reaction window; ``signs`` of an immediate reaction make it
    acute whatever the timing (:func:`clinic_app.domain.reactions.classify_onset`). An onset
    typed in the start's own minute counts as the start
    (:func:`clinic_app.domain.reactions.onset_at_minute_precision`)."""
    if visit.started_at is None:
        return Onset(OnsetClass.DURING_INFUSION, None, None, None)
    protocol = load_protocol(visit_protocol_id(session, visit))
    onset_at = onset_at_minute_precision(onset_at, infusion_start=visit.started_at)
    return classify_onset(onset_at, infusion_start=visit.started_at,
                          infusion_end=visit.ended_at,
                          acute_window_minutes=protocol.reactions.acute_window_minutes,
                          signs=signs)


def reaction_records(session: Session, patient_id: int, *, before: datetime,
                     exclude_visit: int | None = None,
                     tz: tzinfo | None = None) -> list[ReactionRecord]:
    """The patient's reactions (not voided) linked to visits that started before ``before``.

    Reactions linked to ``exclude_visit`` (the visit being looked at) are left out: they do not
    change that visit's own plan. ``occurred_on`` is the onset's day in ``tz`` (UTC if None).
    """
    rows = session.execute(
        select(Reaction, InfusionVisit)
        .join(InfusionVisit, InfusionVisit.id == Reaction.visit_id)
        .where(Reaction.patient_id == patient_id, Reaction.voided_at.is_(None),
               InfusionVisit.started_at < before)
        .order_by(Reaction.onset_at, Reaction.id)
    ).all()
    records = []
    for reaction, visit in rows:
        if visit.id == exclude_visit:
            continue
        onset = onset_of(session, visit, reaction.onset_at, reaction.signs)
        moment = reaction.onset_at if tz is None else reaction.onset_at.astimezone(tz)
        records.append(ReactionRecord(
            protocol_id=visit_protocol_id(session, visit), onset_class=onset.onset_class,
            signs=tuple(reaction.signs), occurred_on=moment.date(),
            term=None if reaction.ctcae_term is None else parse_term(reaction.ctcae_term),
            grade=reaction.grade,
        ))
    return records


def anaphylaxes(session: Session, patient_id: int,
                tz: tzinfo | None = None) -> list[tuple[str, date]]:
    """(drug, local day of onset) of the patient's reactions (not voided) classified as
    anaphylaxis (graded so, or the sign ticked): what
    :func:`clinic_app.domain.allergy_status.anaphylaxis_allergies` derives drug allergies from."""
    rows = session.execute(
        select(Reaction, TreatmentCourse.protocol_id)
        .join(InfusionVisit, InfusionVisit.id == Reaction.visit_id)
        .join(TreatmentCourse, TreatmentCourse.id == InfusionVisit.course_id)
        .where(Reaction.patient_id == patient_id, Reaction.voided_at.is_(None))
        .order_by(Reaction.onset_at, Reaction.id)
    ).all()
    found = []
    for reaction, protocol_id in rows:
        term = None if reaction.ctcae_term is None else parse_term(reaction.ctcae_term)
        if is_anaphylaxis(term, reaction.signs):
            moment = reaction.onset_at if tz is None else reaction.onset_at.astimezone(tz)
            found.append((load_protocol(protocol_id).drug, moment.date()))
    return found


def reactions_at_visit(session: Session, visit: InfusionVisit) -> list[ReactionAtVisit]:
    """The reactions logged at ``visit`` (not voided), with what was given for each: what the
    visit's own observation depends on (:mod:`clinic_app.domain.observation`)."""
    reactions = session.scalars(
        select(Reaction).where(Reaction.visit_id == visit.id, Reaction.voided_at.is_(None))
        .order_by(Reaction.onset_at, Reaction.id)).all()
    if not reactions:
        return []
    medications = session.scalars(
        select(ReactionMedication).where(
            ReactionMedication.reaction_id.in_([r.id for r in reactions]),
            ReactionMedication.voided_at.is_(None))).all()
    protocol_id = visit_protocol_id(session, visit)
    found = []
    for reaction in reactions:
        onset = onset_of(session, visit, reaction.onset_at, reaction.signs)
        record = ReactionRecord(
            protocol_id=protocol_id, onset_class=onset.onset_class,
            signs=tuple(reaction.signs), occurred_on=reaction.onset_at.date(),
            term=None if reaction.ctcae_term is None else parse_term(reaction.ctcae_term),
            grade=reaction.grade)
        given = tuple(MedicationGiven(m.drug, m.given_at) for m in medications
                      if m.reaction_id == reaction.id)
        found.append(ReactionAtVisit(record, reaction.onset_at, given))
    return found
