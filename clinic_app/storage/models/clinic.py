"""The clinic a database belongs to (see :mod:`clinic_app.storage.clinic_identity`)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.storage.models.base import Base

IDENTITY_ROW_ID = 1


class ClinicIdentity(Base):
    """The single row (id 1): the clinic id written when the database was created and whether
    the database holds demo data. Not audited: it is not a clinical record and no nurse
    changes it."""

    __tablename__ = "clinic_identity"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    clinic_id: Mapped[str] = mapped_column(String(32))
    demo: Mapped[bool]
