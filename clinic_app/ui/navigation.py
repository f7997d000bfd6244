"""How one screen opens another without knowing the main window (which implements this)."""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Navigator(Protocol):
    """Opens screens: a patient's chart, a course, an infusion visit, a PDF preview."""

    def open_chart(self, patient_id: int) -> None:
        """Show the chart of ``patient_id`` (a tab of its own)."""

    def open_course(self, course_id: int) -> None:
        """Show a treatment course with its planned schedule."""

    def open_visit(self, visit_id: int) -> None:
        """Show an infusion visit (dose, checklist, vitals, timeline)."""

    def show_pdf(self, title: str, data: bytes, suggested_name: str) -> None:
        """Preview a sheet, with Save as PDF and Print."""
