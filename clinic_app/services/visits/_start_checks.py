"""The baseline vitals at the start: a flagged reading needs the nurse's acknowledgement.

A fever question answered "No" against a measured fever is flagged the same way
(:mod:`clinic_app.domain.answer_checks`).

Clinical reference, "Monitoring and reactions": baseline vitals are taken before starting, and
the biologics are withheld during an infection (fever). A baseline outside the clinic's limits
(``settings.vitals_flags``: e.g. BP 85/50, HR 125, 38.6 C, SpO2 91) does not silently pass: the
start is refused with :class:`BaselineFlagged` listing the flags until the nurse acknowledges
every one of them with a reason (e.g. "prescriber informed, proceed"); the acknowledged codes
and the reason are chained to the visit's audit trail, and kept as an answer of the visit's
checklist (:data:`START_OVERRIDE_KEY`: "Started despite BP 182/104 …: reason"), so the visit
screen and the infusion record show it with the nurse and the time (issue 12).
"""

from __future__ import annotations

from collections.abc import Collection

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.answer_checks import FEVER_ITEM_KEY, fever_answer_disagreement
from clinic_app.domain.checklists import START_OVERRIDE_KEY
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.vitals import flags
from clinic_app.services.audit_notes import note_in_audit
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.visits._state import LoadedVisit
from clinic_app.services.visits._views import baseline_of
from clinic_app.storage.models import ChecklistEntry
from clinic_app.storage.unit_of_work import UnitOfWork

FLAGS_NOTE = "baseline_flags_acknowledged"
REASON_NOTE = "baseline_flags_reason"


class BaselineFlagged(OverrideRequired):
    """The baseline vitals carry flags not yet acknowledged with a reason.

    ``warnings`` are the flags (code and text) so the screen can list exactly them.
    """

    def __init__(self, message: str, warnings: tuple[ClinicalWarning, ...]) -> None:
        self.warnings = warnings
        super().__init__(message, tuple(w.code for w in warnings))


def baseline_flags(ctx: ServiceContext, loaded: LoadedVisit) -> tuple[ClinicalWarning, ...]:
    """The flags of the visit's latest baseline reading against the clinic limits."""
    baseline = baseline_of(list(loaded.vitals))
    if baseline is None:
        return ()
    limits = ctx.settings.vitals_flags
    answers = [e.value for e in loaded.entries
               if e.item_key == FEVER_ITEM_KEY and e.voided_at is None]
    disagreement = fever_answer_disagreement(answers[-1] if answers else None,
                                             baseline.temperature_c, limits)
    extra = () if disagreement is None else (disagreement,)
    return (*flags(baseline, None, limits), *extra)


def _codes(value: Collection[str]) -> frozenset[str]:
    if isinstance(value, str) or not all(isinstance(code, str) for code in value):
        raise InvalidInput("acknowledged_flags", "Acknowledged flags are a list of flag codes.")
    return frozenset(value)


def require_acknowledged_baseline(ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit,
                                  acknowledged: Collection[str], reason: str | None) -> None:
    """Refuse the start while a baseline flag is not acknowledged with a reason; else audit.

    Raises :class:`BaselineFlagged` (nothing written) naming each flag when a flag's code is
    not in ``acknowledged`` or ``reason`` is empty.
    """
    found = baseline_flags(ctx, loaded)
    if not found:
        return
    codes = _codes(acknowledged)
    text = " ".join((reason or "").split())
    if len(text) > 500:
        raise InvalidInput("flags_reason", "A reason holds up to 500 characters.")
    if any(w.code not in codes for w in found) or not text:
        raise BaselineFlagged(
            "The baseline vitals are flagged: " + " ".join(w.message for w in found)
            + " Acknowledge each flag and give a reason (e.g. prescriber informed, proceed) "
            "to start.", found)
    note_in_audit(uow, loaded.visit, {FLAGS_NOTE: ", ".join(w.code for w in found),
                                      REASON_NOTE: text})
    baseline = baseline_of(list(loaded.vitals))
    bp = ("" if baseline is None or baseline.systolic is None or baseline.diastolic is None
          else f"BP {baseline.systolic}/{baseline.diastolic}: ")
    despite = bp + " ".join(w.message for w in found)
    uow.checklist.add(ChecklistEntry(visit_id=loaded.visit.id, item_key=START_OVERRIDE_KEY,
                                     value=f"Started despite {despite} Reason: {text}",
                                     recorded_at=ctx.now(), nurse_id=ctx.nurse_id))
