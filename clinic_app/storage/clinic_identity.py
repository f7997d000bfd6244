"""Which clinic a database belongs to, and whether it is a demo.

Rules:

- Every database holds one ``clinic_identity`` row: a clinic id of 32 hex digits, random, written
  when the database is created, and a demo flag, set by the demo seed
  (:func:`mark_demo`). Copies (backups, safety copies) carry the row with them.
- A database made before schema 0008 gets its row at the upgrade: the id is derived from the
  hash of its first audit entry (unique to the clinic: it covers the moment and content of the
  first record), so a backup taken before the upgrade, which has no row, is still recognised as
  this clinic's: :func:`read_identity` derives the same id from it. With no audit entry yet the
  id is random. Such a database is a demo when it holds demo patients (MRNs ``DEMO...``, the
  demo seed's numbering).
- A database with no audit entry holds nothing a restore could lose (``has_records``).
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from sqlalchemy import Connection, exists, inspect, select, update
from sqlalchemy.orm import Session

from clinic_app.storage.models.audit import AuditEntry
from clinic_app.storage.models.clinic import IDENTITY_ROW_ID, ClinicIdentity
from clinic_app.storage.models.patients import Patient

DEMO_MRN_PATTERN = "DEMO%"
_DERIVATION_PREFIX = "clinic_app clinic id\x00"


@dataclass(frozen=True)
class Identity:
    """A database's clinic id (None: made before 0008 and never written to), whether it is a
    demo, and whether it holds any record (an audit entry)."""

    clinic_id: str | None
    demo: bool
    has_records: bool


def new_clinic_id() -> str:
    """A random clinic id (32 hex digits)."""
    return uuid.uuid4().hex


def derived_clinic_id(first_row_hash: str) -> str:
    """The clinic id of a database made before 0008: from its first audit entry's hash."""
    return hashlib.sha256((_DERIVATION_PREFIX + first_row_hash).encode()).hexdigest()[:32]


def identity_from_records(connection: Connection) -> Identity:
    """The identity a database without the ``clinic_identity`` row has (module rules)."""
    first_hash = connection.scalar(select(AuditEntry.row_hash).order_by(AuditEntry.id).limit(1))
    demo = connection.scalar(select(exists().where(Patient.mrn.like(DEMO_MRN_PATTERN))))
    return Identity(None if first_hash is None else derived_clinic_id(first_hash),
                    bool(demo), first_hash is not None)


def read_identity(connection: Connection) -> Identity:
    """The identity of the database behind ``connection`` (read only; any schema revision)."""
    if not inspect(connection).has_table(ClinicIdentity.__tablename__):
        return identity_from_records(connection)
    clinic_id, demo = connection.execute(
        select(ClinicIdentity.clinic_id, ClinicIdentity.demo)
        .where(ClinicIdentity.id == IDENTITY_ROW_ID)).one()
    has_records = connection.scalar(select(exists().where(AuditEntry.id.is_not(None))))
    return Identity(clinic_id, bool(demo), bool(has_records))


def mark_demo(session: Session) -> None:
    """Flag the database of ``session`` as holding demo data (in the caller's transaction)."""
    session.execute(update(ClinicIdentity).where(ClinicIdentity.id == IDENTITY_ROW_ID)
                    .values(demo=True))
