"""The ORM models, split by area. Importing this package registers every table.

The audit listeners (:mod:`clinic_app.storage.audit`) are installed by the parent package.
"""

from __future__ import annotations

from clinic_app.storage.models.access import AccessAction, AccessLogEntry
from clinic_app.storage.models.audit import AuditAction, AuditChainHead, AuditEntry
from clinic_app.storage.models.base import (
    Audited,
    Base,
    ClinicalRecord,
    Versioned,
    Voidable,
)
from clinic_app.storage.models.chairs import Chair
from clinic_app.storage.models.clinic import ClinicIdentity
from clinic_app.storage.models.courses import (
    Appointment,
    AppointmentStatus,
    CourseStatus,
    IntervalChange,
    TreatmentCourse,
)
from clinic_app.storage.models.double_check import DoubleCheck
from clinic_app.storage.models.drug_levels import DrugLevel
from clinic_app.storage.models.labs import LabResult
from clinic_app.storage.models.patients import (
    Allergy,
    ContraindicationFlag,
    Diagnosis,
    NoKnownAllergies,
    Patient,
    ScreeningRecord,
    Sex,
    WeightKind,
    WeightMeasurement,
)
from clinic_app.storage.models.premedication import Premedication
from clinic_app.storage.models.reactions import Reaction, ReactionMedication
from clinic_app.storage.models.staff import Nurse
from clinic_app.storage.models.visits import (
    ChecklistEntry,
    InfusionEvent,
    InfusionEventKind,
    InfusionVisit,
    ProductLot,
    VisitStatus,
    VitalSigns,
)

__all__ = [
    "AccessAction",
    "AccessLogEntry",
    "Allergy",
    "Appointment",
    "AppointmentStatus",
    "AuditAction",
    "AuditChainHead",
    "AuditEntry",
    "Audited",
    "Base",
    "Chair",
    "ChecklistEntry",
    "ClinicIdentity",
    "ClinicalRecord",
    "ContraindicationFlag",
    "CourseStatus",
    "Diagnosis",
    "DoubleCheck",
    "DrugLevel",
    "InfusionEvent",
    "InfusionEventKind",
    "InfusionVisit",
    "IntervalChange",
    "LabResult",
    "NoKnownAllergies",
    "Nurse",
    "Patient",
    "Premedication",
    "ProductLot",
    "Reaction",
    "ReactionMedication",
    "ScreeningRecord",
    "Sex",
    "TreatmentCourse",
    "Versioned",
    "VisitStatus",
    "VitalSigns",
    "Voidable",
    "WeightKind",
    "WeightMeasurement",
]

