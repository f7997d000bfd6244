"""Read a protocol's ``[lab_rules]`` (:mod:`clinic_app.domain.lab_rules`) from its TOML table.

Each band names its tests (codes of :data:`clinic_app.domain.labs.LAB_TESTS`), what it
compares (``measure = "value"`` in the test's canonical unit, or ``"uln"``: times the upper
limit of normal), its bounds as the label words them (``above``/``at_least`` below,
``up_to``/``below`` above), the ``action`` (continue, reduce, hold, stop), the ``text`` the nurse
reads and its ``source``.
"""

from __future__ import annotations

from clinic_app.domain.lab_rules import LabAction, LabBand, LabRules, Measure, MonitoringRule
from clinic_app.domain.labs import LAB_TESTS
from clinic_app.domain.protocol_table import ProtocolTable


def _tests(t: ProtocolTable) -> tuple[str, ...]:
    tests = t.texts("tests")
    t.check(
        bool(tests) and all(c in LAB_TESTS for c in tests),
        "tests",
        "a list of lab test codes: " + ", ".join(LAB_TESTS),
        list(tests),
    )
    return tests


def _band(t: ProtocolTable) -> LabBand:
    bounds = {
        key: t.decimal(key, None, positive=False) if key in t.data else None
        for key in ("above", "at_least", "up_to", "below")
    }
    t.check(
        bounds["above"] is None or bounds["at_least"] is None,
        "at_least",
        "either above or at_least, not both",
        bounds["at_least"],
    )
    t.check(
        bounds["up_to"] is None or bounds["below"] is None,
        "below",
        "either up_to or below, not both",
        bounds["below"],
    )
    t.check(
        any(b is not None for b in bounds.values()),
        "above",
        "at least one bound (above, at_least, up_to or below)",
        None,
    )
    return LabBand(
        tests=_tests(t), measure=Measure(t.choice("measure", tuple(Measure))),
        action=LabAction(t.choice("action", tuple(LabAction))), text=t.text("text"),
        source=t.source(), **bounds,
    )  # fmt: skip


def _monitoring(t: ProtocolTable) -> MonitoringRule:
    first_months = t.opt_integer("first_months", minimum=1)
    first_weeks = t.opt_integer("first_interval_weeks", minimum=1)
    t.check(
        (first_months is None) == (first_weeks is None),
        "first_interval_weeks",
        "first_months and first_interval_weeks given together",
        first_weeks,
    )
    return MonitoringRule(
        tests=_tests(t), interval_months=t.integer("interval_months", minimum=1),
        text=t.text("text"), source=t.source(), first_months=first_months,
        first_interval_weeks=first_weeks,
        first_check_weeks=t.opt_integer("first_check_weeks", minimum=1),
    )  # fmt: skip


def parse_lab_rules(root: ProtocolTable) -> LabRules | None:
    """The file's ``[lab_rules]``, or None when it has none."""
    t = root.opt_table("lab_rules")
    if t is None:
        return None
    return LabRules(
        reduce_to_mg_per_kg=t.decimal("reduce_to_mg_per_kg"),
        baseline=tuple(_band(b) for b in t.tables("baseline", required=False)),
        during=tuple(_band(b) for b in t.tables("during", required=False)),
        monitoring=tuple(_monitoring(m) for m in t.tables("monitoring", required=False)),
        source=t.source(),
    )
