"""Infusion visit use cases: the dose, opening the visit, lots, checklist answers and vitals.

The running infusion (start, pause, resume, rate change, end, discharge) is in
:mod:`._infusion`. Each function is one transaction signed by the nurse; refused input leaves
nothing written.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import date, datetime
from decimal import Decimal

from clinic_app.domain.checklist_templates import ItemKind
from clinic_app.domain.checklists import ChecklistItem
from clinic_app.domain.dates import date_text
from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.units import NumberInput, parse_number, plain, round_kg
from clinic_app.domain.vitals import parse_vitals
from clinic_app.services.context import ServiceContext
from clinic_app.services.patients import nurse_names
from clinic_app.services.permissions import require_override_permission
from clinic_app.services.typed_input import not_in_future, parse_day, parse_moment
from clinic_app.services.visits._corrections import correction_reason, saved_answer
from clinic_app.services.visits._dose_preview import load_appointment, preview_for, require_active
from clinic_app.services.visits._opening import (
    WEIGHT_KEY,
    acknowledged_codes,
    commit_opening,
    refuse_second_opening,
    require_bookable_today,
    require_decisions,
)
from clinic_app.services.visits._rules import item_for, require_phase_open, require_status
from clinic_app.services.visits._state import checklist_of, load_visit
from clinic_app.services.visits._views import (
    baseline_of,
    check_entry,
    lot_entries,
    visit_detail,
    vitals_entry,
)
from clinic_app.services.visits.dto import (
    CheckEntry,
    DosePreview,
    LotEntry,
    VisitDetail,
    VitalsEntry,
)
from clinic_app.storage.models import (
    ChecklistEntry,
    ProductLot,
    VisitStatus,
    VitalSigns,
)

_LOT = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ./-]{0,59}")
_TICKED = ("", "done", "yes")


def preview_dose(ctx: ServiceContext, *, appointment_id: int, weight: NumberInput,
                 unit: str = "kg", graduated: bool | None = None,
                 override_reason: str | None = None, shortened: bool = False) -> DosePreview:
    """The dose plan for this appointment at ``weight`` (nothing is written).

    ``graduated`` None follows the patient's history (graduated after an earlier acute reaction
    when the protocol has a table); ``shortened`` asks for the shortened infusion, which the
    preview's ``shortened_minutes`` offers when it is allowed for this dose. Bad input raises
    :class:`InvalidInput` naming the field; an absolute contraindication
    :class:`Contraindicated`; an unprepared order (or a shortened infusion not allowed)
    :class:`DoseRefused`.
    """
    with ctx.read_only() as uow:
        rows = load_appointment(uow, appointment_id)
        require_active(rows)
        return preview_for(ctx, uow, rows, weight=weight, unit=unit, graduated=graduated,
                           override_reason=override_reason, shortened=shortened,
                           offer_shortened=True)


def open_visit(ctx: ServiceContext, *, appointment_id: int, weight: NumberInput,
               unit: str = "kg", override_reason: str | None = None,
               acknowledged: Collection[str] = (),
               graduated: bool | None = None, shortened: bool = False) -> VisitDetail:
    """Open the infusion visit of a booked appointment today.

    Records today's weight (actual) and the dose plan calculated from it as a snapshot, with the
    acknowledged warning codes, and answers the checklist's weight item. A warning that needs a
    reason (``override_reason``) or an acknowledgement (its code in ``acknowledged``) not given
    raises :class:`OverrideRequired` with the codes concerned; nothing is written. An
    appointment has one open visit: a second opening, from this or another workstation, even
    at the same moment, raises :class:`ActionNotAllowed` naming who opened it and when
    ("Anna Keller opened this visit at 09:42; open it from Today."), and writes nothing.
    """
    codes = acknowledged_codes(acknowledged)
    with ctx.unit_of_work() as uow:
        rows = load_appointment(uow, appointment_id)
        require_active(rows)
        appointment = rows.appointment
        require_bookable_today(ctx, appointment.status, appointment.starts_at,
                               appointment.dose_number)
        refuse_second_opening(ctx, uow, appointment_id)
        preview = preview_for(ctx, uow, rows, weight=weight, unit=unit, graduated=graduated,
                              override_reason=override_reason, shortened=shortened)
        require_decisions(preview, codes)
        require_override_permission(ctx, uow, preview.warnings, override_reason)
        visit_id = commit_opening(ctx, uow, rows, preview, codes)
        return visit_detail(ctx, uow, load_visit(ctx, uow, visit_id))


def get_visit(ctx: ServiceContext, *, visit_id: int) -> VisitDetail:
    """The visit at ``ctx.now()``: dose plan, lots, events, checklist status, vitals, reactions."""
    with ctx.read_only() as uow:
        return visit_detail(ctx, uow, load_visit(ctx, uow, visit_id))


def _lot_number(lot: str) -> str:
    text = " ".join(str(lot).split())
    if not _LOT.fullmatch(text):
        raise InvalidInput("lot", f"Lot number {lot!r} is not valid: 1 to 60 letters, digits, "
                                  "spaces, '.', '/' or '-'.")
    return text


def _vials(value: int | str | None, planned: int) -> int:
    if value is None or (isinstance(value, str) and not value.strip()):
        return planned
    number = parse_number(value, field="vials", label="Vials")
    if number != number.to_integral_value() or not 1 <= number <= 50:
        raise InvalidInput("vials", f"Vials must be a whole number from 1 to 50, got {value!r}.")
    return int(number)


def record_lot(ctx: ServiceContext, *, visit_id: int, product_name: str, lot: str,
               expiry: date | str, vials: int | str | None = None) -> LotEntry:
    """Record a product lot used for this visit (before or during the infusion).

    ``product_name`` must be a product of the visit's dose plan; an expired lot (expiry before
    today) is refused. ``vials`` defaults to the number of that product in the plan.
    """
    number = _lot_number(lot)
    expires = parse_day(expiry, field="expiry", label="Expiry date")
    with ctx.unit_of_work() as uow:
        loaded = load_visit(ctx, uow, visit_id, for_update=True)
        require_status(loaded, (VisitStatus.CHECKED_IN, VisitStatus.INFUSING,
                                VisitStatus.OBSERVATION), "record a lot")
        planned = {v.product.name: v.count for v in loaded.snapshot.plan.vials}
        if product_name not in planned:
            raise InvalidInput("product_name", f"{product_name!r} is not in this dose plan; "
                                               f"products: {', '.join(planned)}.")
        today = ctx.local_now().date()
        if expires < today:
            raise InvalidInput("expiry", f"Lot {number} expired on {date_text(expires)}: do not "
                                         "use it.")
        row = uow.product_lots.add(ProductLot(visit_id=visit_id, product=product_name,
                                              lot_number=number, expiry_date=expires,
                                              vials=_vials(vials, planned[product_name])))
        uow.commit()
        return next(e for e in lot_entries(uow, visit_id) if e.id == row.id)


def _answer(item: ChecklistItem, answer: str) -> str:
    text = " ".join(str(answer).split())
    if item.kind is ItemKind.TICK:
        if text.lower() not in _TICKED:
            raise InvalidInput("answer", f"{item.text}: tick it (no answer needed).")
        return "done"
    if item.kind is ItemKind.YES_NO:
        if text.lower() not in item.answers:
            raise InvalidInput("answer", f"Answer with one of {', '.join(item.answers)}: "
                                         f"{item.text}")
        return text.lower()
    if not text or len(text) > 200:
        raise InvalidInput("answer", f"Enter a value (up to 200 characters): {item.text}")
    if item.unit is not None:
        number = parse_number(text, field="answer", label=item.text)
        if number <= 0:
            raise InvalidInput("answer", f"{item.text} must be more than 0 {item.unit}.")
        return plain(number)
    return text


def _require_visit_weight(weight_used: Decimal | None, answer: str) -> None:
    """The weight item holds the weight the dose was calculated from, nothing else.

    A different weight needs a new dose plan: re-weigh the visit before the start
    (:func:`._closing.reweigh_visit`).
    """
    if weight_used is None:
        raise InvalidInput("answer", "This visit has no weight for the dose: use Re-weigh… "
                                     "before the start.")
    if Decimal(answer) not in (weight_used, round_kg(weight_used)):
        raise InvalidInput("answer", f"The weight for this visit is "
                                     f"{plain(round_kg(weight_used))} kg, used for the dose; to "
                                     "change it, use Re-weigh… before the start (the dose is "
                                     "calculated again).")


def record_check(ctx: ServiceContext, *, visit_id: int, item_key: str,
                 answer: str = "", reason: str | None = None) -> CheckEntry:
    """Answer one checklist item (a tick, yes/no or a value) now.

    Vitals items are answered with :func:`record_vitals`. Pre-infusion items are answered before
    the start; observation and discharge items after the end (observation complete only once
    the observation period is over). A later answer to the same item replaces the earlier one
    in the checklist; both stay on record. The weight item is answered at :func:`open_visit`
    with the weight the dose is calculated from; a different value is refused. Changing a
    saved answer is a correction: refused with :class:`CorrectionNeedsReason` (nothing
    written) unless ``reason`` says why; the old answer stays on record.
    """
    with ctx.unit_of_work() as uow:
        loaded = load_visit(ctx, uow, visit_id, for_update=True)
        now = ctx.now()
        checklist = checklist_of(loaded, now)
        item = item_for(checklist, item_key)
        if item.kind is ItemKind.VITALS:
            raise InvalidInput("item_key", f"{item.text}: record it as vitals.")
        require_phase_open(ctx, loaded, checklist, item)
        value = _answer(item, answer)
        if item.key == WEIGHT_KEY:
            _require_visit_weight(loaded.visit.weight_kg_used, value)
        why = correction_reason(loaded, item, value, reason)
        previous = saved_answer(loaded, item.key)
        row = uow.checklist.add(ChecklistEntry(visit_id=visit_id, item_key=item.key,
                                               value=value, recorded_at=now,
                                               nurse_id=ctx.nurse_id, correction_reason=why))
        uow.commit()
        names = nurse_names(uow.session, [ctx.nurse_id])
        return check_entry(row, {item.key: item.text}, names, previous)


def record_vitals(ctx: ServiceContext, *, visit_id: int, systolic: str = "",
                  diastolic: str = "", heart_rate: str = "", temperature: str = "",
                  respiratory_rate: str = "", spo2: str = "", item_key: str | None = None,
                  at: datetime | str | None = None, temperature_unit: str = "C") -> VitalsEntry:
    """Record a set of vitals typed by the nurse, for a checklist item or as an extra reading.

    Text in a number field or an impossible value raises :class:`InvalidInput` naming the field.
    ``at`` defaults to now and cannot be in the future or before the infusion for infusion
    items. The entry carries its flags against the clinic limits and the baseline.
    """
    reading = parse_vitals(systolic=systolic, diastolic=diastolic, heart_rate=heart_rate,
                           temperature=temperature, temperature_unit=temperature_unit,
                           respiratory_rate=respiratory_rate, spo2=spo2)
    with ctx.unit_of_work() as uow:
        loaded = load_visit(ctx, uow, visit_id, for_update=True)
        now = ctx.now()
        moment = not_in_future(parse_moment(at, now=now, tz=ctx.tz, field="at", label="Time"),
                               now=now, field="at", label="The time of the vitals")
        checklist = checklist_of(loaded, now)
        label = "Extra reading"
        if item_key is None:
            require_status(loaded, (VisitStatus.CHECKED_IN, VisitStatus.INFUSING,
                                    VisitStatus.OBSERVATION), "record vitals")
        else:
            item = item_for(checklist, item_key)
            if item.kind is not ItemKind.VITALS:
                raise InvalidInput("item_key", f"{item.text}: this item is not a vitals item.")
            require_phase_open(ctx, loaded, checklist, item)
            label = item.text
        started = loaded.visit.started_at
        if started is not None and item_key is not None and item_key.split(".")[0] != "pre" \
                and moment < started:
            raise InvalidInput("at", "These vitals are timed before the infusion started.")
        row = uow.vitals.add(VitalSigns(
            visit_id=visit_id, measured_at=moment, phase=item_key,
            systolic_mmhg=reading.systolic, diastolic_mmhg=reading.diastolic,
            heart_rate_bpm=reading.heart_rate, temperature_c=reading.temperature_c,
            respiratory_rate=reading.respiratory_rate, spo2_percent=reading.spo2,
            nurse_id=ctx.nurse_id))
        uow.commit()
        names = nurse_names(uow.session, [ctx.nurse_id])
        baseline = baseline_of(list(loaded.vitals))
        return vitals_entry(ctx, row, baseline, {item_key or "": label}, names)

