"""The clinic's infusion chairs: configured resources a booking chooses from (issue 14)."""

from __future__ import annotations

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.storage.models.base import Base, Versioned

CHAIR_NAME_LENGTH = 40


class Chair(Versioned, Base):
    """A chair (or bed) a booking holds for its visit: a unique ``name``, ``active`` (an
    inactive chair is kept for the bookings that name it but offered no more) and ``notes``
    ("recliner, near the crash cart"). Never deleted, deactivated instead. Not a clinical
    record: its changes are chained into the audit trail by the chairs service
    (:mod:`clinic_app.services.chairs`), and the starter chairs a migration made have none. Bookings
    name their chair (``appointments.chair``); renaming a chair renames it in its bookings.
    The row is also the lock two workstations take, in turn, to book the same chair."""

    __tablename__ = "chairs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(CHAIR_NAME_LENGTH), unique=True)
    active: Mapped[bool] = mapped_column(default=True)
    notes: Mapped[str | None] = mapped_column(Text)
