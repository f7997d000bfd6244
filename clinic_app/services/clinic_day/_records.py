"""The rows behind one clinic day, read in a few queries rather than several per appointment.

Read inside the clinic day's unit of work: the courses, patients, open visits, allergies, nurse
names and the reasons for doses not given, for every appointment of the day at once (one IN
query each). Courses, patients and visits stay in the session's identity map, so the per-visit
loader (:func:`clinic_app.services.visits.load_visit`) finds them without a query.
Patients without any reaction on file skip the reaction-history query altogether; the
reactions logged at the day's open visits are read in one more query.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from clinic_app.services.patients import nurse_names, patients_with_no_known_allergies
from clinic_app.storage.models import (
    Allergy,
    Appointment,
    AppointmentStatus,
    InfusionVisit,
    Patient,
    Reaction,
    TreatmentCourse,
    VisitStatus,
)
from clinic_app.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class DayRecords:
    """What the day's rows hang on, keyed by id (visits and reasons by appointment id)."""

    courses: dict[int, TreatmentCourse]
    patients: dict[int, Patient]
    open_visits: dict[int, InfusionVisit]
    not_given_reasons: dict[int, str]
    allergies: dict[int, tuple[str, ...]]
    nurses: dict[int, str]
    visit_reactions: dict[int, tuple[Reaction, ...]]
    #: The patients whose "No known allergies" statement stands.
    no_known_allergies: frozenset[int] = frozenset()
    #: The patients with a reaction on file (not voided): the others' chair time needs no
    #: reaction history.
    with_reactions: frozenset[int] = frozenset()


def allergy_text(allergy: Allergy) -> str:
    """An allergy as shown beside the patient, e.g. "Penicillin (rash)" (as
    :func:`clinic_app.services.visits.allergy_texts`)."""
    return f"{allergy.substance} ({allergy.reaction})" if allergy.reaction else allergy.substance


def _visits(uow: UnitOfWork, appointment_ids: list[int]) -> list[InfusionVisit]:
    """The visits of these appointments (not voided), newest first."""
    return list(uow.session.scalars(
        select(InfusionVisit)
        .where(InfusionVisit.appointment_id.in_(appointment_ids),
               InfusionVisit.voided_at.is_(None))
        .order_by(InfusionVisit.id.desc())
    ))


def _open_visits(visits: list[InfusionVisit]) -> dict[int, InfusionVisit]:
    """The newest visit of each appointment that is not cancelled (as
    :meth:`~clinic_app.storage.repositories.VisitRepository.open_for_appointment`)."""
    found: dict[int, InfusionVisit] = {}
    for visit in visits:
        if visit.status is not VisitStatus.CANCELLED and visit.appointment_id is not None:
            found.setdefault(visit.appointment_id, visit)
    return found


def _not_given_reasons(visits: list[InfusionVisit],
                       appointments: Sequence[Appointment]) -> dict[int, str]:
    """Why each dose not given was held: the reason on its newest cancelled visit, when one is
    on file."""
    held = {a.id for a in appointments if a.status is AppointmentStatus.NOT_GIVEN}
    latest: dict[int, InfusionVisit] = {}
    for visit in visits:
        if visit.appointment_id in held and visit.status is VisitStatus.CANCELLED:
            latest.setdefault(visit.appointment_id, visit)
    return {appointment_id: visit.not_given_reason
            for appointment_id, visit in latest.items() if visit.not_given_reason}


def _allergies(uow: UnitOfWork, patient_ids: set[int]) -> dict[int, tuple[str, ...]]:
    rows = uow.session.scalars(
        select(Allergy)
        .where(Allergy.patient_id.in_(patient_ids), Allergy.voided_at.is_(None))
        .order_by(Allergy.id)
    )
    found: dict[int, list[str]] = {}
    for allergy in rows:
        found.setdefault(allergy.patient_id, []).append(allergy_text(allergy))
    return {patient_id: tuple(texts) for patient_id, texts in found.items()}


def _visit_reactions(uow: UnitOfWork,
                     visit_ids: list[int]) -> dict[int, tuple[Reaction, ...]]:
    """The reactions logged at each open visit (not voided), by onset."""
    found: dict[int, list[Reaction]] = {}
    for reaction in uow.session.scalars(
            select(Reaction)
            .where(Reaction.visit_id.in_(visit_ids), Reaction.voided_at.is_(None))
            .order_by(Reaction.onset_at, Reaction.id)):
        assert reaction.visit_id is not None  # selected by visit id
        found.setdefault(reaction.visit_id, []).append(reaction)
    return {visit_id: tuple(rows) for visit_id, rows in found.items()}


def _with_reactions(uow: UnitOfWork, patient_ids: set[int]) -> frozenset[int]:
    return frozenset(uow.session.scalars(
        select(Reaction.patient_id).distinct()
        .where(Reaction.patient_id.in_(patient_ids), Reaction.voided_at.is_(None))))


def load_day_records(uow: UnitOfWork, appointments: Sequence[Appointment]) -> DayRecords:
    """Everything the day's rows need besides each visit's own records."""
    if not appointments:
        return DayRecords({}, {}, {}, {}, {}, {}, {})
    course_ids = {a.course_id for a in appointments}
    courses = {c.id: c for c in uow.session.scalars(
        select(TreatmentCourse).where(TreatmentCourse.id.in_(course_ids)))}
    patient_ids = {c.patient_id for c in courses.values()}
    patients = {p.id: p for p in uow.session.scalars(
        select(Patient).where(Patient.id.in_(patient_ids)))}
    visits = _visits(uow, [a.id for a in appointments])
    open_visits = _open_visits(visits)
    return DayRecords(
        courses=courses, patients=patients, open_visits=open_visits,
        not_given_reasons=_not_given_reasons(visits, appointments),
        allergies=_allergies(uow, patient_ids),
        nurses=nurse_names(uow.session, [v.nurse_id for v in open_visits.values()]),
        visit_reactions=_visit_reactions(uow, [v.id for v in open_visits.values()]),
        no_known_allergies=frozenset(patients_with_no_known_allergies(uow.session,
                                                                      patient_ids)),
        with_reactions=_with_reactions(uow, patient_ids),
    )
