"""A patient's age on a given day, and the contraindication codes it implies.

Rule: the protocols list ``age_under_18`` as a caution (infliximab: "paediatric Crohn's from 6
years only", seed 000 and label; anifrolumab: "safety not established", seed 002). It applies
when the patient is under 18 on the day of the dose, derived from the date of birth rather than
typed by a nurse. Someone born on 29 February has the birthday on 1 March in common years (the
later reading, so the caution lasts the extra day rather than lapsing early).
"""

from __future__ import annotations

from datetime import date

from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput

AGE_UNDER_18 = "age_under_18"
ADULT_AGE_YEARS = 18


def age_on(born: date, day: date) -> int:
    """Whole years of age on ``day`` (the birthday itself counts)."""
    if day < born:
        raise InvalidInput("date_of_birth",
                           f"The day {date_text(day)} is before the date of birth "
                           f"{date_text(born)}; check the date of birth.")
    years = day.year - born.year
    return years if (day.month, day.day) >= (born.month, born.day) else years - 1


def age_contraindications(born: date, day: date) -> tuple[str, ...]:
    """Contraindication codes the patient's age on the dose ``day`` brings (``age_under_18``
    before the 18th birthday), to add to the codes recorded on the chart."""
    return (AGE_UNDER_18,) if age_on(born, day) < ADULT_AGE_YEARS else ()
