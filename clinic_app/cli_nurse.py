"""``clinic-app nurse add | list | role | disable | enable | reset-password`` and
``clinic-app access-log``: accounts and the access log from the command line.

Secrets are asked with ``getpass``, or read from standard input with ``--password-stdin`` (one
per line, in the order the command asks: for ``add`` the password, the PIN or an empty line,
then the secret of the ``--as`` nurse; for ``reset-password`` the new password, then the
``--as`` secret; for the others only the ``--as`` secret). On a database with no account the
first one is created (as the administrator); after that an administrator on file signs the
change with ``--as USERNAME`` and her password, and the audit trail names her
(:mod:`clinic_app.domain.permissions`).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from clinic_app.bootstrap import close_clinic
from clinic_app.cli_db import open_clinic
from clinic_app.cli_parsing import Commands
from clinic_app.cli_signing import Ask, add_signer_options, asker, signed_in
from clinic_app.domain.permissions import Role
from clinic_app.services import access_log, accounts
from clinic_app.services.accounts.dto import NurseSummary
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound


def _new_password(username: str, ask: Ask, repeat: bool) -> str:
    password = ask(f"Password for {username} (at least 8 characters): ")
    if repeat and ask("Repeat the password: ") != password:
        raise ValueError("the two passwords differ; run the command again")
    return password


def _account(ctx: ServiceContext, username: str) -> NurseSummary:
    wanted = username.strip().casefold()
    for nurse in accounts.list_nurses(ctx):
        if nurse.username == wanted:
            return nurse
    raise NotFound(f"No nurse account with the user name {username!r}.")


def _cmd_nurse_add(args: argparse.Namespace) -> int:
    ask, repeat = asker(args)
    ctx = open_clinic(args)
    try:
        password = _new_password(args.username, ask, repeat)
        pin = ask("PIN (4 to 8 digits; empty for none): ").strip() or None
        signer = signed_in(ctx, args, ask)
        nurse = accounts.create_nurse(signer, username=args.username, display_name=args.name,
                                      secret=password, pin=pin, role=args.role)
    finally:
        close_clinic(ctx)
    pin_note = "with a PIN" if nurse.has_pin else "without a PIN"
    print(f"Created the account '{nurse.username}' for {nurse.display_name} "
          f"({nurse.role.label.lower()}), {pin_note}.")
    return 0


def _cmd_nurse_list(args: argparse.Namespace) -> int:
    ctx = open_clinic(args)
    try:
        nurses = accounts.list_nurses(ctx)
    finally:
        close_clinic(ctx)
    if not nurses:
        print("No nurse accounts yet: add the first with 'clinic-app nurse add'.")
    for n in nurses:
        marks = ", ".join([n.role.label.lower()] + [m for m, on in (
            ("PIN", n.has_pin), ("disabled", not n.is_active)) if on])
        print(f"{n.username:<20} {n.display_name}  ({marks})")
    return 0


Change = Callable[[ServiceContext, int, str], NurseSummary]


def _run_change(args: argparse.Namespace, change: Change, done: str, *,
                new_password: bool = False) -> int:
    """Change the account ``args.username`` as the ``--as`` administrator; ``change`` gets the
    signed-in context, the account id and the new password (when one is asked)."""
    ask, repeat = asker(args)
    ctx = open_clinic(args)
    try:
        target = _account(ctx, args.username)
        secret = _new_password(target.username, ask, repeat) if new_password else ""
        signer = signed_in(ctx, args, ask)
        changed = change(signer, target.id, secret)
    finally:
        close_clinic(ctx)
    print(done.format(name=changed.display_name, username=changed.username,
                      role=changed.role.label.lower()))
    return 0


def _cmd_role(args: argparse.Namespace) -> int:
    return _run_change(args, lambda c, i, _s: accounts.set_role(c, nurse_id=i, role=args.role),
                       "{name} ('{username}') is now {role}.")


def _cmd_disable(args: argparse.Namespace) -> int:
    return _run_change(args, lambda c, i, _s: accounts.disable_nurse(c, nurse_id=i),
                       "Disabled the account '{username}' ({name}): it can no longer sign in; "
                       "its name stays on every record.")


def _cmd_enable(args: argparse.Namespace) -> int:
    return _run_change(args, lambda c, i, _s: accounts.enable_nurse(c, nurse_id=i),
                       "Enabled the account '{username}' ({name}) again, as {role}.")


def _cmd_reset(args: argparse.Namespace) -> int:
    return _run_change(
        args, lambda c, i, s: accounts.reset_password(c, nurse_id=i, secret=s),
        "Set a new password for '{username}' ({name}); the PIN was removed and any sign-in "
        "lock lifted.", new_password=True)


def _cmd_access_log(args: argparse.Namespace) -> int:
    ask, _repeat = asker(args)
    ctx = open_clinic(args)
    try:
        signer = signed_in(ctx, args, ask)
        if args.output is None:
            sys.stdout.write(access_log.export_access_log(
                signer, since=args.since, until=args.until, mrn=args.mrn))
            return 0
        out = Path(args.output)
        count = access_log.save_access_log(signer, out, since=args.since, until=args.until,
                                           mrn=args.mrn)
    finally:
        close_clinic(ctx)
    print(f"Wrote the access log to {out} ({count} entries).")
    return 0


def add_nurse_commands(commands: Commands) -> None:
    """Add the ``nurse`` commands and ``access-log``."""
    roles = [role.value for role in Role]
    nurse = commands.add_parser("nurse", help="add, list, disable or change nurse accounts")
    actions = nurse.add_subparsers(dest="nurse_command", required=True)
    add = actions.add_parser("add", help="add a nurse account (asks for its password and PIN)")
    add.add_argument("--username", required=True, help="the sign-in name (a-z, 0-9, . _ -)")
    add.add_argument("--name", required=True, help='the display name, e.g. "Anna Keller"')
    add.add_argument("--role", default=Role.NURSE.value, choices=roles,
                     help="what the nurse may do beyond charting (default: nurse); the first "
                          "account is always the administrator")
    add_signer_options(add, stdin_help="read the password, the PIN (or an empty line) and the --as "
                                 "administrator's password from standard input, one per line")
    add.set_defaults(run=_cmd_nurse_add)
    actions.add_parser("list", help="list the nurse accounts").set_defaults(run=_cmd_nurse_list)
    for name, help_text, run in (
            ("role", "give an account another role", _cmd_role),
            ("disable", "disable an account (it is never deleted)", _cmd_disable),
            ("enable", "enable a disabled account again", _cmd_enable),
            ("reset-password", "set a new password (removes the PIN, lifts a lock)",
             _cmd_reset)):
        change = actions.add_parser(name, help=help_text)
        change.add_argument("username", help="the account's sign-in name")
        if name == "role":
            change.add_argument("role", choices=roles, help="the new role")
        stdin = ("read the new password, then the --as administrator's password, from "
                 "standard input" if name == "reset-password" else
                 "read the --as administrator's password from standard input")
        add_signer_options(change, stdin_help=stdin)
        change.set_defaults(run=run)
    log = commands.add_parser("access-log", help="export who opened which chart and printed "
                                                 "which sheet (administrators)")
    log.add_argument("--since", metavar="DAY", help="from this day (clinic local, inclusive)")
    log.add_argument("--until", metavar="DAY", help="to this day (inclusive)")
    log.add_argument("--mrn", help="only this patient")
    log.add_argument("-o", "--output", metavar="FILE.csv",
                     help="write CSV here (readable by its owner only); default: standard "
                          "output")
    add_signer_options(log, stdin_help="read the --as administrator's password from standard input")
    log.set_defaults(run=_cmd_access_log)
