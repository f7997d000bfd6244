"""Column types shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, String
from sqlalchemy.dialects import postgresql
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator, TypeEngine

from clinic_app.storage.errors import NaiveDatetimeError


def as_utc(value: datetime, *, field: str = "timestamp") -> datetime:
    """``value`` converted to UTC; a naive datetime is refused (its zone would be a guess)."""
    if not isinstance(value, datetime):
        raise TypeError(f"{field}: expected a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise NaiveDatetimeError(
            f"{field}: the time {value.isoformat()} has no time zone; "
            "pass a timezone-aware datetime"
        )
    return value.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware timestamp stored in UTC on every database.

    Binding refuses naive datetimes; results always come back aware in UTC. SQLite has no time
    zone type, so the UTC wall time is stored there; PostgreSQL uses ``timestamp with time zone``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        utc = as_utc(value)
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def binary_string(length: int) -> TypeEngine[str]:
    """A VARCHAR compared byte by byte on every database: SQLite's default, PostgreSQL's "C".

    Search keys use it so that a prefix is an index range (``key >= 'ab' AND key < 'ac'``) under
    any database collation; linguistic collations (ICU, glibc) sort punctuation differently.
    """
    return String(length).with_variant(postgresql.VARCHAR(length, collation="C"), "postgresql")
