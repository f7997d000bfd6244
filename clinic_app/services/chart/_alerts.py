"""A patient's alert badges, the same wherever the patient's identity is shown.

One function builds them (:func:`build_alerts`) for the chart's header, the visit's header, the
"Open visit" step and the Today list (reviews of 2026-11-22 and issue 9: the screens showed
different badges): allergies, contraindications on file, reactions on file, positive screening
results, and screening missing, indeterminate or expired today for the drugs of the active
courses (:func:`clinic_app.domain.schedule_checks.screening_gaps`). Voided records are left
out. :func:`alerts_by_patient` reads the records of many patients in five queries, so a day
list costs the same few queries whatever its length.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, tzinfo
from typing import TypeVar

from sqlalchemy import select

from clinic_app.domain import ctcae
from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import ClinicalError
from clinic_app.domain.reactions import sign
from clinic_app.domain.records import ScreeningOutcome
from clinic_app.domain.schedule_checks import screening_gaps
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients.dto import AlertBadge
from clinic_app.storage.models import (
    Allergy,
    ContraindicationFlag,
    CourseStatus,
    Reaction,
    ScreeningRecord,
    TreatmentCourse,
)
from clinic_app.storage.unit_of_work import UnitOfWork


def _sign_labels(codes: Sequence[str]) -> str:
    labels = []
    for code in codes:
        try:
            labels.append(sign(code).label.lower())
        except ClinicalError:
            labels.append(code.replace("_", " "))
    return ", ".join(labels)


def reaction_text(reaction: Reaction, tz: tzinfo) -> str:
    """"Reaction: Infusion related reaction, grade 2 (day)", or for an ungraded delayed one
    "Reaction: delayed psoriasiform rash (not graded) (day)"; the day in the clinic's zone."""
    day = date_text(reaction.onset_at.astimezone(tz).date())
    if reaction.ctcae_term is None or reaction.grade is None:
        return f"Reaction: delayed {_sign_labels(reaction.signs)} (not graded) ({day})"
    try:
        term = ctcae.grade_definition(reaction.ctcae_term, reaction.grade).term_name
    except ClinicalError:
        term = reaction.ctcae_term.replace("_", " ")
    return f"Reaction: {term}, grade {reaction.grade} ({day})"


def build_alerts(*, allergies: Iterable[Allergy], flags: Iterable[ContraindicationFlag],
                 reactions: Iterable[Reaction], screenings: Sequence[ScreeningRecord],
                 active_protocols: Iterable[str], today: date,
                 tz: tzinfo) -> tuple[AlertBadge, ...]:
    """The badges from the patient's records (voided ones are skipped here)."""
    texts = catalogue.contraindication_codes()
    kinds = catalogue.screening_kinds()
    live = [s for s in screenings if not s.is_voided]
    badges = [AlertBadge("allergy", f"Allergy: {a.substance}")
              for a in allergies if not a.is_voided]
    badges += [AlertBadge("contraindication", f"Contraindication: {texts.get(f.code, f.code)}")
               for f in flags if not f.is_voided]
    badges += [AlertBadge("reaction", reaction_text(r, tz)) for r in reactions
               if not r.is_voided]
    badges += [AlertBadge("screening", f"{kinds.get(s.kind, s.kind)} positive "
                                       f"({date_text(s.taken_on)})")
               for s in live if s.outcome == ScreeningOutcome.POSITIVE]
    results = [s.to_domain() for s in live]
    gaps: dict[str, None] = {}
    for protocol_id in dict.fromkeys(active_protocols):
        for gap in screening_gaps(catalogue.protocol(protocol_id), results, on=today):
            gaps[gap.message] = None
    return (*badges, *(AlertBadge("screening", message) for message in gaps))


_PatientRecord = TypeVar("_PatientRecord", Allergy, ContraindicationFlag, Reaction,
                         ScreeningRecord, TreatmentCourse)


def _by_patient(uow: UnitOfWork, model: type[_PatientRecord],
                patient_ids: list[int]) -> dict[int, list[_PatientRecord]]:
    """The patients' records of one kind (not voided), in id order, by patient."""
    found: dict[int, list[_PatientRecord]] = {pid: [] for pid in patient_ids}
    for row in uow.session.scalars(select(model).where(
            model.patient_id.in_(patient_ids), model.voided_at.is_(None)).order_by(model.id)):
        found[row.patient_id].append(row)
    return found


def alerts_by_patient(ctx: ServiceContext, uow: UnitOfWork,
                      patient_ids: Sequence[int]) -> dict[int, tuple[AlertBadge, ...]]:
    """Each patient's alert badges at ``ctx.now()``, read in one query per kind of record."""
    ids = list(dict.fromkeys(patient_ids))
    if not ids:
        return {}
    allergies = _by_patient(uow, Allergy, ids)
    flags = _by_patient(uow, ContraindicationFlag, ids)
    reactions = _by_patient(uow, Reaction, ids)
    screenings = _by_patient(uow, ScreeningRecord, ids)
    courses = _by_patient(uow, TreatmentCourse, ids)
    today = ctx.local_now().date()
    return {pid: build_alerts(
        allergies=allergies[pid], flags=flags[pid],
        reactions=reactions[pid],
        screenings=screenings[pid],
        active_protocols=[c.protocol_id for c in courses[pid]
                          if c.status is CourseStatus.ACTIVE],
        today=today, tz=ctx.tz) for pid in ids}


def patient_alerts(ctx: ServiceContext, uow: UnitOfWork, patient_id: int) -> tuple[AlertBadge, ...]:
    """The patient's alert badges at ``ctx.now()`` (the chart's list, voided records left out)."""
    return alerts_by_patient(ctx, uow, [patient_id])[patient_id]
