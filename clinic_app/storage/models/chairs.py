"""The clinic's infusion chairs: configured resources a booking chooses from (issue 14)."""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.storage.models.base import Audited, Base, Versioned

CHAIR_NAME_LENGTH = 40


class Chair(Audited, Versioned, Base):
    """A chair (or bed) a booking holds for its visit: a unique ``name``, ``active`` (an
    inactive chair is kept for the bookings that name it but offered no more) and ``notes``
    ("recliner, near the crash cart"). Audited; never deleted, deactivated instead. Bookings
    name their chair (``appointments.chair``); renaming a chair renames it in its bookings.
    The row is also the lock two workstations take, in turn, to book the same chair."""

    __tablename__ = "chairs"
    __record_label__: ClassVar[str] = "chair"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(CHAIR_NAME_LENGTH), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str | None] = mapped_column(Text)
