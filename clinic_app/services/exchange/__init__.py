"""Exchange with the clinic's other systems: importing an existing patient list and exporting
the record as FHIR R4. The file formats are read and written by :mod:`clinic_app.interop`;
this group checks against the store and keeps the record."""

from __future__ import annotations

from datetime import datetime

from clinic_app.domain.dates import date_text
from clinic_app.interop.fhir_bundle import fhir_json
from clinic_app.services import access_log
from clinic_app.services.context import ServiceContext
from clinic_app.services.exchange._export import ExportSelection, export_records
from clinic_app.services.exchange._import import ImportOutcome, import_patients, problem_report


def export_fhir(ctx: ServiceContext, *, selection: ExportSelection) -> str:
    """The selected records as a FHIR R4 ``Bundle`` (JSON), validated by ``fhir.resources``;
    the export is written in the access log (one patient's, or a day's with the count)."""
    made_at: datetime = ctx.now()
    records = export_records(ctx, selection=selection)
    text = fhir_json(records, made_at=made_at)
    if selection.mrn is not None:
        (patient,) = records.patients
        access_log.log_sheet_printed(ctx, patient_id=patient.id, sheet="FHIR export")
    else:
        what = (
            f"day {date_text(selection.day)}"
            if selection.day
            else f"since {date_text(selection.since)}"
        )
        access_log.log_sheet_printed(
            ctx, patient_id=None, sheet=f"FHIR export, {what}, {len(records.patients)} patients"
        )
    return text


__all__ = [
    "ExportSelection",
    "ImportOutcome",
    "export_fhir",
    "export_records",
    "import_patients",
    "problem_report",
]
