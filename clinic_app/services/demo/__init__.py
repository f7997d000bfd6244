"""Demo data: fill an empty database so a newcomer can try every screen.

This ``__init__`` is the group's public face: the screens, the command line and the other
service groups import from here (or from ``.dto``), never from its private ``_modules``
(checked by the import contracts in pyproject.toml).
"""

from __future__ import annotations

from clinic_app.services.demo._seed import (
    DEMO_NURSES,
    DEMO_PASSWORD,
    DEMO_PIN,
    DemoSummary,
    demo_clinic_settings,
    demo_clock,
    seed_demo,
)

__all__ = [
    "DEMO_NURSES",
    "DEMO_PASSWORD",
    "DEMO_PIN",
    "DemoSummary",
    "demo_clinic_settings",
    "demo_clock",
    "seed_demo",
]
