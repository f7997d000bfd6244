"""Signing a command as a nurse on file: ``--as USERNAME`` and her password, asked with
``getpass`` or read from standard input with ``--password-stdin`` (one secret per line, in the
order the command asks for them)."""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

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


def asker(args: argparse.Namespace) -> tuple[Ask, bool]:
    """How secrets are asked, and whether a new password is asked twice (only at a terminal)."""
    if getattr(args, "password_stdin", False):
        return _StdinSecrets(), False
    return getpass.getpass, True


def signed_in(ctx: ServiceContext, args: argparse.Namespace, ask: Ask) -> ServiceContext:
    """The context signed in as the ``--as`` nurse (unchanged while there is no account)."""
    if not accounts.has_nurses(ctx):
        return ctx
    if not args.as_username:
        raise NotSignedIn("accounts exist: name the administrator who makes this change with "
                          "--as USERNAME")
    secret = ask(f"Password of {args.as_username}: ")
    nurse = accounts.sign_in(ctx, username=args.as_username, secret=secret)
    return ctx.as_nurse(nurse.id)


def add_signer_options(parser: argparse.ArgumentParser, *, stdin_help: str) -> None:
    """``--as USERNAME`` and ``--password-stdin``."""
    parser.add_argument("--as", dest="as_username", metavar="USERNAME",
                        help="the administrator who makes the change (asked for her "
                             "password); not needed before the first account exists")
    parser.add_argument("--password-stdin", action="store_true", help=stdin_help)
