"""The patient's chart: everything on file (courses, visits and reactions included), the alert
badges shown wherever the patient's identity is, and the audit trail.

This ``__init__`` is the group's public face: the screens, the command line and the other
service groups import from here (or from ``.dto``), never from its private ``_modules``
(checked by the import contracts in pyproject.toml).

The names in the second block are for other service groups (helpers working inside their
unit of work), not for the screens.
"""

from __future__ import annotations

from clinic_app.services.chart._chart import get_chart, patient_audit

# isort: split
# For other service groups, inside their unit of work:
from clinic_app.services.chart._alerts import alerts_by_patient, patient_alerts
from clinic_app.services.chart._chart import reaction_summary

__all__ = [
    "alerts_by_patient",
    "get_chart",
    "patient_alerts",
    "patient_audit",
    "reaction_summary",
]
