"""The patient record: register, edit and find a patient, and record what is known about
them (weights, allergies, diagnoses, screening, contraindications), voiding what was entered
in error. Also the patient's reaction history as the clinical rules read it.

This ``__init__`` is the group's public face: the screens, the command line and the other
service groups import from here (or from ``.dto``), never from its private ``_modules``
(checked by the import contracts in pyproject.toml).

The names in the second block are for other service groups (helpers working inside their
unit of work), not for the screens.
"""

from __future__ import annotations

from clinic_app.services.patients._records import (
    add_allergy,
    add_contraindication,
    add_diagnosis,
    record_no_known_allergies,
    record_screening,
    record_weight,
    void_record,
)
from clinic_app.services.patients._registration import (
    DUPLICATE_PATIENT,
    edit_patient,
    get_patient,
    register_patient,
)
from clinic_app.services.patients._search import (
    SEARCH_MAX_LENGTH,
    SEARCH_MAX_WORDS,
    count_patients,
    search_patients,
)

# isort: split
# For other service groups, inside their unit of work:
from clinic_app.services.patients._reaction_history import (
    anaphylaxes,
    last_infusion_before,
    onset_of,
    reaction_records,
    reactions_at_visit,
    visit_dose_number,
    visit_protocol_id,
)
from clinic_app.services.patients._views import (
    allergy_entry,
    contraindication_entry,
    diagnosis_entry,
    display_name,
    load_patient,
    no_known_allergies_entry,
    nurse_names,
    patient_details,
    patient_summary,
    patients_with_no_known_allergies,
    require_nurse,
    screening_entry,
    voiding,
    weight_entry,
)
from clinic_app.services.patients._weights import latest_weight

__all__ = [
    "DUPLICATE_PATIENT",
    "SEARCH_MAX_LENGTH",
    "SEARCH_MAX_WORDS",
    "add_allergy",
    "add_contraindication",
    "add_diagnosis",
    "allergy_entry",
    "anaphylaxes",
    "contraindication_entry",
    "count_patients",
    "diagnosis_entry",
    "display_name",
    "edit_patient",
    "get_patient",
    "last_infusion_before",
    "latest_weight",
    "load_patient",
    "no_known_allergies_entry",
    "nurse_names",
    "onset_of",
    "patient_details",
    "patient_summary",
    "patients_with_no_known_allergies",
    "reaction_records",
    "reactions_at_visit",
    "record_no_known_allergies",
    "record_screening",
    "record_weight",
    "register_patient",
    "require_nurse",
    "screening_entry",
    "search_patients",
    "visit_dose_number",
    "visit_protocol_id",
    "void_record",
    "voiding",
    "weight_entry",
]
