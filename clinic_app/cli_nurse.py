"""``clinic-app nurse add | list``: nurse accounts from the command line.

``add`` asks for the new account's password (twice) and optional PIN with ``getpass``, or reads
them from standard input with ``--password-stdin`` (one per line: password, PIN or an empty line,
then the secret of the ``--as`` nurse when one is needed). On a database with no account the
first one is created (as the administrator); after that a nurse already on file vouches for the
new account with ``--as USERNAME`` and her password or PIN, and the audit trail names her.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from clinic_app.bootstrap import close_clinic
from clinic_app.cli_db import open_clinic
from clinic_app.cli_parsing import Commands
from clinic_app.services import accounts
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotSignedIn

Ask = Callable[[str], str]


class _StdinSecrets:
    """Secrets read one per line from standard input (for scripts)."""

    def __init__(self) -> None:
        self.lines = sys.stdin.read().splitlines()

    def __call__(self, _prompt: str) -> str:
        return self.lines.pop(0) if self.lines else ""


def _asker(args: argparse.Namespace) -> tuple[Ask, bool]:
    """How secrets are asked, and whether the password is asked twice (only at a terminal)."""
    if args.password_stdin:
        return _StdinSecrets(), False
    return getpass.getpass, True


def _new_secrets(args: argparse.Namespace, ask: Ask, repeat: bool) -> tuple[str, str | None]:
    password = ask(f"Password for {args.username} (at least 8 characters): ")
    if repeat and ask("Repeat the password: ") != password:
        raise ValueError("the two passwords differ; run the command again")
    pin = ask("PIN (4 to 8 digits; empty for none): ").strip()
    return password, pin or None


def _vouching_context(ctx: ServiceContext, args: argparse.Namespace, ask: Ask) -> ServiceContext:
    """The context signed in as the ``--as`` nurse (unchanged while there is no account)."""
    if not accounts.has_nurses(ctx):
        return ctx
    if not args.as_username:
        raise NotSignedIn("accounts exist: name the nurse who adds this one with --as USERNAME")
    secret = ask(f"Password of {args.as_username}: ")
    nurse = accounts.sign_in(ctx, username=args.as_username, secret=secret)
    return ctx.as_nurse(nurse.id)


def _cmd_nurse_add(args: argparse.Namespace) -> int:
    ask, repeat = _asker(args)
    ctx = open_clinic(args)
    try:
        password, pin = _new_secrets(args, ask, repeat)
        signer = _vouching_context(ctx, args, ask)
        nurse = accounts.create_nurse(signer, username=args.username, display_name=args.name,
                                  secret=password, pin=pin)
    finally:
        close_clinic(ctx)
    role = " (administrator)" if nurse.is_admin else ""
    pin_note = "with a PIN" if nurse.has_pin else "without a PIN"
    print(f"Created the account '{nurse.username}' for {nurse.display_name}{role}, {pin_note}.")
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
        marks = ", ".join(m for m, on in (("administrator", n.is_admin), ("PIN", n.has_pin),
                                          ("deactivated", not n.is_active)) if on)
        print(f"{n.username:<20} {n.display_name}" + (f"  ({marks})" if marks else ""))
    return 0


def add_nurse_commands(commands: Commands) -> None:
    """Add ``nurse add`` and ``nurse list``."""
    nurse = commands.add_parser("nurse", help="add or list nurse accounts")
    actions = nurse.add_subparsers(dest="nurse_command", required=True)
    add = actions.add_parser("add", help="add a nurse account (asks for its password and PIN)")
    add.add_argument("--username", required=True, help="the sign-in name (a-z, 0-9, . _ -)")
    add.add_argument("--name", required=True, help='the display name, e.g. "Anna Keller"')
    add.add_argument("--as", dest="as_username", metavar="USERNAME",
                     help="the nurse on file who adds this account (asked for her password "
                          "or PIN); not needed for the first account")
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password, the PIN (or an empty line) and the --as nurse's "
                          "secret from standard input, one per line")
    add.set_defaults(run=_cmd_nurse_add)
    actions.add_parser("list", help="list the nurse accounts").set_defaults(run=_cmd_nurse_list)
