"""The store: SQLAlchemy models, migrations, audit trail, unit of work, backups.

Typical start-up (in the composition root)::

    outcome = ensure_database(config.database_url, backup_dir=config.backup_dir)
    engine = make_engine(config.database_url)
    daily_backup(engine, config.backup_dir, now=now, keep=config.backups_to_keep)
    session_factory = make_session_factory(engine)
    with UnitOfWork(session_factory, nurse_id=nurse.id) as uow:
        ...
        uow.commit()
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from clinic_app.storage import audit as _audit  # noqa: F401  (installs the audit listeners)
from clinic_app.storage import change_feed as _change_feed  # noqa: F401  (PostgreSQL's NOTIFY)
from clinic_app.storage.audit_chain import AuditReport, verify_audit
from clinic_app.storage.backup import backup_database, daily_backup, list_backups, prune_backups
from clinic_app.storage.db import make_engine, make_session_factory
from clinic_app.storage.errors import (
    BackupError,
    ConcurrentEditError,
    DatabaseDamaged,
    DatabaseTooNew,
    DatabaseTooOld,
    DatabaseUnavailable,
    RestoreRefused,
    StorageError,
    UpgradeRefused,
)
from clinic_app.storage.unit_of_work import UnitOfWork

if TYPE_CHECKING:
    from clinic_app.storage.migrate import MigrationOutcome, ensure_database
    from clinic_app.storage.restore import RestoreOutcome, restore_database

# Migrating and restoring need Alembic: imported on first use, so the window starts without it
# (issue 15).
_LAZY = {
    "MigrationOutcome": "migrate",
    "ensure_database": "migrate",
    "RestoreOutcome": "restore",
    "restore_database": "restore",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"clinic_app.storage.{module}"), name)
    globals()[name] = value
    return value


__all__ = [
    "AuditReport",
    "BackupError",
    "ConcurrentEditError",
    "DatabaseDamaged",
    "DatabaseTooNew",
    "DatabaseTooOld",
    "DatabaseUnavailable",
    "MigrationOutcome",
    "RestoreOutcome",
    "RestoreRefused",
    "StorageError",
    "UnitOfWork",
    "UpgradeRefused",
    "backup_database",
    "daily_backup",
    "ensure_database",
    "list_backups",
    "make_engine",
    "make_session_factory",
    "prune_backups",
    "restore_database",
    "verify_audit",
]
