"""The audit trail: one row per insert, update or void, chained by SHA-256 hashes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from clinic_app.storage.models.base import Base, str_enum

GENESIS_HASH = "0" * 64


class AuditAction(StrEnum):
    """What was done to the record."""

    INSERT = "insert"
    UPDATE = "update"
    VOID = "void"


class AuditEntry(Base):
    """Who changed which record when, and each field's old and new value.

    ``id`` is the position in the chain (1, 2, 3 ...); ``row_hash`` is
    sha256(``prev_hash`` + canonical JSON of the row), see :mod:`clinic_app.storage.audit_chain`.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_table_name_record_id", "table_name", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("nurses.id"))
    table_name: Mapped[str] = mapped_column(String(64))
    record_id: Mapped[int]
    action: Mapped[AuditAction] = mapped_column(str_enum(AuditAction, length=10))
    changes: Mapped[dict[str, Any]] = mapped_column(JSON)
    prev_hash: Mapped[str] = mapped_column(String(64))
    row_hash: Mapped[str] = mapped_column(String(64))


class AuditChainHead(Base):
    """The single row (id 1) holding the last chain position and hash, signed.

    Writers lock it (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite serialises writers anyway),
    so concurrent transactions extend the chain one after the other.
    """

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last_id: Mapped[int]
    last_hash: Mapped[str] = mapped_column(String(64))
    # The head's signature under the clinic's audit key, that key's fingerprint, and the first
    # chain position whose head did not verify when it was extended (:mod:`..audit_key`).
    head_mac: Mapped[str | None] = mapped_column(String(64))
    key_id: Mapped[str | None] = mapped_column(String(16))
    unsigned_at: Mapped[int | None]
