"""Infusion reactions: what the nurse reads beside the form (signs, CTCAE scale, guidance),
logging a reaction (which pauses or stops a running infusion) and reading it back.

This ``__init__`` is the group's public face: the screens, the command line and the other
service groups import from here (or from ``.dto``), never from its private ``_modules``
(checked by the import contracts in pyproject.toml).

The names in the second block are for other service groups (helpers working inside their
unit of work), not for the screens.
"""

from __future__ import annotations

from clinic_app.services.reactions._guidance import (
    ReactionGuidance,
    SignChoice,
    TermChoice,
    contraindication_texts,
    ctcae_scale,
    reaction_guidance,
    reaction_signs,
)
from clinic_app.services.reactions._logging import get_reaction, log_reaction

# isort: split
# For other service groups, inside their unit of work:
from clinic_app.services.reactions._logging import reaction_detail
from clinic_app.services.reactions._marks import pump_marker

__all__ = [
    "ReactionGuidance",
    "SignChoice",
    "TermChoice",
    "contraindication_texts",
    "ctcae_scale",
    "get_reaction",
    "log_reaction",
    "pump_marker",
    "reaction_detail",
    "reaction_guidance",
    "reaction_signs",
]
