"""The infusion visit: the dose at today's weight, opening the visit, lots, premedication,
the second nurse's double check, the checklist and vitals, the running infusion (start, pause,
resume, rate, end), discharge, and a visit closed before the start (dose not given,
re-weighed).

This ``__init__`` is the group's public face: the screens, the command line and the other
service groups import from here (or from ``.dto``), never from its private ``_modules``
(checked by the import contracts in pyproject.toml).

The names in the second block are for other service groups (helpers working inside their
unit of work), not for the screens.
"""

from __future__ import annotations

from clinic_app.services.visits._appointment import get_appointment
from clinic_app.services.visits._closing import (
    hold_dose,
    preview_reweigh,
    reweigh_visit,
)
from clinic_app.services.visits._corrections import CorrectionNeedsReason
from clinic_app.services.visits._double_check import (
    DoubleCheckMissing,
    sign_double_check,
    void_double_check,
)
from clinic_app.services.visits._end_preview import end_preview
from clinic_app.services.visits._given_dose import dose_given, infused_dose_mg
from clinic_app.services.visits._infusion import (
    change_rate,
    discharge,
    end_infusion,
    pause_infusion,
    resume_infusion,
    start_infusion,
)
from clinic_app.services.visits._infusion_safety import (
    NOT_INTERRUPTED,
    PAUSED,
    STOPPED,
    allowed_infusion_actions,
)
from clinic_app.services.visits._labs_gate import LABS_DECISION_KEY, LabsDecisionRequired
from clinic_app.services.visits._premedication import (
    PREMEDICATION_REASON_KEY,
    PremedicationMissing,
    record_premedication,
    record_premedications,
    void_premedication,
)
from clinic_app.services.visits._recording import (
    get_visit,
    open_visit,
    preview_dose,
    record_check,
    record_lot,
    record_vitals,
)
from clinic_app.services.visits._start_checks import BaselineFlagged
from clinic_app.services.visits._vial_scan import read_vial_scan, record_scanned_lot

# isort: split
# For other service groups, inside their unit of work:
from clinic_app.services.visits._dose_preview import (
    AppointmentRows,
    consequences_for,
    load_appointment,
    preview_for,
)
from clinic_app.services.visits._dose_snapshot import snapshot_json
from clinic_app.services.visits._double_check import double_check_status
from clinic_app.services.visits._given_dose import dose_decisions, ended_dose_mg
from clinic_app.services.visits._infusion import interrupt_for_reaction
from clinic_app.services.visits._infusion_safety import check_infusion_action
from clinic_app.services.visits._premedication import premedication_entries
from clinic_app.services.visits._rules import local_hm
from clinic_app.services.visits._state import (
    LoadedVisit,
    checklist_of,
    domain_entries,
    load_visit,
    timeline_of,
)
from clinic_app.services.visits._views import (
    allergy_texts,
    has_no_known_allergies,
    next_step_change,
    visit_course,
    visit_detail,
)

__all__ = [
    "LABS_DECISION_KEY",
    "NOT_INTERRUPTED",
    "PAUSED",
    "PREMEDICATION_REASON_KEY",
    "STOPPED",
    "AppointmentRows",
    "BaselineFlagged",
    "CorrectionNeedsReason",
    "DoubleCheckMissing",
    "LabsDecisionRequired",
    "LoadedVisit",
    "PremedicationMissing",
    "allergy_texts",
    "allowed_infusion_actions",
    "change_rate",
    "check_infusion_action",
    "checklist_of",
    "consequences_for",
    "discharge",
    "domain_entries",
    "dose_decisions",
    "dose_given",
    "double_check_status",
    "end_infusion",
    "end_preview",
    "ended_dose_mg",
    "get_appointment",
    "get_visit",
    "has_no_known_allergies",
    "hold_dose",
    "infused_dose_mg",
    "interrupt_for_reaction",
    "load_appointment",
    "load_visit",
    "local_hm",
    "next_step_change",
    "open_visit",
    "pause_infusion",
    "premedication_entries",
    "preview_dose",
    "preview_for",
    "preview_reweigh",
    "read_vial_scan",
    "record_check",
    "record_lot",
    "record_premedication",
    "record_premedications",
    "record_scanned_lot",
    "record_vitals",
    "resume_infusion",
    "reweigh_visit",
    "sign_double_check",
    "snapshot_json",
    "start_infusion",
    "timeline_of",
    "visit_course",
    "visit_detail",
    "void_double_check",
    "void_premedication",
]
