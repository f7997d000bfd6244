"""Who and what an appointment is for, read before its visit is opened (nothing is written).

The "Open visit" step shows the patient's identity, allergies and alerts, the drug, dose number
and order, and the booked time and chair, so the nurse weighs the right patient for the right
dose. The alerts are the chart's and the visit's
(:func:`clinic_app.services.chart.patient_alerts`).
"""

from __future__ import annotations

from clinic_app.services.chart import patient_alerts
from clinic_app.services.context import ServiceContext
from clinic_app.services.courses import order_text
from clinic_app.services.patients import latest_weight, patient_summary
from clinic_app.services.visits._dose_preview import load_appointment
from clinic_app.services.visits._views import allergy_texts, has_no_known_allergies
from clinic_app.services.visits.dto import AppointmentHeader


def get_appointment(ctx: ServiceContext, *, appointment_id: int) -> AppointmentHeader:
    """The appointment's patient, order and booking; :class:`NotFound` if unknown or voided."""
    with ctx.read_only() as uow:
        rows = load_appointment(uow, appointment_id)
        appointment, course, protocol = rows.appointment, rows.course, rows.protocol
        allergies = allergy_texts(uow, rows.patient.id, ctx.tz)
        previous = latest_weight(uow, rows.patient.id)
        names = {i.id: i.name for i in protocol.dosing.indications}
        local = None if appointment.starts_at is None else appointment.starts_at.astimezone(ctx.tz)
        return AppointmentHeader(
            appointment_id=appointment.id, version=appointment.version,
            status=appointment.status.value, patient=patient_summary(rows.patient),
            allergies=allergies,
            no_known_allergies=has_no_known_allergies(uow, rows.patient.id),
            alerts=patient_alerts(ctx, uow, rows.patient.id),
            course_id=course.id, protocol_id=protocol.id, drug=protocol.drug,
            indication=names.get(course.indication_id, course.indication_id),
            order_text=order_text(course), dose_number=appointment.dose_number,
            starts_at=appointment.starts_at,
            local_time=None if local is None else local.time().replace(tzinfo=None),
            chair=appointment.chair or "",
            previous_weight_kg=None if previous is None else previous.weight_kg,
            previous_weight_at=None if previous is None else previous.measured_at,
        )
