"""Exceptions raised by the store.

Each one carries a one-line message a nurse or administrator can act on; the UI shows ``str(exc)``.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from clinic_app.domain.dates import date_text, time_text


class StorageError(Exception):
    """Base class for every refusal or failure of the store."""


class DatabaseUnavailable(StorageError):
    """The database cannot be used: damaged, not a database, locked, unreachable."""


class DatabaseDamaged(DatabaseUnavailable):
    """The database's pages fail SQLite's integrity check: it must not be used, upgraded or
    backed up as good; the message names the problem and the backup to restore."""


class DatabaseLocked(DatabaseUnavailable):
    """Another program or workstation holds the lock the action needs (SQLite's write lock);
    the same action may succeed in a moment."""


class DatabaseTooNew(DatabaseUnavailable):
    """The database was written by a newer version of the program (unknown schema revision)."""


class DatabaseTooOld(DatabaseUnavailable):
    """A server database's schema is older than this program's (or the database is empty): a
    workstation never upgrades a shared database; the administrator runs ``clinic-app db
    upgrade`` once (issue 14, the clinic server guide)."""


class UpgradeRefused(DatabaseUnavailable):
    """The database holds something the new schema cannot hold (e.g. two open visits of one
    appointment); the message names it and what to do. The upgrade changed nothing."""


class ConfigurationError(StorageError):
    """The database address is not one the program can use."""


class RecordNotFound(StorageError, LookupError):
    """No record of that kind with that id."""


class ConcurrentEditError(StorageError):
    """Another workstation saved a change to the same record since it was loaded here."""

    def __init__(
        self,
        *,
        label: str,
        record_id: int,
        changed_by: str | None,
        changed_at: datetime | None,
        tz: tzinfo | None = None,
    ) -> None:
        self.label = label
        self.record_id = record_id
        self.changed_by = changed_by
        self.changed_at = changed_at
        who = f" by {changed_by}" if changed_by else ""
        if changed_at is None:
            when = ""
        elif tz is None:
            when = f" at {changed_at:%Y-%m-%d %H:%M} UTC"
        else:  # the clinic's local time, as every screen shows it
            local = changed_at.astimezone(tz)
            when = f" at {time_text(local)} on {date_text(local.date())}"
        super().__init__(
            f"This {label} was changed{who}{when} on another workstation; "
            "reload it and enter your change again."
        )


class DeletionRefused(StorageError):
    """Clinical records are never deleted."""


class VoidReasonRequired(StorageError):
    """A record is voided only with a reason."""


class RecordIsVoided(StorageError):
    """A voided record cannot be changed any more."""


class NurseRequired(StorageError):
    """A clinical write was attempted without a nurse to record in the audit trail."""


class AuditBypassRefused(StorageError):
    """A bulk statement would change audited rows without passing through the audit trail."""


class NaiveDatetimeError(StorageError, ValueError):
    """A timestamp without a time zone: the store keeps only aware UTC times."""


class BackupError(StorageError):
    """A backup or restore could not be made."""


class BackupNotSupported(BackupError):
    """The database kind has its own backup tools (PostgreSQL: pg_dump)."""


class BackupInvalid(BackupError):
    """The file offered for restore is not a usable clinic_app database."""


class RestoreRefused(BackupError):
    """The backup is a clinic_app database but not one to put back here (another clinic's, a
    broken audit trail, a demo over a real clinic); ``can_force`` says whether the
    administrator may insist."""

    def __init__(self, message: str, *, can_force: bool) -> None:
        super().__init__(message)
        self.can_force = can_force
