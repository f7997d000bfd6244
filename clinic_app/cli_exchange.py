"""``clinic-app import patients FILE.csv [--dry-run]`` and ``clinic-app export fhir``: the
clinic's patient list in, the record out as FHIR R4 (:mod:`clinic_app.services.exchange`)."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from clinic_app.bootstrap import close_clinic
from clinic_app.cli_db import open_clinic
from clinic_app.cli_parsing import Commands
from clinic_app.cli_signing import add_signer_options, asker, signed_in
from clinic_app.interop.patient_csv import DateOrder, read_patient_list
from clinic_app.services import exchange
from clinic_app.services.errors import NotSignedIn


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise OSError(f"cannot read {path}: {exc.strerror or exc}") from None


def _cmd_import_patients(args: argparse.Namespace) -> int:
    source = Path(args.file)
    patients = read_patient_list(_read(source), order=DateOrder(args.date_order))
    ask, _repeat = asker(args)
    ctx = open_clinic(args)
    try:
        signer = signed_in(ctx, args, ask)
        if signer.nurse_id is None:
            raise NotSignedIn(
                "create a nurse account first (clinic-app nurse add): the import "
                "is recorded under her name"
            )
        outcome = exchange.import_patients(signer, patients=patients, dry_run=args.dry_run)
    finally:
        close_clinic(ctx)
    if outcome.problems:
        report = Path(args.report or f"{source}.problems.txt")
        report.write_text(exchange.problem_report(outcome), encoding="utf-8")
        print(
            f"{len(outcome.problems)} problem(s) in {outcome.rows} row(s); nothing was "
            f"imported. The list is in {report}."
        )
        return 1
    if outcome.dry_run:
        print(f"{outcome.rows} row(s) checked, no problem found; nothing was imported (--dry-run).")
    else:
        print(f"Imported {outcome.imported} patient(s) from {source}.")
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day: use YYYY-MM-DD") from None


def _cmd_export_fhir(args: argparse.Namespace) -> int:
    selection = exchange.ExportSelection(mrn=args.patient, day=args.day, since=args.since)
    ask, _repeat = asker(args)
    ctx = open_clinic(args)
    try:
        signer = signed_in(ctx, args, ask)
        if signer.nurse_id is None:
            raise NotSignedIn("create a nurse account first (clinic-app nurse add)")
        text = exchange.export_fhir(signer, selection=selection)
    finally:
        close_clinic(ctx)
    out = Path(args.output)
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise OSError(f"cannot write {out}: {exc.strerror or exc}") from None
    print(f"Wrote {out}")
    return 0


def _add_export_commands(commands: Commands) -> None:
    exporting = commands.add_parser("export", help="export records for another system")
    formats = exporting.add_subparsers(dest="format", required=True)
    fhir = formats.add_parser(
        "fhir",
        help="a FHIR R4 Bundle (JSON): patients, vital signs, infusions, reactions, booked doses",
    )
    which = fhir.add_mutually_exclusive_group(required=True)
    which.add_argument("--patient", metavar="MRN", help="one patient's whole record")
    which.add_argument("--day", metavar="DATE", type=_day, help="one clinic day (YYYY-MM-DD)")
    which.add_argument(
        "--since", metavar="DATE", type=_day, help="everything from this day on (YYYY-MM-DD)"
    )
    fhir.add_argument("-o", "--output", required=True, help="the JSON file to write")
    add_signer_options(fhir, stdin_help="read the --as nurse's password from standard input")
    fhir.set_defaults(run=_cmd_export_fhir)


def add_exchange_commands(commands: Commands) -> None:
    """``import patients`` and ``export fhir``."""
    _add_export_commands(commands)
    importing = commands.add_parser("import", help="import records from another system")
    kinds = importing.add_subparsers(dest="kind", required=True)
    patients = kinds.add_parser(
        "patients",
        help="an existing patient list (CSV: MRN, names, date of birth, sex, allergies, weight)",
    )
    patients.add_argument("file", help="the CSV file (UTF-8, ',' or ';' separated)")
    patients.add_argument(
        "--dry-run", action="store_true", help="check every row and report, without saving anything"
    )
    patients.add_argument(
        "--date-order",
        choices=[o.value for o in DateOrder],
        default=DateOrder.AUTO.value,
        help="how to read 03/04/1980: dmy or mdy (default auto: such a date "
        "is refused as ambiguous; ISO dates are always read)",
    )
    patients.add_argument(
        "--report",
        metavar="FILE",
        help="where to write the problems (default: FILE.csv.problems.txt)",
    )
    add_signer_options(patients, stdin_help="read the --as nurse's password from standard input")
    patients.set_defaults(run=_cmd_import_patients)
