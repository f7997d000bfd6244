"""The codes a FHIR export uses: LOINC vital signs with their UCUM units (HL7 FHIR R4
"Vital Signs" profile, http://hl7.org/fhir/R4/observation-vitalsigns.html) and the HL7
terminology systems for adverse events and appointments."""

from __future__ import annotations

from dataclasses import dataclass

LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
VITAL_SIGNS_PROFILE = "http://hl7.org/fhir/StructureDefinition/vitalsigns"
BP_PROFILE = "http://hl7.org/fhir/StructureDefinition/bp"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
SERIOUSNESS = "http://terminology.hl7.org/CodeSystem/adverse-event-seriousness"
AE_SEVERITY = "http://terminology.hl7.org/CodeSystem/adverse-event-severity"
AE_OUTCOME = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"
ALLERGY_CLINICAL = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical"
ALLERGY_VERIFICATION = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification"
MRN_TYPE = "http://terminology.hl7.org/CodeSystem/v2-0203"
CTCAE_GRADE_EXTENSION = "urn:clinic-app:fhir:ctcae-grade"


@dataclass(frozen=True)
class VitalCode:
    """One vital sign: LOINC code and display, UCUM unit code and its human unit."""

    loinc: str
    display: str
    ucum: str
    unit: str


BODY_WEIGHT = VitalCode("29463-7", "Body weight", "kg", "kg")
BP_PANEL = VitalCode("85354-9", "Blood pressure panel with all children optional", "", "")
SYSTOLIC = VitalCode("8480-6", "Systolic blood pressure", "mm[Hg]", "mmHg")
DIASTOLIC = VitalCode("8462-4", "Diastolic blood pressure", "mm[Hg]", "mmHg")
HEART_RATE = VitalCode("8867-4", "Heart rate", "/min", "beats/minute")
RESPIRATORY_RATE = VitalCode("9279-1", "Respiratory rate", "/min", "breaths/minute")
BODY_TEMPERATURE = VitalCode("8310-5", "Body temperature", "Cel", "Cel")
OXYGEN_SATURATION = VitalCode("2708-6", "Oxygen saturation in Arterial blood", "%", "%")
PULSE_OXIMETRY = VitalCode(
    "59408-5", "Oxygen saturation in Arterial blood by Pulse oximetry", "%", "%"
)

# Our outcome words -> HL7 adverse-event-outcome codes (the text travels too).
OUTCOME_WORDS = (
    ("sequel", "resolvedWithSequelae"),
    ("recovering", "recovering"),
    ("resolv", "resolved"),
    ("recovered", "resolved"),
    ("fatal", "fatal"),
    ("died", "fatal"),
    ("ongoing", "ongoing"),
)


def outcome_code(text: str | None) -> str:
    """The HL7 adverse-event outcome for the nurse's outcome text ("unknown" when none fits)."""
    folded = (text or "").casefold()
    return next((code for word, code in OUTCOME_WORDS if word in folded), "unknown")


def severity_code(grade: int | None) -> str | None:
    """CTCAE grade 1 mild, 2 moderate, 3 and above severe (HL7 adverse-event-severity)."""
    if grade is None:
        return None
    return "mild" if grade <= 1 else "moderate" if grade == 2 else "severe"


def is_serious(grade: int | None) -> bool:
    """Grade 3 or more is reported as serious (CTCAE v5: severe, life-threatening, death)."""
    return grade is not None and grade >= 3
