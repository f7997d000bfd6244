"""The access log: who opened which chart and printed which sheet, read by the administrator.

This ``__init__`` is the group's public face (see :mod:`clinic_app.services.accounts`).
"""

from __future__ import annotations

from clinic_app.services.access_log._log import (
    access_log,
    export_access_log,
    log_chart_opened,
    log_sheet_printed,
    save_access_log,
)

__all__ = [
    "access_log",
    "export_access_log",
    "log_chart_opened",
    "log_sheet_printed",
    "save_access_log",
]
