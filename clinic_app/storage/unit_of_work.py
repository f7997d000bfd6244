"""The unit of work: one session, one transaction, one nurse, for one nurse action.

    with UnitOfWork(session_factory, nurse_id=nurse.id) as uow:
        patient = uow.patients.get(patient_id, expected_version=dto.version)
        patient.phone = new_phone
        uow.commit()

Leaving the block without :meth:`commit` rolls everything back (cosmicpython's rule). Every write
is audited under ``nurse_id``; a lost race with another workstation raises
:class:`ConcurrentEditError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, tzinfo
from types import TracebackType
from typing import Self

from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from clinic_app.storage.audit import bind_actor, utc_now
from clinic_app.storage.conflicts import SHOWN_ZONE_KEY, explain_conflict, last_flush_candidates
from clinic_app.storage.errors import NurseRequired
from clinic_app.storage.models import (
    Allergy,
    ChecklistEntry,
    ContraindicationFlag,
    Diagnosis,
    DoubleCheck,
    DrugLevel,
    InfusionEvent,
    IntervalChange,
    LabResult,
    NoKnownAllergies,
    Premedication,
    ProductLot,
    Reaction,
    ReactionMedication,
    ScreeningRecord,
    TreatmentCourse,
    VitalSigns,
    Voidable,
    WeightMeasurement,
)
from clinic_app.storage.repositories import (
    AppointmentRepository,
    AuditRepository,
    ChairRepository,
    NurseRepository,
    PatientRepository,
    Repository,
    VisitRepository,
)


class UnitOfWork:
    """A transaction with repositories; rolled back unless committed."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        *,
        nurse_id: int | None,
        clock: Callable[[], datetime] = utc_now,
        tz: tzinfo | None = None,
    ) -> None:
        self._session_factory = session_factory
        self.nurse_id = nurse_id
        self.clock = clock
        self.tz = tz  # the clinic's zone, for the time in a conflict message (None: UTC)
        self._session: Session | None = None

    @property
    def session(self) -> Session:
        """The open session (only inside the ``with`` block)."""
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its 'with' block")
        return self._session

    def __enter__(self) -> Self:
        session = self._session_factory()
        bind_actor(session, self.nurse_id, self.clock)
        session.info[SHOWN_ZONE_KEY] = self.tz
        self._session = session
        self._open_repositories(session)
        return self

    def _open_repositories(self, s: Session) -> None:
        self.nurses = NurseRepository(s)
        self.patients = PatientRepository(s)
        self.weights = Repository(s, WeightMeasurement)
        self.allergies = Repository(s, Allergy)
        self.no_known_allergies = Repository(s, NoKnownAllergies)
        self.diagnoses = Repository(s, Diagnosis)
        self.screenings = Repository(s, ScreeningRecord)
        self.lab_results = Repository(s, LabResult)
        self.contraindications = Repository(s, ContraindicationFlag)
        self.courses = Repository(s, TreatmentCourse)
        self.interval_changes = Repository(s, IntervalChange)
        self.appointments = AppointmentRepository(s)
        self.chairs = ChairRepository(s)
        self.visits = VisitRepository(s)
        self.product_lots = Repository(s, ProductLot)
        self.premedications = Repository(s, Premedication)
        self.double_checks = Repository(s, DoubleCheck)
        self.drug_levels = Repository(s, DrugLevel)
        self.infusion_events = Repository(s, InfusionEvent)
        self.checklist = Repository(s, ChecklistEntry)
        self.vitals = Repository(s, VitalSigns)
        self.reactions = Repository(s, Reaction)
        self.reaction_medications = Repository(s, ReactionMedication)
        self.audit = AuditRepository(s)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session = self.session
        try:
            if isinstance(exc, StaleDataError):
                session.rollback()
                raise explain_conflict(session, last_flush_candidates(session)) from exc
        finally:
            session.close()  # rolls back whatever was not committed
            self._session = None

    @contextmanager
    def _conflicts_explained(self) -> Iterator[None]:
        try:
            yield
        except StaleDataError as exc:
            self.session.rollback()
            raise explain_conflict(self.session, last_flush_candidates(self.session)) from exc

    def flush(self) -> None:
        """Write pending changes (and their audit rows) without committing."""
        with self._conflicts_explained():
            self.session.flush()

    def commit(self) -> None:
        """Make the changes of this unit of work permanent."""
        with self._conflicts_explained():
            self.session.commit()

    def rollback(self) -> None:
        """Discard the changes made so far."""
        self.session.rollback()

    def void(self, record: Voidable, *, reason: str) -> None:
        """Void ``record`` (entered in error) in this nurse's name; a reason is required."""
        if self.nurse_id is None:
            raise NurseRequired("No nurse is signed in: nothing was voided.")
        record.void(nurse_id=self.nurse_id, reason=reason, at=self.clock())
