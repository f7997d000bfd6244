"""The labs before a dose: the latest value of each test with its age, and what the protocol's
lab rules propose (:func:`clinic_app.domain.lab_rules.assess_labs`).

Shown at the visit's pre-check; a hold or stop needs the prescriber's decision recorded before
the start (the start gate in ``services.visits``).
"""

from __future__ import annotations

from datetime import date

from clinic_app.domain.lab_rules import LabAction, action_text, assess_labs
from clinic_app.domain.labs import LAB_TESTS, lab_test, latest_values
from clinic_app.domain.protocol_model import Protocol
from clinic_app.services.labs.dto import LabCheck, LatestLabEntry
from clinic_app.storage.unit_of_work import UnitOfWork


def lab_check(
    uow: UnitOfWork,
    *,
    patient_id: int,
    protocol: Protocol,
    today: date,
    first_dose: bool,
    course_start: date | None,
) -> LabCheck:
    """The patient's labs before a dose of ``protocol`` given on ``today`` (inside the
    caller's unit of work). Without lab rules only the latest values are listed."""
    rows = uow.lab_results.list_by(patient_id=patient_id)
    latest = latest_values((r.to_domain() for r in rows), today)
    shown = tuple(
        LatestLabEntry(test_name=lab_test(code).name, text=held.value.text,
                       taken_on=held.value.taken_on, age_days=held.age_days)
        for code in sorted(latest, key=_order) for held in (latest[code],)
    )  # fmt: skip
    rules = protocol.lab_rules
    if rules is None:
        return LabCheck(
            latest=shown,
            has_rules=False,
            action=LabAction.CONTINUE.value,
            action_text="",
            reasons=(),
            flags=(),
            needs_decision=False,
        )
    found = assess_labs(
        rules, latest, today=today, first_dose=first_dose, course_start=course_start
    )
    return LabCheck(
        latest=shown,
        has_rules=True,
        action=found.action.value,
        action_text=action_text(found.action, rules),
        reasons=found.reasons,
        flags=found.flags,
        needs_decision=found.needs_decision,
    )


def _order(code: str) -> int:
    return list(LAB_TESTS).index(code)
