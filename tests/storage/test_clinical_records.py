"""Every clinical model can be written, read back exactly, and is audited."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from clinic_app.domain.protocol_model import DosingMode
from clinic_app.domain.records import ScreeningOutcome, ScreeningResult
from clinic_app.storage.models import (
    Allergy,
    Appointment,
    AppointmentStatus,
    Audited,
    AuditEntry,
    Base,
    ChecklistEntry,
    ContraindicationFlag,
    Diagnosis,
    DoubleCheck,
    DrugLevel,
    InfusionEvent,
    InfusionEventKind,
    InfusionVisit,
    IntervalChange,
    LabResult,
    NoKnownAllergies,
    Premedication,
    ProductLot,
    Reaction,
    ReactionMedication,
    ScreeningRecord,
    TreatmentCourse,
    VisitStatus,
    VitalSigns,
    WeightMeasurement,
)


def _course(patient_id: int, **order) -> TreatmentCourse:
    return TreatmentCourse(patient_id=patient_id, protocol_id="infliximab",
                           indication_id="crohns", prescriber="Dr. Weber",
                           start_date=date(2026, 3, 2), **order)


def test_a_whole_infusion_day_is_stored_and_read_back_exactly(uow, patient_id, nurse_id, clock):
    now = clock.now
    with uow() as work:
        weight = work.weights.add(WeightMeasurement(patient_id=patient_id,
                                                    weight_kg=Decimal("72.35"), measured_at=now))
        # the store keeps both; the services let an allergy supersede the statement (issue 12)
        work.no_known_allergies.add(NoKnownAllergies(patient_id=patient_id,
                                                     stated_on=date(2026, 2, 1)))
        work.allergies.add(Allergy(patient_id=patient_id, substance="Penicillin",
                                   reaction="rash", severity="moderate"))
        work.diagnoses.add(Diagnosis(patient_id=patient_id, description="Crohn's disease",
                                     code="K50.9", diagnosed_on=date(2019, 5, 1)))
        work.screenings.add(ScreeningRecord(patient_id=patient_id, kind="tb",
                                            taken_on=date(2026, 2, 1),
                                            outcome=ScreeningOutcome.NEGATIVE,
                                            valid_until=date(2027, 2, 1)))
        work.lab_results.add(LabResult(patient_id=patient_id, test="alt", value=Decimal("95"),
                                       unit="U/L", ref_low=Decimal("0"), ref_high=Decimal("40"),
                                       taken_on=date(2026, 2, 27), source="City lab"))
        course = work.courses.add(_course(patient_id, dosing_mode=DosingMode.MG_PER_KG,
                                          dose_mg_per_kg=Decimal("5")))
        work.flush()
        work.interval_changes.add(IntervalChange(course_id=course.id, from_dose_number=5,
                                                 interval_weeks=6, ordered_by="Dr. Weber",
                                                 reason="loss of response"))
        appointment = work.appointments.add(Appointment(
            course_id=course.id, dose_number=1, due_date=date(2026, 3, 2), starts_at=now,
            chair="3", status=AppointmentStatus.BOOKED))
        work.flush()
        visit = work.visits.add(InfusionVisit(
            patient_id=patient_id, course_id=course.id, appointment_id=appointment.id,
            nurse_id=nurse_id, status=VisitStatus.INFUSING, weight_kg_used=weight.weight_kg,
            weight_id=weight.id, started_at=now,
            dose_plan={"dose_mg": Decimal("361.75"), "vials": 4, "bag_ml": 250}))
        work.flush()
        work.product_lots.add(ProductLot(visit_id=visit.id, product="Remicade 100 mg",
                                         lot_number="AB123", expiry_date=date(2027, 1, 31),
                                         vials=4))
        work.premedications.add(Premedication(
            visit_id=visit.id, kind="corticosteroid", drug="hydrocortisone",
            dose=Decimal("100"), dose_unit="mg", route="IV", given_at=now - timedelta(minutes=30),
            lot_number="HC-1", nurse_id=nurse_id))
        work.double_checks.add(DoubleCheck(
            visit_id=visit.id, what="dose_plan", nurse_id=nurse_id, first_nurse_id=nurse_id,
            signed_at=now - timedelta(minutes=20), plan_fingerprint="0" * 64))
        work.drug_levels.add(DrugLevel(
            patient_id=patient_id, course_id=course.id, kind="trough", value=Decimal("2.1"),
            unit="µg/mL", assay="ELISA", drawn_on=date(2026, 3, 2), before_dose_number=1,
            appointment_id=appointment.id, nurse_id=nurse_id))
        work.infusion_events.add(InfusionEvent(visit_id=visit.id, at=now + timedelta(minutes=30),
                                               kind=InfusionEventKind.RATE_CHANGE,
                                               rate_ml_per_h=Decimal("120"), nurse_id=nurse_id))
        work.checklist.add(ChecklistEntry(visit_id=visit.id, item_key="consent", value="yes",
                                          recorded_at=now, nurse_id=nurse_id))
        work.vitals.add(VitalSigns(visit_id=visit.id, measured_at=now, phase="baseline",
                                   systolic_mmhg=124, diastolic_mmhg=78, heart_rate_bpm=72,
                                   temperature_c=Decimal("36.8"), respiratory_rate=14,
                                   spo2_percent=98, nurse_id=nurse_id))
        reaction = work.reactions.add(Reaction(
            patient_id=patient_id, visit_id=visit.id, onset_at=now + timedelta(minutes=45),
            signs=["urticaria", "itching"], ctcae_term="Infusion related reaction", grade=2,
            ctcae_version="5.0", actions="infusion paused", outcome="resolved",
            nurse_id=nurse_id))
        work.flush()
        work.reaction_medications.add(ReactionMedication(
            reaction_id=reaction.id, drug="cetirizine", dose=Decimal("10"), dose_unit="mg",
            route="PO", given_at=now + timedelta(minutes=50), nurse_id=nurse_id))
        work.contraindications.add(ContraindicationFlag(
            patient_id=patient_id, code="prior_infusion_reaction", source="reaction",
            reaction_id=reaction.id))
        work.commit()
        visit_id = visit.id

    with uow() as work:
        visit = work.visits.get(visit_id)
        assert visit.dose_plan == {"dose_mg": "361.75", "vials": 4, "bag_ml": 250}
        assert visit.weight_kg_used == Decimal("72.35")
        (vitals,) = work.vitals.list_by(visit_id=visit_id)
        assert vitals.temperature_c == Decimal("36.8")
        (premedication,) = work.premedications.list_by(visit_id=visit_id)
        assert (premedication.dose, premedication.given_at) == (Decimal("100"),
                                                                now - timedelta(minutes=30))
        (check,) = work.double_checks.list_by(visit_id=visit_id)
        assert (check.what, check.signed_at) == ("dose_plan", now - timedelta(minutes=20))
        (level,) = work.drug_levels.list_by(patient_id=patient_id)
        assert (level.value, level.unit, level.drawn_on) == (Decimal("2.1"), "µg/mL",
                                                             date(2026, 3, 2))
        (screening,) = work.screenings.list_by(patient_id=patient_id)
        assert screening.to_domain() == ScreeningResult("tb", date(2026, 2, 1),
                                                       ScreeningOutcome.NEGATIVE,
                                                       date(2027, 2, 1))
        (lab,) = work.lab_results.list_by(patient_id=patient_id)
        assert lab.to_domain().times_uln == Decimal("2.375")
        assert [a.id for a in work.appointments.starting_between(now, now + timedelta(hours=1))]
        assert [v.id for v in work.visits.for_patient(patient_id)] == [visit_id]
        assert work.appointments.due_between(date(2026, 3, 1), date(2026, 3, 31))
        audited_tables = set(work.session.scalars(select(AuditEntry.table_name)))
    every_audited_table = {mapper.local_table.name for mapper in Base.registry.mappers
                           if issubclass(mapper.class_, Audited)}
    assert audited_tables == every_audited_table


@pytest.mark.parametrize("order", [
    {"dosing_mode": DosingMode.MG_PER_KG, "fixed_dose_mg": Decimal("300")},
    {"dosing_mode": DosingMode.FIXED, "dose_mg_per_kg": Decimal("5")},
    {"dosing_mode": DosingMode.FIXED, "fixed_dose_mg": Decimal("300"),
     "dose_mg_per_kg": Decimal("5")},
])
def test_a_course_order_must_be_either_mg_per_kg_or_fixed_mg(uow, patient_id, order):
    with uow() as work:
        work.courses.add(_course(patient_id, **order))
        with pytest.raises(IntegrityError):
            work.flush()


def test_a_reaction_grade_outside_ctcae_1_to_5_is_refused(uow, patient_id, nurse_id, clock):
    with uow() as work:
        work.reactions.add(Reaction(patient_id=patient_id, onset_at=clock.now, signs=[],
                                    ctcae_term="Infusion related reaction", grade=6,
                                    ctcae_version="5.0", nurse_id=nurse_id))
        with pytest.raises(IntegrityError):
            work.flush()


def test_foreign_keys_are_enforced(uow, nurse_id, clock):
    with uow() as work:
        work.weights.add(WeightMeasurement(patient_id=999, weight_kg=Decimal("70"),
                                           measured_at=clock.now))
        with pytest.raises(IntegrityError):
            work.flush()


def test_voided_records_are_left_out_of_lists_unless_asked_for(uow, patient_id, clock):
    with uow() as work:
        kept = work.weights.add(WeightMeasurement(patient_id=patient_id,
                                                  weight_kg=Decimal("70"), measured_at=clock.now))
        wrong = work.weights.add(WeightMeasurement(patient_id=patient_id,
                                                   weight_kg=Decimal("7.0"),
                                                   measured_at=clock.now))
        work.flush()
        work.void(wrong, reason="typing error: 7.0 instead of 70")
        work.commit()
        assert [w.id for w in work.weights.list_by(patient_id=patient_id)] == [kept.id]
        everything = work.weights.list_by(patient_id=patient_id, include_voided=True)
        assert [w.id for w in everything] == [kept.id, wrong.id]
        assert work.session.scalar(select(func.count()).select_from(WeightMeasurement)) == 2
