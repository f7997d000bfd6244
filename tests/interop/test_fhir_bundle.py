"""The FHIR bundle built from plain records, apart from the store."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

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


def test_a_premedication_without_its_infusion_has_no_part_of_and_keeps_an_unknown_route() -> None:
    from clinic_app.interop.fhir_records import PremedicationGivenRecord

    given = PremedicationGivenRecord(
        id=4, patient_id=7, nurse_id=1, infusion_id=None, drug="Salbutamol", dose=Decimal("2.5"),
        unit="mg", route="inhaled", given_at=AT, lot_number=None,
    )  # fmt: skip
    bundle = fhir_bundle(_export(premedications=(given,)), made_at=AT)
    entries: list[Any] = list(bundle.entry or [])
    (resource,) = [e.resource for e in entries if e.resource.id == "premedication-4"]
    assert resource.partOf is None and resource.note is None
    assert resource.dosage.route.text == "inhaled" and resource.dosage.route.coding is None
    assert float(resource.dosage.dose.value) == 2.5 and resource.dosage.dose.code == "mg"


def test_a_dose_in_mcg_is_ucum_ug_and_a_crp_above_its_high_end_is_high() -> None:
    from clinic_app.interop.fhir_records import LabResultRecord, PremedicationGivenRecord

    given = PremedicationGivenRecord(
        id=5, patient_id=7, nurse_id=1, infusion_id=3, drug="Fexofenadine",
        dose=Decimal("180"), unit="mcg", route="IV", given_at=AT, lot_number="F1",
    )  # fmt: skip
    crp = LabResultRecord(
        id=2, patient_id=7, test="crp", value=Decimal("12.000"), unit="mg/dL",
        ref_low=None, ref_high=Decimal("0.5"), taken_on=date(2026, 3, 1), source="Lab",
    )  # fmt: skip
    bundle = fhir_bundle(
        _export(infusions=(INFUSION,), premedications=(given,), lab_results=(crp,)), made_at=AT
    )
    entries: list[Any] = list(bundle.entry or [])
    by_id = {e.resource.id: e.resource for e in entries}
    assert by_id["premedication-5"].dosage.dose.code == "ug"
    assert by_id["premedication-5"].dosage.route.coding[0].code == "47625008"
    obs = by_id["lab-2"]
    assert obs.code.coding[0].code == "1988-5" and obs.valueQuantity.code == "mg/dL"
    assert obs.valueQuantity.value == 12
    assert obs.referenceRange[0].low is None and float(obs.referenceRange[0].high.value) == 0.5
    assert obs.interpretation[0].coding[0].code == "H"
