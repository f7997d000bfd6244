"""Demo lab results: Olga Petrova (tocilizumab 8 mg/kg for rheumatoid arthritis, at her
pre-check today) had blood taken three days ago; her ALT is 2.2 x the upper limit of normal, so
the label's table proposes reducing to 4 mg/kg (issue 13, "Done when")."""

from __future__ import annotations

from datetime import date

from clinic_app.services.demo._walk import Demo
from clinic_app.services.labs import record_lab_result

# (test, value, unit, reference low, reference high)
RAISED_ALT = (
    ("anc", "3.8", "x10^9/L", "1.8", "7.5"),
    ("platelets", "212", "x10^9/L", "150", "400"),
    ("alt", "78", "U/L", "0", "35"),
    ("ast", "31", "U/L", "0", "35"),
    ("haemoglobin", "128", "g/L", "120", "150"),
    ("crp", "6", "mg/L", "0", "5"),
)


def record_raised_alt(demo: Demo, patient_id: int, taken: date) -> None:
    """Record :data:`RAISED_ALT` taken on ``taken`` (the clock is moved to that afternoon)."""
    demo.clock.set(demo.at(taken, 16))
    for test, value, unit, low, high in RAISED_ALT:
        record_lab_result(
            demo.ctx,
            patient_id=patient_id,
            test=test,
            value=value,
            unit=unit,
            taken_on=taken,
            source="City hospital laboratory",
            ref_low=low,
            ref_high=high,
        )
