"""The printed sheets, one function each: inputs in, PDF bytes out (and a file if asked).

Each takes ``tz`` (the clinic's zone, for printing times) and ``printed_at`` (never read from the
clock), and ``paper`` (:class:`PaperSize`, A4 or US Letter: a clinic setting).
The sheets' modules (and reportlab) are imported on first use.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clinic_app.reports.bedside_checklist import bedside_checklist_pdf, planned_checklist
    from clinic_app.reports.blank_checklist import blank_checklist_pdf
    from clinic_app.reports.day_list import day_list_pdf
    from clinic_app.reports.infusion_record import infusion_record_pdf
    from clinic_app.reports.layout import PaperSize
    from clinic_app.reports.reaction_report import reaction_report_pdf
    from clinic_app.reports.schedule_handout import schedule_handout_pdf

# Each name's module, imported on first use: reportlab loads when something is printed, not
# when the window starts (issue 15).
_MODULES = {
    "PaperSize": "layout",
    "bedside_checklist_pdf": "bedside_checklist",
    "blank_checklist_pdf": "blank_checklist",
    "day_list_pdf": "day_list",
    "infusion_record_pdf": "infusion_record",
    "planned_checklist": "bedside_checklist",
    "reaction_report_pdf": "reaction_report",
    "schedule_handout_pdf": "schedule_handout",
}


def __getattr__(name: str) -> object:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"clinic_app.reports.{module}"), name)
    globals()[name] = value
    return value


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
