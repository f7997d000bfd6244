"""Repositories: the queries the services need, over one session owned by the unit of work.

Voided records are left out unless ``include_voided=True``. Nothing here commits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import Row, Select, func, select, text
from sqlalchemy.orm import Session

from clinic_app.storage.conflicts import conflict_error
from clinic_app.storage.errors import RecordNotFound
from clinic_app.storage.models import (
    Appointment,
    AppointmentStatus,
    AuditAction,
    AuditEntry,
    Base,
    Chair,
    InfusionVisit,
    Nurse,
    Patient,
    VisitStatus,
    Voidable,
)
from clinic_app.storage.patient_search import search_condition, search_page, starts_with
from clinic_app.storage.search_keys import mrn_key
from clinic_app.storage.types import as_utc

M = TypeVar("M", bound=Base)


class Repository(Generic[M]):
    """Add, fetch and list records of one model."""

    def __init__(self, session: Session, model: type[M]) -> None:
        self.session = session
        self.model = model

    def add(self, record: M) -> M:
        """Stage ``record`` for insertion (written, and audited, at the next flush)."""
        self.session.add(record)
        return record

    def get(self, record_id: int, *, expected_version: int | None = None) -> M:
        """The record with this id; with ``expected_version`` (the version the nurse saw),
        raises :class:`ConcurrentEditError` if it was changed since."""
        record = self.session.get(self.model, record_id)
        if record is None:
            raise RecordNotFound(f"No {self.model.__name__} with id {record_id}.")
        if expected_version is not None and record.version != expected_version:  # type: ignore[attr-defined]
            raise conflict_error(self.session, self.model, record_id)
        return record

    def _visible(self, stmt: Select[Any], include_voided: bool) -> Select[Any]:
        if issubclass(self.model, Voidable) and not include_voided:
            stmt = stmt.where(self.model.voided_at.is_(None))
        return stmt

    def list_by(self, *, include_voided: bool = False, **equals: Any) -> Sequence[M]:
        """Records whose columns equal ``equals`` (e.g. ``patient_id=3``), oldest first."""
        stmt = select(self.model).filter_by(**equals).order_by(self.model.id)  # type: ignore[attr-defined]
        return self.session.scalars(self._visible(stmt, include_voided)).all()


class NurseRepository(Repository[Nurse]):
    """Nurse accounts."""

    def __init__(self, session: Session) -> None:
        super().__init__(session, Nurse)

    def get_by_username(self, username: str) -> Nurse | None:
        """The account with this user name (case-insensitive), or None."""
        return self.session.scalars(
            select(Nurse).where(Nurse.username == username.strip().casefold())
        ).one_or_none()


class PatientRepository(Repository[Patient]):
    """Patients, with paged search by name, MRN or date of birth."""

    def __init__(self, session: Session) -> None:
        super().__init__(session, Patient)

    def get_by_mrn(self, mrn: str, *, include_voided: bool = False) -> Patient | None:
        """The patient with this MRN (spaces and case ignored), or None."""
        stmt = select(Patient).where(Patient.mrn == "".join(mrn.split()).upper())
        return self.session.scalars(self._visible(stmt, include_voided)).one_or_none()

    def search(
        self, text: str = "", *, date_of_birth: date | None = None, limit: int = 50,
        offset: int = 0, include_voided: bool = False,
    ) -> Sequence[Patient]:
        """One page of patients matching ``text`` (see :mod:`..patient_search`), by name."""
        stmt = (
            select(Patient)
            .where(search_condition(text, date_of_birth))
            .order_by(Patient.family_key, Patient.given_key, Patient.id)
            .limit(limit)
            .offset(offset)
        )
        return self.session.scalars(self._visible(stmt, include_voided)).all()

    def search_page(
        self, text: str = "", *, date_of_birth: date | None = None, limit: int = 50,
        offset: int = 0, include_voided: bool = False,
    ) -> Sequence[Row[Any]]:
        """The page :meth:`search` finds, as the :data:`~..patient_search.PAGE_COLUMNS` of each
        patient: no records loaded and the query built once per shape (a keystroke's query,
        issue 15)."""
        stmt, params = search_page(text, date_of_birth, limit=limit, offset=offset,
                                   include_voided=include_voided)
        self.session.flush()  # as the ORM's queries autoflush (a no-op when nothing changed)
        return self.session.execute(stmt, params).all()

    def count(
        self, text: str = "", *, date_of_birth: date | None = None, include_voided: bool = False
    ) -> int:
        """How many patients :meth:`search` would page through."""
        stmt = select(func.count()).select_from(Patient).where(
            search_condition(text, date_of_birth)
        )
        return int(self.session.scalar(self._visible(stmt, include_voided)) or 0)


    def search_mrn(
        self, prefix: str, *, limit: int = 50, offset: int = 0, include_voided: bool = False
    ) -> Sequence[Patient]:
        """One page of patients whose MRN starts with ``prefix`` (e.g. "A-1"), by MRN."""
        stmt = (
            select(Patient).where(starts_with(Patient.mrn, mrn_key(prefix)))
            .order_by(Patient.mrn, Patient.id).limit(limit).offset(offset)
        )
        return self.session.scalars(self._visible(stmt, include_voided)).all()

    def count_mrn(self, prefix: str, *, include_voided: bool = False) -> int:
        """How many patients :meth:`search_mrn` would page through."""
        stmt = select(func.count()).select_from(Patient).where(
            starts_with(Patient.mrn, mrn_key(prefix))
        )
        return int(self.session.scalar(self._visible(stmt, include_voided)) or 0)


class AppointmentRepository(Repository[Appointment]):
    """Appointments, by booked time or due date."""

    def __init__(self, session: Session) -> None:
        super().__init__(session, Appointment)

    def starting_between(
        self, start: datetime, end: datetime, *, include_voided: bool = False
    ) -> Sequence[Appointment]:
        """Booked appointments with ``start <= starts_at < end``, in time order."""
        stmt = (
            select(Appointment)
            .where(Appointment.starts_at >= as_utc(start), Appointment.starts_at < as_utc(end))
            .order_by(Appointment.starts_at, Appointment.id)
        )
        return self.session.scalars(self._visible(stmt, include_voided)).all()

    def due_between(
        self, first: date, last: date, *, include_voided: bool = False
    ) -> Sequence[Appointment]:
        """Appointments due from ``first`` to ``last`` inclusive, by due date."""
        stmt = (
            select(Appointment)
            .where(Appointment.due_date >= first, Appointment.due_date <= last)
            .order_by(Appointment.due_date, Appointment.id)
        )
        return self.session.scalars(self._visible(stmt, include_voided)).all()


    def booked_in_chair(self, chair: str, start: datetime, end: datetime) -> Sequence[Appointment]:
        """Appointments holding ``chair`` (booked, or given: a visit done today kept its chair
        for its expected time) starting from ``start`` to before ``end``."""
        stmt = select(Appointment).where(
            Appointment.chair == chair,
            Appointment.status.in_((AppointmentStatus.BOOKED, AppointmentStatus.DONE)),
            Appointment.starts_at >= as_utc(start), Appointment.starts_at < as_utc(end),
        ).order_by(Appointment.starts_at, Appointment.id)
        return self.session.scalars(self._visible(stmt, False)).all()

    def naming_chair(self, chair: str) -> Sequence[Appointment]:
        """Every appointment in force (not voided) that names ``chair``."""
        stmt = select(Appointment).where(Appointment.chair == chair).order_by(Appointment.id)
        return self.session.scalars(self._visible(stmt, False)).all()


class ChairRepository(Repository[Chair]):
    """The clinic's chairs, by name."""

    def __init__(self, session: Session) -> None:
        super().__init__(session, Chair)

    def by_name(self, name: str, *, lock: bool = False) -> Chair | None:
        """The chair called ``name``; ``lock`` first takes the chair's lock until the
        transaction ends, so two workstations booking this chair go one after the other: a
        write that changes nothing (``UPDATE chairs SET version = version``) holds the row
        lock on PostgreSQL and, as the transaction's first statement, SQLite's write lock
        (taken before any read, so the second writer waits instead of failing on a stale
        snapshot)."""
        if lock:
            self.session.execute(text("UPDATE chairs SET version = version WHERE name = :name"),
                                 {"name": name})
        return self.session.scalars(select(Chair).where(Chair.name == name)).one_or_none()

    def all_by_name(self) -> Sequence[Chair]:
        """Every chair, active or not, by name."""
        return self.session.scalars(select(Chair).order_by(Chair.name)).all()


class VisitRepository(Repository[InfusionVisit]):
    """Infusion visits."""

    def __init__(self, session: Session) -> None:
        super().__init__(session, InfusionVisit)

    def for_patient(
        self, patient_id: int, *, include_voided: bool = False
    ) -> Sequence[InfusionVisit]:
        """The patient's visits, newest first."""
        stmt = (
            select(InfusionVisit)
            .where(InfusionVisit.patient_id == patient_id)
            .order_by(InfusionVisit.id.desc())
        )
        return self.session.scalars(self._visible(stmt, include_voided)).all()

    def open_for_appointment(self, appointment_id: int) -> InfusionVisit | None:
        """The visit already opened for this appointment (not voided or cancelled), if any."""
        return self.session.scalars(
            select(InfusionVisit)
            .where(InfusionVisit.appointment_id == appointment_id,
                   InfusionVisit.voided_at.is_(None),
                   InfusionVisit.status != VisitStatus.CANCELLED)
            .order_by(InfusionVisit.id.desc())
        ).first()


class AuditRepository:
    """Reading the audit trail (it is written only by the flush listeners)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def history(self, table_name: str, record_id: int) -> Sequence[AuditEntry]:
        """Every audit row of one record, oldest first."""
        return self.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.table_name == table_name, AuditEntry.record_id == record_id)
            .order_by(AuditEntry.id)
        ).all()

    def for_records(self, table_name: str, record_ids: Sequence[int]) -> Sequence[AuditEntry]:
        """Every audit row of these records of one table, oldest first (one indexed query)."""
        if not record_ids:
            return []
        return self.session.scalars(
            select(AuditEntry)
            .where(AuditEntry.table_name == table_name,
                   AuditEntry.record_id.in_(list(record_ids)))
            .order_by(AuditEntry.id)
        ).all()

    def inserted_by(self, table_name: str, record_ids: Sequence[int]) -> dict[int, int | None]:
        """The nurse id that inserted each of these records (from their insert audit rows)."""
        if not record_ids:
            return {}
        rows = self.session.execute(
            select(AuditEntry.record_id, AuditEntry.actor_id)
            .where(AuditEntry.table_name == table_name,
                   AuditEntry.record_id.in_(list(record_ids)),
                   AuditEntry.action == AuditAction.INSERT)
        )
        return {row.record_id: row.actor_id for row in rows}
