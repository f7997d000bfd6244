"""What a reaction does to the running infusion, and when the pump may not run again.

Rules (clinical reference, "Monitoring and reactions": "First response: stop the infusion";
anifrolumab label 2.10; infliximab label 5.2):

- a reaction logged while the infusion runs says what was done with the pump
  (:data:`INFUSION_ACTIONS`): paused (may restart at a lower rate once resolved), stopped for
  good, or not interrupted. A severe reaction (:func:`is_severe`: CTCAE grade 3 or higher, or
  any anaphylaxis) stops the infusion and it is not restarted today (CTCAE guidance "Stop the
  infusion and do not restart it today"): only "stopped" is accepted
  (:func:`allowed_infusion_actions`, which the form reads);
- once the patient has an active absolute contraindication to this visit's drug (e.g.
  anaphylaxis to anifrolumab, put on file by the reaction), or a severe reaction was logged at
  this visit, the infusion may not be resumed nor its rate changed: it can only be ended.
"""

from __future__ import annotations

from clinic_app.domain.ctcae import CtcaeTerm
from clinic_app.domain.errors import InvalidInput
from clinic_app.services.errors import ActionNotAllowed
from clinic_app.services.visits._state import LoadedVisit
from clinic_app.storage.models import VisitStatus
from clinic_app.storage.unit_of_work import UnitOfWork

NOT_INTERRUPTED = "none"
PAUSED = "paused"
STOPPED = "stopped"
INFUSION_ACTIONS = (NOT_INTERRUPTED, PAUSED, STOPPED)
SEVERE_GRADE = 3


def is_severe(term: str | None, grade: int | None) -> bool:
    """Grade 3 or higher, or anaphylaxis of any grade: the infusion must be interrupted."""
    return term == CtcaeTerm.ANAPHYLAXIS.value or (grade is not None and grade >= SEVERE_GRADE)


def allowed_infusion_actions(*, infusing: bool, term: str | None,
                             grade: int | None) -> tuple[str, ...]:
    """The pump actions a reaction may record: none when the pump is off, only "stopped" for a
    severe reaction, else any of :data:`INFUSION_ACTIONS`."""
    if not infusing:
        return (NOT_INTERRUPTED,)
    if is_severe(term, grade):
        return (STOPPED,)
    return INFUSION_ACTIONS


def check_infusion_action(action: str | None, *, infusing: bool, term: str | None,
                          grade: int | None) -> str:
    """The pump action of a reaction, checked; raises :class:`InvalidInput` on
    ``infusion_action``.

    Only a reaction logged while its visit is infusing may pause or stop the pump; a severe one
    (:func:`is_severe`) must stop it for good. None means "not answered": refused while the
    visit is infusing.
    """
    if action is None:
        if infusing:
            raise InvalidInput("infusion_action", "Say what was done with the running infusion: "
                                                  "paused, stopped for good, or not "
                                                  "interrupted.")
        return NOT_INTERRUPTED
    chosen = action.strip().lower()
    if chosen not in INFUSION_ACTIONS:
        raise InvalidInput("infusion_action", f"The infusion action is one of "
                                              f"{', '.join(INFUSION_ACTIONS)}, got {action!r}.")
    if not infusing:
        if chosen != NOT_INTERRUPTED:
            raise InvalidInput("infusion_action", "This visit's infusion is not running: "
                                                  "there is no pump to pause or stop.")
        return chosen
    if chosen != STOPPED and is_severe(term, grade):
        raise InvalidInput("infusion_action", "A grade 3 or higher reaction or an anaphylaxis "
                                              "stops the infusion and it is not restarted "
                                              "today: choose \"Infusion stopped\".")
    return chosen


def is_infusing(loaded: LoadedVisit) -> bool:
    """True while the visit's pump is on (running or paused)."""
    return loaded.visit.status == VisitStatus.INFUSING


def continuing_refusal(uow: UnitOfWork, loaded: LoadedVisit) -> str | None:
    """Why the pump may not run again at this visit (resume, rate change), or None if it may."""
    absolute = {c.code: c.text for c in loaded.protocol.contraindications
                if c.severity == "absolute"}
    flags = uow.contraindications.list_by(patient_id=loaded.patient.id)
    active = [absolute[f.code] for f in flags if f.code in absolute]
    if active:
        return (f"{loaded.protocol.drug} is contraindicated for this patient "
                f"({'; '.join(active)}). End the infusion.")
    reactions = [r for r in uow.reactions.list_by(visit_id=loaded.visit.id) if not r.is_voided]
    if any(r.ctcae_term == CtcaeTerm.ANAPHYLAXIS.value for r in reactions):
        return "An anaphylaxis was logged at this visit. End the infusion."
    if any(is_severe(r.ctcae_term, r.grade) for r in reactions):
        return ("A grade 3 or higher reaction was logged at this visit: the infusion is not "
                "restarted today. End the infusion.")
    return None


def refuse_continuing(uow: UnitOfWork, loaded: LoadedVisit, action: str) -> None:
    """Raise :class:`ActionNotAllowed` if the pump may not run again for ``action``."""
    refusal = continuing_refusal(uow, loaded)
    if refusal is not None:
        raise ActionNotAllowed(f"Cannot {action}: {refusal}")
