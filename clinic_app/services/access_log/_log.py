"""Who looked: opening a chart and printing a sheet with patient data are logged (issue 11,
item 14), and the administrator reads and exports the log.

Rules:

- the chart services log each opening: who (the signed-in nurse), when, which patient, and from
  where (``via``: the computer's name and the operating-system user, which names the person
  behind a command-line print that has no nurse); reopening the same chart within
  :data:`REPEAT_MINUTES` by the same nurse (the screen refreshing after each entry) is the same
  look and is not logged again;
- every sheet printed with patient data is logged with the sheet and the record it shows; the
  day list, which names every patient of the day, is logged once with the day and the count;
- a log row holds no clinical value, only what was looked at; rows are never changed;
- only an administrator reads or exports it (:mod:`clinic_app.domain.permissions`), and an
  export is itself logged.
"""

from __future__ import annotations

import csv
import getpass
import io
import socket
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import select

from clinic_app.domain.patient_validation import normalise_line, normalise_mrn
from clinic_app.domain.permissions import Permission
from clinic_app.services.access_log.dto import AccessLine
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound
from clinic_app.services.permissions import require_permission
from clinic_app.services.typed_input import parse_day
from clinic_app.storage.models import AccessAction, AccessLogEntry, Nurse, Patient
from clinic_app.storage.private_files import create_private_file
from clinic_app.storage.unit_of_work import UnitOfWork

#: Reopening the same chart within this many minutes (the same nurse) is the same look.
REPEAT_MINUTES = 10
DETAIL_MAX = 200
_ACTION_TEXT = {
    AccessAction.OPENED_CHART: "Opened the chart",
    AccessAction.PRINTED_SHEET: "Printed",
    AccessAction.EXPORTED_ACCESS_LOG: "Exported the access log",
}
CSV_COLUMNS = ("When", "Nurse", "MRN", "Patient", "What", "Detail", "Computer / user")


@cache
def _via() -> str:
    """This computer's name and the operating-system user running the program."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "unknown user"
    return f"{socket.gethostname()} / {user}"[:120]


def _write(ctx: ServiceContext, action: AccessAction, patient_id: int | None,
           detail: str) -> None:
    with UnitOfWork(ctx.session_factory, nurse_id=ctx.nurse_id, clock=ctx.clock) as uow:
        uow.session.add(AccessLogEntry(at=ctx.now(), nurse_id=ctx.nurse_id,
                                       patient_id=patient_id, action=action,
                                       detail=detail[:DETAIL_MAX], via=_via()))
        uow.commit()


def log_chart_opened(ctx: ServiceContext, patient_id: int) -> None:
    """Log that the signed-in nurse opened this patient's chart (module rules)."""
    since = ctx.now() - timedelta(minutes=REPEAT_MINUTES)
    with ctx.read_only() as uow:
        seen = uow.session.scalar(
            select(AccessLogEntry.id).where(
                AccessLogEntry.nurse_id == ctx.nurse_id,
                AccessLogEntry.patient_id == patient_id,
                AccessLogEntry.action == AccessAction.OPENED_CHART,
                AccessLogEntry.at >= since).limit(1))
    if seen is None:
        _write(ctx, AccessAction.OPENED_CHART, patient_id, "")


def log_sheet_printed(ctx: ServiceContext, *, patient_id: int | None, sheet: str) -> None:
    """Log a sheet with patient data, e.g. ``sheet="infusion record, visit 12"`` (one line,
    :func:`normalise_line`)."""
    _write(ctx, AccessAction.PRINTED_SHEET, patient_id,
           normalise_line(sheet, field="sheet", label="Sheet", max_length=DETAIL_MAX))


def _bounds(ctx: ServiceContext, since: date | str | None,
            until: date | str | None) -> tuple[datetime | None, datetime | None]:
    """Clinic-local days to UTC moments: from the start of ``since`` to the end of ``until``."""
    start = None if since is None else datetime.combine(
        parse_day(since, field="since", label="From"), time(0), ctx.tz)
    end = None if until is None else datetime.combine(
        parse_day(until, field="until", label="To") + timedelta(days=1), time(0), ctx.tz)
    return start, end


def _lines(ctx: ServiceContext, uow: UnitOfWork, since: date | str | None,
           until: date | str | None, mrn: str | None) -> tuple[AccessLine, ...]:
    start, end = _bounds(ctx, since, until)
    query = (select(AccessLogEntry, Nurse.display_name, Patient.mrn, Patient.family_name,
                    Patient.given_names)
             .outerjoin(Nurse, Nurse.id == AccessLogEntry.nurse_id)
             .outerjoin(Patient, Patient.id == AccessLogEntry.patient_id)
             .order_by(AccessLogEntry.at, AccessLogEntry.id))
    if start is not None:
        query = query.where(AccessLogEntry.at >= start)
    if end is not None:
        query = query.where(AccessLogEntry.at < end)
    if mrn:
        patient = uow.patients.get_by_mrn(normalise_mrn(mrn))
        if patient is None:
            raise NotFound(f"No patient with MRN {mrn.strip()}.")
        query = query.where(AccessLogEntry.patient_id == patient.id)
    return tuple(
        AccessLine(at=row.AccessLogEntry.at.astimezone(ctx.tz),
                   nurse=row.display_name or "(no nurse signed in)",
                   mrn=row.mrn or "", patient=(f"{row.family_name}, {row.given_names}"
                                               if row.mrn else ""),
                   action=_ACTION_TEXT[row.AccessLogEntry.action],
                   detail=row.AccessLogEntry.detail, via=row.AccessLogEntry.via)
        for row in uow.session.execute(query))


def access_log(ctx: ServiceContext, *, since: date | str | None = None,
               until: date | str | None = None, mrn: str | None = None
               ) -> tuple[AccessLine, ...]:
    """The log, oldest first, between two clinic-local days (inclusive), for one patient when
    ``mrn`` is given; administrators only (:class:`NotPermitted`)."""
    with ctx.unit_of_work() as uow:
        require_permission(ctx, uow, Permission.READ_ACCESS_LOG)
        return _lines(ctx, uow, since, until, mrn)


def export_access_log(ctx: ServiceContext, *, since: date | str | None = None,
                      until: date | str | None = None, mrn: str | None = None) -> str:
    """The log as CSV text (UTF-8, one header row); the export itself is logged."""
    lines = access_log(ctx, since=since, until=until, mrn=mrn)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for line in lines:
        writer.writerow((line.at.isoformat(timespec="seconds"), line.nurse, line.mrn,
                         line.patient, line.action, line.detail, line.via))
    scope = ", ".join(part for part in (
        f"from {since}" if since else "", f"to {until}" if until else "",
        f"MRN {mrn.strip()}" if mrn else "") if part) or "everything"
    _write(ctx, AccessAction.EXPORTED_ACCESS_LOG, None, f"{len(lines)} rows, {scope}")
    return out.getvalue()


def save_access_log(ctx: ServiceContext, path: Path, *, since: date | str | None = None,
                    until: date | str | None = None, mrn: str | None = None) -> int:
    """Write :func:`export_access_log` to ``path``, created readable by its owner only (it
    names patients); the number of entries written."""
    text = export_access_log(ctx, since=since, until=until, mrn=mrn)
    path.unlink(missing_ok=True)
    create_private_file(path)
    path.write_text(text, encoding="utf-8")
    return text.count("\n") - 1
