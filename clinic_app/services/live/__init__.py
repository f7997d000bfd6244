"""Following other workstations live (issue 14): what they committed since the last look.

This ``__init__`` is the group's public face.
"""

from __future__ import annotations

from clinic_app.services.live._watch import ChangeWatch, OtherWorkstationChange, watch_changes

__all__ = ["ChangeWatch", "OtherWorkstationChange", "watch_changes"]
