"""Dose days and dose plans for the demo database, computed once per kind and reused.

Demo courses follow their plan exactly: each dose is given on the day the plan suggests, so one
:func:`~clinic_app.domain.scheduling.plan_schedule` call gives a course's whole history (the
plan chains each dose from the day the one before was planned). Plans and dose plans depend only
on the protocol, the interval, the first day and the weight, so they are cached.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.dosing import calculate_dose
from clinic_app.domain.protocols import load_protocol
from clinic_app.domain.scheduling import plan_schedule
from clinic_app.domain.settings import ClinicSettings, ClosedDays
from clinic_app.services.visits import snapshot_json


@dataclass(frozen=True)
class DemoOrder:
    """A course as the demo prescribes it."""

    protocol_id: str
    indication_id: str
    mg_per_kg: Decimal | None

    @property
    def fixed_mg(self) -> Decimal | None:
        """The fixed dose of a fixed-dose protocol (its indication's or the label's)."""
        protocol = load_protocol(self.protocol_id)
        if protocol.is_weight_based:
            return None
        indication = protocol.dosing.indication(self.indication_id)
        return indication.fixed_mg or protocol.dosing.fixed_mg


def _interval_twin(protocol_id: str, indication_id: str) -> str:
    """The first indication of the protocol with the same maintenance interval (same plan)."""
    protocol = load_protocol(protocol_id)
    weeks = protocol.dosing.indication(indication_id).maintenance_interval_weeks
    return next(i.id for i in protocol.dosing.indications
                if i.maintenance_interval_weeks == weeks)


@cache
def _dose_days(protocol_id: str, indication_id: str, first_dose: date, count: int,
               closed: ClosedDays) -> tuple[tuple[date, date], ...]:
    plan = plan_schedule(load_protocol(protocol_id), first_dose, count=count, closed=closed,
                         indication=indication_id)
    return tuple((d.due, d.suggested or d.due) for d in plan.doses)


def dose_days(order: DemoOrder, first_dose: date, count: int,
              closed: ClosedDays) -> tuple[tuple[date, date], ...]:
    """(due, day given) of the first ``count`` doses, each given on its suggested day."""
    return _dose_days(order.protocol_id, _interval_twin(order.protocol_id, order.indication_id),
                      first_dose, count, closed)


@cache
def _open_doses(protocol_id: str, indication_id: str, first_dose: date,
                given: tuple[date, ...], today: date,
                closed: ClosedDays) -> tuple[tuple[int, date, date | None], ...]:
    plan = plan_schedule(load_protocol(protocol_id), first_dose, given=given, as_of=today,
                         closed=closed, indication=indication_id)
    return tuple((d.number, d.due, d.suggested) for d in plan.doses if d.given is None)


def open_doses(order: DemoOrder, first_dose: date, given: tuple[date, ...], today: date,
               closed: ClosedDays) -> tuple[tuple[int, date, date | None], ...]:
    """(number, due, suggested day) of the doses still to give within the plan's horizon."""
    return _open_doses(order.protocol_id, _interval_twin(order.protocol_id, order.indication_id),
                       first_dose, given, today, closed)


@cache
def dose_plan(order: DemoOrder, weight_kg: Decimal, graduated: bool,
              settings: ClinicSettings) -> DosePlan:
    """The dose of ``order`` at this weight (cached: demo weights come in 0.5 kg steps)."""
    return calculate_dose(load_protocol(order.protocol_id), weight_kg,
                          indication=order.indication_id, mg_per_kg=order.mg_per_kg,
                          fixed_mg=order.fixed_mg, graduated=graduated, settings=settings)


@cache
def dose_snapshot(order: DemoOrder, weight_kg: Decimal, graduated: bool,
                  settings: ClinicSettings) -> dict[str, Any]:
    """The stored snapshot of :func:`dose_plan`, with the warnings a nurse acknowledges when
    opening the visit acknowledged (e.g. a tocilizumab dose capped at 800 mg for a patient over
    100 kg), as the visit would have recorded them. The demo orders are within the label, so
    no warning needs an override reason."""
    plan = dose_plan(order, weight_kg, graduated, settings)
    assert not plan.needs_override, plan.warning_codes
    return snapshot_json(plan, tuple(w.code for w in plan.warnings if w.requires_ack))
