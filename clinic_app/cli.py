"""The ``clinic-app`` command line: thin over the domain and the services.

Every command prints a one-line error and exits non-zero on failure, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from clinic_app import __version__
from clinic_app.domain.errors import ClinicalError
from clinic_app.domain.protocols import load_all_protocols


def _cmd_protocols(_args: argparse.Namespace) -> int:
    """List the shipped drug protocols with their dosing and schedule in one line each."""
    for p in load_all_protocols():
        if p.is_weight_based:
            dose = f"{p.dosing.min_mg_per_kg}-{p.dosing.label_max_mg_per_kg} mg/kg"
        else:
            dose = f"{p.dosing.fixed_mg} mg fixed"
        offsets = ", ".join(str(w) for w in p.schedule.induction_offsets_weeks)
        print(f"{p.id:<12} {p.drug:<12} {dose:<16} weeks {offsets} then every "
              f"{p.schedule.maintenance_interval_weeks} weeks, "
              f"{p.administration.duration_min} min infusion")
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every ``clinic-app`` command."""
    parser = argparse.ArgumentParser(
        prog="clinic-app", description="Infusion clinic assistant for nurses.")
    parser.add_argument("--version", action="version", version=f"clinic_app {__version__}")
    commands = parser.add_subparsers(dest="command")
    protocols = commands.add_parser("protocols", help="list the shipped drug protocols")
    protocols.set_defaults(run=_cmd_protocols)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; errors become a one-line message and exit status 1."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "run"):
        parser.print_help()
        return 0
    try:
        return int(args.run(args))
    except (ClinicalError, OSError, ValueError) as exc:
        print(f"clinic-app: error: {exc}", file=sys.stderr)
        return 1
