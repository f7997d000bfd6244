"""Pre-check answers compared with what was measured (issue 12, "Decisions reach the record").

Rule: a "No" to the fever question does not stand against a baseline temperature at or above
the clinic's fever threshold (``temperature_at_or_above_c`` in resources/clinic_settings.toml,
38.0 C). The disagreement is a flag the nurse acknowledges with a reason before the start, like
a flagged baseline. Source: clinical reference, "Monitoring and reactions" (flag a temperature of
38.0 C or more) and "Contraindications" (biologics are withheld during an infection).
"""

from __future__ import annotations

from decimal import Decimal

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.settings import VitalsFlags

FEVER_ITEM_KEY = "pre.fever_infection"
FEVER_ANSWER_CODE = "FEVER_ANSWER_DISAGREES"


def fever_answer_disagreement(
    answer: str | None, temperature_c: Decimal | None, limits: VitalsFlags
) -> ClinicalWarning | None:
    """The flag when the fever question was answered "no" but the measured temperature is at
    or above the fever threshold; None when they agree or either is missing."""
    if answer != "no" or temperature_c is None:
        return None
    if temperature_c < limits.temperature_at_or_above_c:
        return None
    return ClinicalWarning(
        FEVER_ANSWER_CODE,
        f'"No fever" was answered, but the baseline temperature is {temperature_c} C '
        f"(fever from {limits.temperature_at_or_above_c} C): check the patient and the answer.",
        requires_ack=True,
    )
