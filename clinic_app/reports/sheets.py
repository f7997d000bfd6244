"""The printed sheets, one function each: inputs in, PDF bytes out (and a file if asked).

Each takes ``tz`` (the clinic's zone, for printing times) and ``printed_at`` (never read from the
clock), and ``paper`` (:class:`PaperSize`, A4 or US Letter: a clinic setting).
"""

from __future__ import annotations

from clinic_app.reports.bedside_checklist import bedside_checklist_pdf, planned_checklist
from clinic_app.reports.blank_checklist import blank_checklist_pdf
from clinic_app.reports.day_list import day_list_pdf
from clinic_app.reports.infusion_record import infusion_record_pdf
from clinic_app.reports.layout import PaperSize
from clinic_app.reports.reaction_report import reaction_report_pdf
from clinic_app.reports.schedule_handout import schedule_handout_pdf

__all__ = [
    "PaperSize",
    "bedside_checklist_pdf",
    "blank_checklist_pdf",
    "day_list_pdf",
    "infusion_record_pdf",
    "planned_checklist",
    "reaction_report_pdf",
    "schedule_handout_pdf",
]
