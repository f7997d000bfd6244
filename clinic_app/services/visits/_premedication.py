"""Premedication as given: record each drug (or the suggested set in one step), void with a
reason, and the start gate.

Rules (:mod:`clinic_app.domain.premedication`): after an earlier acute reaction to the drug the
clinic's premedication set is suggested (clinic setting ``[premedication]``); the nurse records
each drug given with dose, unit, route, time (stored UTC) and lot (optional), or the whole set
at once, editing what differs. The infusion starts only when every suggested kind was given or
the nurse gives the reason it was not; that reason is kept on the visit's record (a checklist
answer, printed on the infusion record) with the items not given named.

The checklist's tick "Premedication given as prescribed" (``pre.premedication``, kept for the
paper checklist the clinic works from when the computer is down) is answered by the record:
once the whole suggested set is recorded before the start, the tick is made in the same
transaction, by the nurse who recorded it, so the nurse does not attest the same thing twice.
"""

from __future__ import annotations

from collections.abc import Sequence

from clinic_app.domain.errors import InvalidInput
from clinic_app.domain.patient_validation import normalise_line
from clinic_app.domain.premedication import (
    PremedicationItem,
    missing_premedication,
    premedication_item,
    suggested_premedication,
)
from clinic_app.services.context import ServiceContext
from clinic_app.services.errors import OverrideRequired
from clinic_app.services.patients import nurse_names, void_record, voiding
from clinic_app.services.typed_input import not_in_future, parse_moment
from clinic_app.services.visits._rules import require_status
from clinic_app.services.visits._state import LoadedVisit, checklist_of, load_visit
from clinic_app.services.visits.dto import PremedicationEntry, PremedicationForm
from clinic_app.storage.models import ChecklistEntry, Premedication, VisitStatus
from clinic_app.storage.unit_of_work import UnitOfWork

PREMEDICATION_REASON_KEY = "premedication.not_given"
PREMEDICATION_REASON_TEXT = "Suggested premedication not given: reason"
PREMEDICATION_CHECK_KEY = "pre.premedication"
_OPEN = (VisitStatus.CHECKED_IN, VisitStatus.INFUSING, VisitStatus.OBSERVATION)


class PremedicationMissing(OverrideRequired):
    """The suggested premedication was not all given and no reason was given: ``missing``
    are the items not given (their kinds are the ``codes``)."""

    def __init__(self, message: str, missing: tuple[PremedicationItem, ...]) -> None:
        self.missing = missing
        super().__init__(message, tuple(item.kind or item.drug for item in missing))


def suggested_for(ctx: ServiceContext, loaded: LoadedVisit) -> tuple[PremedicationItem, ...]:
    """The clinic's set when the patient reacted to this drug before, else nothing."""
    return suggested_premedication(
        ctx.settings.premedication, previous_reaction=loaded.previous_reaction
    )


def given_items(uow: UnitOfWork, visit_id: int) -> list[PremedicationItem]:
    """What was given at the visit (voided rows left out), as domain items."""
    return [
        PremedicationItem(r.kind, r.drug, r.dose, r.dose_unit, r.route)
        for r in uow.premedications.list_by(visit_id=visit_id)
    ]


def premedication_entries(uow: UnitOfWork, visit_id: int) -> tuple[PremedicationEntry, ...]:
    """Every premedication of the visit (voided ones marked), in the order given."""
    rows = sorted(
        uow.premedications.list_by(visit_id=visit_id, include_voided=True),
        key=lambda r: (r.given_at, r.id),
    )
    names = nurse_names(uow.session, [n for r in rows for n in (r.nurse_id, r.voided_by_id)])
    return tuple(
        PremedicationEntry(
            id=r.id, version=r.version, kind=r.kind, drug=r.drug, dose=r.dose,
            unit=r.dose_unit, route=r.route, given_at=r.given_at,
            lot_number=r.lot_number or "", nurse=names.get(r.nurse_id, ""),
            voided=voiding(r, names),
        )
        for r in rows
    )  # fmt: skip


def _lot(text: str, label: str) -> str | None:
    lot = normalise_line(text or "", field="lot", label=f"The lot of {label}", max_length=60)
    return lot or None


def _row(ctx: ServiceContext, visit_id: int, form: PremedicationForm, what: str) -> Premedication:
    """The row for one typed premedication; ``what`` names it in a refusal ("Premedication
    2")."""
    try:
        item = premedication_item(
            kind=form.kind, drug=form.drug, dose=form.dose, unit=form.unit, route=form.route
        )
        now = ctx.now()
        label = f"The time {item.drug} was given"
        given = parse_moment(form.given_at, now=now, tz=ctx.tz, field="given_at", label=label)
        given = not_in_future(given, now=now, field="given_at", label=label)
        lot = _lot(form.lot, item.drug)
    except InvalidInput as exc:
        raise InvalidInput(exc.field, f"{what}: {exc}") from None
    return Premedication(
        visit_id=visit_id, kind=item.kind, drug=item.drug, dose=item.dose,
        dose_unit=item.unit, route=item.route, given_at=given, lot_number=lot,
        nurse_id=ctx.nurse_id,
    )  # fmt: skip


def record_premedications(
    ctx: ServiceContext, *, visit_id: int, forms: Sequence[PremedicationForm]
) -> tuple[PremedicationEntry, ...]:
    """Record the premedications given, in one step (e.g. the suggested set, each edited where
    what was given differs): all or nothing; a refused item is named by its position and drug.
    Returns every premedication of the visit."""
    if not forms:
        raise InvalidInput("drug", "Choose at least one premedication to record.")
    with ctx.unit_of_work() as uow:
        loaded = load_visit(ctx, uow, visit_id, for_update=True)
        require_status(loaded, _OPEN, "record premedication")
        for number, form in enumerate(forms, start=1):
            what = f"Premedication {number}" + (f" ({form.drug.strip()})" if form.drug else "")
            uow.premedications.add(_row(ctx, visit_id, form, what))
        _tick_when_complete(ctx, uow, loaded)
        uow.commit()
        return premedication_entries(uow, visit_id)


def _tick_when_complete(ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit) -> None:
    """Answer the checklist's premedication tick once the suggested set is all recorded, before
    the start, when the visit's checklist has the tick and nobody has ticked it yet."""
    suggested = suggested_for(ctx, loaded)
    if (
        not suggested
        or loaded.visit.status is not VisitStatus.CHECKED_IN
        or any(e.item_key == PREMEDICATION_CHECK_KEY for e in loaded.entries)
        or missing_premedication(suggested, given_items(uow, loaded.visit.id))
    ):
        return
    now = ctx.now()
    if not any(i.key == PREMEDICATION_CHECK_KEY for i in checklist_of(loaded, now).items):
        return
    uow.checklist.add(
        ChecklistEntry(
            visit_id=loaded.visit.id, item_key=PREMEDICATION_CHECK_KEY, value="done",
            recorded_at=now, nurse_id=ctx.nurse_id,
        )
    )  # fmt: skip


def record_premedication(
    ctx: ServiceContext, *, visit_id: int, form: PremedicationForm
) -> PremedicationEntry:
    """Record one premedication given at the visit; returns it as recorded."""
    entries = record_premedications(ctx, visit_id=visit_id, forms=(form,))
    return max(entries, key=lambda e: e.id)


def void_premedication(
    ctx: ServiceContext, *, premedication_id: int, reason: str, expected_version: int | None = None
) -> PremedicationEntry:
    """Void a premedication recorded in error, with a reason (the row and its audit history
    stay), by the rules of every voided record (:func:`clinic_app.services.patients.void_record`:
    one entered by another nurse only by a charge nurse or an administrator);
    ``expected_version`` refuses a record changed at another workstation since."""
    if not (reason or "").strip():
        raise InvalidInput(
            "reason", "Give the reason to void this premedication (e.g. entered in error)."
        )
    void_record(ctx, kind="premedication", record_id=premedication_id, reason=reason,
                expected_version=expected_version)  # fmt: skip
    with ctx.read_only() as uow:
        row = uow.premedications.get(premedication_id)
        return next(e for e in premedication_entries(uow, row.visit_id) if e.id == row.id)


def require_premedication(
    ctx: ServiceContext, uow: UnitOfWork, loaded: LoadedVisit, reason: str | None
) -> None:
    """The start gate: every suggested kind given, or ``reason`` says why not (kept as a
    checklist answer of the visit, naming what was not given). Raises
    :class:`PremedicationMissing` (nothing written) otherwise."""
    missing = missing_premedication(suggested_for(ctx, loaded), given_items(uow, loaded.visit.id))
    if not missing:
        return
    text = normalise_line(reason or "", field="premedication_reason", label="The reason",
                          max_length=500)  # fmt: skip
    listed = "; ".join(item.text for item in missing)
    if not text:
        raise PremedicationMissing(
            f"Suggested premedication not recorded as given: {listed}. Record it, or give the "
            "reason to start without it (e.g. prescriber: not needed today).",
            missing,
        )
    uow.checklist.add(
        ChecklistEntry(
            visit_id=loaded.visit.id, item_key=PREMEDICATION_REASON_KEY,
            value=f"{text} (not given: {listed})", recorded_at=ctx.now(),
            nurse_id=ctx.nurse_id,
        )
    )  # fmt: skip
