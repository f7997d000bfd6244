"""Laboratory results (issue 13): record one on the chart, list them, void one with a reason;
and, for the visit's pre-check and start gate, the labs before a dose with what the protocol's
lab rules propose.

This ``__init__`` is the group's public face (the screens and other groups import from here or
from ``.dto``); the names in the second block are for other service groups (helpers working
inside their unit of work), not for the screens.
"""

from __future__ import annotations

from clinic_app.services.labs._labs import (
    lab_test_choices,
    list_lab_results,
    record_lab_result,
    void_lab_result,
)

# isort: split
# For other service groups, inside their unit of work:
from clinic_app.services.labs._check import lab_check
from clinic_app.services.labs._labs import lab_entries

__all__ = [
    "lab_check",
    "lab_entries",
    "lab_test_choices",
    "list_lab_results",
    "record_lab_result",
    "void_lab_result",
]
