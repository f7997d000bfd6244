"""What the patient actually received at a visit: the whole prepared dose, part of it, or none.

Rules (clinical reference, "Monitoring and reactions"; review P1-1): the record states what was
given, never the prepared dose by default.

- a visit closed before the start (status "cancelled") gave nothing: "not given" with its
  reason;
- an infusion ended before the bag was empty (a STOP event: ended early, or stopped for a
  reaction) gave the part of the dose in the volume infused: the bag is mixed, so the dose
  infused is the prepared dose times the volume infused over the final volume;
- an infusion that ran until the bag was empty gave the whole prepared dose.

The volume infused is the timeline's (``VisitDetail.infusion``, pauses and rate changes
included). Pure: reads only the DTO it is given.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.units import round_ml
from clinic_app.reports.records import DoseDecision, DoseGiven
from clinic_app.services.visits._state import LoadedVisit, timeline_of
from clinic_app.services.visits.dto import VisitDetail

_WHOLE_MG_FROM = Decimal(10)


def infused_dose_mg(plan: DosePlan, infused_ml: Decimal) -> Decimal:
    """The mg in ``infused_ml`` of the prepared bag: whole mg from 10 mg up, else 0.1 mg."""
    exact = plan.dose_mg * infused_ml / plan.final_volume_ml
    step = Decimal(1) if exact >= _WHOLE_MG_FROM else Decimal("0.1")
    return exact.quantize(step, rounding=ROUND_HALF_UP)


def _stop_reason(visit: VisitDetail) -> str | None:
    stops = [e for e in visit.events if e.kind == "stop" and e.voided is None]
    return stops[-1].note or None if stops else None


def dose_given(visit: VisitDetail) -> DoseGiven:
    """What the visit gave at ``visit.as_of`` (see the module rules)."""
    plan = visit.dose_plan
    if visit.status == "cancelled":
        return DoseGiven(state="not_given", reason=visit.not_given_reason)
    progress = visit.infusion
    if visit.started_at is None or progress is None:
        return DoseGiven(state="not_started")
    infused = progress.volume_infused_ml
    mg = infused_dose_mg(plan, infused)
    if visit.ended_at is None:
        return DoseGiven(state="running", infused_ml=infused, given_mg=mg)
    if progress.remaining_ml <= 0:
        return DoseGiven(state="full", infused_ml=infused, given_mg=plan.dose_mg)
    return DoseGiven(state="partial", reason=_stop_reason(visit), infused_ml=infused,
                     given_mg=mg)


def ended_dose_mg(loaded: LoadedVisit) -> tuple[Decimal, bool] | None:
    """The mg an ended infusion gave and whether it stopped before the bag was empty (the
    module rules, read from the stored rows rather than a :class:`VisitDetail`); None for a
    visit whose infusion has not ended."""
    timeline = timeline_of(loaded)
    end = loaded.visit.ended_at
    if timeline is None or end is None:
        return None
    plan = loaded.snapshot.plan
    if round_ml(timeline.remaining_volume(end)) <= 0:
        return plan.dose_mg, False
    return infused_dose_mg(plan, round_ml(timeline.volume_infused(end))), True


def _code_text(code: str) -> str:
    return code.replace("_", " ").capitalize()


def dose_decisions(visit: VisitDetail) -> tuple[DoseDecision, ...]:
    """The warnings of the stored dose plan the nurse overrode (with the recorded reason) or
    acknowledged when the visit was opened (:mod:`._dose_snapshot`).

    A code acknowledged, or an override reason recorded, for a warning the snapshot does not
    keep (the patient's own warnings, e.g. a positive screening) is still printed, by its code.
    """
    plan, acknowledged = visit.dose_plan, set(visit.acknowledged)
    reason = plan.override_reason
    out: list[DoseDecision] = []
    for warning in plan.warnings:
        if warning.requires_override and reason:
            out.append(DoseDecision(warning.message, "overridden", reason))
        elif warning.code in acknowledged:
            out.append(DoseDecision(warning.message, "acknowledged"))
    kept = {w.code for w in plan.warnings}
    out += [DoseDecision(_code_text(code), "acknowledged")
            for code in visit.acknowledged if code not in kept]
    if reason and not any(d.decision == "overridden" for d in out):
        out.append(DoseDecision("A warning that needed a reason", "overridden", reason))
    return tuple(out)
