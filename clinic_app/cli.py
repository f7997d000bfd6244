"""The ``clinic-app`` command line: thin over the domain and the services.

Every command prints a one-line error and exits non-zero on failure, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import UTC, datetime, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy.exc import SQLAlchemyError

from clinic_app import __version__
from clinic_app.cli_db import add_db_commands
from clinic_app.cli_exchange import add_exchange_commands
from clinic_app.cli_nurse import add_nurse_commands
from clinic_app.cli_parsing import Commands, OneLineParser
from clinic_app.cli_print import add_record_sheets
from clinic_app.domain.errors import ClinicalError
from clinic_app.domain.protocols import load_all_protocols, load_protocol
from clinic_app.domain.settings import load_settings
from clinic_app.domain.units import plain
from clinic_app.services.errors import ServiceError
from clinic_app.storage.errors import StorageError


def _cmd_protocols(_args: argparse.Namespace) -> int:
    """List the shipped drug protocols with their dosing and schedule in one line each."""
    for p in load_all_protocols():
        if p.is_weight_based:
            low, high = p.dosing.min_mg_per_kg, p.dosing.label_max_mg_per_kg
            dose = f"{plain(low) if low else '?'}-{plain(high) if high else '?'} mg/kg"
        else:
            dose = f"{plain(p.dosing.fixed_mg) if p.dosing.fixed_mg else '?'} mg fixed"
        offsets = ", ".join(str(w) for w in p.schedule.induction_offsets_weeks)
        print(f"{p.id:<12} {p.drug:<12} {dose:<16} weeks {offsets} then every "
              f"{p.schedule.maintenance_interval_weeks} weeks, "
              f"{p.administration.duration_min} min infusion")
    return 0


def _cmd_install_desktop(args: argparse.Namespace) -> int:
    """Add (or with --remove take away) the menu entry and icon for the current user."""
    from clinic_app import desktop_entry

    if args.remove:
        removed = desktop_entry.remove()
        for path in removed:
            print(f"Removed {path}")
        if not removed:
            print("Nothing to remove: the desktop entry is not installed")
        return 0
    files = desktop_entry.install()
    print(f"Installed {files.entry}")
    return 0


def _time_zone(name: str) -> tzinfo:
    """The named IANA zone; empty means this computer's own zone."""
    if not name:
        local = datetime.now().astimezone().tzinfo
        return local if local is not None else UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone {name!r} (use an IANA name such as "
                         "Europe/Warsaw)") from None


def _cmd_print_blank_checklist(args: argparse.Namespace) -> int:
    """Print the blank bedside checklist of one protocol (downtime stock); needs no database."""
    from clinic_app.reports.blank_checklist import blank_checklist_pdf
    from clinic_app.reports.layout import PaperSize
    from clinic_app.reports.records import ClinicContact

    known = [p.id for p in load_all_protocols()]
    if args.protocol not in known:
        raise ValueError(f"unknown protocol {args.protocol!r}; shipped: {', '.join(known)}")
    clinic = load_settings().clinic
    data = blank_checklist_pdf(
        protocol=load_protocol(args.protocol), clinic=ClinicContact.from_settings(clinic),
        tz=_time_zone(args.tz if args.tz is not None else clinic.timezone),
        printed_at=datetime.now(UTC), paper=PaperSize(args.paper or clinic.paper))
    out = Path(args.output)
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise OSError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"Wrote {out}")
    return 0


def _add_print_commands(commands: Commands) -> None:
    printing = commands.add_parser("print", help="print a sheet to a PDF file")
    sheets = printing.add_subparsers(dest="sheet", required=True)
    blank = sheets.add_parser(
        "blank-checklist", help="the blank bedside checklist of a protocol, for downtime")
    blank.add_argument("--protocol", required=True, help="protocol id, e.g. infliximab")
    blank.add_argument("-o", "--output", required=True, help="the PDF file to write")
    blank.add_argument("--paper", choices=["a4", "letter"],
                       help="paper size (default: the clinic setting)")
    blank.add_argument("--tz", help="IANA time zone for the printed time (default: the clinic "
                                    "setting, else this computer's)")
    blank.set_defaults(run=_cmd_print_blank_checklist)
    add_record_sheets(sheets)


_DB_HELP = ("the SQLite database file (default: CLINIC_APP_DB_URL, else the user's data "
            "folder); accepted before or after the command")


def _add_global_options(parser: argparse.ArgumentParser, *, default: object) -> None:
    """The options that mean the same wherever they are typed (``--db``)."""
    parser.add_argument("--db", metavar="PATH", default=default, help=_DB_HELP)


def _subcommand_parsers(parser: argparse.ArgumentParser) -> list[argparse.ArgumentParser]:
    """Every parser below ``parser`` (``db``, ``db upgrade``, ``print checklist`` ...)."""
    found: list[argparse.ArgumentParser] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in dict.fromkeys(action.choices.values()):  # aliases share a parser
                found += [child, *_subcommand_parsers(child)]
    return found


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``clinic-app`` command.

    Global options are accepted before or after the command (``clinic-app --db F db upgrade``
    and ``clinic-app db upgrade --db F`` are the same): each sub-command repeats them with a
    suppressed default, so an option typed after the command wins and one typed before it is
    kept.
    """
    parser = OneLineParser(
        prog="clinic-app", description="Infusion clinic assistant for nurses.")
    parser.add_argument("--version", action="version", version=f"clinic_app {__version__}")
    _add_global_options(parser, default=None)
    parser.add_argument("--demo", action="store_true",
                        help="with no command: start the window on a fresh demo database")
    commands = parser.add_subparsers(dest="command")
    protocols = commands.add_parser("protocols", help="list the shipped drug protocols")
    protocols.set_defaults(run=_cmd_protocols)
    desktop = commands.add_parser(
        "install-desktop", help="add clinic-app to this user's application menu (with icon)")
    desktop.add_argument("--remove", action="store_true",
                         help="take the menu entry and icon away again")
    desktop.set_defaults(run=_cmd_install_desktop)
    _add_print_commands(commands)
    add_db_commands(commands)
    add_nurse_commands(commands)
    add_exchange_commands(commands)
    for sub in _subcommand_parsers(parser):
        _add_global_options(sub, default=argparse.SUPPRESS)
    return parser


# Refusals a command reports as they are; anything else is reported as unexpected.
_EXPECTED = (ClinicalError, ServiceError, StorageError, OSError, ValueError, SQLAlchemyError)


def _one_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    text = lines[0] if lines else type(exc).__name__
    return text if isinstance(exc, _EXPECTED) else f"unexpected {type(exc).__name__}: {text}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; every failure is a one-line message and a non-zero exit, never a
    traceback (usage errors exit 2, refused or failed commands 1, an interrupt 130)."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a usage error already printed
        return stop.code if isinstance(stop.code, int) else 0
    if not hasattr(args, "run"):  # no command: the nurse's window
        from clinic_app.app import run_gui  # imported here so the commands stay fast

        return run_gui([*(["--db", args.db] if args.db else []),
                        *(["--demo"] if args.demo else [])])
    try:
        return int(args.run(args))
    except KeyboardInterrupt:
        print("clinic-app: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # the command line never shows a traceback
        print(f"clinic-app: error: {_one_line(exc)}", file=sys.stderr)
        return 1
