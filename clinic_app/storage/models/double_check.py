"""The second nurse's signatures of a visit's dose plan and prepared bag (independent double
check)."""

from __future__ import annotations

from datetime import datetime
from typing import ClassVar

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.storage.models.base import Base, ClinicalRecord


class DoubleCheck(ClinicalRecord, Base):
    """A second nurse's independent check of a visit: ``what`` ("dose_plan" or "bag"), the
    checking nurse (``nurse_id``, who signed in with her own password), the nurse whose
    session it was (``first_nurse_id``, who calculated or prepared), the time (UTC) and the
    fingerprint of the dose plan she saw (:func:`clinic_app.domain.double_check.plan_fingerprint`:
    the signature stops counting when the plan changes). Voided with a reason, never deleted;
    every change is audited."""

    __tablename__ = "double_checks"
    __record_label__: ClassVar[str] = "double check"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("infusion_visits.id"), index=True)
    what: Mapped[str] = mapped_column(String(20))
    nurse_id: Mapped[int] = mapped_column(ForeignKey("nurses.id"))
    first_nurse_id: Mapped[int] = mapped_column(ForeignKey("nurses.id"))
    signed_at: Mapped[datetime]
    plan_fingerprint: Mapped[str] = mapped_column(String(64))
