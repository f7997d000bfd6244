"""``clinic-app db ...``: the administrator's database commands.

``upgrade`` creates or upgrades the database (after a backup of an existing file), ``backup``
takes an online backup now, ``restore FILE`` puts a backup back (keeping a copy of the database it
replaces; another clinic's backup or one whose audit trail does not verify only with ``--force``,
a demo over a real clinic never), ``verify-audit`` checks the audit trail's hash chain,
``seed-demo`` fills an empty database with demo data. ``--db PATH`` (before or after the
command) chooses the file. Every command first refuses a folder or a device as the database,
makes the clinic's existing files private and removes what an interrupted backup or restore
left (:func:`prepare_clinic_files`); a damaged database is refused with the backup to restore.
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TextIO

from clinic_app.bootstrap import (
    check_db_path,
    clinic_config,
    clinic_engine,
    close_clinic,
    prepare_clinic_files,
    use_clinic_key,
)
from clinic_app.bootstrap import open_clinic as _open_clinic
from clinic_app.cli_parsing import Commands
from clinic_app.cli_signing import add_signer_options, asker, signed_in
from clinic_app.config import AppConfig, ConfigError, load_config
from clinic_app.domain.permissions import Permission
from clinic_app.services import accounts
from clinic_app.services.context import ServiceContext
from clinic_app.storage import (
    DatabaseUnavailable,
    RestoreRefused,
    backup_database,
    ensure_database,
    make_engine,
    restore_database,
)
from clinic_app.storage.audit_check import check_audit
from clinic_app.storage.audit_key import audit_key_of
from clinic_app.storage.db import sqlite_file
from clinic_app.storage.integrity import check_database_file


def config_from(args: argparse.Namespace) -> AppConfig:
    """The configuration for ``--db`` (checked: its folder must exist)."""
    db = None if args.db is None else Path(args.db)
    if db is not None:
        check_db_path(db)
    return load_config(db)


def require_database(config: AppConfig) -> None:
    """Refuse a database file that does not exist, is empty or is not an SQLite database."""
    path = sqlite_file(config.database_url)
    if path is None:
        return
    check_database_file(path)
    if not path.exists():
        raise ConfigError(f"No database at {path}: create it with 'clinic-app db upgrade'.")


def open_clinic(args: argparse.Namespace, *, migrate: bool = True,
                must_exist: bool = True) -> ServiceContext:
    """The context for a command (nobody signed in)."""
    config = config_from(args)
    if must_exist:
        require_database(config)
    return _open_clinic(None if args.db is None else Path(args.db), migrate=migrate)


def _now() -> datetime:
    return datetime.now(UTC)


def _cmd_upgrade(args: argparse.Namespace) -> int:
    config = config_from(args)
    prepare_clinic_files(config)
    outcome = ensure_database(config.database_url, backup_dir=config.backup_dir, now=_now())
    engine = make_engine(config.database_url)
    try:
        use_clinic_key(engine, config, None, sign=True)
    finally:
        engine.dispose()
    if outcome.action == "current":
        print(f"The database is up to date (schema {outcome.to_revision}).")
    elif outcome.action == "created":
        print(f"Created the database (schema {outcome.to_revision}).")
    else:
        kept = f"; backup: {outcome.backup_path}" if outcome.backup_path else ""
        print(f"Upgraded the database from schema {outcome.from_revision} to "
              f"{outcome.to_revision}{kept}.")
    return 0


def _cmd_backup(args: argparse.Namespace) -> int:
    ctx = open_clinic(args, migrate=False)
    try:
        path = backup_database(clinic_engine(ctx), clinic_config(ctx).backup_dir, now=_now(),
                               note="manual")
    finally:
        close_clinic(ctx)
    print(f"Backup written: {path}")
    return 0


def _require_administrator(args: argparse.Namespace) -> None:
    """Restoring over a clinic that can be read and has accounts needs an administrator's
    password (``--as``): a restore rolls back everything written since the backup. A database
    that is missing, empty or too damaged to open has nobody to ask: whoever the operating
    system lets write the clinic's files restores it."""
    try:
        ctx = open_clinic(args, migrate=False)
    except (DatabaseUnavailable, ConfigError):
        return
    try:
        ask, _repeat = asker(args)
        signer = signed_in(ctx, args, ask)
        if signer.nurse_id is not None:
            accounts.check_permission(signer, Permission.RESTORE_DATABASE)
    finally:
        close_clinic(ctx)


def _cmd_restore(args: argparse.Namespace) -> int:
    config = config_from(args)
    prepare_clinic_files(config)
    _require_administrator(args)
    try:
        outcome = restore_database(config.database_url, Path(args.file),
                                   backup_dir=config.backup_dir, now=_now(), force=args.force)
    except RestoreRefused as refused:
        advice = " Add --force to restore it anyway." if refused.can_force else ""
        print(f"clinic-app: error: {refused}{advice}", file=sys.stderr)
        return 1
    kept = (f"; the database it replaced is kept in {outcome.safety_copy}"
            if outcome.safety_copy else "")
    print(f"Restored from {outcome.restored_from}{kept}.")
    return 0


def _cmd_verify_audit(args: argparse.Namespace) -> int:
    ctx = open_clinic(args, migrate=False)
    try:
        with ctx.session_factory() as session:
            report = check_audit(session, audit_key_of(clinic_engine(ctx)))
    finally:
        close_clinic(ctx)
    head = report.head
    summary = (f"{report.chain.rows_checked} entries, head {head.last_hash[:12]}; "
               f"{report.records.records_checked} records compared with their audit trail"
               + (f", {report.records.seeded_in_bulk} demo rows seeded in bulk not itemised"
                  if report.records.seeded_in_bulk else ""))
    if not report.ok:
        problems = "; ".join(report.problems)
        print(f"clinic-app: error: the audit trail or the records were changed outside the "
              f"program: {problems} ({summary})", file=sys.stderr)
        return 1
    print(f"The audit trail is intact and signed with the clinic's key {head.key_id}: "
          f"{summary}.")
    return 0


class ProgressBar:
    """A one-line progress bar on a terminal stream (redrawn in place)."""

    def __init__(self, stream: TextIO | None = None, width: int = 30) -> None:
        self.stream = stream or sys.stderr
        self.width = width
        self.started = time.monotonic()

    def __call__(self, done: int, total: int, stage: str) -> None:
        """Show ``done`` of ``total`` for ``stage``; ends the line when the stage is done."""
        fraction = 1.0 if total <= 0 else min(1.0, done / total)
        filled = "#" * round(self.width * fraction)
        seconds = time.monotonic() - self.started
        self.stream.write(f"\r{stage:<15} [{filled:<{self.width}}] {done:>7,}/{total:,} "
                          f"{seconds:5.0f} s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _cmd_seed_demo(args: argparse.Namespace) -> int:
    from clinic_app.services.demo import seed_demo

    ctx = open_clinic(args, must_exist=False)
    try:
        today = args.today or ctx.local_now().date()
        summary = seed_demo(ctx, today=today, patients=args.patients, force=args.force,
                            progress=ProgressBar())
    finally:
        close_clinic(ctx)
    print(f"Demo data written: {summary.patients:,} patients. Sign in as '{summary.username}' "
          f"with the password '{summary.password}' or the PIN {summary.pin}.")
    for key, mrn in summary.named:
        print(f"  {mrn}  {key.replace('_', ' ')}")
    return 0


def _patients(text: str) -> int:
    try:
        value = int(text.replace(",", "").replace("_", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the number of patients cannot be negative")
    return value


def add_db_commands(commands: Commands) -> None:
    """Add ``db upgrade | backup | restore FILE | verify-audit | seed-demo``."""
    db = commands.add_parser("db", help="create, upgrade, back up, restore or check the database")
    actions = db.add_subparsers(dest="db_command", required=True)
    actions.add_parser("upgrade", help="create the database or upgrade it to this version"
                       ).set_defaults(run=_cmd_upgrade)
    actions.add_parser("backup", help="take an online backup now").set_defaults(run=_cmd_backup)
    restore = actions.add_parser("restore", help="restore the database from a backup file")
    restore.add_argument("file", help="the backup file (clinic-....sqlite3)")
    restore.add_argument("--force", action="store_true",
                         help="restore another clinic's backup or one whose audit trail does "
                              "not verify (a demo backup never goes over a real clinic)")
    add_signer_options(restore, stdin_help="read the --as administrator's password from "
                                           "standard input")
    restore.set_defaults(run=_cmd_restore)
    actions.add_parser("verify-audit", help="check that no audit entry was altered or removed"
                       ).set_defaults(run=_cmd_verify_audit)
    seed = actions.add_parser("seed-demo", help="fill an empty database with demo data")
    seed.add_argument("--patients", type=_patients, default=None,
                      help="scale up to this many patients in all, with their history")
    seed.add_argument("--force", action="store_true",
                      help="add demo data even if the database already holds patients")
    seed.add_argument("--today", type=date.fromisoformat, default=None,
                      help="the demo's today (YYYY-MM-DD; default: today)")
    seed.set_defaults(run=_cmd_seed_demo)
