"""Exchange with the clinic's other systems: importing an existing patient list and exporting
the record as FHIR R4. The file formats are read and written by :mod:`clinic_app.interop`;
this group checks against the store and keeps the record."""

from __future__ import annotations

from clinic_app.services.exchange._import import ImportOutcome, import_patients, problem_report

__all__ = ["ImportOutcome", "import_patients", "problem_report"]
