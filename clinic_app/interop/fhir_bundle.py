"""A clinical export as a FHIR R4 ``Bundle`` of type ``collection``, validated by the
``fhir.resources`` library (its R4B models, wire-compatible with R4 for these resources) before
it is returned as JSON.

Resources are built as FHIR JSON and the whole bundle is parsed by the library, so a resource
the library refuses stops the export. Ids are ``<kind>-<our id>`` and every reference points
inside the bundle: each entry's full URL is a ``urn:uuid`` made from its kind and our id, the
same in every export.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any
from uuid import NAMESPACE_URL, uuid5

from fhir.resources.R4B.bundle import Bundle

from clinic_app.domain.units import plain
from clinic_app.interop import fhir_codes as codes
from clinic_app.interop.fhir_records import (
    BookingRecord,
    ClinicalExport,
    ContraindicationRecord,
    InfusionRecord,
    NurseRecord,
    PatientRecord,
    ReactionRecord,
    VitalsRecord,
    WeightRecord,
)

Json = dict[str, Any]


def _urn(kind: str, resource_id: str) -> str:
    """The entry's stable full URL: a name-based UUID of the resource's type and id."""
    return f"urn:uuid:{uuid5(NAMESPACE_URL, f'urn:clinic-app:{kind}/{resource_id}')}"


def _ref(kind: str, record_id: int) -> Json:
    return {"reference": _urn(kind, f"{kind.lower()}-{record_id}")}


def _when(moment: datetime) -> str:
    return moment.isoformat()


def _number(value: Decimal | int) -> Decimal | int:
    return value if isinstance(value, int) else Decimal(plain(value))


def _quantity(value: Decimal | int, code: codes.VitalCode) -> Json:
    return {"value": _number(value), "unit": code.unit, "system": codes.UCUM, "code": code.ucum}


def _concept(*vitals: codes.VitalCode, text: str) -> Json:
    return {
        "coding": [{"system": codes.LOINC, "code": v.loinc, "display": v.display} for v in vitals],
        "text": text,
    }


def _patient(p: PatientRecord, system: str) -> Json:
    return {
        "resourceType": "Patient",
        "id": f"patient-{p.id}",
        "identifier": [
            {
                "use": "usual",
                "system": system,
                "value": p.mrn,
                "type": {"coding": [{"system": codes.MRN_TYPE, "code": "MR"}]},
            }
        ],
        "name": [{"use": "official", "family": p.family_name, "given": p.given_names.split()}],
        "gender": p.sex,
        "birthDate": p.date_of_birth.isoformat(),
    }


def _practitioner(n: NurseRecord) -> Json:
    return {
        "resourceType": "Practitioner",
        "id": f"practitioner-{n.id}",
        "name": [{"text": n.name}],
    }


def _vital(obs_id: str, patient_id: int, at: datetime, concept: Json, **value: Any) -> Json:
    return {
        "resourceType": "Observation",
        "id": obs_id,
        "status": "final",
        "meta": {"profile": [codes.VITAL_SIGNS_PROFILE]},
        "category": [
            {
                "coding": [
                    {
                        "system": codes.OBSERVATION_CATEGORY,
                        "code": "vital-signs",
                        "display": "Vital Signs",
                    }
                ]
            }
        ],
        "code": concept,
        "subject": _ref("Patient", patient_id),
        "effectiveDateTime": _when(at),
        **value,
    }


def _weight(w: WeightRecord) -> Json:
    return _vital(
        f"weight-{w.id}",
        w.patient_id,
        w.measured_at,
        _concept(codes.BODY_WEIGHT, text="Body weight"),
        valueQuantity=_quantity(w.kg, codes.BODY_WEIGHT),
    )


def _blood_pressure(v: VitalsRecord) -> Json | None:
    parts = [(codes.SYSTOLIC, v.systolic_mmhg), (codes.DIASTOLIC, v.diastolic_mmhg)]
    if all(value is None for _code, value in parts):
        return None
    components = [
        {
            "code": _concept(code, text=code.display),
            **(
                {"valueQuantity": _quantity(value, code)}
                if value is not None
                else {"dataAbsentReason": {"text": "not measured"}}
            ),
        }
        for code, value in parts
    ]
    obs = _vital(
        f"bp-{v.id}",
        v.patient_id,
        v.measured_at,
        _concept(codes.BP_PANEL, text="Blood pressure"),
        component=components,
    )
    obs["meta"]["profile"].append(codes.BP_PROFILE)
    obs["performer"] = [_ref("Practitioner", v.nurse_id)]
    return obs


def _vitals(v: VitalsRecord) -> list[Json]:
    found = [_blood_pressure(v)]
    singles: list[tuple[str, tuple[codes.VitalCode, ...], Decimal | int | None, str]] = [
        ("hr", (codes.HEART_RATE,), v.heart_rate_bpm, "Heart rate"),
        ("rr", (codes.RESPIRATORY_RATE,), v.respiratory_rate, "Respiratory rate"),
        ("temp", (codes.BODY_TEMPERATURE,), v.temperature_c, "Body temperature"),
        (
            "spo2",
            (codes.OXYGEN_SATURATION, codes.PULSE_OXIMETRY),
            v.spo2_percent,
            "Oxygen saturation (pulse oximetry)",
        ),
    ]
    for prefix, vital_codes, value, text in singles:
        if value is not None:
            obs = _vital(
                f"{prefix}-{v.id}",
                v.patient_id,
                v.measured_at,
                _concept(*vital_codes, text=text),
                valueQuantity=_quantity(value, vital_codes[0]),
            )
            obs["performer"] = [_ref("Practitioner", v.nurse_id)]
            found.append(obs)
    return [obs for obs in found if obs is not None]


def _lots(i: InfusionRecord) -> list[Json]:
    return [
        {
            "resourceType": "Medication",
            "id": f"lot-{n}",
            "code": {"text": lot.product},
            "batch": {"lotNumber": lot.lot_number, "expirationDate": lot.expiry_date.isoformat()},
        }
        for n, lot in enumerate(i.lots, start=1)
    ]


def _dosage(i: InfusionRecord) -> Json:
    """The dose given and the rate; a stopped infusion's dose is not known (the planned dose
    is in the text)."""
    dosage: Json = {"route": {"text": "intravenous"}}
    if i.status == "stopped":
        if i.dose_mg is not None:
            dosage["text"] = f"Stopped before the end; planned dose {plain(i.dose_mg)} mg."
    elif i.dose_mg is not None:
        dosage["dose"] = {
            "value": _number(i.dose_mg),
            "unit": "mg",
            "system": codes.UCUM,
            "code": "mg",
        }
    if i.rate_ml_per_h is not None:
        dosage["rateQuantity"] = {
            "value": _number(i.rate_ml_per_h),
            "unit": "mL/h",
            "system": codes.UCUM,
            "code": "mL/h",
        }
    return dosage


def _infusion_notes(i: InfusionRecord) -> list[Json]:
    notes = []
    if i.mg_per_kg is not None and i.weight_kg is not None and i.dose_mg is not None:
        notes.append(
            f"Dose {plain(i.dose_mg)} mg = {plain(i.mg_per_kg)} mg/kg x {plain(i.weight_kg)} kg."
        )
    if i.lots:
        notes.append(
            "Lots: "
            + "; ".join(
                f"{lot.product} lot {lot.lot_number} exp {lot.expiry_date.isoformat()} x{lot.vials}"
                for lot in i.lots
            )
        )
    return [{"text": text} for text in notes]


def _administration(i: InfusionRecord) -> Json:
    contained = _lots(i)
    resource: Json = {
        "resourceType": "MedicationAdministration",
        "id": f"medicationadministration-{i.id}",
        "status": i.status,
        "subject": _ref("Patient", i.patient_id),
        "performer": [{"actor": _ref("Practitioner", i.nurse_id)}],
    }
    if contained:
        resource["contained"] = contained
        resource["medicationReference"] = {"reference": "#lot-1", "display": i.drug}
        if len(contained) > 1:
            resource["supportingInformation"] = [
                {"reference": f"#{c['id']}"} for c in contained[1:]
            ]
    else:
        resource["medicationCodeableConcept"] = {"text": i.drug}
    if i.status == "not-done":
        resource["effectiveDateTime"] = _when(i.started_at)
        resource["statusReason"] = [{"text": i.not_given_reason or "not recorded"}]
    else:
        end = {"end": _when(i.ended_at)} if i.ended_at is not None else {}
        resource["effectivePeriod"] = {"start": _when(i.started_at), **end}
        resource["dosage"] = _dosage(i)
    if notes := _infusion_notes(i):
        resource["note"] = notes
    return resource


def _adverse_event(r: ReactionRecord) -> Json:
    term = r.ctcae_term or ", ".join(r.signs) or "Infusion reaction"
    event: Json = {
        "resourceType": "AdverseEvent",
        "id": f"adverseevent-{r.id}",
        "actuality": "actual",
        "event": {"text": term},
        "subject": _ref("Patient", r.patient_id),
        "date": _when(r.onset_at),
        "recorder": _ref("Practitioner", r.nurse_id),
        "seriousness": {
            "coding": [
                {
                    "system": codes.SERIOUSNESS,
                    "code": "serious" if codes.is_serious(r.grade) else "non-serious",
                }
            ]
        },
        "outcome": {
            "coding": [{"system": codes.AE_OUTCOME, "code": codes.outcome_code(r.outcome)}],
            "text": r.outcome or "not recorded",
        },
    }
    if r.grade is not None:
        version = f"CTCAE v{r.ctcae_version}" if r.ctcae_version else "CTCAE"
        event["severity"] = {
            "coding": [{"system": codes.AE_SEVERITY, "code": codes.severity_code(r.grade)}],
            "text": f"{version} {term} grade {r.grade}",
        }
        event["extension"] = [{"url": codes.CTCAE_GRADE_EXTENSION, "valueInteger": r.grade}]
    suspect: Json = {"instance": {"display": r.drug}}
    if r.infusion_id is not None:
        suspect["instance"] = {**_ref("MedicationAdministration", r.infusion_id), "display": r.drug}
    event["suspectEntity"] = [suspect]
    return event


def _allergy(c: ContraindicationRecord, reactions: dict[int, ReactionRecord]) -> Json:
    resource: Json = {
        "resourceType": "AllergyIntolerance",
        "id": f"allergyintolerance-{c.id}",
        "clinicalStatus": {"coding": [{"system": codes.ALLERGY_CLINICAL, "code": "active"}]},
        "verificationStatus": {
            "coding": [{"system": codes.ALLERGY_VERIFICATION, "code": "confirmed"}]
        },
        "category": ["medication"],
        "criticality": "high",
        "code": {"text": c.drug},
        "patient": _ref("Patient", c.patient_id),
        "note": [{"text": c.text}],
    }
    reaction = reactions.get(c.reaction_id or 0)
    if reaction is not None:
        resource["onsetDateTime"] = _when(reaction.onset_at)
        manifestation = reaction.ctcae_term or ", ".join(reaction.signs) or "reaction"
        resource["reaction"] = [
            {"manifestation": [{"text": manifestation}], "onset": _when(reaction.onset_at)}
        ]
    return resource


def _chairs(bookings: tuple[BookingRecord, ...]) -> dict[str, int]:
    """Each chair named in a booking, numbered in order of name (its ``Location`` id)."""
    names = sorted({b.chair for b in bookings if b.chair})
    return {name: number for number, name in enumerate(names, start=1)}


def _location(name: str, number: int) -> Json:
    return {
        "resourceType": "Location",
        "id": f"location-{number}",
        "name": name,
        "mode": "instance",
        "physicalType": {"text": "infusion chair"},
    }


def _appointment(b: BookingRecord, chairs: dict[str, int]) -> Json:
    participants: list[Json] = [{"actor": _ref("Patient", b.patient_id), "status": "accepted"}]
    if b.chair:
        actor = {**_ref("Location", chairs[b.chair]), "display": b.chair}
        participants.append({"actor": actor, "status": "accepted"})
    resource: Json = {
        "resourceType": "Appointment",
        "id": f"appointment-{b.id}",
        "status": b.status,
        "start": _when(b.starts_at),
        "description": f"{b.drug} infusion, dose {b.dose_number}",
        "participant": participants,
    }
    if b.duration_min:
        resource["minutesDuration"] = b.duration_min
    return resource


def _resources(export: ClinicalExport) -> list[Json]:
    reactions = {r.id: r for r in export.reactions}
    found: list[Json] = [_patient(p, export.mrn_system) for p in export.patients]
    found += [_practitioner(n) for n in export.nurses]
    found += [_weight(w) for w in export.weights]
    found += [obs for v in export.vitals for obs in _vitals(v)]
    found += [_administration(i) for i in export.infusions]
    found += [_adverse_event(r) for r in export.reactions]
    found += [_allergy(c, reactions) for c in export.contraindications]
    chairs = _chairs(export.bookings)
    found += [_location(name, number) for name, number in chairs.items()]
    found += [_appointment(b, chairs) for b in export.bookings]
    return found


def fhir_bundle(export: ClinicalExport, *, made_at: datetime) -> Bundle:
    """The export as a validated R4 ``Bundle`` (``collection``); refused resources raise
    ``pydantic.ValidationError``."""
    entries = [
        {"fullUrl": _urn(r["resourceType"], r["id"]), "resource": r} for r in _resources(export)
    ]
    return Bundle.model_validate(
        {
            "resourceType": "Bundle",
            "type": "collection",
            "timestamp": _when(made_at),
            "entry": entries,
        }
    )


def fhir_json(export: ClinicalExport, *, made_at: datetime) -> str:
    """The validated bundle as FHIR JSON text."""
    return fhir_bundle(export, made_at=made_at).model_dump_json(indent=2)
