"""Read a protocol's ``[surgery]`` and ``[live_vaccines]`` tables
(:mod:`clinic_app.domain.surgery_windows`).

``[surgery]`` has a ``source`` and one ``[[surgery.windows]]`` per kind of
:data:`~clinic_app.domain.surgery_windows.SURGERY_KINDS` (``kind``, ``months_before``,
``weeks_after``, ``source``). ``[live_vaccines]`` has ``weeks_before_dose``,
``weeks_after_dose`` and ``source``. Both are optional: a protocol without them warns about
nothing of that kind.
"""

from __future__ import annotations

from clinic_app.domain.protocol_table import ProtocolTable
from clinic_app.domain.surgery_windows import (
    SURGERY_KINDS,
    LiveVaccineRules,
    SurgeryRules,
    SurgeryWindow,
)


def _window(t: ProtocolTable) -> SurgeryWindow:
    return SurgeryWindow(
        kind=t.choice("kind", tuple(SURGERY_KINDS)),
        months_before=t.integer("months_before", minimum=0),
        weeks_after=t.integer("weeks_after", minimum=0),
        source=t.source(),
    )


def parse_surgery_rules(root: ProtocolTable) -> SurgeryRules | None:
    """The protocol's windows around planned surgery, or None; every kind must be there."""
    t = root.opt_table("surgery")
    if t is None:
        return None
    windows = tuple(_window(w) for w in t.tables("windows"))
    kinds = [w.kind for w in windows]
    t.check(sorted(kinds) == sorted(SURGERY_KINDS), "windows",
            "one window for each kind: " + ", ".join(SURGERY_KINDS), kinds)  # fmt: skip
    return SurgeryRules(windows=windows, source=t.source())


def parse_live_vaccine_rules(root: ProtocolTable) -> LiveVaccineRules | None:
    """The protocol's window around a dose for live vaccines, or None."""
    t = root.opt_table("live_vaccines")
    if t is None:
        return None
    return LiveVaccineRules(
        weeks_before_dose=t.integer("weeks_before_dose", minimum=0),
        weeks_after_dose=t.integer("weeks_after_dose", minimum=0),
        source=t.source(),
    )
