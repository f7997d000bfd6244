"""Declarative base and the mixins that give clinical models their rules.

- :class:`Audited`: every insert and update writes an audit row (see :mod:`..audit`); deletes are
  refused.
- :class:`Versioned`: optimistic locking, so a second workstation cannot overwrite silently.
- :class:`Voidable`: records are voided with a reason instead of being deleted.
- :class:`ClinicalRecord` combines the three and requires a nurse for every write.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum
from typing import Any, ClassVar

from sqlalchemy import Enum as SAEnum
from sqlalchemy import ForeignKey, Index, MetaData, Text, event, text
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, declared_attr, mapped_column

from clinic_app.storage.errors import VoidReasonRequired
from clinic_app.storage.types import UTCDateTime, as_utc

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base of every table; constraint names are fixed so batch migrations can find them."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {datetime: UTCDateTime()}


def str_enum(enum_class: type[Enum], length: int = 20) -> SAEnum:
    """A portable enum column storing the member *values* as VARCHAR (no native DB enum)."""
    return SAEnum(
        enum_class,
        native_enum=False,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
    )


def unique_where(name: str, *columns: str, where: str) -> Index:
    """A partial unique index: ``columns`` unique among the rows matching the SQL ``where``
    (SQLite and PostgreSQL both). It holds a rule a service checks before it inserts, also
    when two workstations pass the check at the same moment."""
    return Index(name, *columns, unique=True, sqlite_where=text(where),
                 postgresql_where=text(where))


class Audited:
    """Marker: inserts and updates are recorded in the audit trail, deletes are refused."""

    __tablename__: str  # declared as DeclarativeBase declares it (not a ClassVar)
    __audit_exclude__: ClassVar[frozenset[str]] = frozenset({"version"})
    __audit_redact__: ClassVar[frozenset[str]] = frozenset()
    __audit_requires_nurse__: ClassVar[bool] = True
    __record_label__: ClassVar[str] = "record"


class Versioned:
    """A version counter checked on every UPDATE (SQLAlchemy ``version_id_col``)."""

    version: Mapped[int] = mapped_column(nullable=False)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


class Voidable:
    """Voided instead of deleted: who voided it, when and why stay on the row."""

    voided_at: Mapped[datetime | None]
    voided_by_id: Mapped[int | None] = mapped_column(ForeignKey("nurses.id"))
    void_reason: Mapped[str | None] = mapped_column(Text)

    @property
    def is_voided(self) -> bool:
        """True once the record has been voided."""
        return self.voided_at is not None

    def void(self, *, nurse_id: int, reason: str, at: datetime) -> None:
        """Mark the record as entered in error; a reason is required."""
        if not reason or not reason.strip():
            raise VoidReasonRequired("Give a reason to void this record.")
        self.voided_by_id = nurse_id
        self.void_reason = reason.strip()
        self.voided_at = as_utc(at, field="voided_at")


class ClinicalRecord(Audited, Versioned, Voidable):
    """A clinical row: audited, versioned, voided with a reason, written only by a nurse."""


def _utc_only(target: object, value: Any, oldvalue: Any, initiator: Any) -> Any:
    """Attribute guard: refuse a naive datetime at assignment, store aware values in UTC."""
    return None if value is None else as_utc(value, field=initiator.key)


def _keep_old_value(target: object, value: Any, oldvalue: Any, initiator: Any) -> None:
    """Registered with ``active_history`` so the audit trail always sees the replaced value."""


@event.listens_for(Base, "mapper_configured", propagate=True)
def _install_attribute_guards(mapper: Mapper[Any], class_: type) -> None:
    """Add the UTC guard to timestamp columns and old-value tracking to audited columns."""
    audited = issubclass(class_, Audited)
    for prop in mapper.column_attrs:
        attribute = getattr(class_, prop.key)
        if isinstance(prop.columns[0].type, UTCDateTime):
            event.listen(attribute, "set", _utc_only, retval=True, active_history=audited)
        elif audited:
            event.listen(attribute, "set", _keep_old_value, active_history=True)
