"""The appointment read that heads the "Open visit" step."""

from __future__ import annotations

from datetime import time

import pytest
from visit_fixtures import book_first_dose

from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import NotFound
from clinic_app.services.patients import add_allergy
from clinic_app.services.patients.dto import PatientSummary
from clinic_app.services.visits import get_appointment


def test_the_appointment_names_the_patient_the_order_and_the_booking(
        ctx: ServiceContext, patient: PatientSummary) -> None:
    add_allergy(ctx, patient_id=patient.id, substance="Penicillin", reaction="rash")
    booking = book_first_dose(ctx, patient.id, time="10:00", chair="Chair 3")
    header = get_appointment(ctx, appointment_id=booking.appointment_id)
    assert header.patient.id == patient.id and header.patient.family_name == "García"
    assert (header.drug, header.dose_number, header.order_text) == ("Infliximab", 1, "5 mg/kg")
    assert header.indication.startswith("Crohn")
    assert (header.status, header.local_time, header.chair) == ("booked", time(10), "Chair 3")
    assert header.allergies == ("Penicillin (rash)",)
    assert [b.kind for b in header.alerts] == ["allergy"]


def test_an_unknown_appointment_is_not_found(ctx: ServiceContext) -> None:
    with pytest.raises(NotFound, match="No appointment with id 999"):
        get_appointment(ctx, appointment_id=999)
