"""The recorded rows of a completed past visit, for the demo database.

A past visit is written as a nurse would have recorded it: every item of the visit's checklist
(built by the domain from the protocol, the templates and the infusion timeline) answered at its
time, a well patient's answers and normal vitals. The times are computed once per kind of visit
(:func:`visit_template`) and shifted to each visit's start, so thousands of visits cost little.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from clinic_app.domain.checklist_templates import ItemKind, load_checklist_templates
from clinic_app.domain.checklists import Phase, build_checklist
from clinic_app.domain.dose_plan import DosePlan
from clinic_app.domain.infusion_timeline import InfusionTimeline
from clinic_app.domain.protocols import load_protocol

_EPOCH = datetime(2000, 1, 3, 9, 0, tzinfo=UTC)
PRE_START = timedelta(minutes=-30)  # the pre-checks begin half an hour before the start
DISCHARGE_AFTER = timedelta(minutes=3)


@dataclass(frozen=True)
class VisitTemplate:
    """When each item of one kind of visit is recorded, relative to the infusion's start.

    ``checks``: (item key, answer, offset); the weight item's answer is None (filled with the
    visit's weight). ``vitals``: (item key, offset).
    """

    infusion: timedelta
    observation: timedelta
    checks: tuple[tuple[str, str | None, timedelta], ...]
    vitals: tuple[tuple[str, timedelta], ...]


def _answer(kind: ItemKind, blocking: str | None) -> str | None:
    if kind is ItemKind.VALUE:
        return None
    if kind is ItemKind.YES_NO:
        return "yes" if blocking == "no" else "no"
    return "done"


def observation_key(protocol_id: str, dose_number: int) -> int:
    """The smallest dose number with the same checklist as ``dose_number`` (for caching)."""
    rules = load_protocol(protocol_id).monitoring.observation
    return min(dose_number, max((r.from_dose for r in rules), default=1))


@cache
def visit_template(protocol_id: str, dose_key: int, volume_ml: Decimal,
                   steps: tuple[tuple[Decimal, int | None], ...],
                   previous_reaction: bool) -> VisitTemplate:
    """The item times of a visit of this kind (see :func:`observation_key` for ``dose_key``)."""
    timeline = InfusionTimeline(volume_ml=volume_ml, steps=list(steps), started_at=_EPOCH)
    checklist = build_checklist(protocol=load_protocol(protocol_id), dose_number=dose_key,
                                templates=load_checklist_templates(), timeline=timeline,
                                previous_reaction=previous_reaction)
    assert checklist.infusion_end is not None and checklist.observation_end is not None
    checks: list[tuple[str, str | None, timedelta]] = []
    vitals: list[tuple[str, timedelta]] = []
    pre = PRE_START
    for item in checklist.items:
        if item.phase is Phase.PRE:
            at, pre = pre, pre + timedelta(minutes=1)
        elif item.phase is Phase.DISCHARGE:
            at = checklist.observation_end - _EPOCH + DISCHARGE_AFTER
        else:
            assert item.due_at is not None
            at = item.due_at - _EPOCH
        if item.kind is ItemKind.VITALS:
            vitals.append((item.key, at))
        else:
            checks.append((item.key, _answer(item.kind, item.blocking_answer), at))
    return VisitTemplate(infusion=checklist.infusion_end - _EPOCH,
                         observation=checklist.observation_end - checklist.infusion_end,
                         checks=tuple(checks), vitals=tuple(vitals))


def template_for(plan: DosePlan, dose_number: int, previous_reaction: bool) -> VisitTemplate:
    """The template of a visit giving ``plan`` as dose ``dose_number``."""
    return visit_template(plan.protocol_id, observation_key(plan.protocol_id, dose_number),
                          plan.final_volume_ml, plan.pump_steps, previous_reaction)


def normal_vitals(rng: random.Random, systolic: int | None = None) -> dict[str, Any]:
    """A well adult's vitals (column values of ``vital_signs``), the systolic pressure within
    8 mmHg of ``systolic`` when given (so a visit's readings raise no flag)."""
    pressure = rng.randint(112, 138) if systolic is None else systolic + rng.randint(-8, 8)
    return {
        "systolic_mmhg": pressure, "diastolic_mmhg": pressure - rng.randint(40, 52),
        "heart_rate_bpm": rng.randint(60, 90),
        "temperature_c": Decimal(rng.randint(362, 372)) / 10,
        "respiratory_rate": rng.randint(12, 18), "spo2_percent": rng.randint(95, 99),
    }


def check_rows(template: VisitTemplate, start: datetime, weight: str,
               nurse_id: int) -> list[dict[str, Any]]:
    """The checklist entries (column values, without ``id`` and ``visit_id``)."""
    return [{"item_key": key, "value": weight if answer is None else answer,
             "recorded_at": start + offset, "nurse_id": nurse_id, "version": 1}
            for key, answer, offset in template.checks]


def vitals_rows(template: VisitTemplate, start: datetime, nurse_id: int,
                rng: random.Random) -> list[dict[str, Any]]:
    """The vitals (column values, without ``id`` and ``visit_id``), steady through the visit."""
    systolic = rng.randint(112, 138)
    return [{"phase": key, "measured_at": start + offset, "nurse_id": nurse_id, "version": 1,
             **normal_vitals(rng, systolic)}
            for key, offset in template.vitals]
