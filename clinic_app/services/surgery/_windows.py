"""Which doses fall in a planned surgery's or a live vaccine's window
(:mod:`clinic_app.domain.surgery_windows`), read inside another group's unit of work: the
booking (a reason is needed), the course's schedule and the visit's pre-check (warnings).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date

from clinic_app.domain.alerts import ClinicalWarning
from clinic_app.domain.protocol_model import Protocol
from clinic_app.domain.surgery_windows import DoseWindowWarning, doses_in_windows
from clinic_app.storage.unit_of_work import UnitOfWork

SURGERY_WINDOW = "SURGERY_WINDOW"
LIVE_VACCINE_WINDOW = "LIVE_VACCINE_WINDOW"


def _in_windows(
    uow: UnitOfWork, patient_id: int, protocol: Protocol, days: Iterable[tuple[int, date]]
) -> tuple[DoseWindowWarning, ...]:
    """The doses (number, day) inside a window of the patient's planned surgeries and live
    vaccines (voided ones left out) under ``protocol``'s rules."""
    return doses_in_windows(
        days, drug=protocol.drug, surgery=protocol.surgery,
        surgeries=[r.to_domain() for r in uow.planned_surgeries.list_by(patient_id=patient_id)],
        live_vaccines=protocol.live_vaccines,
        vaccines=[r.to_domain() for r in uow.vaccinations.list_by(patient_id=patient_id)],
    )  # fmt: skip


def window_reasons(
    uow: UnitOfWork, *, patient_id: int, protocol: Protocol, day: date
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(surgery reasons, live-vaccine reasons) for a dose of ``protocol`` on ``day``."""
    for found in _in_windows(uow, patient_id, protocol, [(0, day)]):
        return found.surgery, found.live_vaccines
    return (), ()


def window_warnings(
    uow: UnitOfWork, *, patient_id: int, protocol: Protocol, day: date
) -> list[ClinicalWarning]:
    """The booking's warnings for a dose on ``day``: inside a planned surgery's window needs a
    reason (``SURGERY_WINDOW``), a live vaccine too close needs an acknowledgement
    (``LIVE_VACCINE_WINDOW``)."""
    return _warnings(*window_reasons(uow, patient_id=patient_id, protocol=protocol, day=day))


def _warnings(surgery: tuple[str, ...], vaccines: tuple[str, ...]) -> list[ClinicalWarning]:
    found = []
    if surgery:
        found.append(ClinicalWarning(SURGERY_WINDOW, " ".join(surgery), requires_override=True))
    if vaccines:
        found.append(ClinicalWarning(LIVE_VACCINE_WINDOW, " ".join(vaccines), requires_ack=True))
    return found


def schedule_window_warnings(
    uow: UnitOfWork, *, patient_id: int, protocol: Protocol, days: Mapping[int, date]
) -> dict[int, list[ClinicalWarning]]:
    """For the course's schedule: each dose (number -> its booked or planned day) inside a
    surgery's or live vaccine's window (:func:`~clinic_app.domain.surgery_windows.
    doses_in_windows`), with the same warnings as its booking (:func:`window_warnings`)."""
    found = _in_windows(uow, patient_id, protocol, days.items())
    return {w.dose_number: _warnings(w.surgery, w.live_vaccines) for w in found}
