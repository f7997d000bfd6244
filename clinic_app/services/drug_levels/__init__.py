"""Therapeutic drug monitoring: record and void a course's trough levels and anti-drug
antibody results, and read the course's TDM series for the chart's plot.

This ``__init__`` is the group's public face: the screens and the other service groups import
from here (or from ``.dto``), never from its private ``_modules`` (checked by the import
contracts in pyproject.toml).
"""

from __future__ import annotations

from clinic_app.services.drug_levels._levels import (
    course_tdm,
    record_drug_level,
    void_drug_level,
)

# isort: split
# For other service groups, inside their unit of work:
from clinic_app.services.drug_levels._levels import tdm_view

__all__ = ["course_tdm", "record_drug_level", "tdm_view", "void_drug_level"]
