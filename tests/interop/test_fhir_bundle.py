"""The FHIR bundle built from plain records, apart from the store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from fhir.resources.R4B.bundle import Bundle
from pydantic import ValidationError

from clinic_app.interop.fhir_bundle import fhir_bundle, fhir_json
from clinic_app.interop.fhir_codes import outcome_code
from clinic_app.interop.fhir_records import (
    ClinicalExport,
    InfusionRecord,
    LotRecord,
    NurseRecord,
    PatientRecord,
    ReactionRecord,
)

AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PATIENT = PatientRecord(7, "A-7", "Nowak", "Ewa Maria", date(1970, 1, 2), "female")
LOTS = (
    LotRecord("Infliximab 100 mg vial", "IFX1", date(2027, 1, 31), 3),
    LotRecord("Infliximab 100 mg vial", "IFX2", date(2027, 2, 28), 1),
)
INFUSION = InfusionRecord(
    id=3,
    patient_id=7,
    nurse_id=1,
    drug="Infliximab",
    status="completed",
    started_at=AT,
    ended_at=AT.replace(hour=11),
    dose_mg=Decimal("350.00"),
    mg_per_kg=Decimal("5.000"),
    weight_kg=Decimal("70.00"),
    rate_ml_per_h=Decimal("125.0"),
    not_given_reason=None,
    lots=LOTS,
)
REACTION = ReactionRecord(
    id=9,
    patient_id=7,
    nurse_id=1,
    infusion_id=3,
    drug="Infliximab",
    onset_at=AT.replace(hour=10),
    ctcae_term="Anaphylaxis",
    grade=4,
    ctcae_version="5.0",
    outcome="Recovering in ED",
    signs=("hypotension",),
)


def _export(**records: object) -> ClinicalExport:
    return ClinicalExport(
        mrn_system="urn:test:mrn",
        clinic_name="Test",
        patients=(PATIENT,),
        nurses=(NurseRecord(1, "Anna Keller"),),
        **records,
    )  # type: ignore[arg-type]


def test_two_lots_are_two_contained_medications_both_referenced() -> None:
    bundle = fhir_bundle(_export(infusions=(INFUSION,)), made_at=AT)
    given = next(
        e.resource
        for e in bundle.entry
        if e.resource.get_resource_type() == "MedicationAdministration"
    )
    assert [m.batch.lotNumber for m in given.contained] == ["IFX1", "IFX2"]
    assert given.medicationReference.reference == "#lot-1"
    assert [r.reference for r in given.supportingInformation] == ["#lot-2"]
    assert given.dosage.dose.value == 350 and given.dosage.rateQuantity.value == 125
    assert given.note[0].text == "Dose 350 mg = 5 mg/kg x 70 kg."


def test_a_grade_4_reaction_is_serious_and_severe_with_its_grade() -> None:
    text = fhir_json(_export(infusions=(INFUSION,), reactions=(REACTION,)), made_at=AT)
    bundle = Bundle.model_validate_json(text)
    event = next(
        e.resource for e in bundle.entry if e.resource.get_resource_type() == "AdverseEvent"
    )
    assert event.seriousness.coding[0].code == "serious"
    assert event.severity.coding[0].code == "severe"
    assert event.severity.text == "CTCAE v5.0 Anaphylaxis grade 4"
    assert event.extension[0].valueInteger == 4
    assert event.outcome.coding[0].code == "recovering"


def test_the_given_names_are_separate_and_the_mrn_is_typed_mr() -> None:
    bundle = fhir_bundle(_export(), made_at=AT)
    entry = bundle.entry[0]
    assert entry.resource.name[0].given == ["Ewa", "Maria"]
    assert entry.resource.identifier[0].type.coding[0].code == "MR"
    assert entry.fullUrl.startswith("urn:uuid:")


def test_a_record_the_library_refuses_stops_the_export() -> None:
    """fhir.resources checks structure and primitive formats (not terminology bindings)."""
    from dataclasses import replace

    with pytest.raises(ValidationError, match="status"):
        fhir_bundle(_export(infusions=(replace(INFUSION, status=""),)), made_at=AT)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Resolved after 30 minutes", "resolved"),
        ("recovered with sequelae", "resolvedWithSequelae"),
        ("", "unknown"),
        (None, "unknown"),
        ("Ongoing at discharge", "ongoing"),
    ],
)
def test_outcome_words_map_to_hl7_outcomes(text: str | None, code: str) -> None:
    assert outcome_code(text) == code
