"""The labs at the pre-check and the start gate (issue 13, "Laboratory results and gates").

Before the start the visit shows the latest result of each test with its age, and, when the
protocol has lab rules (tocilizumab), what the label's table proposes with its reasons and the
flags (a result older than the protocol's interval, missing, or without the ULN the rule
needs): :func:`clinic_app.services.labs.lab_check`. The baseline bands apply before the first
dose of the course, the table at later doses.

When the proposal is to hold or stop, the infusion does not start until the prescriber's
decision is recorded: :class:`LabsDecisionRequired` (an :class:`OverrideRequired`) is raised,
nothing written, until the decision is given; it is then kept on the visit's record (a
checklist answer naming the proposal and its reasons, printed on the infusion record).
"""

from __future__ import annotations

from clinic_app.domain.patient_validation import normalise_line
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.labs import lab_check
from clinic_app.services.labs.dto import LabCheck
from clinic_app.services.visits._state import LoadedVisit
from clinic_app.storage.models import ChecklistEntry
from clinic_app.storage.unit_of_work import UnitOfWork

LABS_DECISION_KEY = "labs.prescriber_decision"
LABS_DECISION_TEXT = "Labs: the prescriber's decision to give the dose"
LABS_DECISION = "LABS_DECISION"


class LabsDecisionRequired(OverrideRequired):
    """The labs propose holding or stopping the drug and no prescriber's decision was given;
    ``check`` is what the labs show (the proposal, its reasons and flags)."""

    def __init__(self, message: str, check: LabCheck) -> None:
        self.check = check
        super().__init__(message, (LABS_DECISION,))


def labs_for(ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit) -> LabCheck:
    """The labs before this visit's dose, read on the day the infusion started (today before
    the start)."""
    started = loaded.visit.started_at
    day = (started.astimezone(ctx.tz) if started else ctx.local_now()).date()
    return lab_check(uow, patient_id=loaded.patient.id, protocol=loaded.protocol, today=day,
                     first_dose=loaded.dose_number == 1,
                     course_start=loaded.course.start_date)  # fmt: skip


def require_labs_decision(
    ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit, decision: str | None
) -> None:
    """The start gate: when the labs propose hold or stop, ``decision`` (the prescriber's) is
    required and kept on the record; :class:`LabsDecisionRequired` otherwise."""
    check = labs_for(ctx, uow, loaded)
    if not check.needs_decision:
        return
    text = normalise_line(decision or "", field="labs_decision",
                          label="The prescriber's decision", max_length=500)  # fmt: skip
    why = " ".join(check.reasons)
    if not text:
        raise LabsDecisionRequired(
            f"The labs propose: {check.action_text}. {why} Record the prescriber's decision "
            "to give this dose (e.g. Dr Lee: give 4 mg/kg today), or do not give it.",
            check,
        )
    uow.checklist.add(
        ChecklistEntry(
            visit_id=loaded.visit.id, item_key=LABS_DECISION_KEY,
            value=f"{text} (labs proposed: {check.action_text}. {why})",
            recorded_at=ctx.now(), nurse_id=ctx.nurse_id,
        )
    )  # fmt: skip
