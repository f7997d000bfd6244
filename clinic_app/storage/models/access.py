"""The access log: who looked at which patient's record, and who printed it (issue 11, item 14)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.storage.models.base import Base, str_enum


class AccessAction(StrEnum):
    """What was done with the patient's data."""

    OPENED_CHART = "opened_chart"
    PRINTED_SHEET = "printed_sheet"
    EXPORTED_ACCESS_LOG = "exported_access_log"


class AccessLogEntry(Base):
    """One look at patient data: when (UTC), who (a nurse, or the command line's OS user in
    ``via``), which patient (none for a sheet of several, e.g. the day list) and what.

    Rows are only ever added; they name no clinical value, only what was looked at.
    """

    __tablename__ = "access_log"
    __table_args__ = (
        Index("ix_access_log_at", "at"),
        Index("ix_access_log_patient_id_at", "patient_id", "at"),
        Index("ix_access_log_nurse_id_patient_id_at", "nurse_id", "patient_id", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    nurse_id: Mapped[int | None] = mapped_column(ForeignKey("nurses.id"))
    patient_id: Mapped[int | None] = mapped_column(ForeignKey("patients.id"))
    action: Mapped[AccessAction] = mapped_column(str_enum(AccessAction, length=30))
    detail: Mapped[str] = mapped_column(String(200), default="")
    via: Mapped[str] = mapped_column(String(120), default="")
