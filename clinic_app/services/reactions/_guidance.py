"""What the nurse reads beside the reaction form: the signs, the CTCAE scale, and what to do for
each grade of a reaction to the drug the reaction will be linked to.

Rules (clinical reference, "Monitoring and reactions" and "CTCAE v5.0 grading"; seeds 000-002):

- the signs and the CTCAE definitions are the shipped catalogues (``resources/reactions``), shown
  as they are: the nurse grades, the program does not;
- the guidance for a grade is :func:`clinic_app.domain.ctcae.guidance_for` for the drug of the
  linked infusion: the visit the reaction is logged from, or, for a delayed reaction logged from
  the chart, the patient's last infusion started at or before the onset (the same link
  :func:`._logging.log_reaction` makes when it saves);
- the onset is placed against that infusion's times as the service will place it (during the
  infusion, within the drug's acute-reaction window, or delayed after it; signs of an immediate
  reaction make it acute whatever the timing): only a delayed reaction may be left not graded
  (:func:`clinic_app.domain.reactions.check_grading`), described in the notes and told to the
  prescriber before the next dose (seed 001);
- the epinephrine dose in the guidance is computed from the linked visit's weight (0.01 mg/kg,
  at most 0.5 mg).

Nothing here writes; the form reads these instead of the protocols.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from clinic_app.domain import ctcae
from clinic_app.domain.dates import date_text
from clinic_app.domain.reactions import all_signs
from clinic_app.services import catalogue
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound
from clinic_app.services.patients import (
    display_name,
    last_infusion_before,
    load_patient,
    onset_of,
    require_nurse,
    visit_dose_number,
    visit_protocol_id,
)
from clinic_app.services.typed_input import parse_moment
from clinic_app.services.visits import allowed_infusion_actions
from clinic_app.storage.models import InfusionVisit, VisitStatus
from clinic_app.storage.unit_of_work import UnitOfWork

NOT_GRADED_LINES = ("Describe the reaction in the notes (what, where, since when).",
                    "Tell the prescriber before the next dose.")
_ACUTE = "acute_after"
_DELAYED = "delayed"


@dataclass(frozen=True)
class SignChoice:
    """A sign the nurse can tick; ``kind`` is "acute" or "delayed"; ``immediate`` marks a sign
    of an immediate reaction (the reaction is then acute whatever its timing)."""

    code: str
    label: str
    kind: str
    description: str
    immediate: bool = False


@dataclass(frozen=True)
class GradeChoice:
    """One grade a CTCAE term defines, with its definition."""

    grade: int
    definition: str


@dataclass(frozen=True)
class TermChoice:
    """A CTCAE term with the grades it defines; ``undefined_text`` is shown beside a grade it
    does not define (anaphylaxis 1 and 2 in v5.0)."""

    term: str
    name: str
    grades: tuple[GradeChoice, ...]
    undefined_text: str

    def definition(self, grade: int) -> str | None:
        """The definition of ``grade``, None when this term does not define it."""
        return next((g.definition for g in self.grades if g.grade == grade), None)


@dataclass(frozen=True)
class CtcaeScale:
    """The CTCAE version in use, its one-term-per-event note, and every term's grades."""

    version: str
    note: str
    terms: tuple[TermChoice, ...]


@dataclass(frozen=True)
class GradeGuidance:
    """What to do for a reaction of ``grade`` under ``term`` to the linked drug."""

    term: str
    grade: int
    lines: tuple[str, ...]


@dataclass(frozen=True)
class ReactionGuidance:
    """The guidance for the reaction being logged.

    ``visit_id`` is the infusion the reaction will be linked to (None: no infusion of this
    patient started before the onset, so there is no drug to guide for); ``infusing`` is True
    when that visit's pump runs now, whether the form was opened from the visit or from the
    chart (the form then asks what was done with it, as the service requires);
    :meth:`infusion_actions` gives the pump answers the service accepts for a grade. ``onset_class``
    ("during_infusion", "acute_after", "delayed") places the onset against that infusion and
    ``link_text`` says so in words; ``not_graded`` is what to do with a delayed reaction left
    not graded.
    """

    patient_id: int
    patient_name: str
    visit_id: int | None
    protocol_id: str | None
    drug: str | None
    infusing: bool
    grades: tuple[GradeGuidance, ...]
    onset_class: str | None = None
    link_text: str = "No infusion of this patient started before this onset."
    not_graded: tuple[str, ...] = NOT_GRADED_LINES
    window_text: str = ""
    immediate_signs: frozenset[str] = frozenset()

    def onset_class_for(self, signs: Iterable[str]) -> str | None:
        """The onset class as the service will record it with these signs ticked: a sign of an
        immediate reaction makes a late onset acute."""
        if self.onset_class == _DELAYED and self.immediate_signs.intersection(signs):
            return _ACUTE
        return self.onset_class

    def link_text_for(self, signs: Iterable[str]) -> str:
        """:attr:`link_text` with the onset as these signs make it."""
        chosen = set(signs)
        if self.onset_class == _DELAYED and self.immediate_signs & chosen:
            return (f"{self.link_text.removesuffix('.')}, but the signs point to an immediate "
                    "reaction: handled as acute (grade it).")
        return self.link_text

    def lines_for(self, term: str, grade: int) -> tuple[str, ...]:
        """The guidance lines for ``term`` at ``grade`` (empty when there is none)."""
        return next((g.lines for g in self.grades if (g.term, g.grade) == (term, grade)), ())

    def infusion_actions(self, term: str | None, grade: int | None) -> tuple[str, ...]:
        """The pump answers :func:`._logging.log_reaction` accepts for
        ``term`` at ``grade`` (:func:`infusion_safety.allowed_infusion_actions`)."""
        return allowed_infusion_actions(infusing=self.infusing, term=term, grade=grade)


def reaction_signs() -> tuple[SignChoice, ...]:
    """Every sign of the catalogue, acute ones first, in file order."""
    return tuple(SignChoice(s.code, s.label, s.kind.value, s.description, s.immediate)
                 for s in all_signs())


def ctcae_scale() -> CtcaeScale:
    """The CTCAE terms and grades with their definitions, as the grade picker shows them."""
    version = ctcae.ctcae_version()
    terms = []
    for term in ctcae.CtcaeTerm:
        grades = ctcae.grades_for(term)
        name = grades[0].term_name
        terms.append(TermChoice(
            term=term.value, name=name,
            grades=tuple(GradeChoice(g.grade, g.definition) for g in grades),
            undefined_text=f"Not defined for {name.lower()} in {version}."))
    return CtcaeScale(version=version, note=ctcae.grading_note(), terms=tuple(terms))


def contraindication_texts(codes: Iterable[str]) -> tuple[str, ...]:
    """The protocols' text of each contraindication code (the code when it is not known)."""
    texts = catalogue.contraindication_codes()
    return tuple(texts.get(code, code) for code in codes)


def _grade_guidance(protocol_id: str, weight_kg: Decimal | None) -> tuple[GradeGuidance, ...]:
    protocol = catalogue.protocol(protocol_id)
    return tuple(GradeGuidance(term.value, item.grade,
                               tuple(ctcae.guidance_for(protocol, term, item.grade,
                                                        weight_kg=weight_kg)))
                 for term in ctcae.CtcaeTerm for item in ctcae.grades_for(term))


def _duration(minutes: int) -> str:
    """E.g. "2 hours", "24 hours", "45 min"."""
    return f"{minutes // 60} hours" if minutes % 60 == 0 and minutes >= 120 else f"{minutes} min"


def _onset_text(onset_class: str, drug: str, window: str) -> str:
    return {"during_infusion": "during the infusion",
            _ACUTE: f"within {drug}'s acute-reaction window ({window} after the end): acute",
            _DELAYED: f"after {drug}'s acute-reaction window ({window} after the end): "
                      "delayed"}[onset_class]


def _visit_of(uow: UnitOfWork, patient_id: int, visit_id: int) -> InfusionVisit:
    visit = uow.session.get(InfusionVisit, visit_id)
    if visit is None or visit.is_voided or visit.patient_id != patient_id:
        raise NotFound(f"No infusion visit {visit_id} of this patient (it may have been "
                       "voided).")
    return visit


def reaction_guidance(ctx: ServiceContext, *, patient_id: int, visit_id: int | None = None,
                      onset: datetime | str | None = None) -> ReactionGuidance:
    """The guidance for a reaction of ``patient_id`` logged from ``visit_id`` (acute), or, with
    no visit, for a delayed one beginning at ``onset`` (aware, or local "YYYY-MM-DD HH:MM";
    None: now), linked to the last infusion started at or before it.

    Bad input raises :class:`InvalidInput` on ``onset``; an unknown visit :class:`NotFound`.
    """
    require_nurse(ctx)
    moment = parse_moment(onset, now=ctx.now(), tz=ctx.tz, field="onset", label="Onset")
    with ctx.read_only() as uow:
        patient = load_patient(uow, patient_id)
        visit = (_visit_of(uow, patient_id, visit_id) if visit_id is not None
                 else last_infusion_before(uow.session, patient_id, moment))
        name = display_name(patient.family_name, patient.given_names)
        if visit is None:
            return ReactionGuidance(patient_id, name, None, None, None, False, ())
        linked, protocol_id = visit.id, visit_protocol_id(uow.session, visit)
        infusing = visit.status is VisitStatus.INFUSING
        onset_class = onset_of(uow.session, visit, moment).onset_class.value
        dose = visit_dose_number(uow.session, visit)
        started, weight = visit.started_at, visit.weight_kg_used
    protocol = catalogue.protocol(protocol_id)
    window = _duration(protocol.reactions.acute_window_minutes)
    when = "" if started is None else f" of {date_text(started.astimezone(ctx.tz).date())}"
    return ReactionGuidance(
        patient_id=patient_id, patient_name=name, visit_id=linked, protocol_id=protocol_id,
        drug=protocol.drug, infusing=infusing, grades=_grade_guidance(protocol_id, weight),
        onset_class=onset_class,
        link_text=f"Linked to the {protocol.drug} infusion{when} (dose {dose}); onset "
                  f"{_onset_text(onset_class, protocol.drug, window)}.",
        window_text=window,
        immediate_signs=frozenset(s.code for s in all_signs() if s.immediate))
