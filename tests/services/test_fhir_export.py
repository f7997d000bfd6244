"""The FHIR R4 export, parsed back by fhir.resources: codes, units, selection, voided records."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from fhir.resources.R4B.bundle import Bundle
from visit_fixtures import book, book_first_dose, infuse, open_ready_visit

from clinic_app.services import exchange
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound
from clinic_app.services.exchange import ExportSelection
from clinic_app.services.patients import void_record
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.reactions import log_reaction
from clinic_app.services.visits import record_lot, start_infusion
from clinic_app.services.visits.dto import VisitDetail

PRODUCT = "Infliximab 100 mg lyophilised powder, single-use vial"
LOINC = "http://loinc.org"


def parsed(ctx: ServiceContext, **selection: Any) -> Bundle:
    text = exchange.export_fhir(ctx, selection=ExportSelection(**selection))
    return Bundle.model_validate_json(text)


def resources(bundle: Bundle, kind: str) -> list[Any]:
    return [e.resource for e in bundle.entry or [] if e.resource.get_resource_type() == kind]


def observation(bundle: Bundle, loinc: str) -> list[Any]:
    return [
        o for o in resources(bundle, "Observation") if any(c.code == loinc for c in o.code.coding)
    ]


@pytest.fixture
def infused(ctx: ServiceContext, patient: PatientSummary, clock: object) -> VisitDetail:
    """José García's first infliximab dose, given on 2 March 2026 with lot IFX77, then a
    grade 2 infusion reaction."""
    booking = book_first_dose(ctx, patient.id)
    visit = infuse(ctx, clock, booking.appointment_id)
    record_lot(ctx, visit_id=visit.id, product_name=PRODUCT, lot="IFX77", expiry="2027-01-31")
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    log_reaction(
        ctx,
        patient_id=patient.id,
        visit_id=visit.id,
        onset=ctx.now(),
        signs=["flushing"],
        term="infusion_related_reaction",
        grade=2,
        outcome="Resolved after 20 minutes",
    )
    return visit


def test_a_patient_export_round_trips_with_loinc_codes_and_ucum_units(
    ctx: ServiceContext, patient: PatientSummary, infused: VisitDetail
) -> None:
    bundle = parsed(ctx, mrn=patient.mrn)
    assert bundle.type == "collection"
    (person,) = resources(bundle, "Patient")
    assert person.identifier[0].value == "MRN001"
    assert person.identifier[0].system.startswith("urn:clinic-app:mrn:")
    assert person.birthDate == date(1980, 2, 29) and person.gender == "male"
    (bp, *_) = observation(bundle, "85354-9")
    assert str(bp.meta.profile[0]) == "http://hl7.org/fhir/StructureDefinition/vitalsigns"
    parts = {c.code.coding[0].code: c.valueQuantity for c in bp.component}
    assert parts["8480-6"].value == 128 and parts["8480-6"].code == "mm[Hg]"
    assert parts["8462-4"].value == 78
    assert observation(bundle, "8867-4")[0].valueQuantity.code == "/min"
    assert observation(bundle, "9279-1")[0].valueQuantity.code == "/min"
    temp = observation(bundle, "8310-5")[0].valueQuantity
    assert (float(temp.value), temp.code) == (36.8, "Cel")
    spo2 = observation(bundle, "2708-6")[0]
    assert {c.code for c in spo2.code.coding} == {"2708-6", "59408-5"}
    assert spo2.valueQuantity.code == "%"
    weight = observation(bundle, "29463-7")[0].valueQuantity
    assert (float(weight.value), weight.code) == (72.5, "kg")
    assert {p.name[0].text for p in resources(bundle, "Practitioner")} == {"Anna Keller"}


def test_the_infusion_is_a_medication_administration_with_dose_rate_lot_and_basis(
    ctx: ServiceContext, patient: PatientSummary, infused: VisitDetail
) -> None:
    bundle = parsed(ctx, mrn=patient.mrn)
    (given,) = resources(bundle, "MedicationAdministration")
    assert given.status == "completed"
    assert given.effectivePeriod.start < given.effectivePeriod.end
    assert given.dosage.dose.code == "mg" and given.dosage.dose.value == 362.5
    assert given.dosage.rateQuantity.code == "mL/h"
    (medication,) = given.contained
    assert medication.batch.lotNumber == "IFX77"
    assert given.medicationReference.reference == "#lot-1"
    notes = " ".join(n.text for n in given.note)
    assert "5 mg/kg x 72.5 kg" in notes and "IFX77" in notes
    assert given.performer[0].actor.reference.startswith("urn:uuid:")


def test_the_reaction_is_an_adverse_event_suspecting_the_administration(
    ctx: ServiceContext, patient: PatientSummary, infused: VisitDetail
) -> None:
    bundle = parsed(ctx, mrn=patient.mrn)
    (event,) = resources(bundle, "AdverseEvent")
    urls = {e.resource.id: e.fullUrl for e in bundle.entry}
    assert (
        event.suspectEntity[0].instance.reference == urls[f"medicationadministration-{infused.id}"]
    )
    assert event.seriousness.coding[0].code == "non-serious"
    assert event.severity.coding[0].code == "moderate" and "grade 2" in event.severity.text
    assert event.outcome.coding[0].code == "resolved"
    assert resources(bundle, "AllergyIntolerance") == []
    references = {r for e in bundle.entry for r in _references(e.resource.model_dump())}
    assert references and {r for r in references if not r.startswith("#")} <= set(
        urls.values()
    )  # every reference resolves inside the bundle


def _references(value: Any) -> list[str]:
    """Every reference in a resource (nested too), contained ones ("#...") left out."""
    if isinstance(value, dict):
        own = [value["reference"]] if isinstance(value.get("reference"), str) else []
        return own + [r for v in value.values() for r in _references(v)]
    if isinstance(value, list):
        return [r for v in value for r in _references(v)]
    return []


def test_anaphylaxis_exports_a_serious_event_and_an_allergy_intolerance(
    ctx: ServiceContext, patient: PatientSummary, clock: object
) -> None:
    booking = book_first_dose(ctx, patient.id, protocol="anifrolumab")
    visit = start_infusion(ctx, visit_id=open_ready_visit(ctx, booking.appointment_id).id)
    clock.advance(minutes=10)  # type: ignore[attr-defined]
    log_reaction(
        ctx,
        patient_id=patient.id,
        visit_id=visit.id,
        onset=ctx.now(),
        signs=["anaphylaxis", "hypotension"],
        term="anaphylaxis",
        grade=3,
        actions="Epinephrine 0.5 mg IM",
        infusion_action="stopped",
    )
    bundle = parsed(ctx, mrn=patient.mrn)
    (event,) = resources(bundle, "AdverseEvent")
    assert event.seriousness.coding[0].code == "serious"
    (allergy,) = resources(bundle, "AllergyIntolerance")
    assert allergy.code.text == "Anifrolumab" and allergy.criticality == "high"
    (given,) = resources(bundle, "MedicationAdministration")
    assert given.status == "stopped"


def test_booked_doses_are_appointments_with_their_chair(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    booking = book_first_dose(ctx, patient.id)
    book(ctx, booking.appointment_ids[1], "2026-03-16", chair="Chair 5")
    bundle = parsed(ctx, since=date(2026, 3, 10))
    (appointment,) = resources(bundle, "Appointment")
    assert appointment.status == "booked" and "dose 2" in appointment.description
    (chair,) = resources(bundle, "Location")
    assert chair.name == "Chair 5"
    urls = {e.resource.id: e.fullUrl for e in bundle.entry}
    assert appointment.participant[1].actor.reference == urls[chair.id]


def test_voided_vitals_and_other_patients_are_left_out(
    ctx: ServiceContext, patient: PatientSummary, infused: VisitDetail, make_patient: Any
) -> None:
    other = make_patient(mrn="OTHER1", family_name="Other", given_names="Olga")
    book_first_dose(ctx, other.id, day="2026-03-02", time="14:00", chair="Chair 4",
                    reason="Works mornings; the late nurse stays")
    first_bp = observation(parsed(ctx, mrn=patient.mrn), "85354-9")
    vitals_id = int(first_bp[0].id.removeprefix("bp-"))
    void_record(ctx, kind="vitals", record_id=vitals_id, reason="Wrong patient's reading")
    bundle = parsed(ctx, mrn=patient.mrn)
    assert f"bp-{vitals_id}" not in {o.id for o in resources(bundle, "Observation")}
    assert [p.identifier[0].value for p in resources(bundle, "Patient")] == ["MRN001"]
    day = parsed(ctx, day=date(2026, 3, 2))
    assert {p.identifier[0].value for p in resources(day, "Patient")} == {"MRN001", "OTHER1"}
    assert resources(parsed(ctx, day=date(2026, 3, 3)), "Patient") == []


def test_an_unknown_mrn_is_refused(ctx: ServiceContext) -> None:
    with pytest.raises(NotFound, match="NOPE"):
        parsed(ctx, mrn="nope")


def test_an_export_is_written_in_the_access_log(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    from clinic_app.services.access_log import access_log

    parsed(ctx, mrn=patient.mrn)
    parsed(ctx, day=date(2026, 3, 2))
    details = [line.detail for line in access_log(ctx)]
    assert "FHIR export" in details
    assert "FHIR export, day 2 Mar 2026, 0 patients" in details


def test_the_clinic_setting_names_the_mrn_system(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    from dataclasses import replace

    clinic = replace(ctx.settings.clinic, mrn_system="https://hospital.example/sid/mrn")
    hospital = replace(ctx, settings=replace(ctx.settings, clinic=clinic))
    (person,) = resources(parsed(hospital, mrn=patient.mrn), "Patient")
    assert person.identifier[0].system == "https://hospital.example/sid/mrn"


def test_a_dose_not_given_is_not_done_with_the_reason(
    ctx: ServiceContext, patient: PatientSummary
) -> None:
    from clinic_app.services.visits import hold_dose

    booking = book_first_dose(ctx, patient.id)
    visit = open_ready_visit(ctx, booking.appointment_id)
    hold_dose(ctx, visit_id=visit.id, reason="Temp 38.4 °C; Dr Nowak: postpone 1 week")
    (held,) = resources(parsed(ctx, day=date(2026, 3, 2)), "MedicationAdministration")
    assert held.status == "not-done" and held.dosage is None
    assert held.statusReason[0].text == "Temp 38.4 °C; Dr Nowak: postpone 1 week"
    assert held.effectiveDateTime is not None
