"""``clinic-app print ...`` for the sheets made from recorded data (a database is needed).

``checklist --visit ID | --appointment ID [--weight KG] [--with-reaction-card]``,
``record --visit ID``, ``reaction --reaction ID``, ``schedule --mrn MRN [--course ID]``,
``day-list [--date DAY]``;
each writes ``-o FILE.pdf`` on ``--paper a4|letter`` (default: the clinic setting).
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path

from clinic_app.bootstrap import close_clinic
from clinic_app.cli_db import open_clinic
from clinic_app.cli_parsing import Commands
from clinic_app.services import sheets
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound

Sheet = Callable[[ServiceContext, argparse.Namespace], bytes]


def _write(out: Path, data: bytes) -> None:
    try:
        out.write_bytes(data)
    except OSError as exc:
        raise OSError(f"cannot write {out}: {exc.strerror or exc}") from None


def _run(sheet: Sheet) -> Callable[[argparse.Namespace], int]:
    def run(args: argparse.Namespace) -> int:
        ctx = open_clinic(args)
        try:
            data = sheet(ctx, args)
        finally:
            close_clinic(ctx)
        out = Path(args.output)
        _write(out, data)
        print(f"Wrote {out}")
        return 0
    return run


def _checklist(ctx: ServiceContext, args: argparse.Namespace) -> bytes:
    return sheets.bedside_checklist(ctx, visit_id=args.visit, appointment_id=args.appointment,
                                    weight=args.weight, unit=args.unit, paper=args.paper,
                                    reaction_card=args.with_reaction_card)


def _record(ctx: ServiceContext, args: argparse.Namespace) -> bytes:
    return sheets.infusion_record(ctx, visit_id=args.visit, paper=args.paper)


def _reaction(ctx: ServiceContext, args: argparse.Namespace) -> bytes:
    return sheets.reaction_report(ctx, reaction_id=args.reaction, paper=args.paper,
                                  recipient=args.to)


def _schedule(ctx: ServiceContext, args: argparse.Namespace) -> bytes:
    course = args.course
    if course is None:
        courses = sheets.active_courses(ctx, mrn=args.mrn)
        if not courses:
            raise NotFound(f"The patient with MRN {args.mrn} has no active course.")
        if len(courses) > 1:
            raise NotFound(f"The patient with MRN {args.mrn} has several active courses "
                           f"({', '.join(map(str, courses))}): choose one with --course.")
        course = courses[0]
    return sheets.schedule_handout(ctx, course_id=course, paper=args.paper)


def _day_list(ctx: ServiceContext, args: argparse.Namespace) -> bytes:
    day = args.date or ctx.local_now().date().isoformat()
    return sheets.day_list(ctx, day=day, paper=args.paper)


def _sheet(parsers: Commands, name: str, help_text: str, sheet: Sheet) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = parsers.add_parser(name, help=help_text)
    parser.add_argument("-o", "--output", required=True, help="the PDF file to write")
    parser.add_argument("--paper", choices=["a4", "letter"],
                        help="paper size (default: the clinic setting)")
    parser.set_defaults(run=_run(sheet))
    return parser


def add_record_sheets(parsers: Commands) -> None:
    """Add the sheets printed from the database to ``clinic-app print``."""
    checklist = _sheet(parsers, "checklist", "the bedside checklist of a visit or appointment",
                       _checklist)
    which = checklist.add_mutually_exclusive_group(required=True)
    which.add_argument("--visit", type=int, help="visit id")
    which.add_argument("--appointment", type=int, help="appointment id (before the visit)")
    checklist.add_argument("--weight", help="today's weight (default: the last on file)")
    checklist.add_argument("--unit", choices=["kg", "lb"], default="kg")
    checklist.add_argument("--with-reaction-card", action="store_true",
                           help="add the reaction card (anaphylaxis first) on its own page")
    _sheet(parsers, "record", "the infusion record of a visit", _record).add_argument(
        "--visit", type=int, required=True, help="visit id")
    reaction = _sheet(parsers, "reaction", "a reaction report", _reaction)
    reaction.add_argument("--reaction", type=int, required=True, help="reaction id")
    reaction.add_argument("--to", help="the recipient (prescriber or pharmacovigilance)")
    schedule = _sheet(parsers, "schedule", "the patient's schedule handout", _schedule)
    schedule.add_argument("--mrn", required=True, help="the patient's MRN")
    schedule.add_argument("--course", type=int, help="course id (if several are active)")
    _sheet(parsers, "day-list", "the clinic day list", _day_list).add_argument(
        "--date", help="the day (YYYY-MM-DD, DD.MM.YYYY; default: today)")
