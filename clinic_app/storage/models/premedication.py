"""Premedication given before (or during) an infusion visit: one row per drug given."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import ClassVar

from sqlalchemy import ForeignKey, Numeric, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.storage.models.base import Base, ClinicalRecord


class Premedication(ClinicalRecord, Base):
    """A premedication given at a visit: drug, dose and unit, route, the time it was given
    (UTC), the lot (optional) and the nurse who gave it. ``kind`` is the kind of the suggested
    set it fills ("antihistamine", "antipyretic", "corticosteroid"; None for another drug), so
    the start gate sees it as given (:mod:`clinic_app.domain.premedication`). Voided with a
    reason, never deleted; every change is audited."""

    __tablename__ = "premedications"
    __record_label__: ClassVar[str] = "premedication"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("infusion_visits.id"), index=True)
    kind: Mapped[str | None] = mapped_column(String(20))
    drug: Mapped[str] = mapped_column(String(120))
    dose: Mapped[Decimal] = mapped_column(Numeric(10, 3))
    dose_unit: Mapped[str] = mapped_column(String(20))
    route: Mapped[str] = mapped_column(String(10))
    given_at: Mapped[datetime]
    lot_number: Mapped[str | None] = mapped_column(String(60))
    nurse_id: Mapped[int] = mapped_column(ForeignKey("nurses.id"))
